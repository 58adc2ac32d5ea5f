import { describe, expect, it } from 'vitest';
import { computePublicSidecarAddress, resolveSidecarAddress } from './sidecar-address.ts';

describe('computePublicSidecarAddress', () => {
  it.each<[string, Parameters<typeof computePublicSidecarAddress>[0], string]>([
    ['SIDECAR_PUBLIC_URL wins', { publicUrl: 'https://live.example.no/', sidecarPort: '4001' }, 'https://live.example.no'],
    ['otherwise the page host on SIDECAR_PORT', { sidecarPort: '4001', sidecarUrl: 'http://10.0.0.5:3001' }, ':4001'],
    ['otherwise the port of SIDECAR_URL', { sidecarUrl: 'http://127.0.0.1:3101' }, ':3101'],
    ['otherwise 3001', {}, ':3001'],
    ['a SIDECAR_URL without a port', { sidecarUrl: 'http://sidecar.internal/' }, ':3001'],
    ['a malformed SIDECAR_PORT is ignored', { sidecarPort: 'x', sidecarUrl: 'http://127.0.0.1:3101' }, ':3101'],
  ])('%s', (_label, settings, expected) => {
    expect(computePublicSidecarAddress(settings)).toBe(expected);
  });
});

describe('resolveSidecarAddress', () => {
  const location = { protocol: 'https:', hostname: 'valg.example.no' };
  it('puts a port on the page host', () => expect(resolveSidecarAddress(':4001', location)).toBe('https://valg.example.no:4001'));
  it('takes a full URL as it is', () => expect(resolveSidecarAddress('https://live.example.no/', location)).toBe('https://live.example.no'));
  it('falls back to 3001 (an older page)', () => expect(resolveSidecarAddress(null, location)).toBe('https://valg.example.no:3001'));
});
