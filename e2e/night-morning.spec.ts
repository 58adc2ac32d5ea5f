/**
 * The replayed 2023 night played to its end, the next morning: every page whole at phone, tablet and desktop
 * width, and councils shown once counted. On a stack of its own (e2e/night.ts).
 */
import { expect, test } from '@playwright/test';
import { useNightStack } from './night.ts';

const { playUntil, openPage, checkLayout } = useNightStack('night-morning', 14, 'E2E_NIGHT_MORNING_WEB_PORT', 'E2E_NIGHT_MORNING_SIDECAR_PORT');

test('next morning: every page whole at 360, 768 and 1366 px; councils shown once counted', async ({ browser }) => {
  test.setTimeout(300_000);
  await playUntil(null);
  await checkLayout(browser, 'morgen');
  const page = await openPage(browser, 1366, '/kommune/0301');
  await expect(page.getByRole('table', { name: /Mandater i Oslo/ })).toBeVisible();
  await expect(page.getByTestId('seats-status')).not.toContainText('For tidlig å si');
});
