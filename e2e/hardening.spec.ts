// What a visitor's browser is told to enforce, and how the web server treats slow clients: a
// Content-Security-Policy whose scripts need a fresh nonce on the console and a hash on the shared public
// pages (e2e/page-cache.spec.ts; the live pages still run, with no violation), Permissions-Policy, HSTS over
// HTTPS only, and a request body trickled too slowly is cut off.
import { connect } from 'node:net';
import { expect, test } from '@playwright/test';
import { WEB } from './support.ts';

function directive(policy: string | undefined, name: string): string | undefined {
  return policy?.split(/;\s*/).find((d) => d === name || d.startsWith(`${name} `));
}

test.describe('hardening', () => {
  test('the console carries a nonce-based Content-Security-Policy, and the live pages run under theirs', async ({ page, request }) => {
    const first = await request.get('/ops/logg-inn');
    const second = await request.get('/ops/logg-inn');
    const policy = first.headers()['content-security-policy'];
    const scripts = directive(policy, 'script-src');
    expect(scripts).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'$/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    // A fresh nonce for every response, and it is the one on the page's scripts.
    expect(directive(second.headers()['content-security-policy'], 'script-src')).not.toBe(scripts);
    const nonce = scripts!.match(/'nonce-([^']+)'/)![1]!;
    expect(await first.text()).toContain(`nonce="${nonce}"`);
    expect(directive(policy, 'object-src')).toBe("object-src 'none'");
    expect(first.headers()['permissions-policy']).toContain('camera=()');
    expect(first.headers()['x-content-type-options']).toBe('nosniff');
    expect(first.headers()['strict-transport-security']).toBeUndefined();
    // The public pages, shared by a cache, allow their inline scripts by hash instead, and nothing inline else.
    const shared = await request.get('/kommune/0301');
    expect(directive(shared.headers()['content-security-policy'], 'script-src')).toMatch(/^script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+$/);
    expect(shared.headers()['permissions-policy']).toContain('camera=()');

    const violations: string[] = [];
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()); });
    await page.goto('/');
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    await page.goto('/kommune/0301');
    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    // Markup an XSS would inject — an inline event handler — does not run.
    const ran = await page.evaluate(() => new Promise<boolean>((resolve) => {
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:," onload="window.__injected = true" onerror="window.__injected = true">';
      document.body.append(holder);
      setTimeout(() => resolve((window as unknown as { __injected?: boolean }).__injected === true), 300);
    }));
    expect(ran).toBe(false);
    // The only violation is the one we caused.
    expect(violations.filter((v) => !/inline event handler|script-src-attr/i.test(v))).toEqual([]);
  });

  test('over HTTPS (as the trusted proxy says) the pages add HSTS and upgrade insecure requests', async ({ request }) => {
    const secure = await request.get('/', { headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.headers()['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(directive(secure.headers()['content-security-policy'], 'upgrade-insecure-requests')).toBe('upgrade-insecure-requests');
  });

  test('the web server closes a request whose body arrives too slowly', async () => {
    const { hostname, port } = new URL(WEB);
    const socket = connect(Number(port), hostname);
    const started = Date.now();
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString(); });
    socket.on('error', () => {});
    socket.write(`POST /ops/logg-inn HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n`);
    const drip = setInterval(() => { if (!socket.destroyed) socket.write('x'); }, 500);
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(drip);
    // REQUEST_TIMEOUT_MS is 5 s for this stack (playwright.config.ts), checked every second.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
