// Operators (operations staff) and their sign-in sessions. Passwords are stored as argon2id hashes; a
// session token carries 256 random bits, so like an ingest token only its SHA-256 is stored.
import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { Prisma, type Db } from './client.ts';
import { hashToken } from './credentials.ts';

export const OPERATOR_NAME_PATTERN = /^[a-z0-9._-]{2,40}$/;
export const MIN_PASSWORD_LENGTH = 12;
/** Bounds the work one sign-in can ask of the hasher. */
export const MAX_PASSWORD_LENGTH = 1024;
export const SESSION_TOKEN_PREFIX = 'vvops_';

// The package's Algorithm is an ambient const enum, which isolatedModules cannot read: 2 is Argon2id.
// The other parameters are the library defaults (19 MiB, 2 passes, 1 lane), OWASP's argon2id minimum.
const HASH_OPTIONS: Options = { algorithm: 2 as Algorithm };

// Verified against when the name is unknown or disabled, so that answer takes as long as a wrong
// password. Hashed at import (off the main thread) with the same options, so its cost matches.
const dummyHash = hash(randomBytes(32).toString('base64url'), HASH_OPTIONS);
dummyHash.catch(() => {});

export class OperatorError extends Error {}

export function checkOperatorName(name: string): string | null {
  return OPERATOR_NAME_PATTERN.test(name) ? null : 'an operator name is 2–40 characters of a–z, 0–9, ".", "_" and "-"';
}

export function checkOperatorPassword(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password has at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

export async function createOperator(db: Db, name: string, password: string): Promise<{ id: number; name: string }> {
  const problem = checkOperatorName(name) ?? checkOperatorPassword(password);
  if (problem) throw new OperatorError(problem);
  if (await db.operator.findUnique({ where: { name }, select: { id: true } })) throw new OperatorError(`operator "${name}" already exists`);
  const passwordHash = await hash(password, HASH_OPTIONS);
  try {
    return await db.operator.create({ data: { name, passwordHash }, select: { id: true, name: true } });
  } catch (error) {
    // Lost a race with another process creating the same name (unique constraint).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new OperatorError(`operator "${name}" already exists`);
    throw error;
  }
}

/** Disables the operator and revokes its open sessions; false when there is no such operator. */
export async function disableOperator(db: Db, name: string, now: Date = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const operator = await tx.operator.findUnique({ where: { name }, select: { id: true, disabledAt: true } });
    if (!operator) return false;
    if (!operator.disabledAt) await tx.operator.update({ where: { id: operator.id }, data: { disabledAt: now } });
    await tx.operatorSession.updateMany({ where: { operatorId: operator.id, revokedAt: null }, data: { revokedAt: now } });
    return true;
  });
}

export interface OperatorListing {
  id: number;
  name: string;
  createdAt: Date;
  disabledAt: Date | null;
}

export async function listOperators(db: Db): Promise<OperatorListing[]> {
  return db.operator.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, createdAt: true, disabledAt: true } });
}

/** The operator when the name and password match an enabled operator; null otherwise, in about the same time. */
export async function verifyOperatorPassword(db: Db, name: string, password: string): Promise<{ id: number; name: string } | null> {
  const operator = await db.operator.findUnique({ where: { name }, select: { id: true, name: true, passwordHash: true, disabledAt: true } });
  const usable = operator && !operator.disabledAt ? operator : null;
  const matches = await verify(usable?.passwordHash ?? (await dummyHash), password).catch(() => false);
  return usable && matches ? { id: usable.id, name: usable.name } : null;
}

export async function createOperatorSession(db: Db, operatorId: number, now: Date, ttlHours = 12): Promise<{ token: string; expiresAt: Date }> {
  const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  // createdAt on the same clock as expiresAt (the sidecar's, simulated during a replay).
  await db.operatorSession.create({ data: { operatorId, tokenHash: hashToken(token), createdAt: now, expiresAt } });
  return { token, expiresAt };
}

export interface SessionOperator {
  operatorId: number;
  name: string;
  sessionId: number;
  expiresAt: Date;
}

/** The session's operator while the session is unexpired and unrevoked and the operator enabled. */
export async function findSessionOperator(db: Db, token: string, now: Date): Promise<SessionOperator | null> {
  if (!token.startsWith(SESSION_TOKEN_PREFIX)) return null;
  const session = await db.operatorSession.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, expiresAt: true, revokedAt: true, operator: { select: { id: true, name: true, disabledAt: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now.getTime() || session.operator.disabledAt) return null;
  return { operatorId: session.operator.id, name: session.operator.name, sessionId: session.id, expiresAt: session.expiresAt };
}

/** Revokes the session; false when it is unknown or was already revoked. */
export async function revokeOperatorSession(db: Db, token: string, now: Date): Promise<boolean> {
  const { count } = await db.operatorSession.updateMany({ where: { tokenHash: hashToken(token), revokedAt: null }, data: { revokedAt: now } });
  return count > 0;
}

/** Of the given sessions, those still valid at `now`: unrevoked, unexpired, their operator enabled. */
export async function listValidSessionIds(db: Db, sessionIds: readonly number[], now: Date): Promise<Set<number>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await db.operatorSession.findMany({
    where: { id: { in: [...sessionIds] }, revokedAt: null, expiresAt: { gt: now }, operator: { disabledAt: null } },
    select: { id: true },
  });
  return new Set(rows.map((row) => row.id));
}
