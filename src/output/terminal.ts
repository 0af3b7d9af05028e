/**
 * User strings on the terminal: file names, keys and values from input files reach error messages, and an
 * escape sequence among them could clear the screen or forge a line. Control characters (C0 but the newline
 * where lines are kept, DEL, C1) and bidirectional overrides are shown as `\uXXXX`, and overlong lines are cut.
 */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_NL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Lines longer than this are cut: a 100 KB key in a message helps no one. */
export const MAX_LINE = 2000;

function cut(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max)}... (${line.length - max} more characters)` : line;
}

/**
 * Safe to print: keeps newlines, escapes every other control character (as `\uXXXX`, which is also valid
 * inside a JSON string, so JSON output stays JSON), and cuts lines longer than `maxLine`.
 */
export function terminalText(s: string, maxLine = Infinity): string {
  return s.split('\n').map((l) => cut(l.replace(CONTROL, escape), maxLine)).join('\n');
}

/** A word longer than this (a 100 KB key or id from a file) is shown by its start and its length. */
const MAX_WORD = 400;
const LONG_WORD = new RegExp(`[^\\s"]{${MAX_WORD + 1},}`, 'g');

/** Safe to print as one line: newlines escaped too, overlong words shortened, cut at MAX_LINE. */
export function terminalLine(s: string): string {
  return cut(s.replace(CONTROL_NL, escape).replace(LONG_WORD, (w) => `${w.slice(0, 40)}...(${w.length} characters)`), MAX_LINE);
}
