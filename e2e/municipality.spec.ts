import { expect, test } from '@playwright/test';
import { documentIsUnchanged, markDocument, postResult, resultReport } from './support.ts';

test.describe('municipality page', () => {
  test('shows districts and results, and updates them live when a district reports', async ({ page, request }) => {
    await page.goto('/kommune/0301');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Oslo');
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    const districts = page.getByRole('table', { name: 'Stemmekretser i Oslo' });
    await expect(districts.locator('tbody tr')).toHaveCount(102);
    const vahl = districts.locator('tr[data-district="0101"]');
    await expect(vahl).toContainText('Venter');
    await markDocument(page);

    const response = await postResult(request, resultReport('0301', '0101', { ballots: { counted: 2345, rejected: 2, blank: 45 }, votes: { A: 700, H: 1100, MDG: 500 } }));
    expect(response.status()).toBe(201);
    await expect(vahl).toContainText('Foreløpig');
    await expect(vahl).toContainText('2 345');
    await expect(page.getByTestId('municipality-districts')).toHaveText('1 av 101');
    const parties = page.getByRole('table', { name: /Oppslutning i Oslo/ });
    await expect(parties.locator('tr[data-party="H"]')).toContainText('1 100');
    await expect(page.getByRole('img', { name: /Opptelling over tid: 1 av 101 kretser/ })).toBeVisible();

    // A correction replaces the count in place.
    expect((await postResult(request, resultReport('0301', '0101', { version: 2, ballots: { counted: 2340, rejected: 2, blank: 40 }, votes: { A: 700, H: 1100, MDG: 500 } }))).status()).toBe(201);
    await expect(vahl).toContainText('2 340');
    expect(await documentIsUnchanged(page)).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/municipality-desktop.png', fullPage: false });
  });

  test('says so when a municipality does not exist', async ({ page }) => {
    const response = await page.goto('/kommune/9999');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Fant ikke siden' })).toBeVisible();
  });
});
