import { describe, expect, it } from 'vitest';
import { limitKeyOf, parseBearer } from '../../server/http/request-limits.ts';

describe('limitKeyOf', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(limitKeyOf(address)).toBe(key);
  });

  it('gives every address of one /64 the same key, and another /64 another', () => {
    expect(limitKeyOf('2001:db8:aa:bb::1')).toBe(limitKeyOf('2001:db8:aa:bb:dead:beef:0:42'));
    expect(limitKeyOf('2001:db8:aa:bb::1')).not.toBe(limitKeyOf('2001:db8:aa:bc::1'));
  });
});

describe('parseBearer', () => {
  it.each([
    ['Bearer abc', 'abc'], ['bearer abc', 'abc'], ['BEARER abc', 'abc'], ['  Bearer   abc  ', 'abc'], ['Bearer\tabc', 'abc'],
  ])('%j → the token', (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  it.each([undefined, '', 'Bearer', 'Bearer a b', 'Basic abc', 'Bearerabc'])('%j → none', (header) => {
    expect(parseBearer(header)).toBeUndefined();
  });
});
