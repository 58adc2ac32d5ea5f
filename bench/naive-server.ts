// The floor the issue asks us to compare with: a bare Socket.IO server that broadcasts every report, as it
// arrives, to every viewer — no database, no read model, no rooms, no coalescing. Its "commit" is the
// moment it has parsed the report (sent back in the same header as ours). It gets the treatment ours
// gets: WebSocket only and connection-state recovery on, with the same settings as server/sidecar.ts,
// and its message padded to the bytes per report our viewers got in the same cell (`pad`), so neither
// side wins on bytes.
import http from 'node:http';
import { Server } from 'socket.io';
import { COMMITTED_AT_HEADER } from './coverage.ts';
import { serveCommands } from './ipc.ts';
import { probeSelf } from './probe.ts';

export interface NaiveMessage {
  seq: number;
  committedAt: number;
  report: unknown;
  /** Filler up to the bytes per report Valgvakt's viewers got in the same cell. */
  pad?: string;
}

const port = Number(process.env.NAIVE_PORT ?? 0);
let seq = 0;
/** Serialized message size to pad up to (0: no padding). */
let padTo = 0;

function message(report: unknown, committedAt: number): NaiveMessage {
  const bare: NaiveMessage = { seq, committedAt, report };
  const missing = padTo - Buffer.byteLength(JSON.stringify(bare)) - ',"pad":""'.length;
  return missing > 0 ? { ...bare, pad: 'x'.repeat(missing) } : bare;
}

const server = http.createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/report') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let report: unknown;
    try {
      report = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400).end();
      return;
    }
    seq += 1;
    const committedAt = Date.now();
    io.emit('report', message(report, committedAt));
    response.writeHead(201, { 'content-type': 'application/json', [COMMITTED_AT_HEADER]: String(committedAt) });
    response.end(JSON.stringify({ seq, status: 'created' }));
  });
});
const io = new Server(server, {
  serveClient: false,
  transports: ['websocket'],
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
});

await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
serveCommands({
  probe: ({ collect }: { collect?: boolean }) => ({ ...probeSelf(Boolean(collect)), viewers: io.engine.clientsCount }),
  address: () => server.address(),
  pad: ({ bytes }: { bytes: number }) => {
    padTo = Math.max(0, Math.round(bytes));
    return { padTo };
  },
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
