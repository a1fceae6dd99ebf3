/**
 * Reads RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) into records keyed by
 * the header, keeping each record's line number so errors can point at it.
 */
export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

export function readCsv(text: string): { header: string[]; records: CsvRecord[] } {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  const header = rows.shift()?.cells ?? [];
  return {
    header,
    records: rows.map((r) => ({
      line: r.line,
      values: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])),
    })),
  };
}
