/**
 * CSV injection (OWASP "CSV Injection"): a spreadsheet that opens a downloaded CSV runs a
 * cell starting with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`, DDE commands), and
 * tab or carriage return can start one too. Ferry's CSVs carry source rows written by
 * anyone who could type into the legacy CRM, so every cell that could start a formula is
 * written as text by prefixing a single quote.
 *
 * Choices:
 * - Leading whitespace does not make a cell safe: some importers trim it (LibreOffice's
 *   "trim spaces", Google Sheets), so ` =1+1` is treated like `=1+1`.
 * - The full-width forms (＝ ＋ － ＠) are triggers too: Excel in East Asian locales reads
 *   them as their ASCII twins.
 * - A cell that is entirely a negative decimal number (`-5`, `-0.25`, `-1.5e3`) stays as
 *   is: a spreadsheet reads it as that same number and nothing can run, and amounts keep
 *   their sign in a sum. `+` is never exempt: `+4930123456` would lose its `+` as a number,
 *   so as text it is kept exactly.
 */
const FORMULA_START = /^[\s\u00a0\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/;
const NEGATIVE_NUMBER = /^-(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function neutraliseFormula(text: string): string {
  if (!FORMULA_START.test(text) || NEGATIVE_NUMBER.test(text)) return text;
  return `'${text}`;
}

/** True when a spreadsheet could run the text as a formula (what neutraliseFormula changes). */
export const startsLikeFormula = (text: string) => neutraliseFormula(text) !== text;
