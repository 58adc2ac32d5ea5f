// The playback server over real HTTP (scripts/play-recording.ts): the recorded night late in the evening at
// 600× on a wall clock the test steps (1 s of wall time = 10 recorded minutes), walking the API as a client
// would, with a freeze, a correction and an outage staged; and the command line as its own process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../data/official-recording.ts';
import type { RecordedLine } from '../../lib/official-feed/feed-2025.ts';
import { parseOfficialBody } from '../../lib/official-feed/parse.ts';
import { bodyAt, type PlaybackIncident } from '../../lib/official-feed/playback.ts';
import { startPlayback, type Playback } from '../../scripts/play-recording.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const oslo = (hhmm: string) => new Date(`${Number(hhmm.slice(0, 2)) < 12 ? '2025-09-09' : '2025-09-08'}T${hhmm}:00+02:00`);
const SPEED = 600;
/** Wall-clock milliseconds that take the recorded clock from 23:00 to `hhmm`. */
const wallAt = (hhmm: string) => (oslo(hhmm).getTime() - oslo('23:00').getTime()) / SPEED;

let lines: RecordedLine[];
let playback: Playback;
let wall = 0;
const INCIDENTS: PlaybackIncident[] = [
  { kind: 'freeze', municipality: '4601', at: oslo('23:00') },
  { kind: 'correction', municipality: '0301', at: oslo('23:45') },
  { kind: 'outage', from: oslo('23:30'), to: oslo('23:40') },
];

beforeAll(async () => {
  lines = await readRecording();
  playback = await startPlayback({ lines, speed: SPEED, from: oslo('23:00'), port: 0, incidents: INCIDENTS, wallClock: () => wall });
});
afterAll(async () => {
  await playback?.close().catch(() => undefined);
});

async function get(apiPath: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${playback.url}${apiPath}`, { headers });
  const text = await res.text();
  return { res, text, json: text ? JSON.parse(text) as unknown : null };
}

function parsed(raw: unknown) {
  const result = parseOfficialBody(raw);
  if (!result.ok) throw new Error(result.error);
  return result.body;
}

describe('play-recording over HTTP', () => {
  it('serves the national body and, walking _links.related, a county, a municipality and a unit', async () => {
    wall = 0;
    const national = await get('/api/2025/st');
    expect(national.res.status).toBe(200);
    expect(national.res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(national.res.headers.get('cache-control')).toBe('no-cache');
    expect(national.res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const land = parsed(national.json);
    expect(land.level).toBe('land');
    // At 23:00 the newest national body is the one polled at 23:00 (21:00Z), stamped a second later.
    expect(land.reportGenerated).toBe('2025-09-08T23:00:01');
    expect(land.links.related).toHaveLength(19);

    const hordaland = parsed((await get(`/api${land.links.related.find((l) => l.nr === '12')!.href}`)).json);
    expect(hordaland.level).toBe('fylke');
    const bergenLink = hordaland.links.related.find((l) => l.nr === '4601')!;
    expect(bergenLink.href).toBe('/2025/st/12/4601');
    const bergen = parsed((await get(`/api${bergenLink.href}`)).json);
    expect(bergen).toMatchObject({ level: 'kommune', name: 'Bergen' });
    const unitLink = bergen.links.related.find((l) => l.href === '/2025/st/12/4601/0001')!;
    const unit = await get(`/api${unitLink.href}`);
    expect(unit.res.status).toBe(200);
    expect(parsed(unit.json).level).toBe('stemmekrets');
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 with a new one once the body changed', async () => {
    wall = 0;
    const first = await get('/api/2025/st');
    const etag = first.res.headers.get('etag')!;
    const again = await get('/api/2025/st', { 'If-None-Match': etag });
    expect(again.res.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.res.headers.get('etag')).toBe(etag);
    expect((await get('/api/2025/st', { 'If-None-Match': `"other", W/${etag}` })).res.status).toBe(304);
    wall = wallAt('23:06');
    const changed = await get('/api/2025/st', { 'If-None-Match': etag });
    expect(changed.res.status).toBe(200);
    expect(changed.res.headers.get('etag')).not.toBe(etag);
    expect(parsed(changed.json).reportGenerated! > parsed(first.json).reportGenerated!).toBe(true);
  });

  it('answers 404 JSON for a path never recorded and for a path outside /api', async () => {
    wall = 0;
    const missing = await get('/api/2025/st/03/0399');
    expect(missing.res.status).toBe(404);
    expect(missing.json).toEqual({ error: 'no such path in the recording: /2025/st/03/0399', path: '/api/2025/st/03/0399' });
    const outside = await get('/2025/st');
    expect(outside.res.status).toBe(404);
    expect(outside.json).toMatchObject({ error: expect.stringContaining('not an API path: /2025/st') });
  });

  it('is down during the outage (503, Retry-After: 60 recorded seconds, 1 s at 600×) while /_playback still reports, and back after it', async () => {
    wall = wallAt('23:30');
    for (const apiPath of ['/api/2025/st', '/api/2025/st/12/4601', '/api/2025/st/03/0399']) {
      const down = await get(apiPath);
      expect(down.res.status).toBe(503);
      expect(down.res.headers.get('retry-after')).toBe(String(Math.ceil(60 / SPEED)));
      expect(down.json).toEqual({ error: 'service unavailable (outage 23:30-23:40)' });
    }
    const state = await get('/_playback');
    expect(state.res.status).toBe(200);
    expect(state.json).toMatchObject({ recordedNow: '2025-09-08T23:30:00+02:00', speed: 600, from: '2025-09-08T23:00:00+02:00' });
    expect((state.json as { incidents: unknown[] }).incidents).toContainEqual({ kind: 'outage', from: '2025-09-08T23:30:00+02:00', to: '2025-09-08T23:40:00+02:00', active: true });
    wall = wallAt('23:40');
    expect((await get('/api/2025/st')).res.status).toBe(200);
  });

  it('keeps a frozen municipality and its units at the freeze time while Oslo moves on', async () => {
    wall = 0;
    const bergenAt2300 = await get('/api/2025/st/12/4601');
    const unitAt2300 = await get('/api/2025/st/12/4601/0001');
    const osloAt2300 = await get('/api/2025/st/03/0301');
    wall = wallAt('01:00');
    const bergen = await get('/api/2025/st/12/4601', { 'If-None-Match': bergenAt2300.res.headers.get('etag')! });
    expect(bergen.res.status).toBe(304);
    expect((await get('/api/2025/st/12/4601/0001')).text).toBe(unitAt2300.text);
    // Recorded, Bergen and its unit 0001 did change between 23:00 and 01:00.
    expect(bodyAt(playback.index, '/2025/st/12/4601', oslo('01:00'))!.line).not.toBe(bodyAt(playback.index, '/2025/st/12/4601', oslo('23:00'))!.line);
    expect(bodyAt(playback.index, '/2025/st/12/4601/0001', oslo('01:00'))!.line).not.toBe(bodyAt(playback.index, '/2025/st/12/4601/0001', oslo('23:00'))!.line);
    const osloLate = await get('/api/2025/st/03/0301');
    expect(osloLate.res.headers.get('etag')).not.toBe(osloAt2300.res.headers.get('etag'));
    expect(parsed(osloLate.json).votes.total!).toBeGreaterThan(parsed(osloAt2300.json).votes.total!);
  });

  it('corrects Oslo down from 23:45: one party and the total lower than recorded, stamped 23:45:00', async () => {
    wall = wallAt('23:44');
    const before = await get('/api/2025/st/03/0301');
    wall = wallAt('23:46');
    const after = await get('/api/2025/st/03/0301', { 'If-None-Match': before.res.headers.get('etag')! });
    // The same recorded body (Oslo's poll of 23:34), now corrected: a new ETag and a lower count.
    expect(after.res.status).toBe(200);
    const served = parsed(after.json);
    const recorded = parsed(before.json);
    expect(served.reportGenerated).toBe('2025-09-08T23:45:00');
    expect(recorded.reportGenerated! < served.reportGenerated!).toBe(true);
    const lowered = served.parties.filter((p, i) => p.total !== recorded.parties[i]!.total);
    expect(lowered).toHaveLength(1);
    const by = recorded.votes.total! - served.votes.total!;
    expect(by).toBeGreaterThan(0);
    expect(recorded.parties.find((p) => p.code === lowered[0]!.code)!.total! - lowered[0]!.total!).toBe(by);
    // Oslo's next report (polled 23:49, stamped 23:48:37) keeps its own time and stays lowered.
    wall = wallAt('23:50');
    const next = parsed((await get('/api/2025/st/03/0301')).json);
    const nextRecorded = parsed(bodyAt(playback.index, '/2025/st/03/0301', oslo('23:50'))!.body);
    expect(next.reportGenerated).toBe('2025-09-08T23:48:37');
    expect(next.votes.total).toBeLessThan(nextRecorded.votes.total!);
  });

  it('/_playback reports the recorded clock as it runs', async () => {
    wall = wallAt('00:15');
    const state = await get('/_playback');
    expect(state.json).toMatchObject({
      recordedNow: '2025-09-09T00:15:00+02:00', speed: 600, from: '2025-09-08T23:00:00+02:00',
      recording: { first: '2025-09-08T21:02:00+02:00', last: '2025-09-09T07:38:00+02:00', lines: 7887, paths: 3863 },
    });
    expect(playback.recordedNow().toISOString()).toBe(oslo('00:15').toISOString());
  });

  it('refuses anything but GET and HEAD (405 with Allow)', async () => {
    wall = 0;
    const res = await fetch(`${playback.url}/api/2025/st`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${playback.url}/api/2025/st`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^"/);
  });

  it('close() stops it', async () => {
    const other = await startPlayback({ lines, speed: 60, from: oslo('23:00'), port: 0 });
    expect((await fetch(`${other.url}/_playback`)).status).toBe(200);
    await other.close();
    await expect(fetch(`${other.url}/_playback`)).rejects.toThrow();
  });
});

describe('npm run play-recording (the command line)', () => {
  function run(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/play-recording.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return { child, out: () => stdout, err: () => stderr };
  }

  it('exits 2 naming the flag for a bad flag and for an incident the recording cannot have', async () => {
    const bad = run(['--speed', 'fast']);
    const unknown = run(['--port', '0', '--correction', '9998@23:00']);
    const [[badCode], [unknownCode]] = await Promise.all([once(bad.child, 'exit'), once(unknown.child, 'exit')]);
    expect(badCode).toBe(2);
    expect(bad.err()).toMatch(/^--speed fast: must be a positive number/);
    expect(unknownCode).toBe(2);
    expect(unknown.err()).toContain('--correction 9998@23:00: municipality 9998 is not in the recording');
  });

  it('logs one line at start (URL, recorded window, speed, incidents) and plays on the real clock', async () => {
    const cli = run(['--port', '0', '--speed', '3600', '--from', '01:00', '--outage', '05:00-05:10']);
    try {
      while (!cli.out().includes('\n')) {
        if (cli.child.exitCode !== null) throw new Error(`exited ${cli.child.exitCode}: ${cli.err()}`);
        await once(cli.child.stdout, 'data');
      }
      const line = cli.out().trim();
      expect(line).toMatch(/^play-recording: http:\/\/127\.0\.0\.1:\d+\/api\/2025\/st — recorded 2025-09-08T21:02:00\+02:00 to 2025-09-09T07:38:00\+02:00 \(7887 bodies, 3863 paths\), from 2025-09-09T01:00:00\+02:00 at 3600×, incidents: outage 05:00-05:10$/);
      const url = line.match(/(http:\/\/\S+)\/api/)![1]!;
      const first = Date.parse(((await (await fetch(`${url}/_playback`)).json()) as { recordedNow: string }).recordedNow);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = Date.parse(((await (await fetch(`${url}/_playback`)).json()) as { recordedNow: string }).recordedNow);
      // 200 ms of wall time at 3600× is 12 recorded minutes (at least; whole seconds in the report).
      expect(second - first).toBeGreaterThanOrEqual(12 * 60_000 - 1000);
      expect((await fetch(`${url}/api/2025/st`)).status).toBe(200);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect((await once(cli.child, 'exit'))[0]).toBe(0);
  });
});
