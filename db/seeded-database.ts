// A database migrated and loaded with given elections, started from a copy: tests, end-to-end stacks and
// benchmarks start dozens, and migrating and seeding each one costs 2–5 s on a 2-core machine. The first of
// a kind (the same migrations, the same reference data and, embedded, the same PGlite) is kept — embedded as
// a cluster tarball in node_modules/.cache, on a PostgreSQL server as a template database — and the later
// ones start as a copy of it. Only migrations and reference data are in a copy, never anything of a run.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase, type Database } from './database.ts';
import { clusterCacheFile, keepClusterFile } from './embedded.ts';
import { seedReferenceData, type ReferenceData } from './reference-data.ts';
import { readMigrationList } from './schema-engine.ts';
import { adminQuery, createScratchDatabase } from './scratch-database.ts';

export interface SeededDatabaseOptions {
  /** Reference data to load, in order. A package loaded before (same hash) is not loaded again. */
  seeds: readonly ReferenceData[];
  /** A PostgreSQL server's admin URL: a new database there, named `prefix`_…, dropped by `drop`. Absent: embedded. */
  serverAdminUrl?: string;
  prefix?: string;
  /** Embedded: persist here. A new or empty folder starts as the copy; one with files in it opens as it is. */
  dataDir?: string;
}

export interface SeededDatabase {
  database: Database;
  /** The server database's URL (server only). */
  databaseUrl?: string;
  /** Whether a kept copy was there to start from (false: this call migrated and seeded one, and kept it). */
  copied: boolean;
  /** Closes the database and, on a server, drops it. */
  close(): Promise<void>;
}

/**
 * Names what a copy holds: the reference data, then every migration's SQL and the format of the files. A copy
 * of the same seeds under other migrations is stale: it is removed when the new one is kept.
 */
async function copyKey(seeds: readonly ReferenceData[], format: string): Promise<{ seeds: string; whole: string }> {
  const schema = createHash('sha256').update(format);
  for (const migration of (await readMigrationList()).migrationDirectories) {
    const { content } = migration.migrationFile;
    schema.update(migration.path).update(content.tag === 'ok' ? content.value : '');
  }
  const seedsKey = createHash('sha256').update(JSON.stringify(seeds)).digest('hex').slice(0, 12);
  return { seeds: seedsKey, whole: `${seedsKey}_${schema.digest('hex').slice(0, 12)}` };
}

async function load(database: Database, seeds: readonly ReferenceData[]): Promise<void> {
  for (const seed of seeds) await seedReferenceData(database.db, seed);
}

export async function openSeededDatabase(options: SeededDatabaseOptions): Promise<SeededDatabase> {
  return options.serverAdminUrl ? openOnServer(options.serverAdminUrl, options) : openEmbedded(options);
}

/** Where the embedded copy of these seeds is kept (if the PGlite version is known). */
export async function embeddedCopyFile(seeds: readonly ReferenceData[]): Promise<string | undefined> {
  return clusterCacheFile(`seeded-${(await copyKey(seeds, 'pglite')).whole}`);
}

async function openEmbedded({ seeds, dataDir }: SeededDatabaseOptions): Promise<SeededDatabase> {
  const fresh = !dataDir || (await readdir(dataDir).catch(() => [])).length === 0;
  const file = fresh ? await embeddedCopyFile(seeds) : undefined;
  const copy = file ? await readFile(file).catch(() => undefined) : undefined;
  let database: Database | undefined;
  if (copy) {
    database = await openDatabase({ dataDir, startFrom: copy }).catch(async () => {
      // An unreadable copy: forget it, and start as if there were none.
      await rm(file!, { force: true });
      if (dataDir) for (const entry of await readdir(dataDir)) await rm(path.join(dataDir, entry), { recursive: true, force: true });
      return undefined;
    });
  }
  const copied = Boolean(database);
  database ??= await openDatabase({ dataDir });
  await load(database, seeds);
  if (file && !copied && database.dumpDataDir) {
    await keepClusterFile(file, database.dumpDataDir);
    // The copies of these seeds under earlier migrations.
    const [stem] = path.basename(file).split('_');
    for (const entry of await readdir(path.dirname(file))) {
      if (entry.startsWith(`${stem}_`) && entry !== path.basename(file)) await rm(path.join(path.dirname(file), entry), { force: true });
    }
  }
  const opened = database;
  return { database: opened, copied, close: () => opened.close() };
}

/** The name of the server's template database for these seeds. */
export async function serverTemplateName(seeds: readonly ReferenceData[]): Promise<string> {
  return `valgvakt_seeded_${(await copyKey(seeds, 'postgres')).whole}`;
}

/** The template of this kind on the server, made (migrated, seeded, renamed into place) if there is none; whether it was there. */
async function serverTemplate(adminUrl: string, seeds: readonly ReferenceData[]): Promise<{ template: string; existed: boolean }> {
  const template = await serverTemplateName(seeds);
  const exists = async () => (await adminQuery(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [template])).length > 0;
  if (await exists()) return { template, existed: true };
  const scratch = await createScratchDatabase(adminUrl, 'valgvakt_seeding');
  try {
    const database = await openDatabase({ databaseUrl: scratch.url });
    try {
      await load(database, seeds);
    } finally {
      await database.close();
    }
    // A rename is atomic: a process that finds the template finds it whole. Another may have won the race.
    await adminQuery(adminUrl, `ALTER DATABASE ${scratch.name} RENAME TO ${template}`);
  } catch (error) {
    await scratch.drop();
    if (!(await exists())) throw error;
    return { template, existed: true };
  }
  // Templates of these seeds under earlier migrations are of no further use; one in use stays (the drop fails).
  const stale = `${template.slice(0, template.lastIndexOf('_'))}\\_%`;
  for (const row of await adminQuery(adminUrl, 'SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2', [stale, template])) {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${String(row.datname)}`).catch(() => undefined);
  }
  return { template, existed: false };
}

/**
 * A new database on the server as a copy of the seeded template (made first if there is none), not opened:
 * for a process of its own to open. `drop` removes it.
 */
export async function createSeededServerDatabase(adminUrl: string, seeds: readonly ReferenceData[], prefix = 'valgvakt_test'): Promise<{ url: string; copied: boolean; drop: () => Promise<void> }> {
  const { template, existed } = await serverTemplate(adminUrl, seeds);
  const scratch = await createScratchDatabase(adminUrl, prefix, template);
  return { url: scratch.url, copied: existed, drop: scratch.drop };
}

async function openOnServer(adminUrl: string, { seeds, prefix }: SeededDatabaseOptions): Promise<SeededDatabase> {
  const scratch = await createSeededServerDatabase(adminUrl, seeds, prefix);
  try {
    const database = await openDatabase({ databaseUrl: scratch.url });
    await load(database, seeds);
    return {
      database, databaseUrl: scratch.url, copied: scratch.copied,
      async close() {
        await database.close();
        await scratch.drop();
      },
    };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}
