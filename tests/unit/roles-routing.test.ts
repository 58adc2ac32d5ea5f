// Where the sidecar's supervisor sends a connection, from its first request line.
import { describe, expect, it } from 'vitest';
import { chooseDestination, hasWholeHead, parseRequestLine } from '../../server/roles/routing.ts';

describe('parseRequestLine', () => {
  it.each([
    ['GET /api/v1/snapshot HTTP/1.1\r\nhost: x\r\n\r\n', { method: 'GET', path: '/api/v1/snapshot' }],
    ['POST /api/v1/results HTTP/1.0\r\n', { method: 'POST', path: '/api/v1/results' }],
    ['GET /api/v1/snap', 'incomplete'],
    ['\u0016\u0003\u0001\u0002\u0000\r\n', null],
    ['GET / HTTP/2\r\n', null],
  ] as const)('%j', (text, expected) => {
    expect(parseRequestLine(Buffer.from(text, 'latin1'))).toEqual(expected);
  });

  it('gives up on a line longer than 8 KiB', () => {
    expect(parseRequestLine(Buffer.alloc(8193, 'a'))).toBeNull();
  });
});

describe('chooseDestination', () => {
  it.each([
    ['GET', '/socket.io/?EIO=4&transport=websocket', 'live'],
    ['GET', '/healthz', 'supervisor'],
    ['HEAD', '/healthz?x=1', 'supervisor'],
    ['POST', '/healthz', 'intake'],
    ['POST', '/api/v1/results', 'intake'],
    ['POST', '/api/v1/status', 'intake'],
    ['PUT', '/api/v1/clock', 'intake'],
    ['GET', '/api/v1/clock', 'intake'],
    ['OPTIONS', '/api/v1/results', 'intake'],
    ['GET', '/api/v1/ops/board', 'intake'],
    ['DELETE', '/api/v1/ops/session', 'intake'],
    ['GET', '/metrics', 'intake'],
    ['GET', '/api/v1/snapshot', 'live'],
    ['GET', '/api/v1/municipalities/0301', 'live'],
    ['HEAD', '/api/v1/export/results.csv', 'live'],
    ['GET', '/api/v1/changes?after=3', 'live'],
  ] as const)('%s %s → %s', (method, path, destination) => {
    expect(chooseDestination({ method, path })).toBe(destination);
  });
});

describe('hasWholeHead', () => {
  it('waits for the blank line', () => {
    expect(hasWholeHead(Buffer.from('GET / HTTP/1.1\r\nhost: x\r\n'))).toBe(false);
    expect(hasWholeHead(Buffer.from('GET / HTTP/1.1\r\nhost: x\r\n\r\n'))).toBe(true);
  });
});
