import { expect, test } from '@playwright/test';
import { loadReplayReference } from '../data/election-package.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';
import { buildReplayPlan } from '../lib/replay/plan.ts';
import { runReplay } from '../replay/runner.ts';
import { SIDECAR, clockToken, documentIsUnchanged, markDocument, ownPorts, tokens, useOwnStack } from './support.ts';

// A stack of its own: the replay steers the sidecar's clock through the night, and counts what it completes.
useOwnStack('replay', ownPorts(50, 'E2E_REPLAY_WEB_PORT', 'E2E_REPLAY_SIDECAR_PORT'));

const REPLAYED = ['1101', '1124', '1127', '3103', '5501', '1506', '3201'];

test('an accelerated replay fills in the overview live', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
  const complete = page.getByTestId('national-complete');
  const before = Number((await complete.innerText()).split(' av ')[0]!.replace(/\D/g, ''));
  const eigersund = page.getByRole('table', { name: /Kommuner som følges spesielt og ikke er ferdige/ }).locator('tr[data-municipality="1101"]');
  await expect(eigersund).toContainText('Venter');
  await markDocument(page);

  const plan = buildReplayPlan(await loadReplayReference(DEFAULT_ELECTION_ID), { name: 'e2e', seed: 'e2e', municipalities: REPLAYED, stages: ['preliminary'] });
  // The replay steers the sidecar's simulated clock, so the night's time advances with it.
  const replay = runReplay({ baseUrl: SIDECAR, plan, tokens: tokens(), clockToken: clockToken(), speed: 'max', concurrency: 4 });

  // Progress is visible while the replay runs, not only at the end.
  await expect(eigersund).toContainText('Telles');
  const result = await replay;
  expect(result.unexpectedAnswers).toEqual([]);
  // Finished, it moves to the folded list of the watchlist's finished municipalities.
  const done = page.locator('details.watch-done');
  await done.locator('summary').click();
  await expect(done.getByRole('table', { name: /ferdig opptalt/ }).locator('tr[data-municipality="1101"]')).toContainText('Ferdig opptalt');
  await expect(complete).toHaveText(new RegExp(`^${before + REPLAYED.length} av 357$`));
  expect(await documentIsUnchanged(page)).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/overview-after-replay.png' });
});
