/**
 * The replayed 2023 night as the public and the press see it, at four moments (22:00, 23:30 with the stall
 * at its worst, 00:30 and the next morning; the layout at the last three): every public page and the
 * operators' console, at phone, tablet and desktop width, has no overlapping or clipped text and no
 * sideways overflow, and the pages tell what the console knows — who
 * is behind and why, counted locally beside published, reasons true now, seats only when they mean
 * something. This spec plays the night into a stack of its own, so it disturbs no other spec.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bin, startOwnStack, type OwnStack } from './own-stack.ts';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { findLayoutProblems, waitForSteadyLayout, type LayoutFinding } from './layout-check.ts';
import { ownPorts, signInThroughForm } from './support.ts';

const { web: WEB_PORT, sidecar: SIDECAR_PORT } = ownPorts(10, 'E2E_NIGHT_WEB_PORT', 'E2E_NIGHT_SIDECAR_PORT');
const SIDECAR = `http://127.0.0.1:${SIDECAR_PORT}`;
const WEB = `http://127.0.0.1:${WEB_PORT}`;
const WIDTHS = [360, 768, 1366] as const;
const PAGES = ['/', '/kommune/0301', '/kommune/4601', '/kommune/4621', '/kommune/1103', '/fylke/46', '/embed/kommune/0301', '/embed/folges', '/embed/kart', '/endringer', '/ops'];

interface Summary {
  number: string; name: string; state: string; stateReason: string; stateSince: string | null; status: string; publicNote: string | null;
  districtsReported: number; districtsTotal: number; districtsCountedLocally: number; ballotsCounted: number; expectedBallots: number;
  ballotsPendingEstimate: number; advanceReported: boolean; advanceCountedLocally: boolean;
}
const BEHIND = new Set(['backlog', 'stalled', 'slow', 'regressed', 'under_review']);

test.describe.configure({ mode: 'serial' });

let dir = '';
let stack: OwnStack | undefined;
let played: string | undefined;




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

/** The viewport a width is checked at: a phone's height below 600 px, a desktop's above. */
const viewportAt = (width: number) => ({ width, height: width < 600 ? 780 : 900 });

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

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startOwnStack({ name: 'night', sidecarPort: SIDECAR_PORT, webPort: WEB_PORT });
  dir = stack.dir;
});

test.afterAll(async () => {
  await stack?.stop();
});

test('22:00: a council is "too early to say" at a few per cent counted', async ({ browser }) => {
  test.setTimeout(120_000);
  await playUntil('22:00');
  const oslo = await findMunicipality('0301');
  expect(oslo.ballotsCounted / oslo.expectedBallots).toBeLessThan(0.4);
  const page = await openPage(browser, 1366, '/kommune/0301');
  await expect(page.getByTestId('seats-status')).toContainText('For tidlig å si');
  await expect(page.getByRole('table', { name: /Mandater i Oslo/ })).toHaveCount(0);
  await expect(page.getByRole('table', { name: /Oppslutning i Oslo/ }).getByRole('columnheader', { name: 'Mandater' })).toHaveCount(0);
  // A chart with nothing to draw says so instead of drawing an empty frame: Voss holds its count.
  const voss = await openPage(browser, 1366, '/kommune/4621');
  await expect(voss.getByTestId('chart-empty').first()).toContainText('ingen stemmer talt ennå');
  await expect(voss.getByRole('img', { name: /Partienes oppslutning i Voss/ })).toHaveCount(0);
});

test('23:30: every page whole at 360, 768 and 1366 px', async ({ browser }) => {
  test.setTimeout(240_000);
  await playUntil('23:30');
  await checkLayout(browser, '23:30');
});

test('23:30: the overview leads with who is behind and why, worst first, on the first screen of a phone and a desktop', async ({ browser }) => {
  const all = await snapshot();
  const behind = all.filter((m) => BEHIND.has(m.state));
  expect(behind.length).toBeGreaterThan(5);
  const worst = behind.toSorted((a, b) => (b.expectedBallots - b.ballotsCounted) - (a.expectedBallots - a.ballotsCounted))[0]!;
  for (const width of [360, 1366]) {
    const page = await openPage(browser, width, '/');
    const lead = page.getByTestId('night-status');
    await expect(lead.getByRole('heading', { level: 2 })).toHaveText(`${behind.length} kommuner henger etter`);
    const first = lead.getByRole('listitem').first();
    await expect(first).toHaveAttribute('data-municipality', worst.number);
    await expect(first.getByTestId('ledger')).toContainText(`${worst.districtsCountedLocally} av ${worst.districtsTotal} kretser talt lokalt`);
    await expect(first.getByTestId('state-reason')).toContainText(worst.stateReason);
    await expect(first.getByTestId('state-reason')).toContainText(/siden kl\. \d\d:\d\d \(/);
    // On the first screen: the heading and the worst municipality are inside the viewport without scrolling.
    const box = await first.boundingBox();
    expect(box && box.y + box.height / 2).toBeLessThan(page.viewportSize()!.height);
    // The full table is one click away and does not lay out every row.
    await expect(page.locator('#all-table tbody tr')).toHaveCount(25);
    await page.getByRole('button', { name: `Vis alle ${all.length}` }).click();
    await expect(page.locator('#all-table tbody tr')).toHaveCount(all.length);
    await page.context().close();
  }
});

test('23:30: a county page leads with its own municipalities behind and why, on a phone\'s first screen', async ({ browser }) => {
  test.setTimeout(120_000);
  if (played !== '23:30') await playUntil('23:30');
  const all = await snapshot() as (Summary & { countyNumber: string })[];
  const vestland = all.filter((m) => m.countyNumber === '46');
  const behind = vestland.filter((m) => BEHIND.has(m.state));
  // Bergen's transfer stalls in 2023: Vestland has someone behind while most of it is counted.
  expect(behind.map((m) => m.number)).toContain('4601');
  const page = await openPage(browser, 360, '/fylke/46');
  const lead = page.getByTestId('night-status');
  await expect(lead.getByRole('heading', { level: 2 })).toHaveText(`${behind.length} ${behind.length === 1 ? 'kommune henger' : 'kommuner henger'} etter`);
  await expect(lead.getByTestId('night-ledger')).toContainText('Vestland:');
  const bergen = lead.locator('[data-municipality="4601"]');
  await expect(bergen.getByTestId('state-reason')).toContainText(vestland.find((m) => m.number === '4601')!.stateReason);
  await expect(lead.getByRole('listitem').first()).toBeInViewport();
  await page.context().close();
});

test('23:30: the watchlist lists those behind first and folds away the finished ones', async ({ browser }) => {
  const page = await openPage(browser, 1366, '/');
  const rows = page.locator('#watchlist-table tbody tr');
  const states = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.status')?.className ?? ''));
  const firstNotBehind = states.findIndex((s) => !/status--(backlog|stalled|slow|regressed|under_review)/.test(s));
  expect(firstNotBehind).toBeGreaterThan(0);
  expect(states.slice(firstNotBehind).every((s) => !/status--(backlog|stalled|slow|regressed|under_review)/.test(s))).toBe(true);
  expect(states.some((s) => s.includes('status--complete'))).toBe(false);
});

test('23:30: Oslo\'s page shows counted locally beside published, districts finished locally as such, and a reason true now', async ({ browser }) => {
  const oslo = await findMunicipality('0301');
  expect(oslo.districtsCountedLocally).toBeGreaterThan(oslo.districtsReported);
  const page = await openPage(browser, 1366, '/kommune/0301');
  await expect(page.getByTestId('municipality-counted-locally')).toHaveText(`${oslo.districtsCountedLocally} av 101`);
  await expect(page.getByTestId('municipality-districts')).toHaveText(`${oslo.districtsReported} av 101`);
  await expect(page.getByTestId('municipality-pending')).toContainText('ca.');
  const reason = page.getByTestId('municipality-status').getByTestId('state-reason');
  await expect(reason).toContainText(oslo.stateReason);
  // The reason counts what is outstanding now and carries no frozen "på 10 min".
  await expect(reason).not.toContainText(/på \d+ min/);
  if (oslo.state === 'backlog') await expect(reason).toContainText(`${oslo.districtsCountedLocally - oslo.districtsReported} kretser ferdig talt lokalt`);
  const districts = page.getByRole('table', { name: 'Stemmekretser i Oslo' });
  // The election-day districts, and the advance unit when it is finished but unpublished too.
  const advanceWaiting = oslo.advanceCountedLocally && !oslo.advanceReported ? 1 : 0;
  await expect(districts.getByRole('cell', { name: /Talt lokalt kl\. \d\d:\d\d, ikke publisert/ })).toHaveCount(oslo.districtsCountedLocally - oslo.districtsReported + advanceWaiting);
});

test('23:30: Oslo\'s embed shows its state, its reason, both ledgers and the public note', async ({ browser, request }) => {
  const stack = JSON.parse(await readFile(path.join(dir, 'stack.json'), 'utf8')) as { operator: { name: string; password: string } };
  const session = await request.post(`${SIDECAR}/api/v1/ops/session`, { data: stack.operator });
  expect(session.status()).toBe(201);
  const { token } = (await session.json()) as { token: string };
  const note = 'Resultatene fra Oslo kommer senere i natt.';
  expect((await request.put(`${SIDECAR}/api/v1/ops/municipalities/0301/oversight`, { headers: { authorization: `Bearer ${token}` }, data: { publicNote: note } })).status()).toBe(200);
  const oslo = await findMunicipality('0301');
  const page = await openPage(browser, 360, '/embed/kommune/0301');
  await expect(page.getByTestId('embed-state')).toContainText(oslo.stateReason);
  await expect(page.getByTestId('ledger')).toContainText(`${oslo.districtsCountedLocally} av 101 kretser talt lokalt`);
  await expect(page.getByRole('note')).toContainText(note);
  const watch = await openPage(browser, 360, '/embed/folges');
  await expect(watch.locator('tr[data-municipality="0301"]').getByRole('note')).toContainText(note);
  // The state shows twice in a row (under the name on a phone, in its column on wider screens).
  await expect(watch.locator('tbody tr').first().locator('.status').first()).toHaveClass(/status--(backlog|stalled|slow|regressed|under_review)/);
});

test('00:30: every page whole at 360, 768 and 1366 px; the 2023 story is on Oslo\'s page', async ({ browser }) => {
  test.setTimeout(240_000);
  await playUntil('00:30');
  await checkLayout(browser, '00:30');
  const oslo = await findMunicipality('0301');
  // "91 of 101 counted, 35,000 published": counted locally is far ahead of what is published.
  expect(oslo.districtsCountedLocally).toBeGreaterThanOrEqual(85);
  expect(oslo.ballotsCounted).toBeLessThan(60_000);
  const page = await openPage(browser, 360, '/kommune/0301');
  await expect(page.getByTestId('municipality-counted-locally')).toHaveText(`${oslo.districtsCountedLocally} av 101`);
});

test('next morning: every page whole at 360, 768 and 1366 px; councils shown once counted', async ({ browser }) => {
  test.setTimeout(300_000);
  await playUntil(null);
  await checkLayout(browser, 'morgen');
  const page = await openPage(browser, 1366, '/kommune/0301');
  await expect(page.getByRole('table', { name: /Mandater i Oslo/ })).toBeVisible();
  await expect(page.getByTestId('seats-status')).not.toContainText('For tidlig å si');
});
