// Alerts that reach people: the channels operators subscribe (webhook, Slack-compatible, e-mail), what a
// webhook receives, and the delivery log the console shows.
import { z } from 'zod';
import { ALERT_CHANGE_KINDS } from './changes.ts';
import { ZAlert, ZAlertKind } from './ops.ts';

export const ALERT_CHANNEL_KINDS = ['webhook', 'slack', 'email'] as const;
export const ZAlertChannelKind = z.enum(ALERT_CHANNEL_KINDS);
export type AlertChannelKind = z.infer<typeof ZAlertChannelKind>;

/** Which municipalities a channel hears of: all, the watchlist (at the time of the change), or one county. */
export const ZAlertScope = z.string().regex(/^(all|watchlist|county:\d{2})$/, 'must be "all", "watchlist" or "county:NN"');

export const ALERT_DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export const ZAlertDeliveryStatus = z.enum(ALERT_DELIVERY_STATUSES);

const noNul = (text: string) => !text.includes('\u0000');
const ZHttpUrl = z.url({ protocol: /^https?$/ }).max(2000);
const ZEmailList = z.string().trim().max(2000).refine(
  (value) => value.split(',').map((part) => part.trim()).every((part) => z.email().safeParse(part).success),
  'must be one or more e-mail addresses separated by commas',
);

const ZChannelFields = {
  name: z.string().trim().min(1).max(80).refine(noNul, 'must not contain NUL characters'),
  /** Alert kinds sent; empty: every kind. */
  alertKinds: z.array(ZAlertKind).max(4).default([]),
  scope: ZAlertScope.default('all'),
  enabled: z.boolean().default(true),
};

/** The body of POST /api/v1/ops/alert-channels. A webhook without a secret gets a generated one. */
export const ZCreateAlertChannel = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webhook'), target: ZHttpUrl, secret: z.string().min(16).max(200).optional(), ...ZChannelFields }),
  z.strictObject({ kind: z.literal('slack'), target: ZHttpUrl, ...ZChannelFields }),
  z.strictObject({ kind: z.literal('email'), target: ZEmailList, ...ZChannelFields }),
]);
export type CreateAlertChannel = z.infer<typeof ZCreateAlertChannel>;

/** The body of PATCH /api/v1/ops/alert-channels/:id: what to change (the kind stays; its target is checked against it). */
export const ZUpdateAlertChannel = z.strictObject({
  name: ZChannelFields.name.optional(),
  target: z.string().trim().min(1).max(2000).optional(),
  secret: z.string().min(16).max(200).optional(),
  alertKinds: z.array(ZAlertKind).max(4).optional(),
  scope: ZAlertScope.optional(),
  enabled: z.boolean().optional(),
}).refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type UpdateAlertChannel = z.infer<typeof ZUpdateAlertChannel>;

/** Checks a target against its channel's kind (an update may change the target alone). */
export function isValidTarget(kind: AlertChannelKind, target: string): boolean {
  return kind === 'email' ? ZEmailList.safeParse(target).success : ZHttpUrl.safeParse(target).success;
}

export const ZAlertChannel = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: ZAlertChannelKind,
  target: z.string(),
  /** Whether a webhook has a secret; the secret itself is shown once, when the channel is created. */
  hasSecret: z.boolean(),
  alertKinds: z.array(ZAlertKind),
  scope: z.string(),
  enabled: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** Deliveries still waiting (pending or being sent): a channel that is down grows its own queue. */
  queued: z.number().int(),
  failed: z.number().int(),
});
export type AlertChannel = z.infer<typeof ZAlertChannel>;

/** The answer to creating a channel: the channel, and a webhook's secret (shown this once). */
export const ZCreatedAlertChannel = ZAlertChannel.extend({ secret: z.string().nullable() });

export const ZAlertDelivery = z.object({
  id: z.string(),
  channelId: z.number().int(),
  channelName: z.string(),
  /** The alert change's seq; null for a test. */
  seq: z.number().int().nullable(),
  event: z.string(),
  status: ZAlertDeliveryStatus,
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type AlertDelivery = z.infer<typeof ZAlertDelivery>;

export const ZAlertDeliveriesQuery = z.object({
  channel: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ZAlertTestAnswer = z.object({ ok: z.boolean(), error: z.string().nullable(), delivery: ZAlertDelivery });

/** What a webhook receives (JSON), signed; `deliveryId` repeats X-Valgvakt-Delivery for receivers that de-duplicate. */
export const ZAlertWebhookBody = z.object({
  event: z.union([z.enum(ALERT_CHANGE_KINDS), z.literal('test')]),
  deliveryId: z.string(),
  seq: z.number().int().nullable(),
  /** When the change happened (the election's clock). */
  at: z.string(),
  alert: ZAlert.nullable(),
  municipality: z.object({ number: z.string(), name: z.string(), countyNumber: z.string(), countyName: z.string(), watch: z.boolean() }).nullable(),
  /** The same news in Norwegian, as Slack and e-mail get it. */
  text: z.string(),
});
export type AlertWebhookBody = z.infer<typeof ZAlertWebhookBody>;
