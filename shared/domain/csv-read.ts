// Reading CSV, with csv-parse's reader (RFC 4180: quoted fields with commas, doubled quotes and
// line breaks inside, CRLF, LF or CR line ends, mixed too, a UTF-8 byte-order mark). The reader
// written here before took `"a"b` for `ab` and `a"b` for a literal quote without a word; a quote
// where RFC 4180 allows none is now an error naming the line, never a guess.
import { CsvError, parse } from 'csv-parse/sync';
import { CsvSyntaxError } from './csv';

/** Every record as its cells, blank lines skipped; records may differ in length (callers check). */
export function parseCsv(text: string): string[][] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) throw new CsvSyntaxError(error.message);
    throw error;
  }
  // A line of spaces is blank too (an editor's leftover), not a record of one empty cell.
  return records.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}
