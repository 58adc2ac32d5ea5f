// Command-line options of `npm run watch-official`, kept apart from the entry file so tests can check the
// parsing. Every refusal names its flag; the entry file exits 2 with it.
import { parseArgs } from 'node:util';
import { electionRootPath } from '../lib/official-feed/walk.ts';
import { errorMessage } from '../lib/error-message.ts';

export const WATCH_USAGE = `usage: npm run watch-official -- --base URL --election YEAR/TYPE [options]

  --base URL             the official results service, e.g. https://valgresultat.no (bodies at URL/api/…)
  --election YEAR/TYPE   the election's path in it, e.g. 2025/st
  --interval DURATION    time between the starts of two rounds, 100ms–60m: 15s (default), 500ms, 2m
  --concurrency N        requests to the service in flight at once, 1–32 (default 4)
  --timeout DURATION     give up one request after this long (default 10s)
  --valgvakt URL         Valgvakt's sidecar (default http://localhost:3001)
  --tokens-file FILE     JSON { "0301": "vv_…", …, "seats": "vvs_…" } (npm run --silent token -- all > tokens.json)
  --seats-token TOKEN    a seat source's token (default: the tokens file's "seats")
  --once                 one round, then exit: 0 only if everything was read and accepted
`;

export class UsageError extends Error {}

export interface WatchOptions {
  base: string;
  election: string;
  rootPath: string;
  intervalMs: number;
  concurrency: number;
  timeoutMs: number;
  valgvakt: string;
  tokensFile: string | null;
  seatsToken: string | null;
  once: boolean;
}

/** "15s", "500ms", "2m", or plain seconds ("15") in milliseconds; null if not a positive duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  return value >= 1 && Number.isFinite(value) ? Math.round(value) : null;
}

function httpUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag}: "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag}: must be an http(s) URL, not ${url.protocol}`);
  return value.replace(/\/+$/, '');
}

export function parseWatchArgs(argv: readonly string[]): WatchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        base: { type: 'string' }, election: { type: 'string' }, interval: { type: 'string' }, concurrency: { type: 'string' },
        timeout: { type: 'string' }, valgvakt: { type: 'string' }, 'tokens-file': { type: 'string' }, 'seats-token': { type: 'string' },
        once: { type: 'boolean' }, help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  if (values.help) throw new UsageError(WATCH_USAGE);
  if (!values.base) throw new UsageError('--base: required (the results service, e.g. https://valgresultat.no)');
  if (!values.election) throw new UsageError('--election: required (YEAR/TYPE, e.g. 2025/st)');
  const rootPath = electionRootPath(values.election);
  if (!rootPath) throw new UsageError(`--election: "${values.election}" is not YEAR/TYPE, e.g. 2025/st`);
  const intervalMs = parseDuration(values.interval ?? '15s');
  // At most an hour: Valgvakt calls the feed late after 3 intervals without a status, and takes at most 3600 s.
  if (intervalMs === null || intervalMs < 100 || intervalMs > 3_600_000) throw new UsageError(`--interval: "${values.interval}" is not a duration from 100ms to 60m (e.g. 15s, 500ms, 2m)`);
  const timeoutMs = parseDuration(values.timeout ?? '10s');
  if (timeoutMs === null || timeoutMs < 100) throw new UsageError(`--timeout: "${values.timeout}" is not a duration of at least 100ms (e.g. 10s)`);
  const concurrency = Number(values.concurrency ?? '4');
  if (!/^\d+$/.test(values.concurrency ?? '4') || concurrency < 1 || concurrency > 32) throw new UsageError(`--concurrency: "${values.concurrency}" must be a whole number 1–32`);
  if (values['seats-token'] !== undefined && values['seats-token'].trim() === '') throw new UsageError('--seats-token: must not be empty');
  return {
    base: httpUrl(values.base, '--base'),
    election: values.election,
    rootPath,
    intervalMs,
    concurrency,
    timeoutMs,
    valgvakt: httpUrl(values.valgvakt ?? 'http://localhost:3001', '--valgvakt'),
    tokensFile: values['tokens-file'] ?? null,
    seatsToken: values['seats-token'] ?? null,
    once: values.once ?? false,
  };
}

/** The tokens file's content: municipality number → token, and "seats" → the seat source's token. */
export function parseTokensFile(text: string, file: string): { municipalities: Record<string, string>; seats: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // `npm run token -- all > file` puts npm's own "> valgvakt@… token" lines in the file first.
    const hint = /^\s*> /.test(text) ? '; it starts with npm\'s banner: write it with `npm run --silent token -- all > tokens.json`' : '';
    throw new UsageError(`--tokens-file: ${file} is not JSON (${errorMessage(error)})${hint}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`--tokens-file: ${file} must hold one JSON object { "0301": "vv_…" }`);
  const municipalities: Record<string, string> = {};
  let seats: string | null = null;
  for (const [key, value] of Object.entries(json)) {
    if (typeof value !== 'string' || value === '') throw new UsageError(`--tokens-file: ${file}: "${key}" must be a token (a non-empty string)`);
    if (key === 'seats') seats = value;
    else if (/^\d{4}$/.test(key)) municipalities[key] = value;
    else throw new UsageError(`--tokens-file: ${file}: "${key}" is neither a 4-digit municipality number nor "seats"`);
  }
  return { municipalities, seats };
}
