/** Encodes rows as PostgreSQL CSV for COPY … FROM (FORMAT csv): NULL is an unquoted empty field. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  else if (typeof value === 'boolean') return value ? 't' : 'f';
  else text = JSON.stringify(value);
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvLine(row: readonly unknown[]): string {
  return `${row.map(field).join(',')}\n`;
}

export function copySql(table: string, columns: readonly string[], source: string): string {
  const ident = /^[a-z_][a-z0-9_]*$/;
  for (const name of [table, ...columns]) {
    if (!ident.test(name)) throw new Error(`copyFrom: not a plain identifier: ${name}`);
  }
  return `COPY ${table} (${columns.join(', ')}) FROM ${source} WITH (FORMAT csv)`;
}
