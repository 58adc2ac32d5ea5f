// The watchlist is the operators': one adds a municipality with a reason in the console, and a public
// overview and the watchlist embed, open in another browser, show it without a reload; then it is removed.
// Leaves the watchlist as it found it. A stack of its own: while Hamar is on the list, other specs would count
// one municipality too many on it.
import { expect, test } from '@playwright/test';
import { SIDECAR, documentIsUnchanged, markDocument, operatorCredentials, ownPorts, signInThroughForm, useOwnStack } from './support.ts';

useOwnStack('watchlist', ownPorts(56, 'E2E_WATCHLIST_WEB_PORT', 'E2E_WATCHLIST_SIDECAR_PORT'));

// Hamar: not on 2023's list, and nothing here reports for it, so it is still waiting.
const HAMAR = '3403';
const REASON = 'Ny valgleverandør, følges i natt';

test('an operator adds a municipality to the watchlist with a reason; the public pages follow live, and the removal too', async ({ page, browser, request }) => {
  test.setTimeout(60_000);
  const publicContext = await browser.newContext();
  const overview = await publicContext.newPage();
  const embed = await publicContext.newPage();
  await overview.goto('/');
  await embed.goto('/embed/folges');
  const watchHeading = overview.getByRole('heading', { name: /^Følges spesielt \(\d+\)$/ });
  const before = Number((await watchHeading.textContent())!.match(/\((\d+)\)/)![1]);
  const onOverview = overview.getByRole('table', { name: /Kommuner som følges spesielt og ikke er ferdige/ }).locator(`tr[data-municipality="${HAMAR}"]`);
  const inEmbed = embed.locator(`tr[data-municipality="${HAMAR}"]`);
  await expect(onOverview).toHaveCount(0);
  await expect(inEmbed).toHaveCount(0);
  await markDocument(overview);
  await markDocument(embed);

  await signInThroughForm(page, operatorCredentials());
  await expect(page).toHaveURL(/\/ops$/);
  const panel = page.getByRole('region', { name: /^Følges spesielt/ });
  await panel.getByLabel('Kommunenummer').fill(HAMAR);
  await panel.getByLabel('Begrunnelse for å legge til').fill(REASON);
  await panel.getByRole('button', { name: 'Legg til' }).click();
  await expect(panel.getByRole('status')).toHaveText('Hamar følges nå spesielt.');
  await expect(panel.getByRole('heading', { name: `Følges spesielt (${before + 1})` })).toBeVisible();
  await expect(panel.locator(`li[data-municipality="${HAMAR}"]`)).toContainText(REASON);

  // The public pages, in another browser context, follow without a reload.
  await expect(onOverview).toBeVisible();
  await expect(watchHeading).toHaveText(`Følges spesielt (${before + 1})`);
  await expect(inEmbed).toContainText('Hamar');
  expect(await documentIsUnchanged(overview)).toBe(true);
  expect(await documentIsUnchanged(embed)).toBe(true);

  // In the public revision log, with the reason.
  const log = await (await request.get(`${SIDECAR}/api/v1/changes?municipality=${HAMAR}`)).json();
  expect(log.revisions.at(-1)).toMatchObject({ kind: 'watchlist.changed', actor: 'valgmyndighetene', description: `valgmyndighetene: lagt til blant kommunene som følges spesielt (${REASON})` });

  // And off again.
  await panel.getByLabel('Kommune som skal fjernes').selectOption(HAMAR);
  await panel.getByLabel('Begrunnelse for å fjerne').fill('Leverandøren leverer som den skal');
  await panel.getByRole('button', { name: 'Fjern fra listen' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'fjernet' })).toHaveText('Hamar er fjernet fra listen.');
  await expect(onOverview).toHaveCount(0);
  await expect(watchHeading).toHaveText(`Følges spesielt (${before})`);
  await expect(inEmbed).toHaveCount(0);
  expect(await documentIsUnchanged(overview)).toBe(true);
  expect(await documentIsUnchanged(embed)).toBe(true);
  await publicContext.close();
});
