// Who an ingest token belongs to, looked up as the read-side twin of the ingest writer's group commit: lookups that arrive while one query is in flight
// are answered together by the next one, so a burst of requests costs a few round trips rather than one
// each. Every caller's query starts after its call, so it sees everything committed before it (a token
// revoked before the request is refused).
import type { Db } from '../../db/client.ts';
import { findIngestPrincipals, type IngestPrincipal } from '../../db/credentials.ts';

/** The ingest token's principal (credential and municipality), or undefined for an unknown or revoked token. */
export function createPrincipalLookup(db: Db, electionId: string): (token: string) => Promise<IngestPrincipal | undefined> {
  return createGroupedLookup((tokens: string[]) => findIngestPrincipals(db, electionId, tokens));
}

export function createGroupedLookup<K, V>(findMany: (keys: K[]) => Promise<Map<K, V>>, maxKeys = 256): (key: K) => Promise<V | undefined> {
  const waiting: Array<{ key: K; resolve: (value: V | undefined) => void; reject: (error: unknown) => void }> = [];
  let busy = false;

  async function drain(): Promise<void> {
    busy = true;
    while (waiting.length > 0) {
      const group = waiting.splice(0, maxKeys);
      try {
        const found = await findMany([...new Set(group.map((w) => w.key))]);
        group.forEach((w) => w.resolve(found.get(w.key)));
      } catch (error) {
        group.forEach((w) => w.reject(error));
      }
    }
    busy = false;
  }

  return (key) =>
    new Promise((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (!busy) void drain();
    });
}
