// Grouped lookups: one query in flight; keys asked for meanwhile share the next query, each caller gets
// its own answer, and a failed query fails only the callers it served.
import { describe, expect, it } from 'vitest';
import { createGroupedLookup } from '../../server/intake/principal-lookup.ts';

function fakeQueries() {
  const queries: Array<{ keys: string[]; answer: (fail?: boolean) => void }> = [];
  const wake: Array<() => void> = [];
  const findMany = (keys: string[]) =>
    new Promise<Map<string, string>>((resolve, reject) => {
      queries.push({ keys, answer: (fail) => (fail ? reject(new Error('query failed')) : resolve(new Map(keys.filter((k) => k !== 'unknown').map((k) => [k, k.toUpperCase()])))) });
      wake.splice(0).forEach((w) => w());
    });
  const started = async (n: number) => {
    while (queries.length < n) await new Promise<void>((resolve) => wake.push(resolve));
    return queries[n - 1]!;
  };
  return { findMany, queries, started };
}

describe('grouped lookup', () => {
  it('asks at once when idle, and answers everything asked meanwhile with one more query', async () => {
    const db = fakeQueries();
    const find = createGroupedLookup(db.findMany);
    const first = find('a');
    const rest = ['b', 'unknown', 'b', 'c'].map(find);
    (await db.started(1)).answer();
    expect(await first).toBe('A');
    const second = await db.started(2);
    expect(second.keys).toEqual(['b', 'unknown', 'c']);
    second.answer();
    expect(await Promise.all(rest)).toEqual(['B', undefined, 'B', 'C']);
    expect(db.queries).toHaveLength(2);
  });

  it('fails the callers of a failed query only, and goes on', async () => {
    const db = fakeQueries();
    const find = createGroupedLookup(db.findMany);
    const first = find('a').catch((error: Error) => error.message);
    const next = find('b');
    (await db.started(1)).answer(true);
    expect(await first).toBe('query failed');
    (await db.started(2)).answer();
    expect(await next).toBe('B');
  });
});
