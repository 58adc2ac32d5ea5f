// Which node runs the work that must happen exactly once: recording municipality states and alerts (the
// stall monitor's timer) and, with a Socket.IO adapter shared between nodes, sending the deltas.
//
// On a PostgreSQL server the leader is the node holding a session-level advisory lock on a connection of
// its own. The lock lives exactly as long as that session: when the leader's process dies, the server
// closes the session and the lock is free; followers try for it every second. A leader that cannot reach
// its session (a failed ping, a dropped connection) stops leading at once, before anyone else can take
// over. For a leader that vanishes without closing its socket (power, network), the session asks the
// server to end it after IDLE_SESSION_TIMEOUT of silence (PostgreSQL 14+), so the lock does not wait for
// TCP to notice. The embedded database belongs to one process: that process leads.
import pg from 'pg';
import type { Logger } from 'pino';

export interface Leadership {
  isLeader(): boolean;
  /** Called with true when this node becomes the leader and with false when it stops being one. */
  onChange(listener: (leader: boolean) => void): void;
  stop(): Promise<void>;
}

/** The only node there is (embedded database): the leader from the start. */
export function soleLeadership(): Leadership {
  return { isLeader: () => true, onChange: () => {}, stop: async () => {} };
}

/** A node that never leads: a live process of the sidecar (its machine's intake process contends). */
export function followerLeadership(): Leadership {
  return { isLeader: () => false, onChange: () => {}, stop: async () => {} };
}

/** Advisory lock class of leader election ("VVLD"); the election id picks the object, so elections lead apart. */
export const LEADER_LOCK_CLASS = 0x56564c44;
const IDLE_SESSION_TIMEOUT_MS = 5000;

export function createAdvisoryLockLeadership(options: {
  connectionString: string;
  electionId: string;
  logger: Logger;
  /** How often a follower tries for the lock and a leader checks its session. */
  intervalMs?: number;
}): Leadership {
  const intervalMs = options.intervalMs ?? 1000;
  const listeners: Array<(leader: boolean) => void> = [];
  let client: pg.Client | undefined;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  function setLeader(next: boolean): void {
    if (leader === next) return;
    leader = next;
    options.logger.info({ leader }, leader ? 'leadership: this node leads' : 'leadership: this node no longer leads');
    listeners.forEach((listener) => listener(next));
  }

  function drop(current: pg.Client, error?: unknown): void {
    if (client !== current) return;
    client = undefined;
    if (leader) options.logger.warn({ err: error }, 'leadership: lost the session holding the lock');
    setLeader(false);
    current.end().catch(() => {});
  }

  async function open(): Promise<pg.Client> {
    // query_timeout: a session that does not answer within it counts as lost.
    const current = new pg.Client({ connectionString: options.connectionString, keepAlive: true, connectionTimeoutMillis: 5000, query_timeout: 3000 });
    current.on('error', (error) => drop(current, error));
    current.on('end', () => drop(current));
    client = current;
    await current.connect();
    try {
      await current.query(`SET idle_session_timeout = ${IDLE_SESSION_TIMEOUT_MS}`);
    } catch {
      // PostgreSQL before 14: the lock is freed when TCP notices instead (see docs/deployment.md).
    }
    return current;
  }

  async function tick(): Promise<void> {
    const current = client ?? (await open());
    if (leader) {
      await current.query('SELECT 1');
      return;
    }
    const { rows } = await current.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [LEADER_LOCK_CLASS, options.electionId]);
    if (rows[0]?.locked && client === current && !stopped) setLeader(true);
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      tick()
        .catch((error) => {
          if (client) drop(client, error);
          else options.logger.warn({ err: error }, 'leadership: cannot reach the database; retrying');
        })
        .finally(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  }
  schedule(0);

  return {
    isLeader: () => leader,
    onChange: (listener) => listeners.push(listener),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      setLeader(false);
      const current = client;
      client = undefined;
      // Ending the session releases the lock at once; the next node takes it within its interval.
      await current?.end().catch(() => {});
    },
  };
}
