// Socket.IO's parser with one addition: an acknowledgement whose single argument was marked with
// encodeOnce() is written from that argument's kept JSON instead of being encoded again. After a live
// process restarts, thousands of viewers ask for the same catch-up answer within seconds; encoding it per
// viewer (JSON.stringify plus the parser's recursive binary check) took about a third of the new process's
// CPU in the reconnect storm (bench --cpu-prof, 10,000 viewers). Custom parsers are Socket.IO's own
// extension point (the `parser` option); everything else is socket.io-parser's as it is.
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';

const keptJson = new WeakMap<object, string>();

/**
 * Marks an answer as sent unchanged to many sockets: its JSON is made now and reused. The value must not
 * change afterwards (what is sent is the JSON of this moment).
 */
export function encodeOnce<T extends object>(answer: T): T {
  if (!keptJson.has(answer)) keptJson.set(answer, JSON.stringify([answer]));
  return answer;
}

class KeptEncodingEncoder extends Encoder {
  override encode(packet: Packet): Array<string | Buffer> {
    const args: unknown[] | undefined = packet.type === PacketType.ACK && Array.isArray(packet.data) ? packet.data : undefined;
    const only = args?.length === 1 ? args[0] : undefined;
    const kept = typeof only === 'object' && only !== null ? keptJson.get(only) : undefined;
    if (kept === undefined) return super.encode(packet);
    // socket.io-parser's own string form: type, namespace unless "/", id, then the arguments as JSON.
    return [`${packet.type}${packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : ''}${packet.id ?? ''}${kept}`];
  }
}

/** For `new Server(…, { parser: keptEncodingParser })`. */
export const keptEncodingParser = { Encoder: KeptEncodingEncoder, Decoder };
