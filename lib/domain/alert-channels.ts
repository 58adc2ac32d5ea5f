// Pure rules of alert delivery: which channel hears of which alert change, when a failed delivery is
// retried, what a webhook signs, and the words of Slack messages and e-mails (Bokmål).
import type { AlertChangeKind } from '../contracts/changes.ts';
import type { Alert, AlertKind } from '../contracts/ops.ts';
import { formatClockShort } from '../format.ts';
import { STATE_NAMES } from './revision.ts';

export interface ChannelFilter {
  alertKinds: readonly string[];
  scope: string;
  enabled: boolean;
}

export interface AlertSubject {
  kind: AlertKind;
  countyNumber: string;
  /** On the watchlist when the change is queued. */
  watch: boolean;
}

/** Whether a channel takes an alert change: enabled, of a kind it asked for (none named: all), in its scope. */
export function matchesChannel(channel: ChannelFilter, subject: AlertSubject): boolean {
  if (!channel.enabled) return false;
  if (channel.alertKinds.length > 0 && !channel.alertKinds.includes(subject.kind)) return false;
  if (channel.scope === 'all') return true;
  if (channel.scope === 'watchlist') return subject.watch;
  const county = /^county:(\d{2})$/.exec(channel.scope);
  return county !== null && county[1] === subject.countyNumber;
}

export interface RetrySchedule {
  /** Delay before the second attempt. */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
  /** Attempts in all, the first included; after the last one the delivery has failed. */
  maxAttempts: number;
}

/** ~1 s, 2 s, 4 s … up to 5 min, 12 attempts: an hour or so of trying, so a channel down for a while catches up. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { baseMs: 1000, maxMs: 5 * 60_000, maxAttempts: 12 };

/**
 * Delay after the `attempts`-th failed attempt (1-based): exponential, capped, with "equal jitter" (half
 * fixed, half random from `random` in [0, 1)) so channels that failed together do not retry in step.
 * Null when no attempt is left.
 */
export function computeRetryDelay(attempts: number, random: number, schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): number | null {
  if (attempts >= schedule.maxAttempts) return null;
  const ceiling = Math.min(schedule.maxMs, schedule.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

/** The string a webhook's HMAC-SHA256 covers: the timestamp (Unix seconds) and the exact body, as Stripe does. */
export function signedContent(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

/** Webhook signatures older than this (seconds) should be refused by a receiver: a replayed request is stale. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const KIND_NAMES: Record<AlertKind, string> = STATE_NAMES;

const EVENT_WORDS: Record<AlertChangeKind, string> = {
  'alert.raised': 'Nytt varsel',
  'alert.updated': 'Varsel endret',
  'alert.acknowledged': 'Varsel kvittert',
  'alert.reopened': 'Varsel åpnet igjen',
  'alert.resolved': 'Varsel løst',
};

export interface AlertMessage {
  subject: string;
  text: string;
}

/** The news of one alert change, in Norwegian, for Slack and e-mail (and a webhook's `text`). */
export function describeAlertChange(event: AlertChangeKind, alert: Alert, at: string): AlertMessage {
  const place = `${alert.name} (${alert.municipality})`;
  const kind = KIND_NAMES[alert.kind];
  const subject = `${EVENT_WORDS[event]}: ${place} – ${kind}`;
  const lines = [`${EVENT_WORDS[event]} kl. ${formatClockShort(at)}: ${place} – ${kind}.`, `Årsak: ${alert.reason}`];
  if (event === 'alert.acknowledged' && alert.acknowledgedBy) {
    lines.push(`Kvittert av ${alert.acknowledgedBy}${alert.ackText ? `: ${alert.ackText}` : ''}.`);
  }
  return { subject, text: lines.join('\n') };
}

/** The message a "send a test" gives each kind of channel. */
export const TEST_MESSAGE: AlertMessage = {
  subject: 'Testvarsel fra Valgvakt',
  text: 'Dette er et testvarsel fra Valgvakt. Kanalen er satt opp riktig.',
};
