// Ingest credentials: bearer tokens scoped to one municipality. Only a SHA-256 of each token is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './client.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a credential and returns the token; it cannot be recovered later. `expiresAt`: wall clock. */
export async function createIngestCredential(
  db: Db, electionId: string, municipalityNumber: string, label: string, expiresAt: Date | null = null,
): Promise<{ token: string; id: number }> {
  const municipality = await db.municipality.findUnique({ where: { electionId_number: { electionId, number: municipalityNumber } }, select: { id: true } });
  if (!municipality) throw new Error(`no municipality ${municipalityNumber} in election ${electionId}`);
  const token = `vv_${municipalityNumber}_${randomBytes(32).toString('base64url')}`;
  const row = await db.ingestCredential.create({ data: { municipalityId: municipality.id, tokenHash: hashToken(token), label, expiresAt } });
  return { token, id: row.id };
}

export interface IngestCredentialListing {
  id: number;
  municipality: string;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Every credential of the election (never the tokens: only their hashes are stored). */
export async function listIngestCredentials(db: Db, electionId: string): Promise<IngestCredentialListing[]> {
  const rows = await db.ingestCredential.findMany({
    where: { municipality: { electionId } },
    orderBy: { id: 'asc' },
    select: { id: true, label: true, createdAt: true, expiresAt: true, revokedAt: true, municipality: { select: { number: true } } },
  });
  return rows.map(({ municipality, ...row }) => ({ ...row, municipality: municipality.number }));
}

/**
 * Revokes a credential. Every sidecar looks tokens up in the database for each request (no cache), so
 * the next request with it is refused on every node.
 */
export async function revokeIngestCredential(db: Db, electionId: string, id: number, now: Date = new Date()): Promise<'revoked' | 'already_revoked' | 'unknown'> {
  const credential = await db.ingestCredential.findFirst({ where: { id, municipality: { electionId } }, select: { revokedAt: true } });
  if (!credential) return 'unknown';
  if (credential.revokedAt) return 'already_revoked';
  await db.ingestCredential.update({ where: { id }, data: { revokedAt: now } });
  return 'revoked';
}

/** One new token for each of the given municipalities (all of the election's when none are named). */
export async function createIngestCredentials(db: Db, electionId: string, label: string, numbers?: string[], expiresAt: Date | null = null): Promise<Record<string, string>> {
  const municipalities = await db.municipality.findMany({
    where: { electionId, ...(numbers ? { number: { in: numbers } } : {}) },
    select: { id: true, number: true },
  });
  const unknown = (numbers ?? []).filter((n) => !municipalities.some((m) => m.number === n));
  if (unknown.length) throw new Error(`no municipality ${unknown.join(', ')} in election ${electionId}`);
  const tokens = municipalities.map((m) => ({ ...m, token: `vv_${m.number}_${randomBytes(32).toString('base64url')}` }));
  await db.ingestCredential.createMany({ data: tokens.map((t) => ({ municipalityId: t.id, tokenHash: hashToken(t.token), label, expiresAt })) });
  return Object.fromEntries(tokens.map((t) => [t.number, t.token]));
}

export interface IngestPrincipal {
  credentialId: number;
  municipalityNumber: string;
  label: string;
}

export async function findIngestPrincipal(db: Db, electionId: string, token: string): Promise<IngestPrincipal | null> {
  return (await findIngestPrincipals(db, electionId, [token])).get(token) ?? null;
}

/** The principals of several tokens in one round trip; unknown, revoked, expired and other elections' tokens are absent. */
export async function findIngestPrincipals(db: Db, electionId: string, tokens: readonly string[]): Promise<Map<string, IngestPrincipal>> {
  const byHash = new Map(tokens.map((token) => [hashToken(token), token]));
  const rows = await db.$queryRaw<Array<{ id: number; label: string; tokenHash: string; number: string }>>`
    SELECT c.id, c.label, c.token_hash AS "tokenHash", m.number
    FROM ingest_credential c JOIN municipality m ON m.id = c.municipality_id
    WHERE c.token_hash = ANY(${[...byHash.keys()]}::text[]) AND c.revoked_at IS NULL AND m.election_id = ${electionId}
      AND (c.expires_at IS NULL OR c.expires_at > now())`;
  // Every row was found by one of byHash's keys.
  return new Map(rows.map((row) => [byHash.get(row.tokenHash)!, { credentialId: row.id, municipalityNumber: row.number, label: row.label }]));
}
