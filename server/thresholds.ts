// Loads the stall thresholds: config/thresholds.json (per count category and stage), then SLOW_AFTER,
// STALL_AFTER and BACKLOG_AFTER from the environment for every category and stage at once.
import { readFile } from 'node:fs/promises';
import { ZThresholdsFile, parseDuration, type Thresholds } from '../lib/contracts/thresholds.ts';

export const DEFAULT_THRESHOLDS_FILE = new URL('../config/thresholds.json', import.meta.url);

export async function loadThresholds(file: string | URL = DEFAULT_THRESHOLDS_FILE, env: NodeJS.ProcessEnv = process.env): Promise<Thresholds> {
  const parsed = ZThresholdsFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`invalid thresholds in ${String(file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const thresholds = parsed.data;
  const overrides = {
    slowAfter: env.SLOW_AFTER ? parseDuration(env.SLOW_AFTER) : undefined,
    stallAfter: env.STALL_AFTER ? parseDuration(env.STALL_AFTER) : undefined,
    backlogAfter: env.BACKLOG_AFTER ? parseDuration(env.BACKLOG_AFTER) : undefined,
  };
  for (const category of ['advance', 'election_day'] as const) {
    for (const stage of ['preliminary', 'final'] as const) {
      const track = thresholds[category][stage];
      for (const key of ['slowAfter', 'stallAfter', 'backlogAfter'] as const) track[key] = overrides[key] ?? track[key];
    }
  }
  return thresholds;
}
