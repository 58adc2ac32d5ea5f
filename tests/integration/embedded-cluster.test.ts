// A fresh embedded database is unpacked from a kept pristine cluster instead of running initdb each time
// (db/embedded.ts): what it holds afterwards is the same, a bad copy costs only the time it saves, and an
// existing folder opens with its own data.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../db/embedded.ts';

let folder: string;
let kept: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'valgvakt-cluster-'));
  kept = path.join(folder, 'cache', 'pristine.tar.gz');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function query(connectionString: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const isGzip = async (file: string) => (await readFile(file)).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));

describe('fresh embedded databases from a kept pristine cluster', () => {
  it('keeps the first fresh cluster, unpacks the next from it, and each holds only its own data', async () => {
    const first = await startEmbeddedPostgres({ pristineCluster: kept });
    await query(first.connectionString, 'CREATE TABLE mine (id int)');
    await first.stop();
    expect(await isGzip(kept)).toBe(true);
    const keptAt = (await stat(kept)).mtimeMs;

    // Into a folder: nothing of the first database's, writable, and still there after a restart.
    const dataDir = path.join(folder, 'data');
    const second = await startEmbeddedPostgres({ dataDir, pristineCluster: kept });
    expect((await query(second.connectionString, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'mine'")).rows[0].n).toBe(0);
    await query(second.connectionString, "CREATE TABLE kept_here (body text); INSERT INTO kept_here VALUES ('yes')");
    await second.stop();
    const reopened = await startEmbeddedPostgres({ dataDir, pristineCluster: kept });
    expect((await query(reopened.connectionString, 'SELECT body FROM kept_here')).rows).toEqual([{ body: 'yes' }]);
    await reopened.stop();
    // Unpacking left the kept copy as it was.
    expect((await stat(kept)).mtimeMs).toBe(keptAt);
  });

  it('starts from initdb when the kept copy is unreadable, and keeps a good one in its place', async () => {
    await writeFile(kept, 'not a tarball');
    const dataDir = path.join(folder, 'after-a-bad-copy');
    const database = await startEmbeddedPostgres({ dataDir, pristineCluster: kept });
    expect((await query(database.connectionString, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await database.stop();
    expect(await isGzip(kept)).toBe(true);
  });
});
