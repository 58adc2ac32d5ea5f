// State transitions found by the state monitor, appended to the change log like any other change, so they
// are ordered, broadcast and replayed after a restart by the same path.
import type { StateChangedPayload } from '../lib/contracts/changes.ts';
import type { Db } from './client.ts';
import { appendChange, lockChangeLog } from './changes.ts';

export async function recordStateChanges(db: Db, electionId: string, changes: StateChangedPayload[], at: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    await lockChangeLog(tx);
    const ids = new Map((await tx.municipality.findMany({ where: { electionId, number: { in: changes.map((c) => c.municipality) } }, select: { id: true, number: true } })).map((m) => [m.number, m.id]));
    let seq = 0n;
    for (const change of changes) {
      seq = await appendChange(tx, { electionId, municipalityId: ids.get(change.municipality)!, kind: 'state.changed', actor: 'system:state-monitor', at, payload: change });
    }
    return Number(seq);
  }, { maxWait: 10_000, timeout: 20_000 });
}
