/** A cell a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, or a tab / carriage return before one. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Text that is just a number (`-12`, `+3.5`, `-1e3`): a spreadsheet reads it as that number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A text cell as a spreadsheet may safely open it (CSV exports and XLSX workbooks alike): one that
 * would start a formula gets a leading single quote (shown as text, not run). Numbers are not text,
 * so they stay numbers, negative ones included; so does text that is only a number.
 */
export function csvSafeText(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}
