// The migration that made election.kind and alert_channel.alert_kinds enums converts rows in place: the
// generated SQL dropped and re-added the columns, which would have lost every stored kind.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';

const MIGRATIONS = path.join(import.meta.dirname, '../../prisma/migrations');
const ENUM_MIGRATION = '20261206125853_election_kind_and_channel_alert_kinds';

describe('kind enums migration', () => {
  it('the enum migration converts existing rows in place', async () => {
    const folders = (await readdir(MIGRATIONS)).filter((name) => /^\d+_/.test(name)).toSorted();
    const at = folders.indexOf(ENUM_MIGRATION);
    expect(at).toBeGreaterThan(0);
    const db = await PGlite.create('memory://');
    try {
      const run = async (folder: string) => db.exec(await readFile(path.join(MIGRATIONS, folder, 'migration.sql'), 'utf8'));
      for (const folder of folders.slice(0, at)) await run(folder);
      await db.exec(`
        INSERT INTO election (id, name, election_day, polls_close_at, kind) VALUES ('st', 'S', '2025-09-08', now(), 'storting');
        INSERT INTO alert_channel (name, kind, target, alert_kinds, created_by) VALUES ('Desk', 'webhook', 'https://x', ARRAY['stalled', 'backlog'], 'op');`);
      await run(ENUM_MIGRATION);
      const election = await db.query<{ kind: string }>(`SELECT kind::text AS kind FROM election WHERE id = 'st'`);
      expect(election.rows).toEqual([{ kind: 'storting' }]);
      const channel = await db.query<{ kinds: string[] }>(`SELECT alert_kinds::text[] AS kinds FROM alert_channel`);
      expect(channel.rows).toEqual([{ kinds: ['stalled', 'backlog'] }]);
      await db.exec(`INSERT INTO election (id, name, election_day, polls_close_at) VALUES ('k', 'K', '2027-09-13', now())`);
      const fresh = await db.query<{ kind: string }>(`SELECT kind::text AS kind FROM election WHERE id = 'k'`);
      expect(fresh.rows).toEqual([{ kind: 'municipal' }]);
      await expect(db.exec(`UPDATE alert_channel SET alert_kinds = ARRAY['noisy']::alert_kind[]`)).rejects.toThrow();
    } finally {
      await db.close();
    }
  });
});
