// Public pages and the snapshot as a shared cache in front (a CDN, nginx) sees them: public and briefly
// cacheable, with strong validators and 304s, nothing personal (no Set-Cookie, the same page with or
// without the visitor's cookies), a Content-Security-Policy that allows the page's own inline scripts by
// hash (so the page hydrates and goes live with no violation), and a page served from the cache brought up
// to date by the live socket. The console stays private with its per-request nonce. A stack of its own: another
// spec's visit could refresh the cached overview between this one's report and its look at the cache.
import { expect, test } from '@playwright/test';
import { SIDECAR, ownPorts, postResult, resultReport, useOwnStack } from './support.ts';

useOwnStack('page-cache', ownPorts(60, 'E2E_PAGE_CACHE_WEB_PORT', 'E2E_PAGE_CACHE_SIDECAR_PORT'));

function directive(policy: string | undefined, name: string): string | undefined {
  return policy?.split(/;\s*/).find((d) => d === name || d.startsWith(`${name} `));
}

test.describe('public pages and the shared cache', () => {
  test('public pages are shared-cacheable, with a strong ETag, Vary, no cookie and a hash-based policy', async ({ request }) => {
    for (const path of ['/', '/kommune/0301', '/fylke/03', '/endringer', '/embed/folges']) {
      const response = await request.get(path, { headers: { cookie: 'valgvakt-ops-session=someone', 'accept-encoding': 'gzip, br' } });
      expect(response.status(), path).toBe(200);
      const headers = response.headers();
      expect(headers['cache-control'], path).toBe('public, max-age=0, s-maxage=3, stale-while-revalidate=10');
      expect(headers.etag, path).toMatch(/^"[A-Za-z0-9_-]+(-br|-gzip)?"$/);
      expect(headers.vary, path).toMatch(/Accept-Encoding/);
      expect(headers.vary, path).toMatch(/RSC/);
      expect(headers['set-cookie'], path).toBeUndefined();
      const scripts = directive(headers['content-security-policy'], 'script-src');
      expect(scripts, path).toMatch(/^script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+$/);
      expect(headers['content-security-policy'], path).not.toContain('nonce-');
      expect(await response.text(), path).not.toContain('nonce="');
    }
  });

  test('a visitor\'s cookies do not reach the shared render, and a matching If-None-Match gets 304', async ({ request }) => {
    let revalidated = false;
    for (let attempt = 0; attempt < 5 && !revalidated; attempt++) {
      const first = await request.get('/kommune/0301', { headers: { cookie: 'a=1' } });
      const etag = first.headers().etag!;
      const second = await request.get('/kommune/0301', { headers: { 'if-none-match': etag } });
      if (second.status() === 304) {
        revalidated = true;
        expect(second.headers().etag).toBe(etag);
        expect(second.headers()['cache-control']).toBe('public, max-age=0, s-maxage=3, stale-while-revalidate=10');
        expect(await second.body()).toHaveLength(0);
      } else {
        // Re-rendered in between (the page carries the sidecar's clock): then it is a different page.
        expect(second.status()).toBe(200);
        expect(second.headers().etag).not.toBe(etag);
      }
    }
    expect(revalidated).toBe(true);
    const other = await request.get('/kommune/0301', { headers: { 'if-none-match': '"not-this-page"' } });
    expect(other.status()).toBe(200);
  });

  test('the console stays private, with a fresh nonce', async ({ request }) => {
    const response = await request.get('/ops/logg-inn');
    expect(response.headers()['cache-control']).toMatch(/no-store/);
    expect(response.headers()['cache-control']).not.toMatch(/public/);
    expect(directive(response.headers()['content-security-policy'], 'script-src')).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'$/);
    // Client navigations (RSC data) are never shared either.
    const data = await request.get('/', { headers: { rsc: '1' } });
    expect(data.headers()['cache-control'] ?? '').not.toMatch(/public/);
  });

  test('the snapshot is shared-cacheable, precompressed, and revalidates by seq', async ({ request }) => {
    const response = await request.get(`${SIDECAR}/api/v1/snapshot`, { headers: { 'accept-encoding': 'br' } });
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers['cache-control']).toBe('public, max-age=2, s-maxage=2, stale-while-revalidate=10');
    expect(headers['content-encoding']).toBe('br');
    expect(headers.vary).toMatch(/Accept-Encoding/);
    expect(headers.etag).toMatch(/^"snapshot-\d+"$/);
    const body = (await response.json()) as { seq: number; municipalities: unknown[] };
    expect(headers.etag).toBe(`"snapshot-${body.seq}"`);
    expect(body.municipalities).toHaveLength(357);
    const gzipped = await request.get(`${SIDECAR}/api/v1/snapshot`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers()['content-encoding']).toBe('gzip');
    const again = await request.get(`${SIDECAR}/api/v1/snapshot`, { headers: { 'if-none-match': headers.etag! } });
    expect([304, 200]).toContain(again.status());
    if (again.status() === 200) expect(again.headers().etag).not.toBe(headers.etag);
  });

  test('a page from the cache runs under its policy, goes live, and catches up with a report made after it was cached', async ({ page, request }) => {
    const violations: string[] = [];
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()); });
    // Cache the overview, then change the data behind it.
    const warmed = await request.get('/');
    expect(warmed.status()).toBe(200);
    const created = await postResult(request, resultReport('5053', '0000', { ballots: { counted: 777, rejected: 1, blank: 7 }, votes: { A: 300, SP: 270, H: 200 } }));
    expect(created.status()).toBe(201);
    const seq = ((await created.json()) as { seq: number }).seq;

    const served = await page.goto('/');
    // The document came from the shared render made before the report (fresh or served stale while refreshing).
    expect(['hit', 'stale']).toContain(served!.headers()['x-valgvakt-page-cache']);
    const html = await served!.text();
    const servedSeq = Number(/\\"seq\\":(\d+)/.exec(html)?.[1] ?? /"seq":(\d+)/.exec(html)?.[1]);
    expect(servedSeq).toBeLessThan(seq);

    await expect(page.getByRole('status').filter({ hasText: 'Direkte' })).toBeVisible();
    const row = page.getByRole('table', { name: /Kommuner som følges spesielt og ikke er ferdige/ }).locator('tr[data-municipality="5053"]');
    await expect(row.getByTestId('counted')).toContainText('777 stemmer');
    // Hydrated with the full snapshot: the table offers every municipality.
    await expect(page.getByRole('button', { name: 'Vis alle 357' })).toBeEnabled();
    expect(violations).toEqual([]);
  });
});
