import { describe, expect, it } from 'vitest';
import { API_ROUTES } from './api.ts';
import { ZApiError } from './ingest.ts';

// Every example in the published document is a value its own schema accepts: a reader who copies one gets
// a request the sidecar takes, or sees an answer it really gives.
describe('the API table', () => {
  const cases = API_ROUTES.flatMap((route) => [
    ...(route.body ? [[`${route.method} ${route.path} body`, route.body.schema, route.body.example] as const] : []),
    ...Object.entries(route.responses).flatMap(([status, answer]) => (answer.example === undefined || !answer.schema ? [] : [[`${route.method} ${route.path} ${status}`, answer.schema, answer.example] as const])),
  ]);

  it('has examples for every request body and every refusal', () => {
    expect(cases.length).toBeGreaterThan(60);
    for (const route of API_ROUTES) {
      for (const [status, answer] of Object.entries(route.responses)) {
        if (Number(status) >= 400 && Number(status) < 500) expect([route.path, status, answer.schema]).toEqual([route.path, status, ZApiError]);
        if (Number(status) >= 400 && Number(status) < 500) expect(answer.example, `${route.method} ${route.path} ${status}`).toBeDefined();
      }
    }
  });

  it.each(cases)('%s: the example fits the schema', (_name, schema, example) => {
    const parsed = schema.safeParse(example);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('names each route once', () => {
    const keys = API_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
