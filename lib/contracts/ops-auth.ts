// Operator sign-in: sessions for the operations API and single-use tickets for the /ops socket.
import { z } from 'zod';

export const ZOpsSignIn = z.strictObject({
  // Not checked against the naming rule here: a name that cannot exist simply does not sign in.
  name: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
});
export type OpsSignIn = z.infer<typeof ZOpsSignIn>;

/** 201 of POST /api/v1/ops/session; the token goes in "Authorization: Bearer <token>". */
export const ZOpsSession = z.object({
  token: z.string(),
  operator: z.object({ name: z.string() }),
  expiresAt: z.iso.datetime(),
});
export type OpsSession = z.infer<typeof ZOpsSession>;

/** GET /api/v1/ops/me */
export const ZOpsMe = z.object({
  operator: z.object({ name: z.string() }),
  expiresAt: z.iso.datetime(),
});
export type OpsMe = z.infer<typeof ZOpsMe>;

/** POST /api/v1/ops/socket-ticket: pass `ticket` as the /ops socket's `auth.ticket`; usable once. */
export const ZOpsSocketTicket = z.object({
  ticket: z.string(),
  expiresAt: z.iso.datetime(),
});
export type OpsSocketTicket = z.infer<typeof ZOpsSocketTicket>;

/**
 * The visitor's address as the web server (scripts/web-server.ts) saw it, for the console to pass to the
 * sidecar's sign-in limit. The web server replaces any incoming value and announces itself by setting
 * the environment variable VALGVAKT_CLIENT_ADDRESS_HEADER to this name.
 */
export const CLIENT_ADDRESS_HEADER = 'x-valgvakt-client-address';
