// Helpers for specs: what the stack issued (ingest tokens, clock control token, operator credentials),
// the sidecar's simulated clock, and reports posted exactly as a municipal system would. A spec runs against
// the shared stack (playwright.config.ts) or, with useOwnStack, a stack of its own; the helpers follow the
// stack of the spec that is running.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, type APIRequestContext, type Page } from '@playwright/test';
import { loadShippedElection } from '../data/election-package.ts';
import { parseNightTime } from '../lib/replay/night-time.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';
import { startOwnStack, type OwnStack } from './own-stack.ts';

/** The shared stack's web port; the ports of the specs' own stacks lie above it (ownPorts). */
const BASE_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);
const SHARED = {
  sidecar: `http://127.0.0.1:${process.env.E2E_SIDECAR_PORT ?? 3101}`,
  web: `http://127.0.0.1:${BASE_PORT}`,
  artifacts: 'e2e/.artifacts',
};

// Live bindings: useOwnStack points them at the spec's own stack for its tests, and back afterwards (a
// worker runs one spec file at a time).
export let SIDECAR = SHARED.sidecar;
export let WEB = SHARED.web;
let artifacts = SHARED.artifacts;

/**
 * The ports of a spec's own stack: the named variables if set, else the shared web port plus `offset` (web)
 * and one more (sidecar), so moving E2E_WEB_PORT moves every stack of a run together.
 */
export function ownPorts(offset: number, webVariable: string, sidecarVariable: string): { web: number; sidecar: number } {
  return {
    web: Number(process.env[webVariable] ?? BASE_PORT + offset),
    sidecar: Number(process.env[sidecarVariable] ?? BASE_PORT + offset + 1),
  };
}

/**
 * Runs the calling spec file on a stack of its own (fresh database, own clock, own operator and sign-in
 * budget), so what it seeds or moves reaches no other spec, and it runs in any order and in parallel.
 * Relative URLs, SIDECAR, WEB and the token helpers then mean that stack. Call at the top of the file.
 */
export function useOwnStack(name: string, ports: { web: number; sidecar: number }, env?: Record<string, string>): void {
  let stack: OwnStack | undefined;
  test.use({ baseURL: `http://127.0.0.1:${ports.web}` });
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    stack = await startOwnStack({ name, sidecarPort: ports.sidecar, webPort: ports.web, env });
    SIDECAR = stack.sidecar;
    WEB = stack.web;
    artifacts = stack.dir;
  });
  test.afterAll(async () => {
    SIDECAR = SHARED.sidecar;
    WEB = SHARED.web;
    artifacts = SHARED.artifacts;
    await stack?.stop();
  });
}

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
  return JSON.parse(readFileSync(path.join(artifacts, 'tokens.json'), 'utf8')) as Record<string, string>;
}

export function tokenFor(municipality: string): string {
  const token = tokens()[municipality];
  if (!token) throw new Error(`no e2e token for ${municipality}`);
  return token;
}

function stackInfo(): StackInfo {
  return JSON.parse(readFileSync(path.join(artifacts, 'stack.json'), 'utf8')) as StackInfo;
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
