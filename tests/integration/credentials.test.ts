// Ingest credentials from the command line (`npm run token -- <number> [--expires]`, `list`,
// `revoke <id>`), against the PostgreSQL server with two sidecars on one database: a revoked or expired
// token is refused by every node from the next request.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestCredential, createIngestCredentials } from '../../db/credentials.ts';
import { makeStatusReport, startTestStack, type TestStack, TEST_ELECTION_ID } from './harness.ts';

/** Runs `npm run token -- …`; `readAfterMs` leaves its output unread that long, as a slow reader of a pipe would. */
function runTokenCli(databaseUrl: string, args: string[], readAfterMs = 0): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(join('node_modules', '.bin', 'tsx'), ['scripts/db-tool.ts', 'token', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (readAfterMs > 0) {
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), readAfterMs);
  }
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const heartbeat = makeStatusReport({ municipality: '0301', districts: [] });

describe('ingest credentials on postgres, two sidecars', () => {
  let first: TestStack;
  let second: TestStack;
  let databaseUrl: string;

  beforeAll(async () => {
    first = await startTestStack('postgres');
    databaseUrl = first.database.connectionString;
    second = await startTestStack('postgres', { databaseUrl });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('issues, lists and revokes tokens from the command line; both nodes refuse a revoked one at once', async () => {
    const issued = await runTokenCli(databaseUrl, ['0301', 'eva-oslo', '--expires', '2d']);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token).toMatch(/^vv_0301_[A-Za-z0-9_-]{43}$/);
    const id = Number(issued.stderr.match(/credential (\d+), expires (\S+)/)?.[1]);
    expect(id).toBeGreaterThan(0);

    // The same heartbeat twice: accepted, then answered as a resend.
    expect([(await first.postStatus(token, heartbeat)).status, (await second.postStatus(token, heartbeat)).status]).toEqual([201, 200]);

    const listed = await runTokenCli(databaseUrl, ['list']);
    expect(listed.code).toBe(0);
    const row = listed.stdout.split('\n').find((line) => line.startsWith(`${id}\t`));
    expect(row).toMatch(new RegExp(`^${id}\\t0301\\tactive\\t\\S+\\t\\S+Z\\teva-oslo$`));
    expect(listed.stdout).not.toContain(token);

    const revoked = await runTokenCli(databaseUrl, ['revoke', String(id)]);
    expect([revoked.code, revoked.stdout.trim()]).toEqual([0, `revoked credential ${id}`]);
    for (const node of [first, second]) {
      const refused = await node.postStatus(token, heartbeat);
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('unauthenticated');
    }
    expect((await runTokenCli(databaseUrl, ['list'])).stdout).toMatch(new RegExp(`^${id}\\t0301\\trevoked \\S+`, 'm'));
    expect((await runTokenCli(databaseUrl, ['revoke', String(id)])).stdout.trim()).toBe(`credential ${id} was already revoked`);
    expect((await runTokenCli(databaseUrl, ['revoke', '999999'])).code).toBe(1);
    expect((await runTokenCli(databaseUrl, ['0301', '--expires', 'yesterday'])).code).toBe(2);
  }, 120_000);

  it('issues a tokens file for a whole election in one command (token all): every municipality and a seat source', async () => {
    const issued = await runTokenCli(databaseUrl, ['all', 'watchdog-night', '--expires', '36h']);
    expect(issued.code).toBe(0);
    const tokens = JSON.parse(issued.stdout) as Record<string, string>;
    const municipalities = Object.keys(tokens).filter((key) => key !== 'seats');
    const count = await first.database.db.municipality.count({ where: { electionId: TEST_ELECTION_ID } });
    expect(municipalities).toHaveLength(count);
    expect(tokens['0301']).toMatch(/^vv_0301_[A-Za-z0-9_-]{43}$/);
    expect(tokens.seats).toMatch(/^vvs_[A-Za-z0-9_-]{43}$/);
    expect(issued.stderr).toMatch(new RegExp(`^${count} municipality tokens and 1 seats token for ${TEST_ELECTION_ID}, label watchdog-night, expire \\S+Z$`, 'm'));
    // Each works where it belongs: Bergen's on Bergen's reports, on either node.
    expect((await second.postStatus(tokens['4601']!, makeStatusReport({ municipality: '4601', districts: [] }))).status).toBe(201);
    const listed = await runTokenCli(databaseUrl, ['list']);
    expect(listed.stdout.split('\n').filter((line) => /\tactive\t\S+\t\S+Z\twatchdog-night$/.test(line))).toHaveLength(count);
    expect((await runTokenCli(databaseUrl, ['seats', 'list'])).stdout).toMatch(/\twatchdog-night$/m);
  }, 120_000);

  it('writes a listing longer than a pipe holds in full, even to a slow reader (the CI failure: 276 of 357 lines)', async () => {
    // Two tokens per municipality with long labels: a listing well over the 64 KiB a pipe holds.
    for (const batch of ['a', 'b']) await createIngestCredentials(first.database.db, TEST_ELECTION_ID, `${batch}-${'long label '.repeat(8)}`);
    const count = await first.database.db.ingestCredential.count({ where: { municipality: { electionId: TEST_ELECTION_ID } } });
    // The reader waits 3 s: longer than the tool takes to list, so without waiting for the pipe it has exited.
    const listed = await runTokenCli(databaseUrl, ['list'], 3000);
    expect(listed.code).toBe(0);
    expect(Buffer.byteLength(listed.stdout)).toBeGreaterThan(64 * 1024);
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(count + 1);
  }, 120_000);

  it('refuses a token once it has expired, on every node', async () => {
    const { token } = await createIngestCredential(first.database.db, TEST_ELECTION_ID, '0301', 'short-lived', new Date(Date.now() + 1500));
    expect((await second.postStatus(token, heartbeat)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    for (const node of [first, second]) expect((await node.postStatus(token, heartbeat)).status).toBe(401);
  });
});
