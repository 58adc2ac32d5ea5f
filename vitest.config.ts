import { defineConfig } from 'vitest/config';

// Two projects: fast pure tests (lib/, data/) and integration tests that start real sidecars against
// PGlite, the PostgreSQL server and real Socket.IO clients. No retries: a flaky test is a bug to fix.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'data/**/*.test.ts', 'tests/unit/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          // Includes the slow FAULT TESTS (tests/integration/faults.test.ts, about a minute): kill -9 of a
          // sidecar, a database restart and a Redis outage, each on servers of its own.
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Two files' sidecars share the cores here, so a live process would yield to the other file's intake
          // and startup too (production has one sidecar per machine): alike in tests, except roles.test, which
          // checks the priority (ARCHITECTURE.md "Roles").
          env: { SIDECAR_LIVE_NICENESS: '0' },
          hookTimeout: 120_000,
          // Each file starts its own databases and sidecars; two at a time suits a 2-core machine.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
