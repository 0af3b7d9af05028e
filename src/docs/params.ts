/**
 * The parameter table of the model documentation, generated from the parameter registry
 * (`paramEntries()` of src/model/params.ts), never written by hand. docs/ODD.md embeds the
 * markdown form between the markers below; `hqsim params` prints it (markdown or JSON) and
 * `hqsim params --write docs/ODD.md` rewrites the embedded block.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { paramEntries, type ParamSpec } from '../model/params.ts';

export const PARAMS_BEGIN = '<!-- params:begin -->';
export const PARAMS_END = '<!-- params:end -->';
export const PARAMS_FORMATS = ['markdown', 'json'] as const;
export type ParamsFormat = (typeof PARAMS_FORMATS)[number];

/** One row of the table, as printed by `hqsim params --format json`. */
export interface ParamRow {
  /** dotted path as written in a scenario's `parameters:` block */
  path: string;
  meaning: string;
  unit: string;
  default: number;
  min: number | null;
  max: number | null;
  integer: boolean;
  /** human-readable range, as in the markdown table */
  range: string;
  source: string;
}

/** Allowed values of a coefficient in words: "0 to 1", ">= 0", "integer, >= 1". */
export function rangeText(s: ParamSpec): string {
  const lo = s.min, hi = s.max;
  let r: string;
  if (lo !== undefined && hi !== undefined) r = `${lo} to ${hi}`;
  else if (lo !== undefined) r = `>= ${lo}`;
  else if (hi !== undefined) r = `<= ${hi}`;
  else r = 'any';
  return s.integer ? `integer, ${r}` : r;
}

export function paramRows(): ParamRow[] {
  return paramEntries().map(([path, s]) => ({
    path, meaning: s.meaning, unit: s.unit, default: s.default,
    min: s.min ?? null, max: s.max ?? null, integer: s.integer ?? false, range: rangeText(s), source: s.source,
  }));
}

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The parameter table in GitHub-flavoured markdown, one row per coefficient, in registry order. Ends with a newline. */
export function paramTableMarkdown(): string {
  const lines = [
    '| parameter | meaning | unit | default | range | source |',
    '|---|---|---|---|---|---|',
    ...paramRows().map((r) => `| \`${r.path}\` | ${cell(r.meaning)} | ${cell(r.unit)} | ${r.default} | ${cell(r.range)} | ${cell(r.source)} |`),
  ];
  return lines.join('\n') + '\n';
}

export function paramTableJson(): string {
  return JSON.stringify(paramRows(), null, 2) + '\n';
}

/** The text between the params markers of a markdown document (without the newline after the begin marker). */
export function embeddedParamBlock(doc: string): string | null {
  const b = doc.indexOf(PARAMS_BEGIN);
  const e = doc.indexOf(PARAMS_END);
  if (b < 0 || e < 0 || e < b) return null;
  let start = b + PARAMS_BEGIN.length;
  if (doc[start] === '\r') start++;
  if (doc[start] === '\n') start++;
  return doc.slice(start, e);
}

/** Replace the block between the params markers with the current table; null when the markers are missing. */
export function replaceParamBlock(doc: string): string | null {
  const b = doc.indexOf(PARAMS_BEGIN);
  const e = doc.indexOf(PARAMS_END);
  if (b < 0 || e < 0 || e < b) return null;
  return doc.slice(0, b) + PARAMS_BEGIN + '\n' + paramTableMarkdown() + doc.slice(e);
}

/** commander argument parser for `--format`. */
export function parseParamsFormat(v: string): ParamsFormat {
  if (!(PARAMS_FORMATS as readonly string[]).includes(v)) throw new InvalidArgumentError(`--format must be one of: ${PARAMS_FORMATS.join(', ')}`);
  return v as ParamsFormat;
}

/**
 * `hqsim params`: the table in the requested format, or, with `write`, rewrite the table embedded in a markdown
 * file and return a one-line report. `fail` turns a user error into the CLI's usage error.
 */
export function paramsCommand(o: { format?: ParamsFormat; write?: string }, fail: (message: string) => Error): string {
  if (o.write !== undefined) {
    let text: string;
    try { text = readFileSync(o.write, 'utf8'); } catch (e) { throw fail(`cannot read ${o.write}: ${(e as Error).message}`); }
    const next = replaceParamBlock(text);
    if (next === null) throw fail(`${o.write} has no ${PARAMS_BEGIN} ... ${PARAMS_END} block to rewrite`);
    const n = paramEntries().length;
    if (next === text) return `${o.write}: parameter table already up to date (${n} parameters)`;
    writeFileSync(o.write, next);
    return `${o.write}: parameter table rewritten (${n} parameters)`;
  }
  return (o.format ?? 'markdown') === 'json' ? paramTableJson().trimEnd() : paramTableMarkdown().trimEnd();
}
