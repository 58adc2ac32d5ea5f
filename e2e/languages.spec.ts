// Bokmål, nynorsk and English: bokmål at the published unprefixed paths, the others under /nn and /en, a
// visible switch whose choice is remembered (a private redirect before the shared cache), embeds in the
// language of their URL, and the console in English. Runs on the shared stack: it only reads, and signs in once.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { operatorCredentials } from './support.ts';

async function expectNoSeriousViolations(page: Page): Promise<void> {
  await expect(page.locator('.chart--loading')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
}

test.describe('languages', () => {
  test('/nn is the overview in nynorsk, with lang="nn"', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/nn');
    await expect(page.locator('html')).toHaveAttribute('lang', 'nn');
    await expect(page.getByRole('heading', { level: 1, name: 'Valresultat direkte' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Kart over kommunane' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /^Følgde spesielt/ })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    // Links stay in the language: a municipality in the table opens its nynorsk page.
    await expect(page.getByRole('table', { name: /Alle kommunar/ }).getByRole('link').first()).toHaveAttribute('href', /^\/nn\/kommune\/\d{4}$/);
    await expectNoSeriousViolations(page);
  });

  test('/en/kommune/0301 is the municipality page in English, title included', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/en/kommune/0301');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1, name: /Oslo/ })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Results', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Voting districts' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'All municipalities' })).toHaveAttribute('href', '/en');
    await expect(page.getByText('Districts counted locally')).toBeVisible();
    await expect(page).toHaveTitle(/Oslo \(0301\)/);
    await expectNoSeriousViolations(page);
  });

  test('/en/kommune/0301: the party table, the seats panel, the exports and the embed snippet in English', async ({ page }) => {
    await page.goto('/en/kommune/0301');
    const parties = page.getByRole('table', { name: /^Shares in Oslo/ });
    for (const header of ['Party', 'Votes', 'Share', 'Change']) await expect(parties.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
    // Oslo has at most one district counted on the shared stack: too early for seats, said in English.
    const seats = page.getByRole('region', { name: /^Municipal council \(\d+ members\)$/ });
    await expect(seats.getByTestId('seats-status')).toContainText('Too early to say. The seats are shown once the advance votes and at least');
    await expect(page.getByRole('region', { name: 'Download the figures' }).getByRole('link', { name: 'CSV – The voting districts, party by party' })).toBeVisible();
    // The snippet embeds the English embed, and its preview link goes there.
    const embed = page.getByRole('region', { name: 'Embed on your own pages' });
    await expect(embed.getByTestId('embed-snippet')).toHaveValue(/src="http:\/\/[^"]+\/en\/embed\/kommune\/0301"/);
    await expect(embed.getByRole('link', { name: 'See what it looks like' })).toHaveAttribute('href', '/en/embed/kommune/0301');
    await expect(embed.getByRole('button', { name: 'Copy the code' })).toBeVisible();
    await expect(seats).not.toContainText(/Mandat|stemme|ennå/);
  });

  test('/nn: the status map\u2019s modes, legend and links in nynorsk', async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto('/nn');
    const modes = page.getByRole('group', { name: 'Farg kommunane etter' });
    await expect(modes.getByRole('radio', { name: 'Status' })).toBeChecked();
    await expect(page.getByTestId('status-map-legend')).toHaveAttribute('aria-label', 'Teiknforklaring');
    // The shapes are plain SVG links: they carry the language's prefix themselves.
    await expect(page.getByTestId('status-map').locator('a[data-municipality]').first()).toHaveAttribute('href', /^\/nn\/kommune\/\d{4}$/);
    await modes.getByRole('radio', { name: 'Største liste' }).check();
    await expect(page.getByTestId('status-map')).toHaveAttribute('data-mode', 'leader');
    await expect(page.getByTestId('status-map').locator('a[data-municipality]').first()).toHaveAttribute('aria-label', /^.+: (størst .+, [\d,]+\s%|ingen røyster talt); [a-zæøå ]+$/);
    // The national party table and the councils table beside the map's section.
    await expect(page.getByRole('table', { name: /^Oppslutnad i alle kommunar som er talt opp/ }).getByRole('columnheader', { name: 'Røyster' })).toBeVisible();
    await expect(page.getByRole('table', { name: /^Kommunestyre:/ }).getByRole('columnheader', { name: 'Mandat', exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Last ned tala' })).toBeVisible();
  });

  test('the switch opens the same page in the other language and is remembered on the next visit to /', async ({ page, context }) => {
    await page.goto('/kommune/0301');
    await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
    const languages = page.getByRole('banner').getByRole('navigation', { name: 'Språk' });
    await expect(languages.getByRole('link', { name: 'Bokmål' })).toHaveAttribute('aria-current', 'true');
    await languages.getByRole('link', { name: 'Nynorsk' }).click();
    await expect(page).toHaveURL(/\/nn\/kommune\/0301$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'nn');
    await expect(page.getByRole('heading', { name: 'Røystekrinsar' })).toBeVisible();
    expect((await context.cookies()).find((c) => c.name === 'NEXT_LOCALE')?.value).toBe('nn');

    await page.goto('/');
    await expect(page).toHaveURL(/\/nn$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Valresultat direkte' })).toBeVisible();

    // Back to bokmål: remembered as well, so the published paths stay bokmål.
    await page.getByRole('banner').getByRole('navigation', { name: 'Språk' }).getByRole('link', { name: 'Bokmål' }).click();
    await expect(page).toHaveURL(/:\d+\/$/);
    await page.goto('/kommune/0301');
    await expect(page).toHaveURL(/:\d+\/kommune\/0301$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
  });

  test('the chosen language redirects privately, and each language is its own shared copy', async ({ request }) => {
    const redirected = await request.get('/kommune/0301', { headers: { cookie: 'NEXT_LOCALE=en' }, maxRedirects: 0 });
    expect(redirected.status()).toBe(307);
    expect(redirected.headers().location).toBe('/en/kommune/0301');
    expect(redirected.headers()['cache-control']).toBe('private, no-store');

    // The published path without a choice: the same shared bokmål copy as always, not varying on cookies.
    const plain = await request.get('/kommune/0301', { maxRedirects: 0 });
    expect(plain.status()).toBe(200);
    expect(plain.headers()['cache-control']).toMatch(/^public/);
    expect(plain.headers().vary ?? '').not.toMatch(/cookie/i);
    expect(await plain.text()).toContain('<html lang="nb"');

    const english = await request.get('/en/kommune/0301', { maxRedirects: 0 });
    expect(english.status()).toBe(200);
    expect(english.headers()['cache-control']).toMatch(/^public/);
    expect(english.headers()['x-valgvakt-page-cache']).toMatch(/^(hit|stale|miss)$/);
    expect(await english.text()).toContain('<html lang="en"');

    // Embeds keep their URL's language whatever the reader chose; /nb/… goes to the published path.
    expect((await request.get('/embed/kommune/0301', { headers: { cookie: 'NEXT_LOCALE=en' }, maxRedirects: 0 })).status()).toBe(200);
    const nb = await request.get('/nb/kommune/0301', { maxRedirects: 0 });
    expect([307, 308]).toContain(nb.status());
    expect(new URL(nb.headers().location ?? '', 'http://x').pathname).toBe('/kommune/0301');
  });

  test('an embed in /en/embed/… is English, and its switch does not touch the reader’s cookie', async ({ page, context }) => {
    test.setTimeout(120_000);
    await page.goto('/en/embed/kommune/0301');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByText('Show as table')).toBeVisible();
    await expect(page.getByTestId('embed-counted')).toContainText('counted');
    await expectNoSeriousViolations(page);
    // A group, not a landmark: the embed adds none to the newsroom's page.
    await expect(page.getByRole('navigation')).toHaveCount(0);
    await page.getByRole('group', { name: 'Language' }).getByRole('link', { name: 'Nynorsk' }).click();
    await expect(page).toHaveURL(/\/nn\/embed\/kommune\/0301$/);
    await expect(page.getByText('Vis som tabell')).toBeVisible();
    expect((await context.cookies()).find((c) => c.name === 'NEXT_LOCALE')).toBeUndefined();
  });

  test('the operations console in English: sign-in, frame and board', async ({ page }) => {
    await page.goto('/en/ops');
    await expect(page).toHaveURL(/\/en\/ops\/logg-inn$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the operations console' })).toBeVisible();
    const { name, password } = operatorCredentials();
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/en\/ops$/);
    await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Alerting' })).toHaveAttribute('href', '/en/ops/varsling');
    await expect(page.getByText(/not complete · \d+ with problems/)).toBeVisible();
    // The panels: the feed's, the transfer queue's and the alerts'.
    await expect(page.getByRole('heading', { level: 1, name: 'Election night: operations' })).toBeVisible();
    await expect(page.getByRole('region', { name: /^Source/ }).getByRole('heading', { level: 2 })).toHaveText(/^Source/);
    await expect(page.getByRole('heading', { level: 2, name: 'Transfer queue' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Alerts', exact: true }).getByRole('heading', { level: 2, name: 'Alerts' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: /^Watched closely \(\d+\)$/ })).toBeVisible();
    await expect(page.getByText('Map of the municipalities', { exact: true })).toBeVisible();

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Alerting' }).click();
    await expect(page).toHaveURL(/\/en\/ops\/varsling$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Alerting' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Channels' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Delivery log' })).toBeVisible();
    const form = page.getByRole('form', { name: 'New channel' });
    await expect(form.getByLabel('Address')).toBeVisible();
    await expect(form.getByRole('button', { name: 'Add channel' })).toBeVisible();

    // The same signed-in operator in nynorsk.
    await page.goto('/nn/ops');
    await expect(page.getByRole('heading', { level: 1, name: 'Valnatta: drift' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Overføringskø' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Varsel', exact: true })).toBeVisible();
    await page.goto('/nn/ops/varsling');
    await expect(page.getByRole('region', { name: 'Kanalar' })).toBeVisible();
    await expect(page.getByRole('form', { name: 'Ny kanal' }).getByLabel('Namn', { exact: true })).toBeVisible();
  });
});
