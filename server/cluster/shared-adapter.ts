// The Socket.IO adapter several sidecars share: @socket.io/redis-streams-adapter, so a broadcast from any
// node reaches every node's sockets and, being stored in a Redis stream, can be replayed by Socket.IO's
// connection state recovery on whichever node a viewer reconnects to. Next to the stream the leader keeps
// its delta watermark: the seq up to which it has sent deltas (server/live/live-namespace.ts), so a new
// leader knows what the previous one may not have sent.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';

export type RedisClient = ReturnType<typeof createClient>;

/** Where the sending node records how far it has sent deltas. */
export interface DeltaWatermark {
  /** The seq recorded last, or null if no node has recorded one in this stream. */
  read(): Promise<number | null>;
  /** Records seq after the deltas up to it were handed to the adapter (same connection, so in order). */
  write(seq: number): void;
}

export interface SharedAdapter {
  adapter: NonNullable<ServerOptions['adapter']>;
  watermark: DeltaWatermark;
}

export function createSharedAdapter(client: RedisClient, options: { streamName: string; maxLen: number; onError: (error: unknown) => void }): SharedAdapter {
  const key = `${options.streamName}:delta-watermark`;
  return {
    adapter: createAdapter(client, {
      streamName: options.streamName,
      maxLen: options.maxLen,
      // Everything this deployment keeps in Redis starts with the stream name, so deployments (and tests)
      // sharing a Redis never see each other's packets or sessions.
      channelPrefix: options.streamName,
      sessionKeyPrefix: `${options.streamName}:session:`,
    }),
    watermark: {
      async read() {
        const value = await client.get(key);
        return value === null ? null : Number(value);
      },
      write(seq) {
        client.set(key, String(seq)).catch(options.onError);
      },
    },
  };
}
