// A node with other writers follows their commits: each notice pokes the change feed, and a slow safety
// poll covers notices lost while the listener reconnects.
import type { ChangeFeed } from '../change-feed.ts';
import type { CommitListener } from './commit-notices.ts';

/** How often a node with other writers looks for changes even without a notice. */
export const SAFETY_POLL_MS = 5000;

export interface CommitFollower {
  /** The newest seq any node said it committed (for the lag metric). */
  newestSeqSeen(): number;
  stop(): Promise<void>;
}

/**
 * `appliedSeq` is the read model's seq: a notice of a commit the model has already applied (this node's own
 * ingest batch, applied as written) needs no read.
 */
export function followCommits(listener: CommitListener | undefined, feed: Pick<ChangeFeed, 'poke'>, startSeq: number, appliedSeq: () => number): CommitFollower {
  let newest = startSeq;
  listener?.start((seq) => {
    if (seq !== null) newest = Math.max(newest, seq);
    if (seq === null || seq > appliedSeq()) feed.poke();
  });
  const safetyPoll = listener ? setInterval(() => feed.poke(), SAFETY_POLL_MS) : undefined;
  safetyPoll?.unref();
  return {
    newestSeqSeen: () => newest,
    async stop() {
      clearInterval(safetyPoll);
      await listener?.stop();
    },
  };
}
