// The change log's kinds live twice: as the contract's discriminated union (TypeScript) and as the CHECK
// change_log_kind_valid (the database, text since the kinds hold dots). This keeps the two in step.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZChangeEntry } from '../../lib/contracts/changes.ts';

const MIGRATION = path.join(import.meta.dirname, '../../prisma/migrations/20261206063404_change_log_and_alert_kinds/migration.sql');

function contractKinds(): string[] {
  return ZChangeEntry.options.flatMap((option) => {
    const kind = option.shape.kind;
    return 'options' in kind ? [...kind.options] : [kind.value];
  }).toSorted();
}

describe('change-log kinds', () => {
  it('the database CHECK allows exactly the contract kinds', async () => {
    const sql = await readFile(MIGRATION, 'utf8');
    const check = /CONSTRAINT "change_log_kind_valid" CHECK \("kind" IN \(([^)]*)\)\)/.exec(sql);
    expect(check).not.toBeNull();
    const listed = [...(check?.[1] ?? '').matchAll(/'([^']+)'/g)].map((match) => match[1]).toSorted();
    expect(listed).toEqual(contractKinds());
  });
});
