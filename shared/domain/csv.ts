// CSV in and out: writing cells here; reading in ./csv-read, which holds csv-parse and is imported
// only where a CSV is read (a Lambda cold start never parses it; README "Benchmarks", Lambda).

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
}

/** One CSV cell: quoted when it holds a comma, quote or newline. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
