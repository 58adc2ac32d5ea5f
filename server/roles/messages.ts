// What the sidecar's processes tell each other over their IPC channels (the supervisor in the middle).
// Names start with "roles:" so that other users of a channel (the bench's probe) are told apart.
import { z } from 'zod';
import { ZChangeEntry } from '../../lib/contracts/changes.ts';

export const ROLES = ['database', 'intake', 'live'] as const;
export type Role = (typeof ROLES)[number];

export const ZRoleMessage = z.discriminatedUnion('type', [
  /** Child → supervisor: serving (intake, live) or, for the embedded database, where it listens. */
  z.object({ type: z.literal('roles:ready'), connectionString: z.string().optional() }),
  /**
   * Child → supervisor: stopping (SIGTERM); send it no more connections. Sent before its viewers are told to
   * go, so that their reconnects reach another live process or wait for the restarted one.
   */
  z.object({ type: z.literal('roles:stopping') }),
  /** Supervisor → live process started beside the first intake process: the database is migrated and seeded. */
  z.object({ type: z.literal('roles:database-ready') }),
  /** Supervisor → child: a client connection (its socket goes with the message) and the bytes already read from it. */
  z.object({ type: z.literal('roles:connection'), head: z.string() }),
  /**
   * Either way (embedded database): what this process read from the change log after prevSeq — a commit of
   * any process — so the others apply it without reading it again.
   */
  z.object({ type: z.literal('roles:changes'), prevSeq: z.number().int().nonnegative(), changes: z.array(ZChangeEntry).min(1) }),
  /** Either way: a simulated clock was set; every process follows. */
  z.object({ type: z.literal('roles:clock'), at: z.string(), speed: z.number().nonnegative() }),
  /** Supervisor → intake: announce your clock (a live process has started). */
  z.object({ type: z.literal('roles:clock-request') }),
  /** Supervisor → child, and the answer: the process's own /healthz. */
  z.object({ type: z.literal('roles:health-request'), id: z.number().int() }),
  z.object({ type: z.literal('roles:health'), id: z.number().int(), status: z.number().int(), body: z.record(z.string(), z.unknown()) }),
  /**
   * Child → supervisor, and the answer: the /healthz of the whole sidecar (every role), for a request that
   * reached a child on a keep-alive connection the supervisor had already handed over.
   */
  z.object({ type: z.literal('roles:summary-request'), id: z.number().int() }),
  z.object({ type: z.literal('roles:summary'), id: z.number().int(), status: z.number().int(), body: z.record(z.string(), z.unknown()) }),
]);
export type RoleMessage = z.infer<typeof ZRoleMessage>;

/** A message of ours, or null for anything else on the channel. */
export function parseRoleMessage(message: unknown): RoleMessage | null {
  const parsed = ZRoleMessage.safeParse(message);
  return parsed.success ? parsed.data : null;
}

/** Environment the supervisor gives its children (internal; not part of the documented settings). */
export const ZRoleEnv = z.object({
  SIDECAR_ROLE: z.enum(ROLES),
  /** The embedded database's loopback URL, served by the database process. */
  SIDECAR_ROLE_DATABASE_URL: z.string().optional(),
  /** Load, but touch the database only once told the intake process has migrated and seeded it. */
  SIDECAR_ROLE_AWAIT_DATABASE: z.enum(['1']).optional(),
});
