// Environment, validated once at start-up. Every variable is listed in the README's table.
import path from 'node:path';
import { z } from 'zod';

/** The election served when ELECTION_ID is not set: the first package shipped in elections/. */
export const DEFAULT_ELECTION_ID = 'ko2023';

const ZBoolean = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

export const ZSidecarEnv = z.object({
  SIDECAR_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  SIDECAR_HOST: z.string().default('0.0.0.0'),
  /**
   * Live processes (Socket.IO and public reads) beside the one intake process; default: one per core
   * left over after intake, at least one (docs/deployment.md, "Processes").
   */
  SIDECAR_LIVE_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * The live processes' scheduling niceness (0–19, higher yields more): where the machine's cores are
   * full, intake and the database are given the CPU before the fan-out to viewers; 0 treats them alike.
   */
  SIDECAR_LIVE_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * Least time between two deltas to the same viewers: batches applied sooner after a delta go out merged
   * into one when it has passed; the first after a quiet spell goes at once. 0: one delta per batch.
   */
  SIDECAR_DELTA_INTERVAL_MS: z.coerce.number().int().min(0).max(5000).default(250),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  DATA_DIR: z.string().default('.data'),
  /** Serve the embedded database on this loopback port (0: any free port); e.g. to look at it with psql. */
  PGLITE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** The election served: a package id (elections/<id>/ is loaded on first start; others via npm run election). */
  ELECTION_ID: z.string().default(DEFAULT_ELECTION_ID),
  SEED_ON_START: ZBoolean.default(true),
  INGEST_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000),
  /** Ingest requests without a known token (missing, malformed, unknown, revoked), per client address. */
  INGEST_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /**
   * Which peers' X-Forwarded-For to believe, so limits see the real client: "false" (none), "true" (any:
   * only behind a proxy that overwrites the header), a hop count, or addresses/CIDRs/"loopback" separated
   * by commas. Default: loopback (the web server and a proxy on this machine).
   */
  TRUST_PROXY: z.string().default('loopback'),
  /** Time a client has to send a whole request, body included; slower ones get 408 and are closed. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** A connection without any traffic is closed after this (open WebSockets ping well within it). */
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
  /** Origins allowed to read the public API and socket from a browser; "*" for any. */
  CORS_ORIGINS: z.string().default('*'),
  /** The web app's public origins (comma-separated): browsers may call operator routes from these only. */
  SITE_ORIGINS: z.string().default(''),
  /** wall (production) or simulated (replays): see server/clock.ts. */
  CLOCK_MODE: z.enum(['wall', 'simulated']).default('wall'),
  /** Start of a simulated clock; default: 5 minutes before the served election's polls close. */
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  CLOCK_SPEED: z.coerce.number().nonnegative().default(1),
  /** Required with a simulated clock: the bearer token for PUT /api/v1/clock. */
  CLOCK_CONTROL_TOKEN: z.string().min(16).optional(),
  /** Stall thresholds file (see config/thresholds.json); SLOW_AFTER, STALL_AFTER, BACKLOG_AFTER override it. */
  THRESHOLDS_FILE: z.string().optional(),
  SLOW_AFTER: z.string().optional(),
  STALL_AFTER: z.string().optional(),
  BACKLOG_AFTER: z.string().optional(),
  /** Derive and record municipality states (stalled, backlog, …); off only for tests of other things. */
  STATE_MONITOR: ZBoolean.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Several sidecars: the Redis their Socket.IO adapter shares (docs/deployment.md); unset: in-memory adapter. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  /** Name of the Redis stream of this deployment; also the prefix of its other Redis keys. */
  REDIS_STREAM: z.string().min(1).default('valgvakt'),
  /** Entries the stream keeps (approximately): how far back connection state recovery can replay. */
  REDIS_STREAM_MAX_LEN: z.coerce.number().int().positive().default(20_000),
  /** Bearer token GET /metrics requires; unset: only this machine (loopback) may scrape. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Send alerts to the operators' channels (webhook, Slack, e-mail) from the leader; off only for tests of other things. */
  ALERT_DISPATCH: ZBoolean.default(true),
  /** SMTP server of e-mail alert channels, e.g. smtps://user:pass@smtp.example.no:465; unset: e-mail channels fail (and retry) until it is set. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  /** Sender of alert e-mails. */
  ALERT_MAIL_FROM: z.string().min(3).default('Valgvakt <valgvakt@localhost>'),
});
export type SidecarEnv = z.infer<typeof ZSidecarEnv>;

export function parseSidecarEnv(env: NodeJS.ProcessEnv): SidecarEnv {
  const parsed = ZSidecarEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function embeddedDataDir(env: SidecarEnv): string {
  return path.resolve(env.DATA_DIR, 'pglite');
}

export function parseCorsOrigins(value: string): true | string[] {
  return value.trim() === '*' ? true : value.split(',').map((o) => o.trim()).filter(Boolean);
}

/** TRUST_PROXY as Fastify's `trustProxy` option. */
export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

export function parseTrustProxy(value: string): TrustProxy {
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false' || trimmed === '') return false;
  if (/^\d+$/.test(trimmed)) {
    // A hop count: believe that many proxies in front of this one, nearest first.
    const hops = Number(trimmed);
    return (_address, hop) => hop < hops;
  }
  return trimmed.split(',').map((entry) => entry.trim()).filter(Boolean);
}
