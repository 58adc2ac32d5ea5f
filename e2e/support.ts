// Helpers for specs: what the stack issued (ingest tokens, clock control token, operator credentials),
// the sidecar's simulated clock, and reports posted exactly as a municipal system would.
import { readFileSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { loadShippedElection } from '../data/election-package.ts';
import { parseNightTime } from '../lib/replay/night-time.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';

export const SIDECAR = `http://127.0.0.1:${process.env.E2E_SIDECAR_PORT ?? 3101}`;
export const WEB = `http://127.0.0.1:${process.env.E2E_WEB_PORT ?? 3100}`;

/** The election the shared stack serves (e2e/start-stack.ts: E2E_ELECTION_ID, or the sidecar's default). */
export const SERVED_ELECTION = process.env.E2E_ELECTION_ID ?? DEFAULT_ELECTION_ID;

/** The served package: specs take names, years and the night from it, never from literals. */
export async function servedPackage() {
  return (await loadShippedElection(SERVED_ELECTION)).package;
}

/** A local time on the served election's night ("23:45"; before noon is the next morning) → the instant. */
export async function nightAt(time: string): Promise<Date> {
  return parseNightTime(time, (await servedPackage()).manifest);
}

interface StackInfo {
  clockStart: string;
  clockControlToken: string;
  operator: { name: string; password: string };
}

export function tokens(): Record<string, string> {
  return JSON.parse(readFileSync('e2e/.artifacts/tokens.json', 'utf8')) as Record<string, string>;
}

export function tokenFor(municipality: string): string {
  const token = tokens()[municipality];
  if (!token) throw new Error(`no e2e token for ${municipality}`);
  return token;
}

function stackInfo(): StackInfo {
  return JSON.parse(readFileSync('e2e/.artifacts/stack.json', 'utf8')) as StackInfo;
}

/** Bearer token for PUT /api/v1/clock. */
export function clockToken(): string {
  return stackInfo().clockControlToken;
}

export function operatorCredentials(): { name: string; password: string } {
  return stackInfo().operator;
}

/** The sidecar's "now": simulated election-night time, not the test machine's. */
export async function sidecarNow(request: APIRequestContext): Promise<Date> {
  const response = await request.get(`${SIDECAR}/api/v1/clock`);
  if (!response.ok()) throw new Error(`GET /api/v1/clock answered ${response.status()}`);
  return new Date(((await response.json()) as { now: string }).now);
}

/** Moves the simulated clock (never backwards) and optionally changes its pace; answers the new now. */
export async function setSidecarClock(request: APIRequestContext, change: { at?: Date; speed?: number }): Promise<Date> {
  const response = await request.put(`${SIDECAR}/api/v1/clock`, {
    headers: { authorization: `Bearer ${clockToken()}` },
    data: { ...(change.at ? { at: change.at.toISOString() } : {}), ...(change.speed !== undefined ? { speed: change.speed } : {}) },
  });
  if (!response.ok()) throw new Error(`PUT /api/v1/clock answered ${response.status()}: ${await response.text()}`);
  return new Date(((await response.json()) as { now: string }).now);
}

/** A report body; without a `countedAt` override, postResult stamps it a minute before the sidecar's now. */
export function resultReport(municipality: string, district: string, overrides: Record<string, unknown> = {}) {
  return {
    municipality,
    district,
    category: district === '0000' ? 'advance' : 'election_day',
    stage: 'preliminary',
    version: 1,
    ballots: { counted: 1500, rejected: 3, blank: 15 },
    votes: { A: 500, H: 600, FRP: 300 },
    ...overrides,
  };
}

export async function postResult(request: APIRequestContext, body: Record<string, unknown> & { municipality: string }) {
  // The sidecar runs on simulated 2023 time and refuses count times in its future.
  const countedAt = body.countedAt ?? new Date((await sidecarNow(request)).getTime() - 60_000).toISOString();
  return request.post(`${SIDECAR}/api/v1/results`, {
    headers: { authorization: `Bearer ${tokenFor(body.municipality)}` },
    data: { ...body, countedAt },
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

/** Signs in at the console's own form, as an operator would; `base` for a stack other than the shared one. */
export async function signInThroughForm(page: Page, credentials: { name: string; password: string }, base = ''): Promise<void> {
  await page.goto(`${base}/ops/logg-inn`);
  await page.getByLabel('Brukernavn').fill(credentials.name);
  await page.getByLabel('Passord').fill(credentials.password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
}
