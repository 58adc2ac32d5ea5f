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

/** A CSV syntax problem, with the 1-based line where it was found. */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

export interface CsvTable {
  header: string[];
  /** Data rows with the 1-based line each starts on (a quoted field may span lines). */
  rows: Array<{ line: number; fields: string[] }>;
}

/**
 * Parses CSV text into its header and raw rows, keeping each row's line number so that a validator can
 * point at file, line and column. Blank lines are skipped; rows are not checked against the header.
 */
export function parseCsvTable(text: string, options: Pick<ParseOptions, 'delimiter'> = {}): CsvTable {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"') throw new Error(`bad delimiter ${JSON.stringify(delimiter)}`);
  // Some exports start with a UTF-8 BOM; it must not end up in the first header name.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const rows: Array<{ line: number; fields: string[] }> = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
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
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
      quoteLine = line;
      i++;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push({ line: rowLine, fields: row });
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (inQuotes) throw new CsvSyntaxError(quoteLine, 'unterminated quoted field');
  // Last line without a trailing newline.
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push({ line: rowLine, fields: row });
  }
  const [header, ...body] = rows.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  return { header: header?.fields ?? [], rows: body };
}

/** Parses CSV text with a header row into one record per data row (keys = header names). */
export function parseCsv(text: string, options: ParseOptions = {}): Record<string, string>[] {
  const { header, rows } = parseCsvTable(text, options);
  if (header.length === 0) return [];
  return rows.map(({ line, fields }) => {
    if (fields.length !== header.length && !(options.allowShortRows && fields.length < header.length)) {
      throw new CsvSyntaxError(line, `${fields.length} fields, header has ${header.length}`);
    }
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      rec[h] = fields[j] ?? '';
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
