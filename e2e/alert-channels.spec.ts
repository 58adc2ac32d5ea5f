// The console's alert channels (/ops/varsling): an operator adds a Slack-compatible channel pointing at a
// real HTTP receiver, sends a test, and sees it in the delivery log; then deletes the channel. Leaves no
// channel behind.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { operatorCredentials, signInThroughForm } from './support.ts';

test('an operator adds a channel, sends a test that arrives, and sees it in the delivery log', async ({ page }) => {
  test.setTimeout(60_000);
  const received: string[] = [];
  const receiver = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      received.push(raw);
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack`;
  const name = `Desken ${Date.now()}`;
  try {
    await signInThroughForm(page, operatorCredentials());
    await expect(page).toHaveURL(/\/ops$/);
    await page.getByRole('navigation', { name: 'Konsoll' }).getByRole('link', { name: 'Varsling' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Varsling');

    const form = page.getByRole('form', { name: 'Ny kanal' });
    await form.getByLabel('Navn').fill(name);
    await form.getByLabel('Type').selectOption('slack');
    await form.getByLabel('Adresse').fill(target);
    await form.getByLabel('stanset').check();
    await form.getByRole('button', { name: 'Legg til kanal' }).click();
    await expect(form.getByRole('status')).toContainText(`Kanalen «${name}» er lagt til.`);

    const channels = page.getByRole('region', { name: 'Kanaler' });
    const row = channels.getByRole('row').filter({ hasText: name });
    await expect(row).toContainText('Slack');
    await expect(row).toContainText('stanset, alle kommuner');
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    expect(JSON.parse(received[0]!)).toEqual({ text: 'Dette er et testvarsel fra Valgvakt. Kanalen er satt opp riktig.' });

    const log = page.getByRole('region', { name: 'Leveringslogg' });
    await expect(log.getByRole('row').filter({ hasText: name }).first()).toContainText('test');
    await expect(log.getByRole('row').filter({ hasText: name }).first()).toContainText('sendt');
    await page.screenshot({ path: 'test-results/screenshots/ops-alert-channels.png', fullPage: true });
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await row.getByRole('button', { name: `Slett ${name}` }).click();
    await expect(channels.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
