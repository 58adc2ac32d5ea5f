// The status map on the overview, as an embed and on the ops board: colours and labels that follow the
// deltas, details on hover, focus and tap, a keyboard path into the municipality pages, the leading-list
// mode, the text alternative, and a phone's width. A stack of its own: the map's order, its list of those behind
// and its legend count every municipality, so another spec's reports would move what these tests measure.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { STATE_STYLES } from '../lib/domain/status-map.ts';
import { documentIsUnchanged, markDocument, operatorCredentials, ownPorts, postResult, resultReport, signInThroughForm, useOwnStack } from './support.ts';

useOwnStack('status-map', ownPorts(58, 'E2E_STATUS_MAP_WEB_PORT', 'E2E_STATUS_MAP_SIDECAR_PORT'));

const DRAMMEN = '3301';
const KAUTOKEINO = '5612';
// Read only: nothing here reports for it.
const EIGERSUND = '1101';
const KRISTIANSUND = '1505';

const shape = (page: Page, number: string) => page.getByTestId('status-map').locator(`a[data-municipality="${number}"]`);

/** Once the clock has moved on, hundreds may be behind: unfold the list before looking for one. */
async function showAllBehind(page: Page): Promise<void> {
  const more = page.getByTestId('status-map-behind').getByRole('button', { name: /^Vis alle \d+ som henger etter$/ });
  if (await more.isVisible()) await more.click();
}

test.describe.configure({ mode: 'serial' });

test('a municipality changes colour and label live, shows its state on focus, and Enter opens its page', async ({ page, request }) => {
  await page.goto('/');
  const drammen = shape(page, DRAMMEN);
  await expect(drammen).toHaveCount(1);
  await markDocument(page);

  // Drammen publishes its advance votes and a district: counting, Høyre ahead.
  expect((await postResult(request, resultReport(DRAMMEN, '0000', { ballots: { counted: 9000, rejected: 5, blank: 60 }, votes: { A: 2500, H: 4000, FRP: 2440 } }))).status()).toBe(201);
  expect((await postResult(request, resultReport(DRAMMEN, '0001', { ballots: { counted: 2000, rejected: 2, blank: 20 }, votes: { A: 600, H: 900, FRP: 480 } }))).status()).toBe(201);
  await expect(drammen).toHaveAttribute('data-state', 'counting');
  await expect(drammen).toHaveAttribute('aria-label', 'Drammen: Telles');
  await expect(drammen.locator('path')).toHaveAttribute('fill', STATE_STYLES.counting.fill);

  // A correction lowers what was published: Drammen is behind, hatched, and in the list of those behind.
  expect((await postResult(request, resultReport(DRAMMEN, '0001', { version: 2, ballots: { counted: 1900, rejected: 2, blank: 20 }, votes: { A: 560, H: 860, FRP: 460 } }))).status()).toBe(201);
  await expect(drammen).toHaveAttribute('data-state', 'regressed');
  await expect(drammen).toHaveAttribute('aria-label', 'Drammen: Korrigert ned');
  await expect(drammen.locator('path')).toHaveAttribute('fill', /^url\(#.+-regressed\)$/);
  const behind = page.getByTestId('status-map-behind');
  await showAllBehind(page);
  await expect(behind.locator(`li[data-municipality="${DRAMMEN}"]`)).toContainText('Korrigert ned');
  await expect(behind.locator(`li[data-municipality="${DRAMMEN}"]`)).toContainText('versjon 2 erstatter versjon 1');
  await expect(page.getByTestId('status-map-legend').locator('li[data-state="regressed"]')).toContainText(/Korrigert ned [1-9]/);
  expect(await documentIsUnchanged(page)).toBe(true);

  // The keyboard path: from the mode switch, Tab reaches the municipalities, those behind first.
  await page.getByRole('radio', { name: 'Status' }).focus();
  await page.keyboard.press('Tab');
  const first = await behind.locator('li').first().getAttribute('data-municipality');
  expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="status-map"]') ? document.activeElement.getAttribute('data-municipality') : null)).toBe(first);
  await expect(page.getByTestId('status-map-tooltip')).toHaveAttribute('data-municipality', first!);

  // Focus on Drammen: its name, state and reason, and what it has counted locally against what is published.
  await drammen.focus();
  const tooltip = page.getByTestId('status-map-tooltip');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText('Drammen');
  await expect(tooltip).toContainText('Korrigert ned');
  await expect(tooltip.getByTestId('state-reason')).toContainText('korrigert: versjon 2 erstatter versjon 1 i krets 0001');
  await expect(tooltip.getByTestId('ledger')).toContainText(/1 av \d+ kretser talt lokalt/);
  await expect(tooltip.getByTestId('ledger')).toContainText('1 publisert');
  await expect(drammen).toHaveAttribute('aria-describedby', (await tooltip.getAttribute('id'))!);
  await page.getByRole('region', { name: 'Kart over kommunene' }).screenshot({ path: 'test-results/screenshots/status-map-desktop.png' });
  await page.keyboard.press('Escape');
  await expect(tooltip).toHaveCount(0);

  await drammen.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/kommune/${DRAMMEN}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Drammen');
});

test('the mode switch colours by the leading list, and hover shows a municipality', async ({ page }) => {
  await page.goto('/');
  const drammen = shape(page, DRAMMEN);
  await expect(drammen).toHaveAttribute('data-state', 'regressed');
  await page.getByRole('radio', { name: 'Største liste' }).check();
  await expect(page.getByTestId('status-map')).toHaveAttribute('data-mode', 'leader');
  await expect(drammen).toHaveAttribute('data-leader', 'H');
  await expect(drammen.locator('path')).toHaveAttribute('fill', '#0065f1');
  await expect(drammen).toHaveAttribute('aria-label', /^Drammen: størst Høyre, [\d,]+\s%; korrigert ned$/);
  const legend = page.getByTestId('status-map-legend');
  await expect(legend.locator('li[data-party="H"]')).toContainText('Høyre');
  await expect(legend.locator('li[data-party=""]')).toContainText('Ingen stemmer talt');
  // Back to states.
  await page.getByRole('radio', { name: 'Status' }).check();
  await expect(drammen.locator('path')).toHaveAttribute('fill', /-regressed\)$/);

  // Hover over a large municipality.
  await shape(page, KAUTOKEINO).hover();
  const tooltip = page.getByTestId('status-map-tooltip');
  await expect(tooltip).toContainText('Kautokeino');
  await expect(tooltip.getByTestId('ledger')).toContainText('kretser talt lokalt');
  await page.mouse.move(0, 0);
  await expect(tooltip).toHaveCount(0);
});

test('focus stays on its municipality while a delta reorders the map', async ({ page, request }) => {
  await page.goto('/');
  // Eigersund is never behind here (waiting), so it sits among the rest by
  // number, after those behind; Kristiansund's number is higher, so when it falls behind it moves up past it.
  const eigersund = shape(page, EIGERSUND);
  const kristiansund = shape(page, KRISTIANSUND);
  await expect(eigersund).toHaveCount(1);
  // Its advance votes too: late in the night a missing advance count alone stalls it.
  expect((await postResult(request, resultReport(KRISTIANSUND, '0000', { ballots: { counted: 4000, rejected: 2, blank: 20 }, votes: { A: 1300, H: 1500, FRP: 1180 } }))).status()).toBe(201);
  expect((await postResult(request, resultReport(KRISTIANSUND, '0001', { ballots: { counted: 3000, rejected: 2, blank: 20 }, votes: { A: 1000, H: 1200, FRP: 778 } }))).status()).toBe(201);
  await expect(kristiansund).toHaveAttribute('data-state', 'counting');
  await eigersund.focus();
  await expect(page.getByTestId('status-map-tooltip')).toContainText('Eigersund');
  const place = () => eigersund.evaluate((a) => [...(a.parentElement?.children ?? [])].indexOf(a));
  const before = await place();

  expect((await postResult(request, resultReport(KRISTIANSUND, '0001', { version: 2, ballots: { counted: 2900, rejected: 2, blank: 20 }, votes: { A: 950, H: 1150, FRP: 778 } }))).status()).toBe(201);
  await expect(kristiansund).toHaveAttribute('data-state', 'regressed');
  expect(await place()).toBe(before + 1);
  await expect(eigersund).toBeFocused();
  await expect(page.getByTestId('status-map-tooltip')).toContainText('Eigersund');
});

test('the shapes come as a static file after the page, in neither its HTML nor its first scripts', async ({ page, request }) => {
  const drammenPath = (JSON.parse(readFileSync('public/municipality-map.json', 'utf8')) as { paths: Record<string, string> }).paths[DRAMMEN]!;
  const html = await (await request.get('/')).text();
  expect(html).not.toContain(drammenPath.slice(0, 40));
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) expect(await (await request.get(src)).text(), src).not.toContain(drammenPath.slice(0, 40));

  const shapes = page.waitForResponse((r) => r.url().endsWith('/municipality-map.json') && r.ok());
  await page.goto('/');
  await shapes;
  await expect(shape(page, DRAMMEN).locator('path')).toHaveAttribute('d', drammenPath);
});

test('the list of those behind shows the first ten and the rest on request', async ({ page, request }) => {
  // Eleven municipalities nothing else here touches (none on the watchlist) fall behind: a correction lowers each.
  const vestland = ['4602', '4611', '4612', '4613', '4614', '4616', '4617', '4618', '4619', '4620', '4623'];
  for (const number of vestland) {
    expect((await postResult(request, resultReport(number, '0001', { ballots: { counted: 100, rejected: 0, blank: 0 }, votes: { A: 50, H: 50 } }))).status()).toBe(201);
    expect((await postResult(request, resultReport(number, '0001', { version: 2, ballots: { counted: 90, rejected: 0, blank: 0 }, votes: { A: 45, H: 45 } }))).status()).toBe(201);
  }
  await page.goto('/');
  const behind = page.getByTestId('status-map-behind');
  // States are judged just after the reports: wait for all eleven to count.
  const listed = async () => Number((await behind.getByRole('heading').innerText()).match(/\((\d+)\)/)?.[1] ?? 0);
  await expect.poll(listed).toBeGreaterThanOrEqual(11);
  await expect(behind.locator('li')).toHaveCount(10);
  await behind.getByRole('button', { name: /^Vis alle \d+ som henger etter$/ }).click();
  await expect.poll(async () => (await behind.locator('li').count()) === (await listed())).toBe(true);
  for (const number of vestland) await expect(behind.locator(`li[data-municipality="${number}"]`)).toContainText('Korrigert ned');
  await behind.getByRole('button', { name: 'Vis færre' }).click();
  await expect(behind.locator('li')).toHaveCount(10);
});

for (const path of ['/', '/embed/kart']) {
  test(`the map on ${path}, with a tooltip open, has no serious or critical accessibility violations`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto(path);
    await shape(page, DRAMMEN).focus();
    await expect(page.getByTestId('status-map-tooltip')).toBeVisible();
    const results = await new AxeBuilder({ page }).include('.status-map-section')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(blocking.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  });
}

test('the skip link leads past the map to its text alternative', async ({ page }) => {
  await page.goto('/');
  const skip = page.getByRole('link', { name: 'Hopp over kartet til listen over kommuner som henger etter' });
  await skip.focus();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status-map-behind').getByRole('heading')).toBeFocused();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });

  test('the lead comes first, the map fits without sideways scrolling, and a tap shows the details before opening', async ({ page }) => {
    await page.goto('/');
    const kautokeino = shape(page, KAUTOKEINO);
    await expect(kautokeino).toHaveCount(1);
    const lead = await page.getByTestId('night-status').boundingBox();
    const map = await page.getByTestId('status-map').boundingBox();
    expect(lead!.y).toBeLessThan(map!.y);
    expect(map!.x).toBeGreaterThanOrEqual(0);
    expect(map!.x + map!.width).toBeLessThanOrEqual(360);

    await kautokeino.scrollIntoViewIfNeeded();
    await kautokeino.tap();
    const tooltip = page.getByTestId('status-map-tooltip');
    await expect(tooltip).toContainText('Kautokeino');
    await expect(page).toHaveURL(/\/$/);
    const box = (await tooltip.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole('region', { name: 'Kart over kommunene' }).screenshot({ path: 'test-results/screenshots/status-map-phone.png' });
    await tooltip.getByRole('link', { name: /^Åpne / }).tap();
    await expect(page).toHaveURL(new RegExp(`/kommune/${KAUTOKEINO}$`));
  });
});

test('the embed shows the live map and its list of those behind, linking out', async ({ page }) => {
  await page.goto('/embed/kart');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Opptellingen i kommunene');
  const drammen = shape(page, DRAMMEN);
  await expect(drammen).toHaveAttribute('data-state', 'regressed');
  await expect(drammen).toHaveAttribute('target', '_blank');
  await showAllBehind(page);
  await expect(page.getByTestId('status-map-behind').locator(`li[data-municipality="${DRAMMEN}"]`)).toBeVisible();
  await expect(page.locator('header, nav')).toHaveCount(0);
});

test('the ops board has the map, folded away, with the board’s states', async ({ page }) => {
  await signInThroughForm(page, operatorCredentials());
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.getByTestId('status-map')).toHaveCount(0);
  await page.getByText('Kart over kommunene', { exact: true }).click();
  const drammen = shape(page, DRAMMEN);
  await expect(drammen).toHaveAttribute('data-state', 'regressed');
  await expect(page.getByRole('radio', { name: 'Største liste' })).toHaveCount(0);
  await drammen.focus();
  await expect(page.getByTestId('status-map-tooltip')).toContainText('Korrigert ned');
  await expect(page.getByTestId('status-map-tooltip').getByTestId('ledger')).toContainText(/^1 av 17 kretser talt lokalt\s*1 publisert/);
  await page.locator('.ops-map').screenshot({ path: 'test-results/screenshots/status-map-ops.png' });
});
