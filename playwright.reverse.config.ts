// Runs the spec files one after another in reverse alphabetical order (Playwright sorts files otherwise),
// to prove the specs do not depend on their order. A chain of projects: each waits for the one before.
import { readdirSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

const files = readdirSync('e2e').filter((f) => f.endsWith('.spec.ts')).sort().reverse();
export default defineConfig({
  ...base,
  workers: 1,
  projects: files.map((file, i) => ({ name: file, testMatch: file, use: base.projects![0]!.use, dependencies: i ? [files[i - 1]!] : [] })),
});
