/**
 * The replayed 2023 night, played into a stack of a spec's own through the public API as the counting systems
 * would, and the checks the night specs share: every page at phone, tablet and desktop width without overlapping
 * or clipped text or sideways overflow. The night is three spec files (night.spec.ts: 22:00 and 23:30 with the
 * stall at its worst; night-0030.spec.ts; night-morning.spec.ts), each on a stack of its own, so the three
 * moments run side by side on the test workers rather than one after another in one.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bin, startOwnStack, type OwnStack } from './own-stack.ts';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { findLayoutProblems, waitForSteadyLayout, type LayoutFinding } from './layout-check.ts';
import { ownPorts, signInThroughForm } from './support.ts';

const WIDTHS = [360, 768, 1366] as const;
const PAGES = ['/', '/kommune/0301', '/kommune/4601', '/kommune/4621', '/kommune/1103', '/fylke/46', '/embed/kommune/0301', '/embed/folges', '/embed/kart', '/endringer', '/ops'];

export interface Summary {
  number: string; name: string; state: string; stateReason: string; stateSince: string | null; status: string; publicNote: string | null;
  districtsReported: number; districtsTotal: number; districtsCountedLocally: number; ballotsCounted: number; expectedBallots: number;
  ballotsPendingEstimate: number; advanceReported: boolean; advanceCountedLocally: boolean;
}
export const BEHIND = new Set(['backlog', 'stalled', 'slow', 'regressed', 'under_review']);

/** The viewport a width is checked at: a phone's height below 600 px, a desktop's above. */
const viewportAt = (width: number) => ({ width, height: width < 600 ? 780 : 900 });

export interface Night {
  SIDECAR: string;
  /** Where the stack keeps stack.json (clock token, operator) and tokens.json. */
  dir(): string;
  /** The moment the night has been played to (undefined: not yet, or to the end). */
  played(): string | undefined;
  playUntil(until: string | null): Promise<void>;
  snapshot(): Promise<Summary[]>;
  findMunicipality(number: string): Promise<Summary>;
  openPage(browser: Browser, width: number, url: string): Promise<Page>;
  checkLayout(browser: Browser, moment: string): Promise<void>;
}

/** Runs the calling spec file, in order, on a stack of its own for the night (call at the top of the file). */
export function useNightStack(name: string, portOffset: number, webVariable: string, sidecarVariable: string): Night {
  const { web: WEB_PORT, sidecar: SIDECAR_PORT } = ownPorts(portOffset, webVariable, sidecarVariable);
  const SIDECAR = `http://127.0.0.1:${SIDECAR_PORT}`;
  const WEB = `http://127.0.0.1:${WEB_PORT}`;
  let dir = '';
  let stack: OwnStack | undefined;
  let played: string | undefined;

  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    stack = await startOwnStack({ name, sidecarPort: SIDECAR_PORT, webPort: WEB_PORT });
    dir = stack.dir;
  });

  test.afterAll(async () => {
    await stack?.stop();
  });

  /** Plays the night on from where it stood, through the public API as the counting systems would, to `until`. */
  async function playUntil(until: string | null): Promise<void> {
    const stack = JSON.parse(await readFile(path.join(dir, 'stack.json'), 'utf8')) as { clockControlToken: string };
    const args = ['tsx', 'scripts/replay.ts', '--url', SIDECAR, '--tokens', path.join(dir, 'tokens.json'), '--clock-token', stack.clockControlToken, '--speed', 'max', '--quiet'];
    if (until) args.push('--until', until);
    if (played) args.push('--after', played);
    const replay = spawn(bin('tsx'), args.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    replay.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => replay.on('exit', resolve));
    expect(code, `replay to ${until ?? 'the end'} exited ${code}:\n${output}`).toBe(0);
    played = until ?? undefined;
    // Let the stall monitor judge the new position of the clock.
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }

  async function snapshot(): Promise<Summary[]> {
    return ((await (await fetch(`${SIDECAR}/api/v1/snapshot`)).json()) as { municipalities: Summary[] }).municipalities;
  }

  async function findMunicipality(number: string): Promise<Summary> {
    const m = (await snapshot()).find((s) => s.number === number);
    if (!m) throw new Error(`no municipality ${number}`);
    return m;
  }

  async function openPage(browser: Browser, width: number, url: string): Promise<Page> {
    const context = await browser.newContext({ viewport: viewportAt(width), locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
    const page = await context.newPage();
    if (url.startsWith('/ops')) {
      // The console as an operator sees it, signed in through its own form.
      const { operator } = JSON.parse(await readFile(path.join(dir, 'stack.json'), 'utf8')) as { operator: { name: string; password: string } };
      await signInThroughForm(page, operator, WEB);
      await page.waitForURL(`${WEB}/ops`);
    }
    await page.goto(`${WEB}${url}`);
    // Live pages say so once their socket is up; the revision log is a plain page. Right after the replay has
    // played the rest of the night at full speed the machine is busy: the overview took over 10 s (CI, stop 27).
    if (!url.startsWith('/endringer')) await expect(page.locator('[data-connection="live"]').first()).toBeAttached({ timeout: 30_000 });
    return page;
  }

  /**
   * Every page at every width: no findings, and a screenshot of each to look at. The layout is CSS over one
   * document, so each page loads once and is resized to every width (the charts re-measure themselves), rather
   * than loaded afresh per width.
   */
  async function checkLayout(browser: Browser, moment: string): Promise<void> {
    const problems: string[] = [];
    for (const url of PAGES) {
      const page = await openPage(browser, WIDTHS[0], url);
      // Charts and the map load after the page: wait for them before measuring.
      await page.waitForLoadState('networkidle');
      for (const width of WIDTHS) {
        await page.setViewportSize(viewportAt(width));
        await waitForSteadyLayout(page);
        if (!url.startsWith('/endringer')) await expect(page.locator('[data-connection="live"]').first()).toBeAttached();
        const findings: LayoutFinding[] = await findLayoutProblems(page);
        problems.push(...findings.map((f) => `${moment} ${width}px ${url}: ${f.kind}: ${f.what}`));
        await page.screenshot({ path: `test-results/night/${moment.replace(':', '')}-${width}${url.replaceAll('/', '_')}.png` });
      }
      await page.context().close();
    }
    expect(problems).toEqual([]);
  }

  return { SIDECAR, dir: () => dir, played: () => played, playUntil, snapshot, findMunicipality, openPage, checkLayout };
}
