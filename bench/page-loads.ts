// Page loads at the peak (issue 18): how many overview loads a second one web process serves bare and
// behind a shared cache (Debian's nginx, bench/nginx.conf), what a first load costs in bytes (HTML and
// JavaScript, gzipped) and what the snapshot weighs. The stack is the built app: a sidecar on a fresh
// embedded database with the 2023 night replayed into it (to 00:30 by default, the watchlist behind), and
// `scripts/web-server.ts` as `npm run start:web` runs it. Used by bench/page-loads-cli.ts
// (`npm run bench:pages`); the main bench can include the figures through these types.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { z } from 'zod';
import { repoRoot, spawnBenchProcess, type BenchProcess } from './ipc.ts';
import { GOALS } from './report.ts';
import { assertPortFree, startSidecar, waitForHttp, type SidecarUnderTest } from './stack.ts';

export interface PageLoadRow {
  /** What was measured, e.g. "overview, one web process (shared render cache)". */
  scenario: string;
  url: string;
  connections: number;
  seconds: number;
  loadsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 2xx, plus errors and timeouts. */
  failures: number;
  /** Goal in loads/s, where the issue sets one. */
  goal: number | null;
  verdict: 'met' | 'missed' | 'no goal';
  /** Load average (1 min) right after the row ran: the box is shared. */
  loadAverage: number;
}

export interface PageLoadBytes {
  htmlBytes: number;
  htmlGzipBytes: number;
  htmlBrotliBytes: number;
  /** The scripts the overview's HTML loads (script src), each gzipped as a server would. */
  firstLoadJsBytes: number;
  firstLoadJsGzipBytes: number;
  firstLoadJsGoalGzipBytes: number;
  snapshotBytes: number;
  snapshotGzipBytes: number;
  snapshotBrotliBytes: number;
  /** Municipalities in the snapshot, and in the overview's first screen as served. */
  municipalities: number;
}

export interface PageLoadReport {
  measuredAt: string;
  replayedUntil: string;
  rows: PageLoadRow[];
  bytes: PageLoadBytes;
  /** Headers of the overview as nginx served it (cache status, Cache-Control, ETag). */
  cacheHeaders: Record<string, string>;
  notes: string[];
}

export interface PageLoadOptions {
  portBase: number;
  /** Seconds per autocannon run. */
  seconds: number;
  connections: number;
  /** Simulated time to replay the 2023 night to before measuring, e.g. "00:30". */
  until: string;
  /** Skip nginx (no shared-cache row) when it cannot be installed. */
  nginx: boolean;
  log: (line: string) => void;
}

export const PAGE_LOAD_GOALS = { bare: GOALS.pageLoadsPerSecond, cached: 5000, firstLoadJsGzipBytes: GOALS.firstLoadJsBytes } as const;

/**
 * The scripts a browser fetches to start the page: every `<script src>` of the HTML except `nomodule` ones
 * (Next's legacy polyfills, about 39 KB gzipped), which every browser that runs ES modules, and so the page,
 * skips — Chromium does not request them.
 */
export function firstLoadScripts(html: string): string[] {
  const sources: string[] = [];
  for (const [, attributes = ''] of html.matchAll(/<script\b([^>]*)>/gi)) {
    const src = /\ssrc="([^"]+)"/i.exec(attributes)?.[1];
    if (src !== undefined && !/\snomodule\b/i.test(attributes)) sources.push(src);
  }
  return [...new Set(sources)];
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A GET that leaves the body as sent (fetch would decompress it), to count bytes on the wire. */
function getRaw(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: incoming.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) });
      });
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function measureBytes(webUrl: string, sidecarUrl: string): Promise<PageLoadBytes> {
  const html = await getRaw(`${webUrl}/`);
  const gz = await getRaw(`${webUrl}/`, { 'accept-encoding': 'gzip' });
  const br = await getRaw(`${webUrl}/`, { 'accept-encoding': 'br' });
  const scripts = firstLoadScripts(html.body.toString('utf8'));
  let js = 0;
  let jsGzip = 0;
  for (const src of scripts) {
    const script = await getRaw(new URL(src, webUrl).href);
    js += script.body.length;
    jsGzip += gzipSync(script.body, { level: 9 }).length;
  }
  const snapshot = await getRaw(`${sidecarUrl}/api/v1/snapshot`);
  const snapshotGzip = await getRaw(`${sidecarUrl}/api/v1/snapshot`, { 'accept-encoding': 'gzip' });
  const snapshotBrotli = await getRaw(`${sidecarUrl}/api/v1/snapshot`, { 'accept-encoding': 'br' });
  const municipalities = z.object({ municipalities: z.array(z.unknown()) }).parse(JSON.parse(snapshot.body.toString('utf8'))).municipalities.length;
  return {
    htmlBytes: html.body.length, htmlGzipBytes: gz.body.length, htmlBrotliBytes: br.body.length,
    firstLoadJsBytes: js, firstLoadJsGzipBytes: jsGzip, firstLoadJsGoalGzipBytes: PAGE_LOAD_GOALS.firstLoadJsGzipBytes,
    snapshotBytes: snapshot.body.length, snapshotGzipBytes: snapshotGzip.body.length, snapshotBrotliBytes: snapshotBrotli.body.length,
    municipalities,
  };
}

async function load(scenario: string, url: string, options: PageLoadOptions, goal: number | null): Promise<PageLoadRow> {
  options.log(`autocannon: ${scenario}, ${options.connections} connections, ${options.seconds} s`);
  const result = await autocannon({
    url, connections: options.connections, duration: options.seconds,
    // As a browser asks: compressed, a document.
    headers: { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' },
  });
  const failures = result.non2xx + result.errors + result.timeouts;
  const loadsPerSecond = Math.round(result.requests.average);
  return {
    scenario, url, connections: options.connections, seconds: options.seconds, loadsPerSecond,
    p50Ms: result.latency.p50, p99Ms: result.latency.p99, failures, goal,
    verdict: goal === null ? 'no goal' : loadsPerSecond >= goal && failures === 0 ? 'met' : 'missed',
    // loadavg() always gives the 1, 5 and 15 minute averages.
    loadAverage: Number(loadavg()[0]!.toFixed(2)),
  };
}

async function replayNight(sidecar: SidecarUnderTest, until: string, dir: string, log: (line: string) => void): Promise<void> {
  const tokensFile = path.join(dir, 'tokens.json');
  await writeFile(tokensFile, JSON.stringify(sidecar.tokens));
  log(`replaying the 2023 night to ${until} at max speed`);
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(repoRoot, 'scripts/replay.ts'),
    '--url', sidecar.baseUrl, '--tokens', tokensFile, '--speed', 'max', '--until', until], {
    cwd: repoRoot, env: { ...process.env, CLOCK_CONTROL_TOKEN: sidecar.clockToken }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the replay exited with ${code}`);
}

/** Debian's nginx, installed if missing (scripts/ensure-nginx.sh, as root); false when it cannot be. */
export function ensureNginx(): boolean {
  return spawnSync('bash', [path.join(repoRoot, 'scripts/ensure-nginx.sh')], { stdio: 'inherit' }).status === 0;
}

async function startNginx(dir: string, ports: { port: number; web: number; sidecar: number }): Promise<ChildProcess> {
  const template = await readFile(path.join(repoRoot, 'bench/nginx.conf'), 'utf8');
  const config = template.replaceAll('@DIR@', dir).replaceAll('@PORT@', String(ports.port)).replaceAll('@WEB_PORT@', String(ports.web))
    .replaceAll('@SIDECAR_PORT@', String(ports.sidecar)).replaceAll('@WORKERS@', '2');
  const file = path.join(dir, 'nginx.conf');
  await writeFile(file, config);
  // Workers drop to an unprivileged user when nginx starts as root: they must write the cache folder.
  await chmod(dir, 0o777);
  const binary = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
  const child = spawn(binary, ['-c', file, '-p', dir, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'inherit'] });
  // A binary that is not there is an 'error' event, which would end the whole bench unheard.
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`nginx (${binary}) could not be started: ${error.message}`)));
  });
  return child;
}

export async function measurePageLoads(options: PageLoadOptions): Promise<PageLoadReport> {
  const ports = { web: options.portBase, sidecar: options.portBase + 1, nginx: options.portBase + 2 };
  for (const port of Object.values(ports)) await assertPortFree(port);
  const dir = await mkdtemp(path.join(tmpdir(), 'valgvakt-pages-'));
  const notes: string[] = [];
  let sidecar: SidecarUnderTest | undefined;
  let web: BenchProcess | undefined;
  let nginx: ChildProcess | undefined;
  try {
    sidecar = await startSidecar({ port: ports.sidecar, database: 'pglite', clockSpeed: 0, label: 'sidecar' });
    await replayNight(sidecar, options.until, dir, options.log);
    const webEnv = { PORT: String(ports.web), WEB_HOST: '127.0.0.1', SIDECAR_URL: sidecar.baseUrl, SIDECAR_PUBLIC_URL: sidecar.baseUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' };
    web = spawnBenchProcess('web', 'scripts/web-server.ts', { output: 'ignore', env: webEnv });
    const webUrl = `http://127.0.0.1:${ports.web}`;
    await waitForHttp(`${webUrl}/`, 120_000, web.exited);
    const bytes = await measureBytes(webUrl, sidecar.baseUrl);
    options.log(`overview: HTML ${bytes.htmlBytes} B (${bytes.htmlGzipBytes} B gzipped), first-load JS ${bytes.firstLoadJsGzipBytes} B gzipped; snapshot ${bytes.snapshotBytes} B (${bytes.snapshotGzipBytes} B gzipped)`);

    const rows: PageLoadRow[] = [];
    rows.push(await load('overview, one web process (shared render cache)', `${webUrl}/`, options, PAGE_LOAD_GOALS.bare));
    rows.push(await load('snapshot, one sidecar (precompressed)', `${sidecar.baseUrl}/api/v1/snapshot`, options, null));
    let cacheHeaders: Record<string, string> = {};
    if (options.nginx) {
      nginx = await startNginx(dir, { port: ports.nginx, web: ports.web, sidecar: ports.sidecar });
      const cachedUrl = `http://127.0.0.1:${ports.nginx}`;
      await waitForHttp(`${cachedUrl}/`, 30_000);
      // Twice: the second answer comes from the cache.
      await getRaw(`${cachedUrl}/`, { 'accept-encoding': 'gzip, deflate, br' });
      const { headers } = await getRaw(`${cachedUrl}/`, { 'accept-encoding': 'gzip, deflate, br' });
      cacheHeaders = Object.fromEntries(['x-cache-status', 'cache-control', 'etag', 'vary', 'content-encoding', 'age'].flatMap((name) => (headers[name] ? [[name, headers[name]]] : [])));
      rows.push(await load('overview behind nginx (shared cache)', `${cachedUrl}/`, options, PAGE_LOAD_GOALS.cached));
      rows.push(await load('snapshot behind nginx (shared cache)', `${cachedUrl}/api/v1/snapshot`, options, null));
    } else {
      notes.push('nginx was not run (--no-nginx): no shared-cache rows');
    }
    // The baseline, last (renders still queued when it ends would weigh on the rows after it): a second web
    // process without the shared render, so every load renders, as before this cache.
    await web.stop();
    web = spawnBenchProcess('web-uncached', 'scripts/web-server.ts', { output: 'ignore', env: { ...webEnv, PAGE_CACHE: 'off' } });
    await waitForHttp(`${webUrl}/`, 120_000, web.exited);
    const uncached = await getRaw(`${webUrl}/`);
    notes.push(`without the shared render the overview would be rendered per load, privately (${uncached.headers['cache-control'] ?? 'no Cache-Control'})`);
    rows.push(await load('overview, one web process without the shared render (every load renders: the baseline)', `${webUrl}/`, options, null));
    notes.push('autocannon runs in this process on the same two cores as the servers and nginx; the load average is per row');
    return { measuredAt: new Date().toISOString(), replayedUntil: options.until, rows, bytes, cacheHeaders, notes };
  } finally {
    const running = nginx;
    if (running && running.exitCode === null) {
      running.kill('SIGQUIT');
      await new Promise((resolve) => running.once('exit', resolve));
    }
    await web?.stop();
    await sidecar?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
