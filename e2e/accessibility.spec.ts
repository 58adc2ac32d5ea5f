// Automated accessibility checks (axe-core) on the public pages: no serious or critical violations.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const PAGES = [
  { name: 'overview', path: '/' },
  { name: 'municipality', path: '/kommune/0301' },
  { name: 'county', path: '/fylke/46' },
  { name: 'municipality embed', path: '/embed/kommune/0301' },
  { name: 'watchlist embed', path: '/embed/folges' },
];

for (const { name, path } of PAGES) {
  test(`${name} (${path}) has no serious or critical accessibility violations`, async ({ page }) => {
    // axe walks every node: the overview has two tables of 357 and 27 rows.
    test.setTimeout(120_000);
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Let the lazily loaded charts render, so they are checked too.
    await expect(page.locator('.chart--loading')).toHaveCount(0);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(blocking.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  });
}
