// The floor the issue asks us to compare with: a bare Socket.IO server (default options) that broadcasts
// every report, as it arrives, to every viewer — no database, no read model, no rooms, no coalescing. Its
// "commit" is the moment it has parsed the report; the broadcast carries that time, so a viewer measures
// latency from the message itself.
import http from 'node:http';
import { Server } from 'socket.io';
import { COMMITTED_AT_HEADER } from './coverage.ts';
import { serveCommands } from './ipc.ts';
import { probeSelf } from './probe.ts';

export interface NaiveMessage {
  seq: number;
  committedAt: number;
  report: unknown;
}

const port = Number(process.env.NAIVE_PORT ?? 0);
let seq = 0;

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
    io.emit('report', { seq, committedAt, report } satisfies NaiveMessage);
    response.writeHead(201, { 'content-type': 'application/json', [COMMITTED_AT_HEADER]: String(committedAt) });
    response.end(JSON.stringify({ seq, status: 'created' }));
  });
});
const io = new Server(server, { serveClient: false });

await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
serveCommands({
  probe: ({ collect }: { collect?: boolean }) => ({ ...probeSelf(Boolean(collect)), viewers: io.engine.clientsCount }),
  address: () => server.address(),
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
