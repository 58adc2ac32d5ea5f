// Prisma's own schema engine, compiled to WebAssembly and driven through the pg driver adapter.
// The native `prisma migrate` downloads an engine binary at run time, which this project cannot rely on;
// the WASM engine keeps the same `_prisma_migrations` bookkeeping, so `prisma migrate deploy` works on
// the same database wherever the CLI is available.
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_PATH = path.join(ROOT, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

let wasmReady: Promise<void> | undefined;

// The package's default entry imports the .wasm as an ES module, which Node 20 rejects; instantiate by hand.
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': glue });
    // WebAssembly exports are untyped; wasm-bindgen's glue defines this one.
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

type EngineLog = (message: string) => void;

/**
 * PrismaPg's executeScript splits a script on every ";", which breaks function bodies and quoted text.
 * Send the script whole instead: the simple-query protocol runs it as one implicit transaction, so a
 * migration is also applied all or nothing.
 */
class WholeScriptPrismaPg extends PrismaPg {
  private readonly opened: Array<{ dispose(): Promise<void> }> = [];

  constructor(private readonly fields: pg.ClientConfig) {
    super({ ...fields, max: 1 });
  }

  override async connect() {
    const adapter = sendScriptsWhole(await super.connect());
    this.opened.push(adapter);
    return adapter;
  }

  /**
   * Closes the engine's connections. The engine holds Prisma's migration advisory lock on its session and
   * frees neither; left open, the lock blocks every other process's migrations (another sidecar starting)
   * until the pool's idle timeout.
   */
  async disposeAll(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((adapter) => adapter.dispose()));
  }

  // PrismaPg's own shadow database is dropped while its pool is still connected, which PostgreSQL refuses;
  // make and drop it here, after the pool is closed.
  override async connectToShadowDb() {
    const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    await runAdminStatement(this.fields, `CREATE DATABASE "${name}"`);
    const adapter = sendScriptsWhole(await new PrismaPg({ ...this.fields, database: name, max: 1 }).connect());
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await runAdminStatement(this.fields, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return adapter;
  }
}

async function runAdminStatement(fields: pg.ClientConfig, sql: string): Promise<void> {
  const client = new pg.Client(fields);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function sendScriptsWhole<T extends { executeScript(script: string): Promise<void>; underlyingDriver(): { query(sql: string): Promise<unknown> } }>(adapter: T): T {
  adapter.executeScript = async (script: string) => {
    await adapter.underlyingDriver().query(script);
  };
  return adapter;
}

async function withEngine<T>(connectionString: string, log: EngineLog, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  await loadWasm();
  const schemaText = await readFile(SCHEMA_PATH, 'utf8');
  // Fields, not a connection string: PrismaPg makes its shadow database by overriding `database`, which pg
  // ignores when a connectionString is given (the shadow would silently be the main database).
  const { host, port, user, password, database } = parseConnectionString(connectionString);
  const factory = new WholeScriptPrismaPg({ host: host ?? undefined, port: port ? Number(port) : undefined, user, password, database: database ?? undefined });
  const engine = await glue.SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schemaText]] }, log, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await run(engine);
  } finally {
    engine.free();
    await factory.disposeAll();
  }
}

export async function readMigrationList(migrationsDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const directories = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/** Applies every migration in prisma/migrations that the database has not seen; returns their names. */
export async function applyMigrations(connectionString: string, log: EngineLog = () => {}): Promise<string[]> {
  const migrationsList = await readMigrationList();
  return withEngine(connectionString, log, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return appliedMigrationNames;
  });
}

/**
 * SQL that takes a database from the schema `previousSchema` (the schema.prisma the last migration was
 * made from; empty for the first) to prisma/schema.prisma. A datamodel-to-datamodel diff needs no shadow
 * database: the WASM engine cannot introspect PostgreSQL's internal "char" type through the pg adapter, so
 * diffing from applied migrations fails. Hand-written SQL in migrations (CHECKs, triggers) is untouched.
 */
export async function diffSchemaFrom(previousSchema: string | null, connectionString: string, log: EngineLog = () => {}): Promise<string> {
  const schemaText = await readFile(SCHEMA_PATH, 'utf8');
  return withEngine(connectionString, log, async (engine) => {
    const result = await engine.diff({
      from: previousSchema === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: previousSchema }] },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schemaText }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  });
}
