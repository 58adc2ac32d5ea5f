// Entry of the web process (`npm run start:web`): Next.js behind a Node HTTP server of our own, for two
// things `next start` cannot do. (1) Timeouts: a client that trickles its body or headers, or holds a
// connection silent, is cut off. (2) The visitor's real address: Next keeps a client-sent
// X-Forwarded-For as it is, so the console could not tell the sidecar who is signing in. Here the
// address is taken from the socket and the proxies TRUST_PROXY names, and handed to the app in a header
// that no client can set (any incoming one is replaced).
import { createServer } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import next from 'next';
import { z } from 'zod';
import { CLIENT_ADDRESS_HEADER } from '../lib/contracts/ops-auth.ts';
import { parseTrustProxy } from '../server/config.ts';


const ZWebEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  WEB_HOST: z.string().default('0.0.0.0'),
  TRUST_PROXY: z.string().default('loopback'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
});

function argument(names: string[]): string | undefined {
  const index = process.argv.findIndex((arg) => names.includes(arg));
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const env = ZWebEnv.parse(process.env);
// `-p`/`-H` as with `next start`, so existing scripts keep working.
const port = Number(argument(['-p', '--port']) ?? env.PORT);
const host = argument(['-H', '--hostname']) ?? env.WEB_HOST;
const trusted = parseTrustProxy(env.TRUST_PROXY);
const trust = typeof trusted === 'boolean' ? () => trusted : typeof trusted === 'function' ? trusted : proxyAddr.compile(trusted);

// Tells app/_data that the client-address header comes from here (a plain `next start` leaves it unset,
// and the console then forwards nothing rather than a header a client could have written).
process.env.VALGVAKT_CLIENT_ADDRESS_HEADER = CLIENT_ADDRESS_HEADER;

const app = next({ dev: false, hostname: host, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer({
  requestTimeout: env.REQUEST_TIMEOUT_MS,
  headersTimeout: Math.min(10_000, env.REQUEST_TIMEOUT_MS),
  // Checked every second rather than Node's default 30 s.
  connectionsCheckingInterval: 1000,
}, (request, response) => {
  request.headers[CLIENT_ADDRESS_HEADER] = proxyAddr(request, trust);
  void handle(request, response);
});
server.setTimeout(env.IDLE_TIMEOUT_MS, (socket) => socket.destroy());
server.listen(port, host, () => {
  console.log(`web listening on http://${host}:${port}`);
});

function shutdown(): void {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
