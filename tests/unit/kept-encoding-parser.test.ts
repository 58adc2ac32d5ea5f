// The live namespace's parser writes a marked acknowledgement from its kept JSON: byte for byte what
// socket.io-parser writes, and everything else goes through socket.io-parser unchanged.
import fc from 'fast-check';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { encodeOnce, keptEncodingParser } from '../../server/live/kept-encoding-parser.ts';

const kept = new keptEncodingParser.Encoder();
const plain = new Encoder();
const json = fc.jsonValue();
const answer = fc.dictionary(fc.string(), json);
const namespace = fc.constantFrom('/', '/live', '/ops');
const id = fc.option(fc.nat(), { nil: undefined });

function decode(encoded: Array<string | Buffer>): Packet {
  const decoder = new Decoder();
  let packet: Packet | undefined;
  decoder.on('decoded', (p: Packet) => (packet = p));
  for (const part of encoded) decoder.add(part);
  return packet!;
}

describe('kept-encoding parser', () => {
  it('writes a marked acknowledgement exactly as socket.io-parser does, and it decodes to the same answer', () => {
    fc.assert(fc.property(answer, namespace, id, (value, nsp, ackId) => {
      const packet: Packet = { type: PacketType.ACK, nsp, id: ackId, data: [encodeOnce(value)] };
      const encoded = kept.encode(packet);
      expect(encoded).toEqual(plain.encode({ ...packet, data: [structuredClone(value)] }));
      expect(decode(encoded).data).toEqual([JSON.parse(JSON.stringify(value))]);
    }));
  });

  it('reuses the JSON made when the answer was marked (so a marked answer must not change)', () => {
    const value = encodeOnce({ ok: true, delta: { seq: 7 } });
    value.delta.seq = 8;
    expect(kept.encode({ type: PacketType.ACK, nsp: '/live', id: 3, data: [value] })).toEqual(['3/live,3[{"ok":true,"delta":{"seq":7}}]']);
  });

  it('leaves every other packet to socket.io-parser: unmarked answers, events, several arguments, binary', () => {
    fc.assert(fc.property(answer, namespace, id, (value, nsp, ackId) => {
      const marked = encodeOnce(structuredClone(value));
      const packets: Packet[] = [
        { type: PacketType.ACK, nsp, id: ackId, data: [value] },
        { type: PacketType.EVENT, nsp, data: ['overview:patch', marked] },
        { type: PacketType.ACK, nsp, id: ackId, data: [marked, 1] },
        { type: PacketType.ACK, nsp, id: ackId, data: [{ bytes: Buffer.from([1, 2, 3]) }] },
        { type: PacketType.CONNECT, nsp, data: { sid: 'x' } },
      ];
      for (const packet of packets) expect(kept.encode(packet)).toEqual(plain.encode(packet));
    }));
  });
});
