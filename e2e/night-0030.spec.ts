/**
 * The replayed 2023 night at 00:30: every page whole at phone, tablet and desktop width, and the 2023 story —
 * Oslo counted far ahead of what is published — on Oslo's page. On a stack of its own (e2e/night.ts).
 */
import { expect, test } from '@playwright/test';
import { useNightStack } from './night.ts';

const { playUntil, findMunicipality, openPage, checkLayout } = useNightStack('night-0030', 12, 'E2E_NIGHT_0030_WEB_PORT', 'E2E_NIGHT_0030_SIDECAR_PORT');

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

