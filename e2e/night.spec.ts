/**
 * The replayed 2023 night as the public and the press see it at 22:00 and at 23:30, with the stall at its
 * worst: every public page and the operators' console whole at phone, tablet and desktop width, and the pages
 * telling what the console knows — who is behind and why, counted locally beside published, reasons true now,
 * seats only when they mean something. 00:30 and the next morning are night-0030.spec.ts and
 * night-morning.spec.ts; the night's stack and checks are e2e/night.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { BEHIND, useNightStack, type Summary } from './night.ts';

const { SIDECAR, dir, played, playUntil, snapshot, findMunicipality, openPage, checkLayout } = useNightStack('night', 10, 'E2E_NIGHT_WEB_PORT', 'E2E_NIGHT_SIDECAR_PORT');

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
  if (played() !== '23:30') await playUntil('23:30');
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
  const stack = JSON.parse(await readFile(path.join(dir(), 'stack.json'), 'utf8')) as { operator: { name: string; password: string } };
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

