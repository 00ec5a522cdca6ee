/** RFC 4180 CSV that spreadsheets open safely. */

export type Cell = string | number | boolean | null | undefined;

// A cell starting with one of these would run as a formula in Excel / LibreOffice (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/** --bom: Excel on Windows reads a CSV as UTF-8 only when it starts with this. */
export const UTF8_BOM = '\uFEFF';
