/**
 * The official feed's health in a real browser: the overview's source line follows the watchdog's statuses
 * live (the municipalities' reports → valgresultat.no, last read → the outage warning), and the operators'
 * board shows the feed panel with the one feed_down incident, acknowledged and resolved. A stack of its own
 * (ports E2E_FEED_WEB_PORT / E2E_FEED_SIDECAR_PORT, default E2E_WEB_PORT + 40/41, i.e. 3140/3141): a feed
 * status would change every other spec's source line, and an outage would hold back the stalls ops.spec.ts expects.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startOwnStack, type OwnStack } from './own-stack.ts';
import { nightAt, ownPorts, signInThroughForm } from './support.ts';

const { web: WEB_PORT, sidecar: SIDECAR_PORT } = ownPorts(40, 'E2E_FEED_WEB_PORT', 'E2E_FEED_SIDECAR_PORT');
const SIDECAR = `http://127.0.0.1:${SIDECAR_PORT}`;
const WEB = `http://127.0.0.1:${WEB_PORT}`;

test.describe.configure({ mode: 'serial' });

let stack: OwnStack | undefined;
let info: { seatsToken: string; clockControlToken: string; operator: { name: string; password: string } };

async function postStatus(body: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${SIDECAR}/api/v1/feed-status`, {
    method: 'POST', headers: { authorization: `Bearer ${info.seatsToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      source: 'valgresultat.no', base: 'https://valgresultat.no', election: '2023/k', state: 'ok', intervalSeconds: 15, consecutiveFailures: 0,
      errors: 0, lagSeconds: 42, outageSince: null, unreadable: [], ...body,
    }),
  });
  return response.status;
}

/** "22:15:03" on the served election's night, as an instant. */
async function at(time: string): Promise<string> {
  const [hhmm, seconds = '0'] = [time.slice(0, 5), time.slice(6)];
  return new Date((await nightAt(hhmm)).getTime() + Number(seconds || 0) * 1000).toISOString();
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startOwnStack({ name: 'feed-status', sidecarPort: SIDECAR_PORT, webPort: WEB_PORT });
  info = JSON.parse(await readFile(path.join(stack.dir, 'stack.json'), 'utf8')) as typeof info;
  // The clock stands still at 22:15: the watchdog's statuses below never turn late by themselves.
  const moved = await fetch(`${SIDECAR}/api/v1/clock`, {
    method: 'PUT', headers: { authorization: `Bearer ${info.clockControlToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ at: await at('22:15'), speed: 0 }),
  });
  expect(moved.status).toBe(200);
});

test.afterAll(async () => {
  await stack?.stop();
});

test('the overview says where the numbers come from, and warns live when the feed stops answering', async ({ page }) => {
  await page.goto(`${WEB}/`);
  await expect(page.locator('[data-connection="live"]').first()).toBeAttached();
  const line = page.getByTestId('source-line').first();
  await expect(line).toHaveText('Kilde: kommunenes rapporter');

  expect(await postStatus({ at: await at('22:15:03'), lastPollAt: await at('22:15:03'), lastGoodPollAt: await at('22:15:03') })).toBe(201);
  // Without a reload: the overview's delta carries the source.
  await expect(line).toHaveText('Kilde: valgresultat.no · sist lest 22:15');
  await expect(page.getByTestId('source-warning')).toHaveCount(0);

  const down = { state: 'down', lastPollAt: await at('22:15:33'), lastGoodPollAt: await at('22:15:03'), outageSince: await at('22:15:18'), consecutiveFailures: 2, errors: 357 };
  expect(await postStatus({ ...down, at: await at('22:15:33') })).toBe(201);
  await expect(page.getByTestId('source-warning')).toHaveText('valgresultat.no svarer ikke siden 22:15 — tallene kan være forsinket');
  await expect(page.getByRole('status').filter({ hasText: 'svarer ikke' })).toBeVisible();

  // The municipality page and an embed say the same.
  await page.goto(`${WEB}/kommune/0301`);
  await expect(page.getByTestId('source-line').first()).toContainText('Kilde: valgresultat.no · sist lest 22:15');
  await expect(page.getByTestId('source-warning')).toHaveText('valgresultat.no svarer ikke siden 22:15 — tallene kan være forsinket');
  await page.goto(`${WEB}/embed/kommune/0301`);
  await expect(page.getByTestId('source-warning')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/feed-status-embed.png' });

  // The county page says it too, like the overview and the municipality page.
  await page.goto(`${WEB}/fylke/03`);
  await expect(page.getByTestId('source-line').first()).toContainText('Kilde: valgresultat.no · sist lest 22:15');
  await expect(page.getByTestId('source-warning')).toHaveText('valgresultat.no svarer ikke siden 22:15 — tallene kan være forsinket');

  // On a phone, a newsroom's embed warns on its first screen, above the list, not below it.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${WEB}/embed/folges`);
  await expect(page.getByTestId('source-warning')).toBeInViewport();
  await expect(page.getByTestId('source-warning')).toHaveCount(1);
  await page.goto(`${WEB}/embed/kommune/0301`);
  await expect(page.getByTestId('source-warning')).toBeInViewport();
});

test("the operators' board shows the feed's health and its one incident, acknowledged, then resolved when the feed is back", async ({ page }) => {
  await signInThroughForm(page, info.operator, WEB);
  await expect(page).toHaveURL(/\/ops$/);
  const panel = page.getByRole('region', { name: 'Kilde: valgresultat.no' });
  await expect(panel.getByTestId('feed-health')).toHaveText('Svarer ikke');
  await expect(panel.getByTestId('feed-errors')).toHaveText('357');
  await expect(panel.getByTestId('feed-lag')).toHaveText('42 s');
  await expect(panel.getByTestId('feed-last-good')).toContainText('22:15:03');
  await expect(panel.getByTestId('feed-incident-reason')).toHaveText('valgresultat.no svarer ikke siden 22:15');

  await panel.getByRole('button', { name: 'Kvitter varselet om kilden' }).click();
  const form = panel.getByRole('form', { name: 'Kvitter varselet om kilden' });
  await form.getByLabel('Intern kommentar').fill('Valgdirektoratet varslet');
  await form.getByRole('button', { name: 'Kvitter varsel' }).click();
  await expect(panel.locator('[data-feed-incident]')).toContainText('Kvittert av e2e-operator');
  await expect(panel.locator('[data-feed-incident]')).toContainText('«Valgdirektoratet varslet»');

  // Unreadable paths are listed; the board follows without a reload.
  expect(await postStatus({
    at: await at('22:15:48'), state: 'degraded', lastPollAt: await at('22:15:48'), lastGoodPollAt: await at('22:15:48'), errors: 1,
    unreadable: [{ path: '/2023/k/03/0301', reason: 'HTTP 503' }],
  })).toBe(201);
  await expect(panel.getByTestId('feed-health')).toHaveText('Delvis lesbar');
  await expect(panel.locator('[data-feed-incident]')).toHaveCount(0);
  await expect(panel.getByRole('list', { name: 'Uleselige stier' })).toContainText('/2023/k/03/0301: HTTP 503');
  await page.screenshot({ path: 'test-results/screenshots/feed-status-ops.png' });
});

test("the board's incident says why the feed is out now: a silent watchdog that comes back reporting the feed down", async ({ page }) => {
  const setClock = async (time: string) => {
    const moved = await fetch(`${SIDECAR}/api/v1/clock`, {
      method: 'PUT', headers: { authorization: `Bearer ${info.clockControlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ at: await at(time), speed: 0 }),
    });
    expect(moved.status).toBe(200);
  };
  await setClock('22:30');
  expect(await postStatus({ at: await at('22:30:00'), lastPollAt: await at('22:30:00'), lastGoodPollAt: await at('22:30:00') })).toBe(201);
  await signInThroughForm(page, info.operator, WEB);
  await expect(page).toHaveURL(/\/ops$/);
  const panel = page.getByRole('region', { name: 'Kilde: valgresultat.no' });
  await expect(panel.locator('[data-feed-incident]')).toHaveCount(0);

  // 90 s without a status (3 × 15 s is the limit): the watchdog is silent, and the one incident says so.
  await setClock('22:31:30');
  await expect(panel.getByTestId('feed-incident-reason')).toHaveText('vaktprogrammet har ikke meldt seg siden 22:30 — valgresultat.no kan være utilgjengelig');
  // It comes back: the feed has been down since 22:31. Still one incident, but no longer "has not reported".
  expect(await postStatus({
    at: await at('22:31:30'), state: 'down', lastPollAt: await at('22:31:30'), lastGoodPollAt: await at('22:30:00'), outageSince: await at('22:31:00'),
    consecutiveFailures: 2, errors: 357,
  })).toBe(201);
  await expect(panel.getByTestId('feed-health')).toHaveText('Svarer ikke');
  await expect(panel.locator('[data-feed-incident]')).toHaveCount(1);
  await expect(panel.getByTestId('feed-incident-reason')).toHaveText('valgresultat.no svarer ikke siden 22:31');
});
