// The webhook signature against an independent computation (openssl dgst -sha256 -hmac), and the
// senders' judgement of which refusals are worth retrying, against a real node:http receiver.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertChannelRow } from '../../db/alert-channels.ts';
import { PermanentDeliveryError, createAlertSenders, signWebhook, verifyWebhookSignature, type OutgoingAlert } from '../../server/alerts/senders.ts';

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>", as openssl computes it', () => {
    expect(signWebhook('topsecret-topsecret', 1700000000, '{"a":1}')).toBe('sha256=ed9a96ae88fc6cd9e1605a5c26b8d6b4c9de0c2fbd86f73745fcb3dc3ff993ba');
  });
  it.each([
    ['the right one', 'topsecret-topsecret', '1700000000', '{"a":1}', true],
    ['another secret', 'another-secret-xx', '1700000000', '{"a":1}', false],
    ['another timestamp', 'topsecret-topsecret', '1700000001', '{"a":1}', false],
    ['a changed body', 'topsecret-topsecret', '1700000000', '{"a":2}', false],
    ['a malformed timestamp', 'topsecret-topsecret', '17e8', '{"a":1}', false],
  ])('verifies %s: %s', (_name, secret, timestamp, body, expected) => {
    expect(verifyWebhookSignature(secret, timestamp, body, 'sha256=ed9a96ae88fc6cd9e1605a5c26b8d6b4c9de0c2fbd86f73745fcb3dc3ff993ba')).toBe(expected);
  });
});

describe('what a refusal means', () => {
  let url = '';
  let answer = 200;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(answer).end());
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const channel = (): AlertChannelRow => ({ id: 1, name: 'x', kind: 'slack', target: url, secret: null, alertKinds: [], scope: 'all', enabled: true, createdAt: new Date(), createdBy: 'test' });
  const alert: OutgoingAlert = { deliveryId: '1', subject: 's', text: 't', body: { event: 'test', deliveryId: '1', seq: null, at: '2023-09-11T20:00:00.000Z', alert: null, municipality: null, text: 't' } };
  const senders = createAlertSenders({ mail: { from: 'x@test.invalid' }, timeoutMs: 1000 });

  it.each([[200, 'ok'], [204, 'ok'], [503, 'retry'], [500, 'retry'], [408, 'retry'], [429, 'retry'], [404, 'permanent'], [400, 'permanent'], [410, 'permanent']])('HTTP %i: %s', async (status, expected) => {
    answer = status;
    const outcome = await senders.send(channel(), alert).then(() => 'ok', (error) => (error instanceof PermanentDeliveryError ? 'permanent' : 'retry'));
    expect(outcome).toBe(expected);
  });

  it('says why an e-mail channel cannot send without SMTP_URL', async () => {
    await expect(senders.send({ ...channel(), kind: 'email', target: 'a@test.invalid' }, alert)).rejects.toThrow('SMTP_URL is not set');
  });
});
