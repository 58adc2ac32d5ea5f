// Puts one alert message on the wire: a signed webhook POST, a Slack-compatible incoming webhook, or an
// e-mail over SMTP (nodemailer). Every send has a timeout, so a channel that hangs only holds its own queue.
import { createHmac, timingSafeEqual } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AlertWebhookBody } from '../../lib/contracts/alert-channels.ts';
import { signedContent } from '../../lib/domain/alert-channels.ts';
import type { AlertChannelRow } from '../../db/alert-channels.ts';

export interface OutgoingAlert {
  /** The idempotency key: the delivery's id (X-Valgvakt-Delivery), the same on every retry. */
  deliveryId: string;
  subject: string;
  text: string;
  /** The webhook's JSON body (the other kinds send `subject` and `text`). */
  body: AlertWebhookBody;
}

/** A refusal that retrying cannot fix (HTTP 4xx other than 408/429, an SMTP 5xx): the delivery fails at once. */
export class PermanentDeliveryError extends Error {}

export interface MailSettings {
  /** smtp:// or smtps:// URL (SMTP_URL); unset: e-mail channels fail with a clear error and are retried. */
  url?: string;
  from: string;
}

export interface AlertSenders {
  send(channel: AlertChannelRow, alert: OutgoingAlert): Promise<void>;
  close(): void;
}

/** `sha256=<hex>` of HMAC-SHA256 over "<timestamp>.<body>" with the channel's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(signedContent(timestamp, body)).digest('hex')}`;
}

/** What a receiver does (and the tests do): recompute and compare in constant time. */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return /^\d+$/.test(timestamp) && expected.length === given.length && timingSafeEqual(expected, given);
}

export function createAlertSenders(options: { mail: MailSettings; timeoutMs?: number; now?: () => Date }): AlertSenders {
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  let transporter: Transporter | undefined;

  async function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
    const response = await fetch(url, {
      method: 'POST', body, redirect: 'error', signal: AbortSignal.timeout(timeoutMs),
      headers: { 'content-type': 'application/json', 'user-agent': 'Valgvakt-Alerts/1', ...headers },
    });
    // The answer's body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    const message = `HTTP ${response.status} from ${new URL(url).host}`;
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
    throw permanent ? new PermanentDeliveryError(message) : new Error(message);
  }

  return {
    async send(channel, alert) {
      if (channel.kind === 'webhook') {
        const body = JSON.stringify(alert.body);
        const timestamp = Math.floor(now().getTime() / 1000);
        const headers: Record<string, string> = { 'x-valgvakt-delivery': alert.deliveryId, 'x-valgvakt-timestamp': String(timestamp), 'x-valgvakt-event': alert.body.event };
        if (channel.secret) headers['x-valgvakt-signature'] = signWebhook(channel.secret, timestamp, body);
        await post(channel.target, body, headers);
        return;
      }
      if (channel.kind === 'slack') {
        await post(channel.target, JSON.stringify({ text: alert.text }), {});
        return;
      }
      if (!options.mail.url) throw new Error('SMTP_URL is not set: e-mail channels cannot send');
      // The URL's query may set nodemailer's own options; the timeouts are ours unless it does.
      const url = new URL(options.mail.url);
      for (const name of ['connectionTimeout', 'greetingTimeout', 'socketTimeout']) if (!url.searchParams.has(name)) url.searchParams.set(name, String(timeoutMs));
      transporter ??= nodemailer.createTransport(url.toString());
      try {
        await transporter.sendMail({
          from: options.mail.from, to: channel.target, subject: alert.subject, text: alert.text,
          headers: { 'X-Valgvakt-Delivery': alert.deliveryId },
        });
      } catch (error) {
        // nodemailer's SMTP errors carry the server's reply code; anything else rethrows as it is.
        const code = error instanceof Error && 'responseCode' in error && typeof error.responseCode === 'number' ? error.responseCode : undefined;
        throw error instanceof Error && code !== undefined && code >= 500 ? new PermanentDeliveryError(`SMTP ${code}: ${error.message}`) : error;
      }
    },
    close() {
      transporter?.close();
    },
  };
}
