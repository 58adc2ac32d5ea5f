// The watchlist is the operators': what a request to add or remove a municipality changes, if anything.
import type { WatchlistChangedPayload } from '../contracts/changes.ts';

export interface WatchState {
  watch: boolean;
  reason: string | null;
}

/**
 * The change an operator's request makes to what is held: null when it changes nothing (so a retried
 * request writes no second log entry). Adding one already watched with a new reason records the new reason;
 * removing one not watched changes nothing.
 */
export function decideWatchChange(held: WatchState, request: { watch: boolean; reason: string }): Pick<WatchlistChangedPayload, 'before' | 'after' | 'reason'> | null {
  const after: WatchState = request.watch ? { watch: true, reason: request.reason } : { watch: false, reason: null };
  if (after.watch === held.watch && after.reason === held.reason) return null;
  if (!request.watch && !held.watch) return null;
  return { before: { watch: held.watch, reason: held.reason }, after, reason: request.reason };
}
