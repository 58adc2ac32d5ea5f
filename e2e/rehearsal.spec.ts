/**
 * The 2027 rehearsal package, served next to the default election in one database: the pages call it by its own name (title,
 * header, embed heading), measure change from its comparison year, follow its watchlist, and a replay of
 * some of its municipalities ends with exactly the package's expected results. A stack of its own (ports
 * E2E_REHEARSAL_WEB_PORT / E2E_REHEARSAL_SIDECAR_PORT, default E2E_WEB_PORT + 20/21, i.e. 3120/3121), so it disturbs no
 * other spec.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bin, startOwnStack, type OwnStack } from './own-stack.ts';
import { ownPorts } from './support.ts';
import { expect, test } from '@playwright/test';
import { loadShippedElection } from '../data/election-package.ts';
import { DEFAULT_ELECTION_ID } from '../server/config.ts';

const ELECTION = 'ko2027-proeve';
const OTHER = DEFAULT_ELECTION_ID;
const { web: WEB_PORT, sidecar: SIDECAR_PORT } = ownPorts(20, 'E2E_REHEARSAL_WEB_PORT', 'E2E_REHEARSAL_SIDECAR_PORT');
const SIDECAR = `http://127.0.0.1:${SIDECAR_PORT}`;
const WEB = `http://127.0.0.1:${WEB_PORT}`;
const REPLAYED = ['0301', '1103', '4621'];

test.describe.configure({ mode: 'serial' });

let dir = '';
let stack: OwnStack | undefined;



test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startOwnStack({ name: 'rehearsal', sidecarPort: SIDECAR_PORT, webPort: WEB_PORT, env: { E2E_ELECTION_ID: ELECTION, E2E_ALSO_LOAD: OTHER } });
  dir = stack.dir;
});

test.afterAll(async () => {
  await stack?.stop();
});

test('the pages show the rehearsal under its own name, its comparison year and its watchlist', async ({ page }) => {
  const { package: pkg } = await loadShippedElection(ELECTION);
  const { manifest: other } = (await loadShippedElection(OTHER)).package;
  await page.goto(`${WEB}/`);
  await expect(page).toHaveTitle(`Valgvakt – ${pkg.manifest.name}`);
  await expect(page.getByTestId('election-name')).toHaveText(pkg.manifest.name);
  await expect(page.locator('body')).not.toContainText(String(other.comparisonYear));
  await expect(page.locator('body')).not.toContainText(other.name);
  await expect(page.getByRole('heading', { name: `Følges spesielt (${pkg.initialWatchlist.length})` })).toBeVisible();
  await expect(page.getByRole('table', { name: new RegExp(`Oppslutning i alle opptalte kommuner, endring fra ${pkg.manifest.comparisonYear}`) })).toBeAttached();
  await page.goto(`${WEB}/embed/folges`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Opptelling i kommunene som følges spesielt: prøvevalg – kommunestyrevalget 2027');
  const info = await (await fetch(`${SIDECAR}/api/v1/election`)).json();
  const { name, kind, electionDay, timeZone, comparisonYear } = pkg.manifest;
  expect(info).toEqual({ id: ELECTION, name, kind, electionDay, pollsCloseAt: pkg.pollsCloseAt, timeZone, comparisonYear });
});

test('a replay of the rehearsal ends with its expected results on the municipality pages', async ({ page }) => {
  test.setTimeout(120_000);
  const { package: pkg } = await loadShippedElection(ELECTION);
  const stack = JSON.parse(await readFile(path.join(dir, 'stack.json'), 'utf8')) as { clockControlToken: string };
  const replay = spawn(bin('tsx'), ['scripts/replay.ts', '--url', SIDECAR, '--tokens', path.join(dir, 'tokens.json'), '--clock-token', stack.clockControlToken,
    '--speed', 'max', '--quiet', '--scenario', 'clean', '--municipalities', REPLAYED.join(',')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ELECTION_ID: ELECTION } });
  let output = '';
  replay.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => replay.on('exit', resolve));
  expect(code, output).toBe(0);
  for (const number of REPLAYED) {
    const expected = pkg.replay!.results.get(number)!.votes;
    const detail = await (await fetch(`${SIDECAR}/api/v1/municipalities/${number}`)).json() as { parties: Array<{ code: string; votes: number }> };
    expect(Object.fromEntries(detail.parties.filter((p) => p.votes > 0).map((p) => [p.code, p.votes])), number).toEqual(Object.fromEntries(Object.entries(expected).filter(([, v]) => v > 0)));
  }
  await page.goto(`${WEB}/kommune/0301`);
  await expect(page.locator('[data-connection="live"]').first()).toBeAttached();
  const frp = pkg.replay!.results.get('0301')!.votes.FRP!;
  // Grouped by thousands with whatever space the formatter uses.
  await expect(page.locator('tr[data-party="FRP"]').first()).toContainText(new RegExp(String(frp).replace(/\B(?=(\d{3})+(?!\d))/g, '\\s?')));
  await expect(page.getByRole('table', { name: new RegExp(`Oppslutning i Oslo.*endring fra ${pkg.manifest.comparisonYear}`) })).toBeAttached();
});
