// Entry point of the sidecar: the supervisor (server/roles/supervisor.ts) on SIDECAR_PORT, which runs
// the roles as processes of their own — the embedded database (when there is no DATABASE_URL), one intake
// process for the writes and SIDECAR_LIVE_PROCESSES live processes for the viewers — and stops them in
// order on SIGINT/SIGTERM. See ARCHITECTURE.md, "Roles".
import os from 'node:os';
import { parseSidecarEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { startSupervisor } from './roles/supervisor.ts';

const env = parseSidecarEnv(process.env);
const logger = createLogger(env.LOG_LEVEL, 'sidecar');
const liveProcesses = env.SIDECAR_LIVE_PROCESSES ?? Math.max(1, os.availableParallelism() - 1);

const supervisor = await startSupervisor({
  port: env.SIDECAR_PORT,
  host: env.SIDECAR_HOST,
  liveProcesses,
  liveNiceness: env.SIDECAR_LIVE_NICENESS,
  embedded: !env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  pglitePort: env.PGLITE_PORT,
  logger,
});
const { address, port } = supervisor.address;
logger.info({ address: `${address}:${port}`, liveProcesses, database: env.DATABASE_URL ? 'server' : 'embedded' }, 'sidecar listening');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, 20_000);
  force.unref();
  await supervisor.stop();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
