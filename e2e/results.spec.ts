// Results, seats, the municipality explorer, county pages and embeds, as a reader and a newsroom see them.
import { createServer, type Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { documentIsUnchanged, markDocument, postResult, resultReport, servedPackage, WEB } from './support.ts';

/**
 * A newsroom's site: another origin than the app's (WEB), a real server on the loopback
 * (a page the browser made up would count as public, and Chromium's local-network checks would block its
 * frames for reasons of their own).
 */
const NEWSROOM_PORT = Number(process.env.E2E_NEWSROOM_PORT ?? Number(process.env.E2E_WEB_PORT ?? 3100) + 2);
const NEWSROOM = `http://localhost:${NEWSROOM_PORT}`;
let newsroom: Server;
let articleHtml = '';
test.beforeAll(async () => {
  newsroom = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articleHtml));
  await new Promise<void>((resolve) => newsroom.listen(NEWSROOM_PORT, '127.0.0.1', resolve));
});
test.afterAll(async () => {
  await new Promise((resolve) => newsroom.close(resolve));
});

test.describe('results and seats', () => {
  test('a municipality page shows seats and the change since 2019, provisional, and updates them live', async ({ page, request }) => {
    await page.goto('/kommune/4201');
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    const seats = page.getByRole('table', { name: /Mandater i Risør/ });
    // Nothing counted: no council to show yet, and the page says why.
    await expect(page.getByTestId('seats-status')).toContainText('For tidlig å si');
    await expect(seats).toHaveCount(0);
    await markDocument(page);

    // The advance votes, about two thirds of the ballots expected in Risør: now the council means something.
    expect((await postResult(request, resultReport('4201', '0000', { ballots: { counted: 2400, rejected: 0, blank: 0 }, votes: { A: 800, H: 900, RØDT: 300, V: 300, FRP: 100 } }))).status()).toBe(201);
    await expect(page.getByTestId('seats-status')).toContainText('Foreløpig fordeling');
    await expect(seats.locator('tr[data-party="H"] [data-testid="seats"]')).toHaveText('11');
    await expect(seats.locator('tr[data-party="A"] [data-testid="seats"]')).toHaveText('9');
    // Votes to the next seat are whole votes, with the list that would lose it.
    await expect(seats.locator('tr[data-party="FRP"]')).toContainText(/\d+ stemmer \(fra /);
    const parties = page.getByRole('table', { name: /Oppslutning i Risør/ });
    // Høyre had 29,0 % in 2019 here; now 37,5 %: +8,5 points.
    await expect(parties.locator('tr[data-party="H"] [data-testid="party-change"]')).toHaveText('+8,5 prosentpoeng');
    await expect(page.getByRole('img', { name: /Mandater i Risør: .*Flertall: 15 av 29/ })).toBeVisible();

    // A district that favours Arbeiderpartiet moves a seat, in place.
    expect((await postResult(request, resultReport('4201', '0001', { ballots: { counted: 1500, rejected: 0, blank: 0 }, votes: { A: 1000, H: 300, RØDT: 100, V: 100 } }))).status()).toBe(201);
    await expect(seats.locator('tr[data-party="A"] [data-testid="seats"]')).toHaveText('13');
    // The chart's segments say each list's own seats, in the new order.
    await expect(page.locator('.chart--seats')).toContainText('A 13');
    await expect(page.locator('.chart--seats')).toContainText('H 9');
    // Largest first, left to right.
    expect(await page.locator('.chart--seats').innerText()).toMatch(/A 13[\s\S]*H 9[\s\S]*RØDT 3/);
    expect(await documentIsUnchanged(page)).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/municipality-seats-desktop.png', fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    // Charts re-measure after the resize (ResizeObserver); then nothing may stick out.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/screenshots/municipality-seats-phone.png', fullPage: true });
  });

  test('the same seats and results in English and nynorsk, numbers in the language\u2019s format', async ({ page }) => {
    // Risør as the test before left it: the advance votes and district 0001 counted.
    await page.goto('/en/kommune/4201');
    await expect(page.getByTestId('seats-status')).toContainText('Preliminary allocation on the votes counted so far.');
    const seats = page.getByRole('table', { name: 'Seats in Risør (preliminary)' });
    await expect(seats.getByRole('columnheader', { name: 'To the next seat' })).toBeVisible();
    await expect(seats.locator('tr[data-party="A"] [data-testid="seats"]')).toHaveText('13');
    await expect(seats.locator('tr[data-party="FRP"]')).toContainText(/\d+ votes? \(from /);
    await expect(page.getByRole('img', { name: /^Seats in Risør: .*Majority: 15 of 29\.$/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Count over time: \d+ of \d+ districts and 3,900 votes at \d\d:\d\d\.$/ })).toBeVisible();
    const parties = page.getByRole('table', { name: /^Shares in Risør/ });
    await expect(parties.locator('tr[data-party="A"] td').first()).toHaveText('1,800');
    await expect(parties.locator('tr[data-party="H"] [data-testid="party-change"]')).toHaveText(/^[+-]\d+\.\d percentage points$/);

    await page.goto('/nn/kommune/4201');
    await expect(page.getByTestId('seats-status')).toContainText('Førebels fordeling ut frå røystene som er talt så langt.');
    const nnSeats = page.getByRole('table', { name: 'Mandat i Risør (førebels)' });
    await expect(nnSeats.getByRole('columnheader', { name: 'Margin på siste mandat' })).toBeVisible();
    await expect(nnSeats.locator('tr[data-party="FRP"]')).toContainText(/\d+ røyst(er)? \(frå /);
    await expect(page.getByRole('img', { name: /^Mandat i Risør: .*Fleirtal: 15 av 29\.$/ })).toBeVisible();

    // The county's councils table: English says the singular.
    await page.goto('/en/fylke/42');
    const councils = page.getByRole('table', { name: /^Municipal councils in Agder/ });
    await expect(councils.getByRole('columnheader', { name: 'Largest in' })).toBeVisible();
    await expect(councils.locator('tr[data-party="A"] [data-testid="councils-led"]')).toHaveText('1 municipality');
  });

  test('the municipality table sorts, filters and searches', async ({ page }) => {
    await page.goto('/');
    const table = page.getByRole('table', { name: /Alle kommuner/ });
    await page.getByRole('button', { name: 'Vis alle 357' }).click();
    await expect(table.locator('tbody tr')).toHaveCount(357);
    const firstName = () => table.locator('tbody tr th a').first().innerText();

    // Sorted by name (Norwegian order, Å last); a click reverses it.
    expect(await firstName()).toBe('Alstahaug');
    const nameHeader = table.getByRole('columnheader', { name: /Kommune/ });
    await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
    await nameHeader.getByRole('button').click();
    await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
    expect(await firstName()).toBe('Åsnes');

    // Sort by share counted, most first: Risør (counted in the spec above) comes before the untouched.
    const counted = table.getByRole('columnheader', { name: /Opptalt/ });
    await counted.getByRole('button').click();
    await expect(counted).toHaveAttribute('aria-sort', 'descending');
    await expect(table.locator('tbody tr').first().locator('[data-testid="counted"]')).toHaveText(/^[1-9]/);

    // Filters combine: county, then leading party.
    await page.getByLabel('Fylke', { exact: true }).selectOption({ label: 'Agder' });
    await expect(table.locator('tbody tr')).toHaveCount(25);
    await expect(table.getByRole('caption')).toHaveText('Alle kommuner (25 treff)');
    await page.getByLabel('Største parti').selectOption({ label: 'Arbeiderpartiet' });
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table.locator('tbody tr').first()).toContainText('Risør');
    await page.getByRole('button', { name: 'Nullstill' }).click();
    await expect(table.locator('tbody tr')).toHaveCount(357);

    await page.getByRole('combobox', { name: 'Opptalt' }).selectOption({ label: 'Ingenting talt' });
    await expect(table.locator('tbody tr[data-municipality="4201"]')).toHaveCount(0);
    await page.getByRole('combobox', { name: 'Opptalt' }).selectOption({ label: 'Alle' });

    // Search by number.
    await page.getByLabel('Søk etter kommune, nummer eller fylke').fill('4201');
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table.locator('tbody tr').first()).toContainText('Risør');
  });

  test('a county page rolls up its municipalities, and re-reads the roll-up when one of them reports', async ({ page, request }) => {
    await page.goto('/fylke/42');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Agder');
    await expect(page.getByRole('table', { name: /Kommuner i Agder \(25\)/ }).locator('tbody tr')).toHaveCount(25);
    await expect(page.getByRole('table', { name: /Oppslutning i Agder/ }).locator('tr[data-party="H"]')).toContainText('1 200');
    await expect(page.getByRole('table', { name: /Kommunestyrer i Agder/ }).locator('tr[data-party="A"] [data-testid="councils-led"]')).toHaveText('1 kommune');
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    await markDocument(page);
    expect((await postResult(request, resultReport('4201', '0004', { ballots: { counted: 50, rejected: 0, blank: 0 }, votes: { H: 50 } }))).status()).toBe(201);
    await expect(page.getByRole('table', { name: /Oppslutning i Agder/ }).locator('tr[data-party="H"]')).toContainText('1 250');
    await expect(page.getByTestId('county-ballots')).toHaveText('3 950');
    expect(await documentIsUnchanged(page)).toBe(true);
  });
});

test.describe('embeds', () => {
  test('an embed works in an iframe on a newsroom\'s site, from the copied snippet, and resizes itself', async ({ page }) => {
    await page.goto('/kommune/4201');
    // The snippet names this site's origin once the page knows it (after hydration).
    await expect(page.getByTestId('embed-snippet')).toHaveValue(new RegExp(`src="${WEB.replaceAll('.', '\\.')}/embed/kommune/4201"`));
    const snippet = await page.getByTestId('embed-snippet').inputValue();

    // A newsroom article that pastes the snippet.
    articleHtml = `<!doctype html><html lang="nb"><head><title>Artikkel</title></head><body><h1>Valget i Risør</h1>${snippet}<p>Slutt</p></body></html>`;
    await page.goto(`${NEWSROOM}/artikkel`);
    const frame = page.frameLocator('iframe[src$="/embed/kommune/4201"]');
    const { name } = (await servedPackage()).manifest;
    // The election's name inside a heading, after a colon: its first letter in lower case.
    await expect(frame.getByRole('heading', { name: `Risør: ${name.charAt(0).toLocaleLowerCase('nb')}${name.slice(1)}` })).toBeVisible();
    await expect(frame.getByTestId('embed-counted')).toContainText('foreløpige tall');
    await expect(frame.getByRole('img', { name: /Partienes oppslutning i Risør/ })).toBeVisible();
    // No site chrome inside.
    await expect(frame.getByRole('banner')).toHaveCount(0);
    // The snippet's script applied the height the embed reported.
    // The snippet's script applied the height the embed reported: its content's, below the snippet's 520 px.
    await expect.poll(async () => page.locator('iframe').evaluate((f) => Number.parseInt((f as HTMLIFrameElement).style.height || '0', 10))).toBeGreaterThan(200);
    expect(await page.locator('iframe').evaluate((f) => Number.parseInt((f as HTMLIFrameElement).style.height, 10))).toBeLessThan(520);
    await page.screenshot({ path: 'test-results/screenshots/embed-in-article.png', fullPage: true });
  });

  test('only embeds may be framed; the site itself refuses', async ({ page, request }) => {
    // frame-ancestors is one directive of the page's fuller policy (proxy.ts).
    const frameAncestors = (policy: string | undefined) => policy?.split(/;\s*/).filter((d) => d.startsWith('frame-ancestors'));
    const embed = await request.get('/embed/kommune/4201');
    expect(frameAncestors(embed.headers()['content-security-policy'])).toEqual(['frame-ancestors *']);
    expect(embed.headers()['x-frame-options']).toBeUndefined();
    const site = await request.get('/kommune/4201');
    expect(frameAncestors(site.headers()['content-security-policy'])).toEqual(["frame-ancestors 'none'"]);
    expect(site.headers()['x-frame-options']).toBe('DENY');

    articleHtml = '<!doctype html><html lang="nb"><body>'
      + `<iframe id="embed" src="${WEB}/embed/kommune/4201" title="Innbygging"></iframe>`
      + `<iframe id="site" src="${WEB}/kommune/4201" title="Hele siden"></iframe></body></html>`;
    await page.goto(`${NEWSROOM}/feil`);
    // The embed loads beside it, so the site's empty frame is the browser refusing it, not a broken page.
    await expect(page.frameLocator('#embed').getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.frameLocator('#site').getByRole('heading', { level: 1 })).toHaveCount(0);
  });

  test('the watchlist embed shows the 27 municipalities, those behind first', async ({ page }) => {
    await page.goto('/embed/folges');
    const rows = page.getByRole('table', { name: /Opptelling i 27 kommuner, de som henger etter først/ }).locator('tbody tr');
    await expect(rows).toHaveCount(27);
    await expect(page.getByRole('banner')).toHaveCount(0);
    await page.setViewportSize({ width: 360, height: 700 });
    await page.screenshot({ path: 'test-results/screenshots/embed-watchlist-phone.png', fullPage: true });
  });
});
