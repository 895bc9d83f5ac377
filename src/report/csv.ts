// CSV as RFC 4180 has it: comma separated, CRLF-free ("\n" line ends, which every reader accepts), and a field
// quoted when it holds a comma, a quote or a line break, with quotes doubled. Backend and variant names come from
// scenario files, so they may hold any of these.
export type CsvCell = string | number | boolean | null | undefined;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One header line, then one line per row; the columns pick each row's cells in order. */
export function toCsv<Row>(columns: ReadonlyArray<{ name: string; value: (row: Row) => CsvCell }>, rows: Iterable<Row>): string {
  const lines = [columns.map((column) => csvField(column.name)).join(",")];
  for (const row of rows) lines.push(columns.map((column) => csvField(column.value(row))).join(","));
  return `${lines.join("\n")}\n`;
}
