// The leader's alert dispatcher: an outbox driven by the change log. It queues every alert change once
// per matching channel (db/alert-channels.ts: UNIQUE(channel, seq), cursor moved in the same transaction)
// and sends what is due, each channel on its own, with retries on an exponential schedule with jitter.
// Nothing here is on the ingest path: ingest and the board never await it, and a channel that is down only
// grows its own queue.
//
// Once per channel: a change is queued once whoever queues it, and a delivery is claimed with a lease
// before it is sent, so a new leader picks up what its predecessor queued and did not finish. To the wire
// it is at least once: a process that dies after the receiver got the request but before it recorded
// "sent" leaves the delivery to be resent when the lease runs out. Every send carries the delivery's id
// (X-Valgvakt-Delivery, and `deliveryId` in a webhook's body) so a receiver can drop the repeat.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import {
  claimDueDelivery, findAlertChannelRow, listChannelsWithDueDeliveries, markDeliveryFailed, markDeliverySent, queueAlertDeliveries,
  type AlertChange, type AlertChannelRow, type ClaimedDelivery,
} from '../../db/alert-channels.ts';
import { isAlertChangeKind } from '../../lib/contracts/changes.ts';
import { computeRetryDelay, describeAlertChange, matchesChannel, DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from '../../lib/domain/alert-channels.ts';
import type { ElectionReadModel } from '../read-model.ts';
import { PermanentDeliveryError, type AlertSenders, type OutgoingAlert } from './senders.ts';

export interface AlertDispatcher {
  /** Begin queueing and sending (this node leads). */
  start(): void;
  /** Stop; waits for sends in flight to be recorded. */
  stop(): Promise<void>;
  /** New changes may include alerts: queue them now rather than at the next tick. */
  poke(): void;
  /** One full round (queue, then send what is due), awaited: for tests. */
  runOnce(): Promise<void>;
}

export interface AlertDispatcherDeps {
  db: Db;
  electionId: string;
  model: ElectionReadModel;
  senders: AlertSenders;
  logger: Logger;
  /** Wall time: retries are real seconds whatever pace a replay's clock runs at. */
  now?: () => Date;
  random?: () => number;
  schedule?: RetrySchedule;
  /** How often it looks for due deliveries without a poke. */
  tickMs?: number;
  /** How long a claimed delivery is held before another dispatcher may send it (longer than a send's timeout). */
  leaseMs?: number;
  /** Told of every attempt (metrics). */
  onAttempt?: (kind: AlertChannelRow['kind'], outcome: 'sent' | 'retry' | 'failed') => void;
}

export function createAlertDispatcher(deps: AlertDispatcherDeps): AlertDispatcher {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const retrySchedule = deps.schedule ?? DEFAULT_RETRY_SCHEDULE;
  const tickMs = deps.tickMs ?? 1000;
  const leaseMs = deps.leaseMs ?? 30_000;
  const log = deps.logger.child({ component: 'alerts' });
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let again = false;
  /** Channels with a worker sending; one worker per channel keeps a slow one from holding the others. */
  const workers = new Map<number, Promise<void>>();

  function matches(channel: AlertChannelRow, change: AlertChange): boolean {
    const record = deps.model.findRecord(change.payload.municipality);
    if (!record) return false;
    return matchesChannel(channel, { kind: change.payload.alert.kind, countyNumber: record.ref.countyNumber, watch: record.ref.watch });
  }

  function compose(delivery: ClaimedDelivery, change: AlertChange): OutgoingAlert {
    const message = describeAlertChange(change.kind, change.payload.alert, change.at);
    const record = deps.model.findRecord(change.payload.municipality);
    const deliveryId = delivery.id.toString();
    return {
      deliveryId, ...message,
      body: {
        event: change.kind, deliveryId, seq: change.seq, at: change.at, alert: change.payload.alert,
        municipality: record ? { number: record.ref.number, name: record.ref.name, countyNumber: record.ref.countyNumber, countyName: record.ref.countyName, watch: record.ref.watch } : null,
        text: message.text,
      },
    };
  }

  async function sendChannel(channelId: number): Promise<void> {
    const channel = await findAlertChannelRow(deps.db, channelId);
    while (running) {
      const delivery = await claimDueDelivery(deps.db, channelId, now(), leaseMs);
      if (!delivery) return;
      if (!channel || !channel.enabled || !delivery.change) {
        // Disabled since it was queued (or a test row, which is never queued): not sent, and said why.
        await markDeliveryFailed(deps.db, delivery.id, channel?.enabled === false ? 'channel disabled' : 'nothing to send', null);
        continue;
      }
      try {
        await deps.senders.send(channel, compose(delivery, delivery.change));
        await markDeliverySent(deps.db, delivery.id, now());
        deps.onAttempt?.(channel.kind, 'sent');
      } catch (error) {
        const message = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
        const delay = error instanceof PermanentDeliveryError ? null : computeRetryDelay(delivery.attempts, random(), retrySchedule);
        await markDeliveryFailed(deps.db, delivery.id, message, delay === null ? null : new Date(now().getTime() + delay));
        deps.onAttempt?.(channel.kind, delay === null ? 'failed' : 'retry');
        log.warn({ channel: channelId, delivery: delivery.id.toString(), attempts: delivery.attempts, retryInMs: delay, err: message }, 'alert delivery failed');
        // Given up: the channel's next delivery may go now. Else the channel is probably down, and its
        // queue waits behind this one (first in, first out).
        if (delay === null) continue;
        return;
      }
    }
  }

  async function queueAll(): Promise<void> {
    for (;;) {
      const { changes } = await queueAlertDeliveries(deps.db, deps.electionId, matches, now());
      if (changes < 200 || !running) return;
    }
  }

  async function runRound(): Promise<void> {
    await queueAll();
    for (const channelId of await listChannelsWithDueDeliveries(deps.db, now())) {
      if (workers.has(channelId) || !running) continue;
      const worker = sendChannel(channelId)
        .catch((error) => log.error({ err: error, channel: channelId }, 'alert channel worker failed'))
        .finally(() => workers.delete(channelId));
      workers.set(channelId, worker);
    }
  }

  /** One round at a time; a poke during a round causes one more. */
  function trigger(): Promise<void> {
    if (round) {
      again = true;
      return round;
    }
    round = runRound()
      .catch((error) => log.error({ err: error }, 'alert dispatch round failed; retrying at the next tick'))
      .finally(() => {
        round = undefined;
        if (again && running) {
          again = false;
          void trigger();
        }
      });
    return round;
  }

  function scheduleTick(): void {
    if (!running) return;
    timer = setTimeout(() => {
      void trigger().finally(scheduleTick);
    }, tickMs);
    timer.unref();
  }

  return {
    start() {
      if (running) return;
      running = true;
      void trigger();
      scheduleTick();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await round;
      await Promise.all(workers.values());
    },
    poke() {
      if (running) void trigger();
    },
    async runOnce() {
      await trigger();
      await Promise.all(workers.values());
    },
  };
}

/** Whether a batch of folded changes holds an alert change (the dispatcher is poked only then). */
export function hasAlertChange(kinds: Iterable<string>): boolean {
  for (const kind of kinds) if (isAlertChangeKind(kind)) return true;
  return false;
}
