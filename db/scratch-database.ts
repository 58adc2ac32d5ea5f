// A throwaway database on a PostgreSQL server, for tests and benchmarks: created under a random name through
// the server's admin URL, dropped (connections and all) by the returned function.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** One statement through the server's admin URL, on a connection of its own; returns the rows. */
export async function adminQuery(adminUrl: string, sql: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** `template`: a copy of that database (which no one may be connected to) rather than an empty one. */
export async function createScratchDatabase(adminUrl: string, prefix: string, template?: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  if (!/^[a-z_]+$/.test(prefix)) throw new Error(`database name prefix must be lower-case letters and _, got ${prefix}`);
  if (template !== undefined && !/^[a-z0-9_]+$/.test(template)) throw new Error(`template database name must be lower-case letters, digits and _, got ${template}`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: async () => void (await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}
