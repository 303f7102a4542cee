// CSV cells that a spreadsheet cannot run (the OWASP rule for CSV injection): a text
// cell beginning with =, +, -, @, a tab or a carriage return is written quoted with a
// single quote in front, so Excel, LibreOffice and Google Sheets show it as text
// instead of evaluating it (`=cmd|' /C calc'!A0` is written "'=cmd|' /C calc'!A0").
// Numbers stay numbers: a cell that is the plain text of a number (-0.5, -1e-7,
// -Infinity) is a value, not a formula, and is written as it is, so every number the
// tables hold keeps its bytes. A text that already starts with quotes before such a
// character gets one more, so that reading back (unescapeCell, for quoted cells only)
// gives exactly the text written. No runtime imports: the browser demo uses it too.
import type { Options } from 'csv-stringify/sync';

const RISKY = /^'*[=+\-@\t\r]/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$|^[-+]?Infinity$/i;

/** Whether a text cell must be escaped before it reaches a spreadsheet. */
export function isRisky(text: string): boolean {
  return RISKY.test(text) && !NUMBER.test(text);
}

/** The text a cell is written as: prefixed with `'` when a spreadsheet would run it. */
export function escapeText(text: string): string {
  return isRisky(text) ? `'${text}` : text;
}

/** The text a quoted cell held before escapeText: one leading `'` removed where escapeText put one. */
export function unescapeText(text: string): string {
  return text.startsWith("'") && isRisky(text.slice(1)) ? text.slice(1) : text;
}

/**
 * csv-stringify options for every CSV migov writes: text cells (header included)
 * escaped and quoted where risky; numbers written by `String`.
 */
export const CSV_OPTIONS: Options = {
  cast: {
    string: (value) => (isRisky(value) ? { value: `'${value}`, quoted: true } : value),
    number: String,
  },
};

/** One CSV line (with its newline) from cells, escaped and quoted as CSV_OPTIONS does: for writers without csv-stringify (the browser demo). */
export function csvLine(cells: readonly (string | number)[]): string {
  return `${cells
    .map((c) => {
      if (typeof c === 'number') return String(c);
      const text = escapeText(c);
      return text !== c || /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',')}\n`;
}
