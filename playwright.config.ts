import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. Two workers (E2E_WORKERS; four overloaded 2 cores: load
// average 17, a dozen specs out of time), one spec file at a time each: a spec that seeds,
// moves the clock or signs in where others would notice runs on a stack of its own (useOwnStack in
// e2e/support.ts), the rest share the stack below and touch only municipalities of their own, so files run in
// any order and side by side. Tests within a file stay in order (no fullyParallel): they build on each other.
// Ports are overridable so two checkouts can run their browser tests side by side; the specs' own stacks take
// ports above E2E_WEB_PORT.
const SIDECAR_PORT = Number(process.env.E2E_SIDECAR_PORT ?? 3101);
// Two stacks and the browser share the cores: a live process yielding to them all is not what a sidecar on a
// machine of its own does (ARCHITECTURE.md "Roles"). Every stack started from here inherits this.
process.env.SIDECAR_LIVE_NICENESS ??= '0';
const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    trace: 'retain-on-failure',
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: [
    {
      command: 'npx tsx e2e/start-stack.ts',
      url: `http://127.0.0.1:${SIDECAR_PORT}/healthz`,
      env: { SIDECAR_PORT: String(SIDECAR_PORT) },
      reuseExistingServer: false,
      timeout: 120_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
    {
      // Our web server (timeouts, the visitor's address for the sign-in limit) around the built app.
      command: `npx tsx scripts/web-server.ts -p ${WEB_PORT} -H 127.0.0.1`,
      url: `http://127.0.0.1:${WEB_PORT}/`,
      env: {
        SIDECAR_URL: `http://127.0.0.1:${SIDECAR_PORT}`,
        SIDECAR_PUBLIC_URL: `http://127.0.0.1:${SIDECAR_PORT}`,
        NEXT_TELEMETRY_DISABLED: '1',
        // Short, so e2e/hardening.spec.ts sees a slow body cut off quickly.
        REQUEST_TIMEOUT_MS: '5000',
      },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
