// Databases started as a kept copy (db/seeded-database.ts): the copy holds the migrations and the reference
// data and nothing a database did after; an unreadable embedded copy is forgotten, not trusted; a server copy
// is dropped with its database.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createIngestCredential } from '../../db/credentials.ts';
import { adminQuery } from '../../db/scratch-database.ts';
import { embeddedCopyFile, openSeededDatabase, serverTemplateName, type SeededDatabase } from '../../db/seeded-database.ts';
import type { ReferenceData } from '../../db/reference-data.ts';
import { POSTGRES_ADMIN_URL, TEST_ELECTION_ID, referenceData } from './harness.ts';

const opened: SeededDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

async function open(seeds: readonly ReferenceData[], server: boolean): Promise<SeededDatabase> {
  const database = await openSeededDatabase({ seeds, serverAdminUrl: server ? POSTGRES_ADMIN_URL : undefined });
  opened.push(database);
  return database;
}

const made: ReferenceData[][] = [];
// This file's copies are of seeds no one else uses: removed with it.
afterAll(async () => {
  for (const seeds of made) {
    await rm((await embeddedCopyFile(seeds))!, { force: true });
    await adminQuery(POSTGRES_ADMIN_URL, `DROP DATABASE IF EXISTS ${await serverTemplateName(seeds)}`);
  }
});

/** The test election under a package hash of this run, so that no copy of it exists yet. */
async function seedsOfThisRun(): Promise<ReferenceData[]> {
  const data = await referenceData();
  const seeds = [{ ...data, election: { ...data.election, packageHash: `seeded-database-test-${Date.now()}-${Math.random()}` } }];
  made.push(seeds);
  return seeds;
}

describe.each([['pglite', false], ['postgres', true]] as const)('a seeded database on %s', (_backend, server) => {
  it('starts the second time as the copy the first kept: reference data in, nothing the first wrote', async () => {
    const seeds = await seedsOfThisRun();
    const first = await open(seeds, server);
    expect(first.copied).toBe(false);
    await createIngestCredential(first.database.db, TEST_ELECTION_ID, '0301', 'written after the copy');
    const second = await open(seeds, server);
    expect(second.copied).toBe(true);
    expect(await second.database.db.municipality.count({ where: { electionId: TEST_ELECTION_ID } })).toBe(357);
    expect(await second.database.db.ingestCredential.count()).toBe(0);
    expect(await first.database.db.ingestCredential.count()).toBe(1);
    if (server) {
      const name = new URL(second.databaseUrl!).pathname.slice(1);
      await second.close();
      opened.splice(opened.indexOf(second), 1);
      expect(await adminQuery(POSTGRES_ADMIN_URL, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).toHaveLength(0);
      expect(await adminQuery(POSTGRES_ADMIN_URL, 'SELECT 1 FROM pg_database WHERE datname = $1', [await serverTemplateName(seeds)])).toHaveLength(1);
    }
  });
});

describe('a seeded embedded database', () => {
  it('forgets an unreadable copy and makes a good one', async () => {
    const seeds = await seedsOfThisRun();
    const file = (await embeddedCopyFile(seeds))!;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'not a tarball');
    const first = await open(seeds, false);
    expect(first.copied).toBe(false);
    expect(await first.database.db.municipality.count({ where: { electionId: TEST_ELECTION_ID } })).toBe(357);
    const second = await open(seeds, false);
    expect(second.copied).toBe(true);
  });
});
