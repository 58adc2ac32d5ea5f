// Operators see the whole stall board, rebuilt after every change and every evaluation. Bursts coalesce
// into one rebuild per event-loop tick, and nothing is built while no operator is connected.
import type { OpsBoard } from '../../lib/contracts/ops.ts';
import { OPS_ROOM, type OpsNamespace } from './namespace.ts';

/** Returns the trigger: call it whenever the board may have changed. */
export function createBoardBroadcast(ops: OpsNamespace, build: () => OpsBoard): () => void {
  let queued = false;
  return () => {
    if (queued || (ops.adapter.rooms.get(OPS_ROOM)?.size ?? 0) === 0) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      // Each node sends its own operators the board it built (local: not through a shared adapter).
      ops.local.to(OPS_ROOM).emit('board:updated', build());
    });
  };
}
