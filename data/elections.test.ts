// The shipped election packages are exactly what `npm run election:build` makes from data/ and
// `npm run election:build-st2025` from the recorded official feed (reproducible).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ELECTIONS_DIR } from './election-package.ts';

// Every file of a package, scenarios/ included, as paths relative to it.
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

it('npm run election:build and election:build-st2025 rebuild elections/ byte for byte', { timeout: 180_000 }, async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'valgvakt-elections-'));
  try {
    for (const script of ['scripts/build-elections.ts', 'scripts/build-election-from-recording.ts']) {
      await promisify(execFile)(path.resolve('node_modules/.bin/tsx'), [script, '--out', out]);
    }
    const shipped = (await readdir(ELECTIONS_DIR)).sort();
    expect((await readdir(out)).sort()).toEqual(shipped);
    for (const id of shipped) {
      const files = await filesUnder(path.join(ELECTIONS_DIR, id));
      expect(await filesUnder(path.join(out, id)), id).toEqual(files);
      for (const file of files) {
        expect(await readFile(path.join(out, id, file), 'utf8'), `${id}/${file}`).toBe(await readFile(path.join(ELECTIONS_DIR, id, file), 'utf8'));
      }
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
