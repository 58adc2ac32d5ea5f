// What only the leader does: send deltas through a shared adapter and record states and alerts. A new
// leader first reads everything the previous one wrote, then sends deltas (resending what its predecessor
// may not have sent) and records states; losing leadership stops both at once.
import type { Logger } from 'pino';
import type { ChangeFeed } from '../change-feed.ts';
import type { Leadership } from './leadership.ts';

export interface LeaderDutiesDeps {
  leadership: Leadership;
  /** Elected among nodes (false: this node alone, the leader from the start with a level model). */
  elected: boolean;
  feed: Pick<ChangeFeed, 'waitFor'>;
  /** The newest seq in the change log (what the previous leader wrote). */
  findLatestSeq: () => Promise<number>;
  logger: Logger;
}

/** The parts that act on leadership, which exist only once the HTTP server does. */
export interface LeaderParts {
  live: { lead(): Promise<void>; follow(): void };
  /** Runs once the new leader records (the stall monitor's first evaluation). */
  evaluate?: () => Promise<unknown>;
  /** Told when this node starts recording (the alert dispatcher starts). */
  onRecording?: () => void;
  /** Told when this node stops leading (the alert dispatcher stops). */
  onFollowing?: () => void;
}

export interface LeaderDuties {
  /** Whether this node records states, alerts and incidents now. */
  isRecording(): boolean;
  /** Takes up the duties if this node leads already, and follows leadership from now on. */
  start(parts: LeaderParts): Promise<void>;
}

export function createLeaderDuties(deps: LeaderDutiesDeps): LeaderDuties {
  // The sole node records from the start; an elected one only once it has caught up as leader.
  let recording = !deps.elected;

  async function takeOver(parts: LeaderParts): Promise<void> {
    await deps.feed.waitFor(await deps.findLatestSeq());
    if (!deps.leadership.isLeader()) return;
    await parts.live.lead();
    if (!deps.leadership.isLeader()) return;
    recording = true;
    parts.onRecording?.();
    await parts.evaluate?.();
  }

  return {
    isRecording: () => recording,
    async start(parts) {
      deps.leadership.onChange((leader) => {
        if (leader) {
          takeOver(parts).catch((error) => deps.logger.error({ err: error }, 'taking over as leader failed'));
          return;
        }
        recording = false;
        parts.onFollowing?.();
        parts.live.follow();
      });
      // The sole node leads from the start (its model is level); an elected one may have won while loading.
      if (!deps.elected) {
        await parts.live.lead();
        parts.onRecording?.();
      } else if (deps.leadership.isLeader()) await takeOver(parts);
    },
  };
}
