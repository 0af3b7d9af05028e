/**
 * Input limits: one table of every bound that keeps a scenario, an experiment or a command from taking
 * gigabytes or hours before it has started, checked by the loaders (and so by `hqsim validate`) before any
 * work. A limit that guards only against waiting or memory can be raised with its environment variable
 * (`HQSIM_MAX_...`); a limit that guards the model's arithmetic or the file system cannot.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { CST, Lexer } from 'yaml';
import { describeSystemError, isSystemError } from '../output/system-errors.ts';

export interface LimitSpec {
  /** The default bound. */
  value: number;
  /** What is bounded, as it reads in a message: "<what> is N". */
  what: string;
  /** Environment variable that raises it; absent for fixed limits. */
  env?: string;
  /** Why the limit exists (docs/experiments.md prints this table). */
  why: string;
}

/** Every limit, with its default. Fixed limits (no `env`) are part of the file formats. */
export const LIMITS = {
  fileBytes: { value: 8 * 2 ** 20, what: 'the file size in bytes', env: 'HQSIM_MAX_FILE_BYTES', why: 'scenario, experiment and seed files are read whole' },
  nesting: { value: 64, what: 'the nesting depth', why: 'deeper YAML or JSON takes the parser superlinear time and stack' },
  idLength: { value: 64, what: 'the length of an id', why: 'ids name table columns and files, and "did you mean" hints compare them' },
  nameLength: { value: 100, what: 'the length of a name', why: 'scenario and experiment names become directory names (at most 255 bytes with the temporary suffixes)' },
  money: { value: 1e6, what: 'a money value (USD m)', why: 'USD 1 trillion a year is beyond any city or organization; larger values overflow sums to Infinity' },
  number: { value: 1e9, what: 'a number', why: 'every other quantity (staff, counts, factors, coefficients) stays within what sums of many agents and years keep finite' },
  cities: { value: 20_000, what: 'the number of cities (listed and synthetic)', env: 'HQSIM_MAX_CITIES', why: 'about 26 KB of memory per city' },
  organizations: { value: 500_000, what: 'the number of organizations (listed, synthetic and expected foundings)', env: 'HQSIM_MAX_ORGANIZATIONS', why: 'about 1 KB of memory per organization' },
  work: { value: 2e11, what: 'cities x organizations x years', env: 'HQSIM_MAX_WORK', why: 'a work estimate: the bundled 1,000 x 40,000 x 100 benchmark world (4e9) takes about 3.5 s' },
  designPoints: { value: 1_000_000, what: 'the number of design points', env: 'HQSIM_MAX_DESIGN_POINTS', why: 'the plan keeps every point in memory and in .sweep/plan.json' },
  factorValues: { value: 1_000, what: 'the number of values of a factor', env: 'HQSIM_MAX_FACTOR_VALUES', why: 'every value is loaded once when the experiment is checked' },
  arms: { value: 1_000, what: 'the number of arms', env: 'HQSIM_MAX_ARMS', why: 'every arm is loaded once when the experiment is checked' },
  metrics: { value: 10_000, what: 'the number of metrics (with per-year series expanded)', env: 'HQSIM_MAX_METRICS', why: 'every run journals every metric' },
  runs: { value: 10_000_000, what: 'the number of runs (points x arms x replications, or the adaptive cap)', env: 'HQSIM_MAX_RUNS', why: 'the journal keeps a line per run (about 60 bytes on disk, 14 bytes of index in memory)' },
  bootstrapWork: { value: 1e10, what: 'bootstrap resamples x design points x arms x metrics', env: 'HQSIM_MAX_BOOTSTRAP_WORK', why: 'the time of the Sobol or Morris bootstrap intervals' },
  oddsRuns: { value: 1_000_000, what: 'the number of runs of hqsim odds', env: 'HQSIM_MAX_ODDS_RUNS', why: 'every run\'s contest outcome is kept in memory until the tally' },
  workers: { value: 256, what: 'the number of worker threads', env: 'HQSIM_MAX_WORKERS', why: 'each worker holds its own copy of the engine and scenario (tens of MB)' },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMITS;

import { LimitSettingError } from './errors.ts';
export { LimitSettingError };

/** The bound in force: the environment's, for a raisable limit, else the default. */
export function limit(name: LimitName, env: NodeJS.ProcessEnv = process.env): number {
  const spec: LimitSpec = LIMITS[name];
  const raw = spec.env ? env[spec.env] : undefined;
  if (raw === undefined || raw === '') return spec.value;
  const v = Number(raw.replace(/_/g, ''));
  if (!/^[0-9_.eE+]+$/.test(raw) || !Number.isFinite(v) || v <= 0) throw new LimitSettingError(`${spec.env}=${JSON.stringify(raw)}: a limit must be a positive number, e.g. ${spec.env}=${spec.value * 10}`);
  return v;
}

/** Counts for messages: digit groups up to 1e15, else an exponent. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1e15) return n.toExponential(2).replace('e+', 'e');
  const s = String(Math.round(n * 1000) / 1000);
  const [int, frac] = s.split('.');
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
}

/** "<what> is N; limit M (raise it with ENV=<n>)", or undefined when within the limit. */
export function overLimit(name: LimitName, actual: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bound = limit(name, env);
  if (actual <= bound) return undefined;
  return limitMessage(name, actual, bound);
}

export function limitMessage(name: LimitName, actual: number, bound = limit(name)): string {
  const spec: LimitSpec = LIMITS[name];
  return `${spec.what} is ${formatCount(actual)}; limit ${name} is ${formatCount(bound)}${spec.env ? ` (raise it with ${spec.env}=<n>)` : ''}`;
}

// ---------------------------------------------------------------------------
// Input files
// ---------------------------------------------------------------------------

/** An input file that cannot be read: `reason` completes "cannot read <what>: ...". */
export class InputFileError extends Error {
  constructor(readonly file: string, readonly reason: string) { super(`${file}: ${reason}`); }
}

/**
 * Read a whole text input file, refusing what is not a regular file (devices such as /dev/zero, pipes,
 * directories) and files over the size limit, both decided with fstat before anything is read. A pipe is
 * opened without blocking, so that a FIFO without a writer is refused rather than waited on.
 */
export function readInputFile(file: string): string {
  let fd: number;
  try { fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK); } catch (e) {
    throw new InputFileError(file, isSystemError(e) ? describeSystemError(e) : (e as Error).message);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputFileError(file, 'is a directory, not a file');
    if (!st.isFile()) throw new InputFileError(file, `is not a regular file (${st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'a special file'}); give a file`);
    const max = limit('fileBytes');
    if (st.size > max) throw new InputFileError(file, limitMessage('fileBytes', st.size, max));
    // Read at most max + 1 bytes, whatever the size said (a file may grow while it is read).
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(Math.min(max + 1, Math.max(st.size + 1, 1 << 16)));
    for (;;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, max + 1 - total), null);
      if (n <= 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (total > max) throw new InputFileError(file, limitMessage('fileBytes', total, max));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new InputFileError(file, isSystemError(e) ? describeSystemError(e) : (e as Error).message);
  } finally { closeSync(fd); }
}

// ---------------------------------------------------------------------------
// YAML / JSON nesting
// ---------------------------------------------------------------------------

/**
 * An upper bound of the nesting depth of a YAML (or JSON) text, from its tokens alone (linear time, no
 * recursion), and where it first exceeds `max`. Flow collections count one level per open bracket; block
 * collections one level per indentation step and per indicator (`- `, `? `, `: `) on a line. The estimate is
 * within a factor of two of the real depth (a block sequence may sit at its key's indentation), which is all
 * a guard against pathological input needs: a document that passes is parsed in moments.
 */
export function nestingBound(text: string, max: number = LIMITS.nesting.value): { depth: number; offset: number } | undefined {
  let flow = 0;
  const indents: number[] = [];
  let lineIndent = 0;
  let atLineStart = true;
  let onLine = 0;
  let offset = 0;
  let skipNext = false;
  for (const tok of new Lexer().lex(text)) {
    const start = offset;
    offset += tok.length;
    if (skipNext) { skipNext = false; continue; }
    const type = CST.tokenType(tok);
    if (type === 'newline') { atLineStart = true; lineIndent = 0; onLine = 0; continue; }
    if (type === 'space' || type === 'comment' || type === 'doc-mode' || type === 'byte-order-mark') {
      if (type === 'space' && atLineStart) lineIndent = tok.length;
      continue;
    }
    if (atLineStart) {
      atLineStart = false;
      // Inside brackets, indentation is layout, not nesting.
      if (flow === 0) {
        while (indents.length && indents[indents.length - 1] > lineIndent) indents.pop();
        if (!indents.length || indents[indents.length - 1] < lineIndent) indents.push(lineIndent);
      }
    }
    switch (type) {
      case 'scalar': skipNext = true; break; // the next token is the scalar's source
      case 'flow-seq-start': case 'flow-map-start': flow++; break;
      case 'flow-seq-end': case 'flow-map-end': if (flow > 0) flow--; break;
      case 'seq-item-ind': case 'explicit-key-ind': case 'map-value-ind': if (flow === 0) onLine++; break;
      default: break;
    }
    const depth = flow + indents.length + onLine;
    if (depth > max) return { depth, offset: start };
  }
  return undefined;
}

/** Line and column (1-based) of a character offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1, last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { line++; last = i; }
  return { line, col: offset - last };
}

/** A located problem when a YAML or JSON text nests deeper than the limit (checked before it is parsed). */
export function nestingProblem(text: string, file: string): { file: string; line: number; col: number; path: string; message: string } | undefined {
  const max = LIMITS.nesting.value;
  const deep = nestingBound(text, max);
  if (!deep) return undefined;
  const at = lineCol(text, deep.offset);
  return { file, ...at, path: '', message: `nested deeper than ${max} levels here (limit nesting is ${max}: deeper documents take the parser too long)` };
}
