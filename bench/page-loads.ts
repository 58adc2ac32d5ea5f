// Page loads: what a visitor's first load of the public overview costs — its HTML and the JavaScript it
// loads (gzipped, as a CDN would serve them), how many loads a second one bare web process serves — and
// the bytes of the snapshot the live socket starts from. A minimal measurement: the page-load work of
// issue 18 (branch `pages`) replaces this file with its own, keeping these exported types.
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';

export interface PageLoadRow {
  page: string;
  path: string;
  status: number;
  htmlBytes: number;
  htmlGzipBytes: number;
  /** The scripts the HTML loads (`<script src>`), summed. */
  scripts: number;
  jsBytes: number;
  jsGzipBytes: number;
  /** autocannon against the page, when measured. */
  loadsPerSecond: number | null;
  latencyP50: number | null;
  latencyP99: number | null;
  connections: number;
  seconds: number;
  cacheControl: string | null;
}

export interface PageLoadReport {
  /** Web process measured (a production build was there to start). */
  web: boolean;
  rows: PageLoadRow[];
  snapshotBytes: number | null;
  snapshotGzipBytes: number | null;
  notes: string[];
}

export interface PageLoadOptions {
  /** The web process (null: none running, e.g. no production build). */
  webUrl: string | null;
  sidecarUrl: string;
  pages: Array<{ page: string; path: string }>;
  seconds: number;
  connections: number;
}

const gzipped = (body: Buffer) => gzipSync(body, { level: 6 }).length;

/** The `src` of every script tag, absolute, in order (duplicates once). */
export function scriptSources(html: string, base: string): string[] {
  const sources = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) sources.add(new URL(match[1]!.replace(/&amp;/g, '&'), base).href);
  return [...sources];
}

async function body(url: string): Promise<{ status: number; bytes: Buffer; cacheControl: string | null }> {
  const response = await fetch(url);
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), cacheControl: response.headers.get('cache-control') };
}

export async function measurePageLoads(options: PageLoadOptions): Promise<PageLoadReport> {
  const notes: string[] = [];
  const snapshot = await body(`${options.sidecarUrl}/api/v1/snapshot`);
  const report: PageLoadReport = {
    web: options.webUrl !== null, rows: [], notes,
    snapshotBytes: snapshot.status === 200 ? snapshot.bytes.length : null,
    snapshotGzipBytes: snapshot.status === 200 ? gzipped(snapshot.bytes) : null,
  };
  if (snapshot.status !== 200) notes.push(`GET /api/v1/snapshot answered ${snapshot.status}`);
  if (!options.webUrl) return report;
  for (const { page, path } of options.pages) {
    const url = `${options.webUrl}${path}`;
    const html = await body(url);
    let jsBytes = 0;
    let jsGzipBytes = 0;
    const sources = scriptSources(html.bytes.toString('utf8'), url);
    for (const source of sources) {
      const script = await body(source);
      if (script.status !== 200) notes.push(`${source} answered ${script.status}`);
      jsBytes += script.bytes.length;
      jsGzipBytes += gzipped(script.bytes);
    }
    const load = options.seconds > 0 ? await autocannon({ url, connections: options.connections, duration: options.seconds }) : null;
    if (load && load.non2xx + load.errors + load.timeouts > 0) notes.push(`${path}: ${load.non2xx} non-2xx answers, ${load.errors} errors, ${load.timeouts} timeouts under load`);
    report.rows.push({
      page, path, status: html.status, htmlBytes: html.bytes.length, htmlGzipBytes: gzipped(html.bytes), scripts: sources.length, jsBytes, jsGzipBytes,
      loadsPerSecond: load ? load.requests.average : null, latencyP50: load ? load.latency.p50 : null, latencyP99: load ? load.latency.p99 : null,
      connections: options.connections, seconds: options.seconds, cacheControl: html.cacheControl,
    });
  }
  return report;
}
