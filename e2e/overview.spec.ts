import { expect, test, type WebSocketRoute } from '@playwright/test';
import { documentIsUnchanged, markDocument, postResult, resultReport } from './support.ts';

/** A watchlist municipality no other spec reports for. */
const LILLEHAMMER = '3405';

/** A Socket.IO CONNECT to /live without the session id and offset its connection state recovery uses. */
function withoutRecoverySession(message: string): string {
  const prefix = '40/live,';
  if (!message.startsWith(prefix)) return message;
  const { pid: _pid, offset: _offset, ...auth } = JSON.parse(message.slice(prefix.length)) as Record<string, unknown>;
  return `${prefix}${JSON.stringify(auth)}`;
}

test.describe('overview', () => {
  test('shows every municipality and updates live, without reload, when a report is ingested', async ({ page, request }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Valgresultater direkte' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    const watchlist = page.getByRole('table', { name: /Kommuner som følges spesielt og ikke er ferdige/ });
    await expect(watchlist.locator('tbody tr')).toHaveCount(27);
    // Every municipality is one click away; the page does not lay out 357 rows before that.
    const all = page.getByRole('table', { name: /Alle kommuner \(357 i alt/ });
    await expect(all.locator('tbody tr')).toHaveCount(25);
    await page.getByRole('button', { name: 'Vis alle 357' }).click();
    await expect(all.locator('tbody tr')).toHaveCount(357);

    const fredrikstad = watchlist.locator('tr[data-municipality="3107"]');
    await expect(fredrikstad.getByTestId('districts')).toContainText('0 av');
    const ballotsBefore = await page.getByTestId('national-ballots').innerText();
    // Turnout: the expectation first, then what is counted so far of the electorate (not yet a turnout).
    const turnoutBefore = await page.getByTestId('national-turnout').innerText();
    expect(turnoutBefore).toMatch(/^forventet \d+,\d\s%\s· så langt opptalt: \d+,\d\s% av de stemmeberettigede/);
    await markDocument(page);

    const response = await postResult(request, resultReport('3107', '0000', { ballots: { counted: 20000, rejected: 10, blank: 100 }, votes: { A: 8000, H: 7000, FRP: 4900 } }));
    expect(response.status()).toBe(201);
    await expect(fredrikstad.getByRole('cell').filter({ hasText: 'Telles' })).toBeVisible();
    await expect(fredrikstad.getByTestId('counted')).toContainText('20 000 stemmer');
    // How long since its last result, on the sidecar's clock.
    await expect(fredrikstad).toContainText(/\d+ (s|min) siden/);
    await expect(page.getByTestId('national-ballots')).not.toHaveText(ballotsBefore);
    await expect(page.getByTestId('national-turnout')).not.toHaveText(turnoutBefore);
    expect(await documentIsUnchanged(page)).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/overview-desktop.png', fullPage: false });
  });

  test('after a reconnect the server could not recover, catches up from the seq it holds, without a snapshot, and shows what was reported meanwhile', async ({ page, request }) => {
    // Stand between the page and the sidecar's socket: hold back what the server sends, cut the connection,
    // and make the reconnect unrecoverable (as after a restarted live process) by dropping the session
    // Socket.IO would recover with.
    const routes: Array<{ page: WebSocketRoute; server: WebSocketRoute; deliver: boolean }> = [];
    let catchUps = 0;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      const route = { page: ws, server, deliver: true };
      routes.push(route);
      ws.onMessage((message) => server.send(typeof message === 'string' ? withoutRecoverySession(message) : message));
      server.onMessage((message) => {
        if (typeof message === 'string' && /^43\/live,\d+\[\{"ok":true,"form":"compact"/.test(message)) catchUps += 1;
        if (route.deliver) ws.send(message);
      });
    });
    await page.goto('/');
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    const row = page.getByRole('table', { name: /Kommuner som følges spesielt og ikke er ferdige/ }).locator(`tr[data-municipality="${LILLEHAMMER}"]`);
    await expect(row.getByTestId('districts')).toContainText('0 av');
    await markDocument(page);
    const snapshots: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/snapshot')) snapshots.push(r.url());
    });

    const first = routes.at(-1)!;
    first.deliver = false;
    const response = await postResult(request, resultReport(LILLEHAMMER, '0000', { ballots: { counted: 9000, rejected: 10, blank: 100 }, votes: { A: 4000, H: 3000, SP: 1900 } }));
    expect(response.status()).toBe(201);
    await first.server.close();
    await first.page.close();
    await expect(row.getByTestId('counted')).toContainText('9 000 stemmer');
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    expect(routes.length).toBeGreaterThan(1);
    // Brought level by the sidecar's answer to overview:catch-up, not by a recovered session or a snapshot.
    expect(catchUps).toBe(1);
    expect(snapshots).toEqual([]);
    expect(await documentIsUnchanged(page)).toBe(true);
  });

  test('rejects a bad report with a reason and leaves the page unchanged', async ({ page, request }) => {
    await page.goto('/');
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    const row = page.getByRole('table', { name: 'Kommuner som følges spesielt' }).locator('tr[data-municipality="1103"]');
    const before = await row.innerText();
    const nationalBefore = await page.getByTestId('national-ballots').innerText();
    await markDocument(page);

    const response = await postResult(request, resultReport('1103', '0000', { ballots: { counted: 100, rejected: 0, blank: 0 }, votes: { A: 150 } }));
    expect(response.status()).toBe(422);
    const body = await response.json();
    expect(body.issues).toContainEqual({ field: 'ballots.counted', reason: expect.stringContaining('exceed') });

    // A good report elsewhere proves the page is live; Stavanger's row must still be as it was.
    expect((await postResult(request, resultReport('4601', '0000', { votes: { A: 500, H: 900 } }))).status()).toBe(201);
    await expect(page.getByTestId('national-ballots')).not.toHaveText(nationalBefore);
    expect(await row.innerText()).toBe(before);
    expect(await documentIsUnchanged(page)).toBe(true);
  });

  test('finds a municipality by name and opens its page', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Søk etter kommune, nummer eller fylke').fill('Tromsø');
    const all = page.getByRole('table', { name: /Alle kommuner/ });
    await expect(all.locator('tbody tr')).toHaveCount(1);
    await all.getByRole('link', { name: 'Tromsø' }).click();
    await expect(page).toHaveURL(/\/kommune\/5501$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Tromsø');
    await expect(page.getByTestId('municipality-turnout')).toHaveText(/^forventet \d+,\d\s%\s\(2019: \d+,\d\s%\) · så langt opptalt: \d+,\d\s% av de stemmeberettigede$/);
  });

  test('is usable on a 360 px phone screen', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/screenshots/overview-phone.png', fullPage: false });
  });
});
