import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, sidecarOrigins } from './security-headers.ts';

const base = { nonce: 'abc123', frameAncestors: "'none'", sidecarAddress: ':3001', host: 'valg.example.no', https: false };

function directive(policy: string, name: string): string | undefined {
  return policy.split('; ').find((d) => d.startsWith(`${name} `) || d === name);
}

describe('buildContentSecurityPolicy', () => {
  it('lets only scripts with the nonce run, never inline ones', () => {
    const policy = buildContentSecurityPolicy(base);
    expect(directive(policy, 'script-src')).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(policy).not.toContain('unsafe-eval');
    expect(directive(policy, 'object-src')).toBe("object-src 'none'");
  });

  it('allows eval only in development', () => {
    expect(directive(buildContentSecurityPolicy({ ...base, development: true }), 'script-src')).toContain("'unsafe-eval'");
  });

  it('carries the frame-ancestors it is given', () => {
    expect(directive(buildContentSecurityPolicy(base), 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(buildContentSecurityPolicy({ ...base, frameAncestors: '*' }), 'frame-ancestors')).toBe('frame-ancestors *');
  });

  it('lets the page reach the sidecar over HTTP and WebSocket', () => {
    expect(directive(buildContentSecurityPolicy(base), 'connect-src')).toBe("connect-src 'self' http://valg.example.no:3001 ws://valg.example.no:3001");
    expect(directive(buildContentSecurityPolicy({ ...base, host: 'valg.example.no:443', https: true, sidecarAddress: 'https://live.example.no/' }), 'connect-src'))
      .toBe("connect-src 'self' https://live.example.no wss://live.example.no");
  });

  it('upgrades insecure requests over HTTPS only', () => {
    expect(directive(buildContentSecurityPolicy(base), 'upgrade-insecure-requests')).toBeUndefined();
    expect(directive(buildContentSecurityPolicy({ ...base, https: true }), 'upgrade-insecure-requests')).toBe('upgrade-insecure-requests');
  });
});

describe('sidecarOrigins', () => {
  it('puts a port on the page host, with the page scheme', () => {
    expect(sidecarOrigins(':3101', { host: '127.0.0.1:3100', https: false })).toEqual(['http://127.0.0.1:3101', 'ws://127.0.0.1:3101']);
    expect(sidecarOrigins(':8443', { host: 'valg.example.no', https: true })).toEqual(['https://valg.example.no:8443', 'wss://valg.example.no:8443']);
  });

  it('gives nothing for an address that is not a URL', () => {
    expect(sidecarOrigins('not a url', { host: 'x', https: false })).toEqual([]);
  });
});

describe('buildContentSecurityPolicy for a shared page', () => {
  it('has no nonce and no strict-dynamic, only its own origin (hashes are added per page)', () => {
    const policy = buildContentSecurityPolicy({ ...base, nonce: null });
    expect(directive(policy, 'script-src')).toBe("script-src 'self'");
    expect(policy).not.toContain('nonce-');
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
