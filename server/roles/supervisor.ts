// The sidecar's front (server/main.ts): it listens on SIDECAR_PORT, runs the roles as child processes,
// restarts one that dies, and hands each client connection whole to the process that serves it (the
// socket itself goes over IPC, as @socket.io/sticky and Node's cluster do). After the hand-over it never
// sees the connection's bytes again, so it stays light: reading a request line and passing a handle per
// connection, relaying the small notices between processes, and answering /healthz.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { parseRoleMessage, type Role, type RoleMessage } from './messages.ts';
import { lowerPriority } from './niceness.ts';
import { chooseDestination, hasWholeHead, parseRequestLine } from './routing.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ENTRY: Record<Role, string> = { database: path.join(HERE, 'database.ts'), intake: path.join(HERE, 'node.ts'), live: path.join(HERE, 'node.ts') };
/** A client must send its request line and headers within this. */
const HEAD_TIMEOUT_MS = 10_000;
const MAX_HEAD_BYTES = 16 * 1024;
const HEALTH_TIMEOUT_MS = 2000;
/**
 * A Socket.IO connection that arrives while no live process is ready (one restarting) is held this long for
 * it, instead of a 503 that sends the client into its back-off (up to 5 s between attempts) after the live
 * process is back; below Socket.IO's own 20-s connection timeout. At most this many are held at once.
 */
const HOLD_FOR_LIVE_MS = 15_000;
const MAX_HELD_FOR_LIVE = 50_000;
const PROCESSES_FILE = 'sidecar-processes.json';
const RESTARTING = { error: 'unavailable', message: 'The sidecar is restarting; try again shortly' };

export interface SupervisorOptions {
  port: number;
  host: string;
  /** Live processes to run (SIDECAR_LIVE_PROCESSES). */
  liveProcesses: number;
  /** Niceness of the live processes (SIDECAR_LIVE_NICENESS): the front, intake and database stay at the sidecar's own. */
  liveNiceness: number;
  /** No DATABASE_URL: run the embedded database in a process of its own. */
  embedded: boolean;
  /** Where sidecar-processes.json goes (DATA_DIR). */
  dataDir: string;
  /** The embedded database's loopback port (PGLITE_PORT; 0: a free one, kept across its restarts). */
  pglitePort: number;
  logger: Logger;
}

interface Member {
  role: Role;
  child: ChildProcess;
  ready: boolean;
  startedAt: number;
  /** Health requests it has not answered: told at once when its channel closes. */
  awaitingHealth: Set<() => void>;
}

export interface Supervisor {
  address: net.AddressInfo;
  stop(): Promise<void>;
}

export async function startSupervisor(options: SupervisorOptions): Promise<Supervisor> {
  const { logger } = options;
  const members = new Set<Member>();
  const restartDelay = new Map<Role | string, number>();
  let databaseUrl: string | undefined;
  let pglitePort = options.pglitePort;
  let stopping = false;
  let nextLive = 0;
  let nextHealthId = 0;
  const heldForLive = new Set<{ socket: net.Socket; bytes: Buffer; timer: NodeJS.Timeout }>();
  const healthWaiters = new Map<number, (answer: { status: number; body: Record<string, unknown> }) => void>();
  const processesFile = path.join(path.resolve(options.dataDir), PROCESSES_FILE);

  const ready = (role: Role) => [...members].filter((member) => member.role === role && member.ready);

  async function writeProcessesFile(): Promise<void> {
    const list = [{ role: 'front', pid: process.pid }, ...[...members].map((member) => ({ role: member.role, pid: member.child.pid }))];
    try {
      await mkdir(path.dirname(processesFile), { recursive: true });
      const temporary = `${processesFile}.${randomUUID()}`;
      await writeFile(temporary, JSON.stringify(list));
      await rename(temporary, processesFile);
    } catch (error) {
      logger.warn({ err: error }, 'could not write the list of processes');
    }
  }

  /**
   * Sends a notice to a child whose channel is open; false when it is not. A child that is going away
   * (killed: its channel closes before its exit is seen) must not take the front with it: a send on a
   * closed channel without a callback is an 'error' event, which unhandled ended this process.
   */
  function sendTo(child: ChildProcess, message: RoleMessage): boolean {
    if (!child.connected) return false;
    child.send(message, (error) => {
      if (error) logger.debug({ err: error, pid: child.pid, type: message.type }, 'a notice did not reach a process that is going away');
    });
    return true;
  }

  function relay(from: Member, message: RoleMessage): void {
    for (const member of members) {
      if (member !== from && member.ready && member.role !== 'database') sendTo(member.child, message);
    }
  }

  function yieldToIntake(child: ChildProcess): void {
    if (options.liveNiceness === 0 || child.pid === undefined) return;
    try {
      lowerPriority(child.pid, options.liveNiceness);
    } catch (error) {
      logger.warn({ err: error, pid: child.pid }, 'could not lower the live process\'s priority; it competes with intake for the CPU');
    }
  }

  /** Starts a process of a role; resolves once it is ready, rejects if it exits first. */
  function spawnMember(role: Role, index = 0, awaitDatabase = false): Promise<Member> {
    const env: NodeJS.ProcessEnv = { ...process.env, SIDECAR_ROLE: role };
    if (awaitDatabase) env.SIDECAR_ROLE_AWAIT_DATABASE = '1';
    if (role === 'database') env.PGLITE_PORT = String(pglitePort);
    else if (databaseUrl) env.SIDECAR_ROLE_DATABASE_URL = databaseUrl;
    // The loader this process runs under (tsx) and its other flags carry over to the children.
    const child = fork(ENTRY[role], [], { env, execArgv: process.execArgv, serialization: 'json' });
    // The channel's own errors (a send racing the child's death): the exit below is what matters.
    child.on('error', (error) => logger.warn({ err: error, role, pid: child.pid }, 'process channel error'));
    const member: Member = { role, child, ready: false, startedAt: Date.now(), awaitingHealth: new Set() };
    child.on('disconnect', () => {
      for (const exited of [...member.awaitingHealth]) exited();
    });
    members.add(member);
    void writeProcessesFile();
    return new Promise((resolve, reject) => {
      child.on('message', (raw) => {
        const message = parseRoleMessage(raw);
        if (!message) return;
        if (message.type === 'roles:ready') {
          if (message.connectionString) {
            databaseUrl = message.connectionString;
            pglitePort = Number(new URL(databaseUrl).port);
          }
          member.ready = true;
          logger.info({ role, pid: child.pid }, 'process ready');
          if (role === 'live') {
            // Intake and the database before the fan-out when the cores are full (SIDECAR_LIVE_NICENESS).
            // Not before it is ready: starting (loading the read model) beside others' starts would drag.
            yieldToIntake(child);
            releaseHeld(member);
          }
          // A live process takes the intake's simulated clock, whichever of the two was ready first.
          const intake = ready('intake')[0];
          if (role !== 'database' && intake) sendTo(intake.child, { type: 'roles:clock-request' } satisfies RoleMessage);
          resolve(member);
        } else if (message.type === 'roles:stopping') {
          member.ready = false;
        } else if (message.type === 'roles:changes' || message.type === 'roles:clock') {
          relay(member, message);
        } else if (message.type === 'roles:health') {
          healthWaiters.get(message.id)?.({ status: message.status, body: message.body });
        } else if (message.type === 'roles:summary-request') {
          void health().then((answer) => {
            sendTo(child, { type: 'roles:summary', id: message.id, ...answer } satisfies RoleMessage);
          });
        }
      });
      child.once('exit', (code, signal) => {
        members.delete(member);
        void writeProcessesFile();
        reject(new Error(`${role} process exited (${signal ?? code}) before it was ready`));
        if (stopping) return;
        // Back off a process that keeps dying; one that ran a while restarts at once.
        const key = `${role}:${index}`;
        const delay = Date.now() - member.startedAt > 10_000 ? 100 : Math.min(5000, (restartDelay.get(key) ?? 100) * 2);
        restartDelay.set(key, delay);
        logger.error({ role, pid: child.pid, code, signal, restartInMs: delay }, 'process exited; restarting');
        setTimeout(() => {
          if (!stopping) spawnMember(role, index).catch((error) => logger.error({ err: error, role }, 'restart failed'));
        }, delay).unref();
      });
    });
  }

  // Intake and live processes load side by side. On a server the intake process migrates and seeds, so
  // the first live processes wait for it before touching the database.
  if (options.embedded) await spawnMember('database');
  const live = Array.from({ length: options.liveProcesses }, (_, i) => spawnMember('live', i, !options.embedded));
  await spawnMember('intake');
  if (!options.embedded) {
    for (const member of members) if (member.role === 'live') sendTo(member.child, { type: 'roles:database-ready' } satisfies RoleMessage);
  }
  await Promise.all(live);

  async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
    const asked = [...members].filter((member) => member.ready && member.role !== 'database');
    const answers = await Promise.all(asked.map((member) => new Promise<Record<string, unknown>>((resolve) => {
      const id = nextHealthId++;
      const { child } = member;
      const settle = (answer: Record<string, unknown>) => {
        clearTimeout(timer);
        healthWaiters.delete(id);
        member.awaitingHealth.delete(exited);
        resolve({ ...answer, role: member.role, pid: child.pid });
      };
      // A process whose channel closes (it died) will not answer: say so at once, not after the timeout.
      const exited = () => settle({ status: 'exited' });
      const timer = setTimeout(() => settle({ status: 'unresponsive' }), HEALTH_TIMEOUT_MS);
      healthWaiters.set(id, (answer) => settle(answer.body));
      member.awaitingHealth.add(exited);
      if (!sendTo(child, { type: 'roles:health-request', id } satisfies RoleMessage)) exited();
    })));
    const ok = (role: Role) => answers.some((answer) => answer.role === role && answer.status === 'ok');
    const seqs = answers.map((answer) => (typeof answer.seq === 'number' ? answer.seq : -1));
    const everyRole = ok('intake') && (options.liveProcesses === 0 || ok('live'));
    return {
      // Unavailable only when no process can serve; one role down is degraded (the other takes its work).
      status: answers.some((answer) => answer.status === 'ok') ? 200 : 503,
      body: {
        status: everyRole ? 'ok' : answers.some((answer) => answer.status === 'ok') ? 'degraded' : 'unavailable',
        seq: Math.max(-1, ...seqs),
        database: options.embedded ? 'embedded' : 'server',
        viewers: answers.reduce((sum, answer) => sum + (answer.role === 'live' && typeof answer.viewers === 'number' ? answer.viewers : 0), 0),
        leader: answers.some((answer) => answer.leader === true),
        processes: answers.map((answer) => ({ role: answer.role, pid: answer.pid, status: answer.status, seq: answer.seq, viewers: answer.viewers })),
      },
    };
  }

  function answer(socket: net.Socket, status: number, body: unknown, method = 'GET'): void {
    const text = JSON.stringify(body);
    const reason = status === 200 ? 'OK' : status === 503 ? 'Service Unavailable' : 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n`
      // The headers every answer of the sidecar carries (server/sidecar.ts).
      + `cache-control: no-store\r\nx-content-type-options: nosniff\r\ncontent-security-policy: default-src 'none'; frame-ancestors 'none'\r\n`
      + `connection: close\r\n\r\n${method === 'HEAD' ? '' : text}`,
    );
  }

  function handOver(socket: net.Socket, head: Buffer, destination: 'intake' | 'live', socketIo: boolean): void {
    // Every process serves every route: a role that is down (restarting) costs isolation, not service.
    // Socket.IO connections wait for a live process instead (clients reconnect with back-off).
    const live = ready('live');
    const intake = ready('intake');
    const pickLive = () => (live.length > 0 ? live[nextLive++ % live.length] : undefined);
    const target = destination === 'live' ? pickLive() ?? (socketIo ? undefined : intake[0]) : intake[0] ?? pickLive();
    if (!target?.child.connected) {
      if (socketIo && destination === 'live' && options.liveProcesses > 0 && !stopping && heldForLive.size < MAX_HELD_FOR_LIVE) {
        hold(socket, stopReading(socket, head));
        return;
      }
      answer(socket, 503, RESTARTING);
      return;
    }
    sendConnection(target, socket, stopReading(socket, head));
  }

  function sendConnection(target: Member, socket: net.Socket, bytes: Buffer): void {
    target.child.send({ type: 'roles:connection', head: bytes.toString('base64') } satisfies RoleMessage, socket, (error) => {
      if (error) socket.destroy();
    });
  }

  /** Keeps a Socket.IO connection (not reading it) until a live process is ready, or answers 503 in the end. */
  function hold(socket: net.Socket, bytes: Buffer): void {
    const held = {
      socket, bytes,
      timer: setTimeout(() => {
        heldForLive.delete(held);
        answer(socket, 503, RESTARTING);
      }, HOLD_FOR_LIVE_MS),
    };
    heldForLive.add(held);
  }

  /** Hands the held connections to a live process that has just become ready (Node sends them one by one). */
  function releaseHeld(live: Member): void {
    if (heldForLive.size === 0) return;
    logger.info({ connections: heldForLive.size, pid: live.child.pid }, 'handing held connections to the live process');
    for (const held of heldForLive) {
      clearTimeout(held.timer);
      if (!held.socket.destroyed && live.child.connected) sendConnection(live, held.socket, held.bytes);
      else held.socket.destroy();
    }
    heldForLive.clear();
  }

  /**
   * Stops this process reading the connection for good before its handle goes to another process, and
   * returns the head with whatever was already read after it. Node's pause() stops only the 'data' events:
   * the handle goes on reading into the stream's buffer (the stream starts it again to refill that buffer,
   * also while the socket waits in Node's queue for an earlier hand-over's acknowledgement) and, once sent,
   * into a no-op until the child acknowledges it. Bytes a client sent in that window were lost: a
   * WebSocket's CONNECT, sent the moment the live process has answered the upgrade, so that viewer hung
   * half-connected (1 of 30 viewers in a reconnect storm), or a pipelined request. Node has no public call
   * for it: readStop() is what pause() itself calls for sockets that read into their own buffer, and
   * `reading` is the flag the stream checks before starting the handle again.
   */
  function stopReading(socket: net.Socket, head: Buffer): Buffer {
    // The private handle of a connected net.Socket (a libuv TCP handle): see above for why it is used.
    const handle = (socket as unknown as { _handle?: { reading?: boolean; readStop?: () => number } })._handle;
    socket.pause();
    if (handle?.readStop) {
      handle.readStop();
      // Not reading; marked as reading so that the stream never starts the handle again in this process.
      handle.reading = true;
    }
    // A socket without an encoding reads Buffers.
    const buffered = socket.readableLength > 0 ? (socket.read(socket.readableLength) as Buffer | null) : null;
    return buffered ? Buffer.concat([head, buffered]) : head;
  }

  const server = net.createServer((socket) => {
    let head = Buffer.alloc(0);
    socket.setTimeout(HEAD_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const line = parseRequestLine(head);
      if (line === 'incomplete' || (line && !hasWholeHead(head) && head.length < MAX_HEAD_BYTES)) return;
      socket.off('data', onData);
      socket.setTimeout(0);
      if (!line) {
        answer(socket, 400, { error: 'bad_request', message: 'Not an HTTP/1.1 request' });
        return;
      }
      const destination = chooseDestination(line);
      if (destination === 'supervisor') {
        socket.pause();
        void health().then((result) => answer(socket, result.status, result.body, line.method));
        return;
      }
      handOver(socket, head, destination, line.path.startsWith('/socket.io/'));
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  await writeProcessesFile();

  return {
    // Listening on a TCP port: address() is an AddressInfo, never a pipe name or null.
    address: server.address() as net.AddressInfo,
    async stop() {
      stopping = true;
      // No new connections. Not waiting for close() to call back: it waits for every connection handed to a
      // child to end there, and a keep-alive client's idle connection ends only when the child closes it,
      // which it does on the SIGTERM below. Waiting first held every stop until the 20-s force exit.
      server.close();
      for (const held of heldForLive) {
        clearTimeout(held.timer);
        held.socket.destroy();
      }
      heldForLive.clear();
      // Serving processes first (their requests finish, their viewers are told to go), the database last.
      const exited = (member: Member) => new Promise<void>((resolve) => {
        if (member.child.exitCode !== null || member.child.signalCode !== null) resolve();
        else member.child.once('exit', () => resolve());
      });
      const serving = [...members].filter((member) => member.role !== 'database');
      serving.forEach((member) => member.child.kill('SIGTERM'));
      await Promise.all(serving.map(exited));
      const database = [...members].filter((member) => member.role === 'database');
      database.forEach((member) => member.child.kill('SIGTERM'));
      await Promise.all(database.map(exited));
      // Only our own list: another sidecar may have written one since.
      const current = await readFile(processesFile, 'utf8').catch(() => '');
      if (current.includes(`"pid":${process.pid}}`)) await rm(processesFile, { force: true });
    },
  };
}
