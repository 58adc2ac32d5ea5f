// What the sidecar tells browsers and who may read what: nosniff and a deny-all CSP on every answer, HSTS
// over HTTPS, CORS on operator routes only from the site's own origin, and /metrics without a token only
// for this machine.
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './harness.ts';

const SITE = 'https://valg.example.no';

/** An address of this machine that is not loopback, to reach the sidecar as another host would. */
function outsideAddress(): string {
  const address = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;
  if (!address) throw new Error('this test needs a non-loopback IPv4 interface');
  return address;
}

describe('sidecar response headers and CORS on pglite', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack('pglite', { listenHost: '0.0.0.0', sidecar: { siteOrigins: [SITE] } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sends nosniff and a deny-all policy on every answer, and HSTS only over HTTPS', async () => {
    for (const path of ['/api/v1/snapshot', '/api/v1/municipalities/9999', '/healthz']) {
      const answer = await fetch(`${stack.baseUrl}${path}`);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(answer.headers.get('strict-transport-security')).toBeNull();
    }
    // Behind the TLS-terminating proxy (loopback, trusted by default).
    const secure = await fetch(`${stack.baseUrl}/api/v1/snapshot`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });

  it('lets browsers call operator routes from the site\'s own origin only; the public API from any', async () => {
    const preflight = (path: string, origin: string) => fetch(`${stack.baseUrl}${path}`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect((await preflight('/api/v1/ops/session', 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('/api/v1/ops/socket-ticket', 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('/api/v1/ops/session', SITE)).headers.get('access-control-allow-origin')).toBe(SITE);
    const signIn = await fetch(`${stack.baseUrl}/api/v1/ops/session`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(signIn.headers.get('access-control-allow-origin')).toBeNull();
    const snapshot = await fetch(`${stack.baseUrl}/api/v1/snapshot`, { headers: { origin: 'https://evil.example' } });
    expect(snapshot.headers.get('access-control-allow-origin')).toBe('https://evil.example');
  });

  it('serves /metrics without a token to this machine only, whatever X-Forwarded-For claims', async () => {
    expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(200);
    const { port } = new URL(stack.baseUrl);
    const outside = await fetch(`http://${outsideAddress()}:${port}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(outside.status).toBe(401);
    expect((await outside.json()).message).toMatch(/METRICS_TOKEN/);
    // The rest of the API answers there as usual.
    expect((await fetch(`http://${outsideAddress()}:${port}/api/v1/snapshot`)).status).toBe(200);
  });
});

describe('/metrics with a token on pglite', () => {
  let stack: TestStack;
  const token = 'a-metrics-token-of-some-length';

  beforeAll(async () => {
    stack = await startTestStack('pglite', { sidecar: { metricsToken: token } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('needs the token even from this machine', async () => {
    expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
