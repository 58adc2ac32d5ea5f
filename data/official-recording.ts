// The one reader of the recorded official results feed (SOURCES.md §6): every response of valgresultat.no's
// API that changed during the 2025 Storting election night, one JSON line each, gzipped. The election
// package build (scripts/build-election-from-recording.ts) and the playback server (scripts/play-recording.ts)
// both read it here, so a broken line is reported the same way everywhere: by line number and reason.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { ZRecordedLine, type RecordedLine } from '../lib/official-feed/feed-2025.ts';
import { errorMessage } from '../lib/error-message.ts';

export const RECORDING_PATH = new URL('../../shared/data/HNygard-valgresultat.no-copy/recorded/st2025-night.ndjson.gz', import.meta.url);

/** Splits the recording's text into lines and checks each (`ZRecordedLine`); blank lines are skipped. */
export function parseRecordingText(text: string, source = 'recording'): RecordedLine[] {
  const lines: RecordedLine[] = [];
  const rows = text.split('\n');
  for (const [i, row] of rows.entries()) {
    if (row.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(row);
    } catch (error) {
      throw new Error(`${source} line ${i + 1}: not JSON (${errorMessage(error)})`, { cause: error });
    }
    const parsed = ZRecordedLine.safeParse(json);
    if (!parsed.success) throw new Error(`${source} line ${i + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ')}`);
    lines.push(parsed.data);
  }
  return lines;
}

/** Reads a recording (gzipped when the file name ends in .gz, as the shipped one does). */
export async function readRecording(file: URL | string = RECORDING_PATH): Promise<RecordedLine[]> {
  const bytes = await readFile(file);
  const name = typeof file === 'string' ? file : file.pathname;
  const text = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return parseRecordingText(text, name.split('/').pop() ?? 'recording');
}
