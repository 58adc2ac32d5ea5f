// Tells this node when any node has committed to the change log. A trigger on change_log (migration
// change_log_notify) sends "<election id>:<seq>" on COMMIT_CHANNEL at commit; this module LISTENs on a
// connection of its own (LISTEN needs a session, which a pool does not keep) and reconnects when it drops.
// After every (re)connect it reports once without a seq: notices sent while it was away are gone, so the
// feed must look for itself.
import pg from 'pg';
import type { Logger } from 'pino';

export const COMMIT_CHANNEL = 'valgvakt_change_log';

export interface CommitNotice {
  electionId: string;
  seq: number;
}

/** Parses a notification payload; null for anything not written by the change_log trigger. */
export function parseCommitNotice(payload: string | undefined): CommitNotice | null {
  const match = payload?.match(/^(.+):(\d+)$/);
  if (!match) return null;
  const seq = Number(match[2]);
  // A match has both groups (the pattern requires them).
  return Number.isSafeInteger(seq) ? { electionId: match[1]!, seq } : null;
}

export interface CommitListener {
  /** Starts listening: onCommit(seq) for each notice of this election, onCommit(null) after each (re)connect. */
  start(onCommit: (seq: number | null) => void): void;
  connected(): boolean;
  stop(): Promise<void>;
}

export function createCommitListener(options: {
  connectionString: string;
  electionId: string;
  logger: Logger;
  retryMs?: number;
}): CommitListener {
  const retryMs = options.retryMs ?? 1000;
  let client: pg.Client | undefined;
  let isConnected = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let onCommit: (seq: number | null) => void = () => {};

  function scheduleReconnect(): void {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, retryMs);
    retry.unref();
  }

  function drop(current: pg.Client, error?: unknown): void {
    if (client !== current) return;
    if (isConnected) options.logger.warn({ err: error }, 'commit notices: connection lost; reconnecting');
    client = undefined;
    isConnected = false;
    current.end().catch(() => {});
    scheduleReconnect();
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const current = new pg.Client({ connectionString: options.connectionString, keepAlive: true, connectionTimeoutMillis: 5000 });
    client = current;
    current.on('error', (error) => drop(current, error));
    current.on('end', () => drop(current));
    current.on('notification', (message) => {
      const notice = parseCommitNotice(message.payload);
      if (notice?.electionId === options.electionId) onCommit(notice.seq);
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${COMMIT_CHANNEL}`);
      if (client !== current || stopped) return;
      isConnected = true;
      options.logger.info('commit notices: listening');
      onCommit(null);
    } catch (error) {
      options.logger.warn({ err: error }, 'commit notices: cannot listen; retrying');
      drop(current, error);
    }
  }

  return {
    start(listener) {
      onCommit = listener;
      void connect();
    },
    connected: () => isConnected,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      isConnected = false;
      await current?.end().catch(() => {});
    },
  };
}
