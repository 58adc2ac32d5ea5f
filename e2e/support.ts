// Helpers for specs: the tokens the stack issued, and reports posted exactly as a municipal system would.
import { readFileSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';

export const SIDECAR = 'http://127.0.0.1:3101';

export function tokenFor(municipality: string): string {
  const tokens = JSON.parse(readFileSync('e2e/.artifacts/tokens.json', 'utf8')) as Record<string, string>;
  const token = tokens[municipality];
  if (!token) throw new Error(`no e2e token for ${municipality}`);
  return token;
}

export function resultReport(municipality: string, district: string, overrides: Record<string, unknown> = {}) {
  return {
    municipality,
    district,
    category: district === '0000' ? 'advance' : 'election_day',
    stage: 'preliminary',
    version: 1,
    countedAt: new Date(Date.now() - 60_000).toISOString(),
    ballots: { counted: 1500, rejected: 3, blank: 15 },
    votes: { A: 500, H: 600, FRP: 300 },
    ...overrides,
  };
}

export async function postResult(request: APIRequestContext, body: Record<string, unknown> & { municipality: string }) {
  return request.post(`${SIDECAR}/api/v1/results`, {
    headers: { authorization: `Bearer ${tokenFor(body.municipality)}` },
    data: body,
  });
}

/** Marks the document so a spec can tell the page was updated in place, not reloaded. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __valgvaktMark: boolean }).__valgvaktMark = true;
  });
}

export async function documentIsUnchanged(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __valgvaktMark?: boolean }).__valgvaktMark === true);
}
