// Kinds that live in the contract (TypeScript) and as enums of the schema: this keeps the two in step.
// tests/integration/kind-enums-migration.test.ts checks that the migration to the enums kept existing rows.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZElectionKind } from '../../lib/contracts/election.ts';
import { ALERT_KINDS } from '../../lib/contracts/ops.ts';

const PRISMA = path.join(import.meta.dirname, '../../prisma');

async function schema(): Promise<string> {
  return readFile(path.join(PRISMA, 'schema.prisma'), 'utf8');
}

function block(source: string, keyword: 'enum' | 'model', name: string): string {
  const match = new RegExp(`^${keyword} ${name} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(source);
  if (!match?.[1]) throw new Error(`${keyword} ${name} is not in schema.prisma`);
  return match[1];
}

function enumValues(source: string, name: string): string[] {
  return block(source, 'enum', name).split('\n').map((line) => line.trim())
    .filter((line) => /^[a-z_]+$/.test(line)).toSorted();
}

function fieldType(source: string, model: string, field: string): string | undefined {
  return new RegExp(`^\\s+${field}\\s+(\\S+)`, 'm').exec(block(source, 'model', model))?.[1];
}

describe('schema kinds', () => {
  it('ElectionKind holds the contract election kinds, and Election.kind uses it', async () => {
    const source = await schema();
    expect(enumValues(source, 'ElectionKind')).toEqual([...ZElectionKind.options].toSorted());
    expect(fieldType(source, 'Election', 'kind')).toBe('ElectionKind');
  });

  it('AlertKind holds the contract alert kinds, and a channel chooses from it', async () => {
    const source = await schema();
    expect(enumValues(source, 'AlertKind')).toEqual([...ALERT_KINDS].toSorted());
    expect(fieldType(source, 'AlertChannel', 'alertKinds')).toBe('AlertKind[]');
  });
});
