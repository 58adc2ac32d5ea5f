// Minimal RFC 4180 CSV reader/writer: the reference data (scripts/build-data.ts, data/) and the newsroom
// exports (semicolon-separated, as Valgdirektoratet's). Pure and dependency-free.

export interface ParseOptions {
  /** Field separator; the valgresultat.no exports use ';'. */
  delimiter?: string;
  /**
   * Accept rows with fewer fields than the header and read the missing trailing fields as ''.
   * The valgresultat.no 2019 krets export omits its two trailing mandate columns on data rows.
   */
  allowShortRows?: boolean;
}

/** Parses CSV text with a header row into one record per data row (keys = header names). */
export function parseCsv(text: string, options: ParseOptions = {}): Record<string, string>[] {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"') throw new Error(`bad delimiter ${JSON.stringify(delimiter)}`);
  // Some exports start with a UTF-8 BOM; it must not end up in the first header name.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
      i++;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (inQuotes) throw new Error('unterminated quoted field');
  // Last line without a trailing newline.
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }

  const [header, ...body] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  return body.map((r, n) => {
    if (r.length !== header.length && !(options.allowShortRows && r.length < header.length)) {
      throw new Error(`row ${n + 2}: ${r.length} fields, header has ${header.length}`);
    }
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      rec[h] = r[j] ?? '';
    });
    return rec;
  });
}

function quoteField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Serialises rows with a header row; '\n' line endings (or '\r\n') and a final line ending, so output is
 * byte-stable. Null and undefined are empty fields.
 */
export function toCsv(
  rows: readonly Record<string, string | number | null | undefined>[],
  columns: readonly string[],
  options: { delimiter?: string; lineEnding?: '\n' | '\r\n' } = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const lineEnding = options.lineEnding ?? '\n';
  const lines = [columns.map((c) => quoteField(c, delimiter)).join(delimiter)];
  for (const r of rows) {
    lines.push(
      columns
        .map((c) => {
          const v = r[c];
          return quoteField(v === null || v === undefined ? '' : String(v), delimiter);
        })
        .join(delimiter),
    );
  }
  return lines.join(lineEnding) + lineEnding;
}
