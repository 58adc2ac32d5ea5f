// Runs `prisma generate` offline. The CLI fetches a schema-engine binary before any command unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file; `generate` never executes it, so any file will do.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const placeholder = fileURLToPath(import.meta.url);
const result = spawnSync('npx', ['prisma', 'generate'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
