/**
 * A storting election, whose seats Valgvakt does not compute: the pages make sense without a council, and
 * seats appear only as a source reports them (POST /api/v1/seats), live, labelled with the source and time.
 * A stack of its own (ports E2E_STORTING_WEB_PORT / E2E_STORTING_SIDECAR_PORT, default E2E_WEB_PORT + 30/31, i.e. 3130/3131).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createStortingPackage, STORTING_TEST_ELECTION } from '../tests/support/storting-package.ts';
import { startOwnStack, type OwnStack } from './own-stack.ts';
import { ownPorts } from './support.ts';

const { web: WEB_PORT, sidecar: SIDECAR_PORT } = ownPorts(30, 'E2E_STORTING_WEB_PORT', 'E2E_STORTING_SIDECAR_PORT');
const SIDECAR = `http://127.0.0.1:${SIDECAR_PORT}`;
const WEB = `http://127.0.0.1:${WEB_PORT}`;

test.describe.configure({ mode: 'serial' });

let stack: OwnStack | undefined;
let removePackage: (() => Promise<void>) | undefined;
let seatsToken = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const made = await createStortingPackage();
  removePackage = made.remove;
  stack = await startOwnStack({ name: 'storting', sidecarPort: SIDECAR_PORT, webPort: WEB_PORT, env: { E2E_PACKAGE_DIR: made.dir } });
  seatsToken = (JSON.parse(await readFile(path.join(stack.dir, 'stack.json'), 'utf8')) as { seatsToken: string }).seatsToken;
});

test.afterAll(async () => {
  await stack?.stop();
  await removePackage?.();
});

async function reportSeats(body: Record<string, unknown>): Promise<number> {
  // The sidecar's own (simulated) time: a report time may not lie in its future.
  const { now } = await (await fetch(`${SIDECAR}/api/v1/clock`)).json() as { now: string };
  const response = await fetch(`${SIDECAR}/api/v1/seats`, {
    method: 'POST', headers: { authorization: `Bearer ${seatsToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reportedAt: now, source: 'valgresultat.no', ...body }),
  });
  return response.status;
}

test('the pages show no council, say seats come from the source, and show them live when reported', async ({ page }) => {
  // Many pages in three languages: 32 s on a busy 2-core machine (stop 26), against the default 30.
  test.setTimeout(90_000);
  await page.goto(`${WEB}/`);
  await expect(page.getByTestId('election-name')).toHaveText(STORTING_TEST_ELECTION.name);
  await expect(page.locator('[data-connection="live"]').first()).toBeAttached();
  const panel = page.getByTestId('reported-seats-panel');
  await expect(panel).toContainText('Valgvakt beregner ikke mandatene i dette valget');
  await expect(page.getByTestId('reported-seats-none')).toHaveText('Ingen mandater rapportert for hele landet ennå.');
  await expect(page.getByRole('table', { name: /Kommunestyrer/ })).toHaveCount(0);

  expect(await reportSeats({ area: 'national', seats: [{ list: 'A', seats: 48 }, { list: 'H', seats: 36, levelling: 3 }] })).toBe(201);
  expect(await reportSeats({ area: '46', final: true, seats: [{ list: 'H', seats: 5 }, { list: 'A', seats: 6 }] })).toBe(201);
  // Without a reload: the overview's delta brings them.
  const national = panel.getByRole('table', { name: /Mandater i hele landet, foreløpige: 84 fordelt, slik valgresultat.no rapporterte dem/ });
  await expect(national).toBeVisible();
  await expect(national.locator('tr[data-party="A"] [data-testid="reported-seats"]')).toHaveText('48');
  await expect(national.locator('tr[data-party="H"]')).toContainText('Høyre');
  await expect(national.getByRole('columnheader', { name: 'Herav utjevning' })).toBeVisible();
  await panel.getByText('Mandater per fylke (1 rapportert)').click();
  await expect(panel.getByRole('table', { name: /Mandater i Vestland, endelige: 11 fordelt/ })).toBeVisible();

  await page.goto(`${WEB}/fylke/46`);
  await expect(page.getByRole('table', { name: /Mandater i Vestland, endelige: 11 fordelt/ })).toBeVisible();
  await expect(page.getByRole('table', { name: /Kommunestyrer i Vestland/ })).toHaveCount(0);
  await page.goto(`${WEB}/fylke/03`);
  await expect(page.getByTestId('reported-seats-none')).toHaveText('Ingen mandater rapportert for Oslo ennå.');

  // A municipality's page: its votes, no council and no seat panel.
  await page.goto(`${WEB}/kommune/4601`);
  await expect(page.getByRole('table', { name: /Oppslutning i Bergen/ })).toBeAttached();
  await expect(page.locator('body')).not.toContainText('Kommunestyre');

  // The same seats in English and nynorsk.
  await page.goto(`${WEB}/en`);
  const english = page.getByTestId('reported-seats-panel');
  await expect(english).toContainText('Valgvakt does not calculate the seats in this election');
  const nationalEn = english.getByRole('table', { name: /^Seats in the whole country, preliminary: 84 allocated, as valgresultat\.no reported them / });
  await expect(nationalEn.getByRole('columnheader', { name: 'Of which levelling' })).toBeVisible();
  await english.getByText('Seats per county (1 reported)').click();
  await expect(english.getByRole('table', { name: /^Seats in Vestland, final: 11 allocated/ })).toBeVisible();
  await page.goto(`${WEB}/nn/fylke/03`);
  await expect(page.getByTestId('reported-seats-none')).toHaveText('Ingen mandat rapportert for Oslo enno.');
});
