// pglite-socket's own queue runs each wire-protocol message of each connection in arrival order, so two
// connections' extended-protocol queries (Parse, Bind, Describe, Execute, Sync) can interleave on PGlite's
// single session and one client reads the other's rows. This queue keeps a connection's messages up to its
// Sync (or any other message the client waits on) together and runs them as one unit; like the original it
// lets a connection that holds an open transaction go first. Several processes (the sidecar's roles) can
// then share one embedded database through the socket server.
import type { PGlite } from '@electric-sql/pglite';

/** Frontend messages a client sends ahead of a Sync without waiting for an answer. */
const HELD_UNTIL_SYNC = new Set(['P', 'B', 'D', 'E', 'C'].map((letter) => letter.charCodeAt(0)));

interface QueuedMessage {
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
}

interface Unit {
  handlerId: number;
  messages: QueuedMessage[];
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** The methods of pglite-socket's QueryQueueManager that its connection handlers call. */
export class GroupedQueryQueue {
  private readonly held = new Map<number, QueuedMessage[]>();
  private queue: Unit[] = [];
  private processing = false;
  private lastHandlerId: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const messages = this.held.get(handlerId) ?? [];
    messages.push({ message, onData });
    const type = message[0];
    if (type !== undefined && HELD_UNTIL_SYNC.has(type)) {
      // Answered with its Sync's unit; the handler may read on meanwhile.
      this.held.set(handlerId, messages);
      return Promise.resolve(0);
    }
    this.held.delete(handlerId);
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, messages, resolve, reject });
      void this.processQueue();
    });
  }

  private async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        // A connection inside a transaction goes on alone until it ends it.
        const index = this.db.isInTransaction() && this.lastHandlerId !== null
          ? this.queue.findIndex((unit) => unit.handlerId === this.lastHandlerId)
          : 0;
        if (index === -1) break;
        const [unit] = this.queue.splice(index, 1);
        if (!unit) break;
        let bytes = 0;
        try {
          await this.db.runExclusive(async () => {
            for (const { message, onData } of unit.messages) {
              await this.db.execProtocolRawStream(message, {
                onRawData: (data) => {
                  bytes += data.length;
                  onData(data);
                },
              });
            }
          });
        } catch (error) {
          unit.reject(error);
          continue;
        }
        this.lastHandlerId = unit.handlerId;
        unit.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.held.delete(handlerId);
    this.queue = this.queue.filter((unit) => {
      if (unit.handlerId !== handlerId) return true;
      unit.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (!this.db.isInTransaction() || this.lastHandlerId !== handlerId) return;
    await this.db.exec('ROLLBACK');
    this.lastHandlerId = null;
    await this.processQueue();
  }
}
