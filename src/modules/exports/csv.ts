/** UTF-8 byte order mark, so spreadsheet programs read the file as UTF-8 and show Chinese text. */
export const CSV_BOM = "\uFEFF";

/** First characters that make a spreadsheet treat a cell as a formula, or start one (tab and CR). */
const FORMULA_STARTS = new Set(["=", "+", "-", "@", "\t", "\r"]);

/**
 * Render one CSV cell (RFC 4180). Text starting with = + - @ tab or CR gets a leading apostrophe, so a
 * spreadsheet shows it as text instead of running it as a formula; mobile numbers such as +8613800001234
 * get it too and keep their plus sign. Values of type number are written as they are.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";

  // A number is data we produced, never a formula; text from customers or staff may be one.
  let text = String(value);
  if (typeof value === "string" && text.length > 0 && FORMULA_STARTS.has(text[0]!)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Render one CSV record, ended with CRLF. */
export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
