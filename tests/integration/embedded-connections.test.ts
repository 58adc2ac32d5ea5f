// The embedded database serves several connections at once (the sidecar's roles are separate processes,
// each with its own): one connection's queries never read another's rows, whatever arrives in between.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded.ts';

let embedded: EmbeddedPostgres;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
  const setup = new pg.Client({ connectionString: embedded.connectionString });
  await setup.connect();
  await setup.query('CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL)');
  await setup.end();
});

afterAll(async () => {
  await embedded?.stop();
});

describe('embedded database with several connections', () => {
  it('keeps each connection\'s extended-protocol queries whole while others write in transactions', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: embedded.connectionString, max: 1 }));
    try {
      const answers = await Promise.all(Array.from({ length: 240 }, async (_, i) => {
        const pool = pools[i % 3]!;
        if (i % 3 === 0) {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query('SELECT pg_advisory_xact_lock(1)');
            await client.query('INSERT INTO note (body) VALUES ($1)', ['x'.repeat(i * 100)]);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
          return true;
        }
        const { rows } = await pool.query<{ echoed: number; notes: string }>(
          'SELECT $1::int AS echoed, (SELECT count(*) FROM note)::text AS notes, (SELECT string_agg(body, \',\') FROM note) AS bodies', [i],
        );
        return rows[0]?.echoed === i;
      }));
      expect(answers.filter((ok) => !ok)).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});
