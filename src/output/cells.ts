/**
 * Text cells of CSV files. A spreadsheet reads a cell that begins with `=`, `+`, `-` or `@` (or a tab or
 * carriage return before one) as a formula, so a string that came from a user's file could run as one when
 * the table is opened. Such a cell is written with a leading `'`, which spreadsheets show as text and other
 * readers keep as a visible mark; Parquet files keep the string unchanged. Numbers are never affected.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}
