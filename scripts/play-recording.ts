// npm run play-recording -- [--speed 60] [--from 21:00] [--port 4100] [--freeze K@HH:MM]… [--correction K@HH:MM]…
// [--outage HH:MM-HH:MM]…: serves the recorded 2025 election night (SOURCES.md §6) as valgresultat.no's API
// would, on a recorded clock, with incidents staged on request (docs/official-feed.md, "Playing the night
// back"). The logic is lib/official-feed/playback.ts; this file is the HTTP around it.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { readRecording } from '../data/official-recording.ts';
import type { RecordedLine } from '../lib/official-feed/feed-2025.ts';
import {
  answerAt, checkIncidents, describeIncident, describePlayback, formatNightIso, indexRecording, parsePlaybackArgs,
  PLAYBACK_USAGE, PlaybackUsageError, recordedTimeAt, type PlaybackClock, type PlaybackIncident, type RecordingIndex,
} from '../lib/official-feed/playback.ts';
import { errorCode, errorMessage } from '../lib/error-message.ts';

export type StartPlaybackOptions = {
  /** The recording's lines; default: the shipped recording (data/official-recording.ts). */
  lines?: readonly RecordedLine[];
  speed: number;
  /** Recorded time the clock starts at. */
  from: Date;
  /** 0 = any free port. */
  port: number;
  host?: string;
  incidents?: PlaybackIncident[];
  /** Wall clock in ms (default Date.now); tests pass their own to step the recorded time. */
  wallClock?: () => number;
};

export type Playback = {
  /** Base URL, e.g. http://127.0.0.1:4100 (bodies are under /api). */
  url: string;
  port: number;
  index: RecordingIndex;
  recordedNow(): Date;
  close(): Promise<void>;
};

type Served = { text: string; etag: string };

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}, head = false): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache', ...headers });
  res.end(head ? undefined : text);
}

/** True when `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this header) or is `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/** Starts the playback server; throws (naming the flag) when an incident does not fit the recording. */
export async function startPlayback(options: StartPlaybackOptions): Promise<Playback> {
  const index = indexRecording(options.lines ?? (await readRecording()));
  const incidents = options.incidents ?? [];
  const problems = checkIncidents(index, incidents);
  if (problems.length > 0) throw new PlaybackUsageError(problems.join('\n'));
  const wallClock = options.wallClock ?? Date.now;
  const clock: PlaybackClock = { from: options.from, speed: options.speed, wallStart: wallClock() };
  const recordedNow = () => recordedTimeAt(clock, wallClock());
  // Serialised bodies and their ETags by the answer's key (a recorded line, or a line with its correction):
  // the same key always has the same bytes, so each is hashed once.
  const served = new Map<string, Served>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) return sendJson(res, 405, { error: `method ${req.method} not allowed: the feed is read-only (GET, HEAD)` }, { Allow: 'GET, HEAD' });
    const path = new URL(req.url ?? '/', 'http://playback').pathname;
    const t = recordedNow();
    // The playback's own state stays readable during an outage: it is not part of the feed.
    if (path === '/_playback') return sendJson(res, 200, describePlayback(index, clock, incidents, t), {}, head);
    const isApi = path === '/api' || path.startsWith('/api/');
    const answer = answerAt(index, incidents, isApi ? path.slice('/api'.length) || '/' : path, t);
    // During an outage every request fails, whatever it asks for.
    // Retry-After in wall seconds: 60 recorded seconds are 1 s at 60× (a client that waited 60 wall seconds
    // would sit out an hour of the night, far past a ten-minute outage).
    if (answer.status === 503) return sendJson(res, 503, { error: answer.error }, { 'Retry-After': String(Math.max(1, Math.ceil(answer.retryAfterSeconds / clock.speed))) }, head);
    if (!isApi) return sendJson(res, 404, { error: `not an API path: ${path} (bodies are under /api, e.g. /api/2025/st)` }, {}, head);
    if (answer.status === 404) return sendJson(res, 404, { error: answer.error, path }, {}, head);
    let body = served.get(answer.key);
    if (!body) {
      const text = JSON.stringify(answer.body);
      body = { text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
      served.set(answer.key, body);
    }
    const headers = { ETag: body.etag, 'Cache-Control': 'no-cache', 'X-Playback-Polled-At': formatNightIso(answer.polledAt) };
    if (matchesEtag(req.headers['if-none-match'], body.etag)) {
      res.writeHead(304, headers);
      return res.end();
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body.text) });
    res.end(head ? undefined : body.text);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      // Not expected (every answer is computed from the checked recording); say so rather than hang.
      if (!res.headersSent) sendJson(res, 500, { error: `playback failed: ${errorMessage(error)}` });
      else res.destroy(error instanceof Error ? error : new Error(errorMessage(error)));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('play-recording: the server is not listening on a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    index,
    recordedNow,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}

async function main(argv: string[]): Promise<void> {
  let options;
  try {
    options = parsePlaybackArgs(argv);
  } catch (error) {
    if (!(error instanceof PlaybackUsageError)) throw error;
    if (error.message === PLAYBACK_USAGE) {
      console.log(PLAYBACK_USAGE);
      process.exit(0);
    }
    console.error(`${error.message}\n\n${PLAYBACK_USAGE}`);
    process.exit(2);
  }
  let playback: Playback;
  try {
    playback = await startPlayback(options);
  } catch (error) {
    if (error instanceof PlaybackUsageError) {
      console.error(error.message);
      process.exit(2);
    }
    const code = errorCode(error);
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      console.error(`--port ${options.port}: cannot listen on ${options.host}:${options.port} (${code})`);
      process.exit(2);
    }
    throw error;
  }
  const { index } = playback;
  const incidents = options.incidents.map((i) => describeIncident(i)).join(', ') || 'none';
  console.log(`play-recording: ${playback.url}/api/2025/st — recorded ${formatNightIso(index.first)} to ${formatNightIso(index.last)} (${index.lines} bodies, ${index.paths.size} paths), from ${formatNightIso(options.from)} at ${options.speed}×, incidents: ${incidents}`);
  const stop = () => void playback.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// The CLI runs only when this file is the entry point, so tests can import startPlayback.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
