// The shipped election packages are exactly what `npm run election:build` makes from data/ (reproducible).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ELECTIONS_DIR } from './election-package.ts';

it('npm run election:build rebuilds elections/ byte for byte', { timeout: 120_000 }, async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'valgvakt-elections-'));
  try {
    await promisify(execFile)(path.resolve('node_modules/.bin/tsx'), ['scripts/build-elections.ts', '--out', out]);
    const shipped = (await readdir(ELECTIONS_DIR)).sort();
    expect((await readdir(out)).sort()).toEqual(shipped);
    for (const id of shipped) {
      const files = (await readdir(path.join(ELECTIONS_DIR, id))).sort();
      expect((await readdir(path.join(out, id))).sort(), id).toEqual(files);
      for (const file of files) {
        expect(await readFile(path.join(out, id, file), 'utf8'), `${id}/${file}`).toBe(await readFile(path.join(ELECTIONS_DIR, id, file), 'utf8'));
      }
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
