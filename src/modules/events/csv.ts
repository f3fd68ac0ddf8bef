/** UTF-8 byte order mark, so spreadsheet programs open Chinese text as UTF-8 instead of the system code page. */
export const CSV_BOM = "\uFEFF";

// Characters that make a spreadsheet read a cell as a formula (or as the start of one, for tab and CR).
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * Render one CSV cell (RFC 4180). A text that a spreadsheet would run as a formula, such as
 * `=HYPERLINK(…)` or `@SUM(…)`, gets a leading apostrophe so it shows as text. A plain number such as
 * +8613800001234 or -5 is left alone, because spreadsheets read it as a number and run nothing.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";

  let text = String(value);
  if (text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) && !PLAIN_NUMBER.test(text)) text = `'${text}`;

  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Render one CSV record, ending with CRLF. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
