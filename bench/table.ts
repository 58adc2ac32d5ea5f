// Markdown tables and the number formats the benchmark report uses.

export function markdownTable(headers: string[], rows: Array<Array<string | number>>, align: Array<'left' | 'right'> = []): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(3, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => (align[column] === 'right' ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (align[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(headers), rule, ...cells.slice(1).map((row) => line(headers.map((_, column) => row[column] ?? '')))].join('\n');
}

const DASH = '–';

/** Milliseconds: "0.8 ms", "12 ms", "1.25 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Bytes: "512 B", "13.2 KB", "1.4 MB" (1 KB = 1024 B). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return DASH;
  const sign = bytes < 0 ? '−' : '';
  const value = Math.abs(bytes);
  if (value < 1024) return `${sign}${Math.round(value)} B`;
  if (value < 1024 ** 2) return `${sign}${(value / 1024).toFixed(1)} KB`;
  if (value < 1024 ** 3) return `${sign}${(value / 1024 ** 2).toFixed(1)} MB`;
  return `${sign}${(value / 1024 ** 3).toFixed(2)} GB`;
}

/** A ratio a/b as "0.82×"; a dash when either side is missing or b is zero. */
export function formatRatio(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return DASH;
  const ratio = a / b;
  return `${ratio >= 100 ? Math.round(ratio) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatPercent(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${value.toFixed(digits)} %`;
}
