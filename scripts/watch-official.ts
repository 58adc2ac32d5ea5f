// npm run watch-official -- --base URL --election YEAR/TYPE [options]: reads the official results feed and
// feeds Valgvakt through its ingest API (never the database). See docs/official-feed.md, "The watchdog".
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { parseTokensFile, parseWatchArgs, UsageError, WATCH_USAGE, type WatchOptions } from '../watchdog/cli-options.ts';
import { createWatchdog } from '../watchdog/runner.ts';
import { errorCode, errorMessage } from '../lib/error-message.ts';

let options: WatchOptions;
let tokens: { municipalities: Record<string, string>; seats: string | null } = { municipalities: {}, seats: null };
try {
  options = parseWatchArgs(process.argv.slice(2));
  if (options.tokensFile) {
    let text: string;
    try {
      text = await readFile(options.tokensFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--tokens-file: cannot read ${options.tokensFile} (${String(errorCode(error) ?? errorMessage(error))})`);
    }
    tokens = parseTokensFile(text, options.tokensFile);
  }
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message === WATCH_USAGE ? WATCH_USAGE : `${error.message}\n\n${WATCH_USAGE}`);
  process.exit(2);
}

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const watchdog = createWatchdog({ ...options, tokens: tokens.municipalities, seatsToken: options.seatsToken ?? tokens.seats, logger });
if (Object.keys(tokens.municipalities).length === 0) logger.warn('no municipality tokens (--tokens-file): nothing will be sent to Valgvakt but the feed status');

if (options.once) {
  try {
    const summary = await watchdog.round();
    process.exit(summary.complete ? 0 : 1);
  } catch (error) {
    logger.error(`${errorMessage(error)}`);
    process.exit(1);
  }
}
const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
logger.info(`watching ${options.base}/api${options.rootPath} every ${options.intervalMs / 1000} s into ${options.valgvakt}`);
await watchdog.run(controller.signal);
