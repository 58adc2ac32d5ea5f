import { describe, expect, it } from 'vitest';
import { parseRecordingText, readRecording } from './official-recording.ts';

const line = (polledAt: string, body: unknown = {}) => JSON.stringify({ polledAt, level: 'kommune', file: 'kommune/x.json', body });

describe('parseRecordingText', () => {
  it('reads each non-blank line, in order', () => {
    const lines = parseRecordingText(`${line('2025-09-08T19:02:00Z', { a: 1 })}\n\n${line('2025-09-08T19:03:00Z')}\n`);
    expect(lines.map((l) => l.polledAt)).toEqual(['2025-09-08T19:02:00Z', '2025-09-08T19:03:00Z']);
    expect(lines[0]!.body).toEqual({ a: 1 });
  });

  it.each([
    ['a line that is not JSON', `${line('2025-09-08T19:02:00Z')}\n{"polledAt":`, /^night\.ndjson line 2: not JSON/],
    ['a line without polledAt', `${line('2025-09-08T19:02:00Z')}\n\n${JSON.stringify({ level: 'kommune', file: 'f', body: {} })}`, /^night\.ndjson line 3: polledAt: /],
    ['an unknown level', JSON.stringify({ polledAt: 'x', level: 'bydel', file: 'f', body: {} }), /^night\.ndjson line 1: level: /],
  ])('names the line number and the reason for %s', (_name, text, error) => {
    expect(() => parseRecordingText(text, 'night.ndjson')).toThrow(error);
  });
});

describe('readRecording (the shipped recording, SOURCES.md §6)', () => {
  it('gunzips and reads all 7,887 lines of the 2025 night, oldest first', async () => {
    const lines = await readRecording();
    expect(lines).toHaveLength(7887);
    expect(lines[0]!.polledAt).toBe('2025-09-08T19:02:00Z');
    expect(lines.at(-1)!.polledAt).toBe('2025-09-09T05:38:00Z');
  });
});
