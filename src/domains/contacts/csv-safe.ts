// CSV formula-injection guard (OWASP "CSV Injection"): a cell a spreadsheet would read as a formula
// gets a leading apostrophe. Every CSV revloop writes (exports, import error files) passes its cells through here.

/** First characters that make Excel, LibreOffice, Google Sheets or Numbers treat a cell as a formula. */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D' /* ＝ */, '\uFF0B' /* ＋ */, '\uFF0D' /* － */, '\uFF20' /* ＠ */]);

/** Returns the text with a leading ' when it starts with = + - @ tab or CR (or their full-width forms). */
export function escapeFormula(value: string): string {
  return value.length > 0 && FORMULA_START.has(value[0]!) ? `'${value}` : value;
}

/**
 * One CSV cell from any value: null/undefined → '', strings escaped, numbers and booleans as text
 * (a number is never a formula), dates as ISO 8601, objects as escaped JSON.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return escapeFormula(value);
  return escapeFormula(JSON.stringify(value));
}

/** A whole row of cells. */
export function csvRow(values: readonly unknown[]): string[] {
  return values.map(csvCell);
}
