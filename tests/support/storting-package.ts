// A storting election for tests: the rehearsal's municipalities, lists and expected results under kind
// "storting" (no council sizes), in a temporary folder. Shared by the integration tests and the browser specs.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shippedPackageDir } from '../../data/election-package.ts';

export const STORTING_TEST_ELECTION = { id: 'st-proeve', name: 'Prøvevalg – stortingsvalget' } as const;

export async function createStortingPackage(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'valgvakt-storting-'));
  await cp(shippedPackageDir('ko2027-proeve'), dir, { recursive: true });
  await rm(path.join(dir, 'council-sizes.csv'));
  await rm(path.join(dir, 'scenarios'), { recursive: true, force: true });
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  delete manifest.replayScenario;
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, ...STORTING_TEST_ELECTION, kind: 'storting' }));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
