/**
 * Result directories on disk: which ones hqsim may replace, and replacing them so that a kill at any instant
 * loses nothing.
 *
 * The `--force` rule: hqsim replaces only a directory it wrote, recognised by a manifest.json with an `hqsim`
 * field (or, for a sweep stopped before it finished, by its `.sweep/` state) and holding nothing but the files
 * hqsim writes there. It never replaces a file, a symbolic link, the working directory or a directory that
 * contains it, or a directory with anything else in it. An empty directory counts as absent.
 *
 * Crash safety: a new result is written into `.<name>.partial-<host>-<pid>` beside the target. To replace an
 * existing result, the old one is first renamed to `.<name>.previous` (the recovery place), the new one is
 * renamed to `<name>`, then the previous one is deleted. At every instant a complete result exists under the
 * name or as `.<name>.previous`; the next hqsim command that writes to the name puts a previous result back
 * when the name is missing, deletes it when the name holds a complete result, and removes partial directories
 * left by processes that no longer run.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { isSystemError } from './system-errors.ts';

/** The target exists and hqsim could replace it, but `--force` was not given (exit 2). */
export class OutputExistsError extends Error {}
/** The target exists and hqsim will not replace it, `--force` or not (exit 2). */
export class OutputRefusedError extends Error {}

/** Short tag of this machine, so that a partial directory on a shared file system is cleaned only by its own host. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);

/** What hqsim writes into a result directory (run or sweep). Anything else makes the directory not hqsim's alone. */
const RESULT_ENTRIES = new Set(['manifest.json', 'summary.json', 'events.csv', 'decisions.csv', 'city_year.csv', 'org_year.csv', 'report.html',
  'runs.csv', 'runs.parquet', 'points.csv', 'points.parquet', 'arms.csv', 'sensitivity.csv', '.sweep', 'detail', 'discover', 'advice.json']);
/** Temporary files hqsim writes into a result directory and renames (left behind by a kill). */
const TEMP_ENTRY = /^\.[^/]+\.(tmp|partial-[0-9a-f]+(-\d+)?)$/;

export const partialPath = (target: string) => join(dirname(target), `.${basename(target)}.partial-${HOST}-${process.pid}`);
export const previousPath = (target: string) => join(dirname(target), `.${basename(target)}.previous`);
const trashPath = (target: string) => join(dirname(target), `.${basename(target)}.trash-${HOST}-${process.pid}`);

export type TargetState =
  | { kind: 'absent' }
  | { kind: 'empty' }
  | { kind: 'result'; what: 'run' | 'sweep'; complete: boolean }
  | { kind: 'refused'; reason: string };

function readJsonObject(path: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch { return undefined; }
}

const isInside = (dir: string, path: string) => { const r = relative(dir, path); return r === '' || (!r.startsWith('..') && !isAbsolute(r)); };

/** What is at `target`, and whether hqsim may replace it. */
export function inspectTarget(target: string, cwd = process.cwd()): TargetState {
  let st;
  try { st = lstatSync(target); } catch (e) {
    if (isSystemError(e) && e.code === 'ENOENT') return { kind: 'absent' };
    throw e;
  }
  if (st.isSymbolicLink()) return { kind: 'refused', reason: 'is a symbolic link; hqsim replaces only directories it wrote' };
  if (!st.isDirectory()) return { kind: 'refused', reason: 'is a file, not a result directory; hqsim never replaces a file' };
  const real = realpathSync(target);
  let here = cwd;
  try { here = realpathSync(cwd); } catch { /* a removed working directory */ }
  if (real === here) return { kind: 'refused', reason: 'is the working directory; give a directory below it' };
  if (isInside(real, here)) return { kind: 'refused', reason: 'contains the working directory; give a directory below it' };
  const entries = readdirSync(target);
  if (entries.length === 0) return { kind: 'empty' };
  const manifest = readJsonObject(join(target, 'manifest.json'));
  const ours = manifest !== undefined && typeof manifest.hqsim === 'string';
  const sweep = entries.includes('.sweep');
  if (!ours && !(sweep && sweepStateIsOurs(target))) {
    return { kind: 'refused', reason: 'holds files hqsim did not write (no manifest.json of hqsim); hqsim replaces only its own result directories' };
  }
  const foreign = entries.filter((e) => !RESULT_ENTRIES.has(e) && !TEMP_ENTRY.test(e)).sort();
  if (foreign.length) {
    const shown = foreign.slice(0, 5).map((f) => JSON.stringify(f)).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    return { kind: 'refused', reason: `also holds ${shown}, which hqsim did not write; move ${foreign.length > 1 ? 'them' : 'it'} away or give another directory` };
  }
  const what = manifest?.kind === 'sweep' || sweep ? 'sweep' : 'run';
  const complete = ours && (!sweep || readJsonObject(join(target, '.sweep', 'state.json'))?.complete === true);
  return { kind: 'result', what, complete };
}

/** A `.sweep/` directory that holds only what a sweep writes there (a sweep stopped before its manifest). */
function sweepStateIsOurs(target: string): boolean {
  try {
    return readdirSync(join(target, '.sweep')).every((e) => /^(state\.json|plan\.json|journal\.ndjson|journal\.damaged\.ndjson)$/.test(e) || TEMP_ENTRY.test(e) || e.endsWith('.tmp'));
  } catch { return false; }
}

/**
 * Check that `target` may be written: absent, empty, or (with `force`) a complete or stopped result of hqsim.
 * Throws OutputExistsError (use --force) or OutputRefusedError (never).
 */
export function checkTarget(target: string, force: boolean, cwd = process.cwd()): TargetState {
  const s = inspectTarget(target, cwd);
  if (s.kind === 'refused') throw new OutputRefusedError(`${target} ${s.reason}`);
  if (s.kind === 'result' && !force) throw new OutputExistsError(`${target} exists; use --force to replace it`);
  return s;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * Finish what a stopped earlier command left at `target`: remove partial directories of processes that no
 * longer run on this machine and interrupted deletions, then put `.<name>.previous` back when the name is
 * missing, or delete it when the name holds a complete result. Returns notes for the user.
 */
export function recoverTarget(target: string): string[] {
  const parent = dirname(target);
  const base = basename(target);
  let names: string[];
  try { names = readdirSync(parent); } catch { return []; }
  const notes: string[] = [];
  const prefix = `.${base}.`;
  let legacyPrevious: string | undefined;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const m = /^(partial|trash|old)-(?:([0-9a-f]{6})-)?(\d+)$/.exec(rest);
    if (!m) continue;
    const [, kind, host, pid] = m;
    if ((host ?? HOST) !== HOST || (alive(Number(pid)) && Number(pid) !== process.pid)) continue;
    if (kind === 'old') { legacyPrevious ??= join(parent, name); continue; }
    rmSync(join(parent, name), { recursive: true, force: true });
    if (kind === 'partial') notes.push(`removed ${join(parent, name)}, left by an hqsim command that was stopped`);
  }
  let prev = previousPath(target);
  if (!existsSync(prev) && legacyPrevious) prev = legacyPrevious;
  if (!existsSync(prev)) return notes;
  const now = inspectTarget(target);
  if (now.kind === 'absent') {
    renameSync(prev, target);
    notes.push(`restored ${target} from ${prev}: an earlier replacement was stopped half-way`);
  } else if (now.kind === 'result' && now.complete) {
    rmSync(prev, { recursive: true, force: true });
  } else if (now.kind === 'empty') {
    rmSync(target, { recursive: true, force: true });
    renameSync(prev, target);
    notes.push(`restored ${target} from ${prev}: an earlier replacement was stopped half-way`);
  }
  return notes;
}

/**
 * Create `dir` and its parents. Node reports a recursive mkdir refused by the file system (read-only,
 * no permission) as ENOENT; this finds and throws the real cause.
 */
export function ensureDir(dir: string): void {
  try { mkdirSync(dir, { recursive: true }); } catch (e) {
    if (!isSystemError(e) || e.code !== 'ENOENT') throw e;
    let a = dir;
    while (dirname(a) !== a && !existsSync(dirname(a))) a = dirname(a);
    mkdirSync(a); // throws the real error (EROFS, EACCES, ...)
    mkdirSync(dir, { recursive: true });
  }
}

/** Make a fresh partial directory for `target` (its parent created first). */
export function makePartial(target: string): string {
  ensureDir(dirname(target));
  const tmp = partialPath(target);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
  } catch (e) {
    if (isSystemError(e) && e.code === 'ENAMETOOLONG') {
      throw new OutputRefusedError(`${target}: the name is too long for the file system (hqsim writes ".<name>.partial-<id>" beside it first: keep the name under about 220 bytes)`);
    }
    throw e;
  }
  return tmp;
}

/**
 * Move the finished directory `tmp` to `target` (whose state `state` was checked): an existing result goes to
 * the recovery place first and is deleted once the new one is in place, unless `keepPrevious` (a sweep keeps
 * it until the new sweep has finished; see discardPrevious).
 */
export function commitDirectory(tmp: string, target: string, state: TargetState, keepPrevious = false): void {
  if (state.kind !== 'result') { renameSync(tmp, target); return; }
  const prev = previousPath(target);
  let trash: string | undefined;
  if (existsSync(prev)) {
    // The recovery place already holds an older complete result: the target (unfinished) is not kept.
    trash = trashPath(target);
    renameSync(target, trash);
  } else renameSync(target, prev);
  renameSync(tmp, target);
  if (trash) rmSync(trash, { recursive: true, force: true });
  if (!keepPrevious) rmSync(prev, { recursive: true, force: true });
}

/** Delete the recovery copy of `target` (once the new result there is complete). */
export function discardPrevious(target: string): void {
  rmSync(previousPath(target), { recursive: true, force: true });
}

/** Remove a directory this command created and must not leave half-written; put back a previous result. */
export function abandonDirectory(target: string): void {
  const trash = trashPath(target);
  if (existsSync(target)) { renameSync(target, trash); rmSync(trash, { recursive: true, force: true }); }
  if (existsSync(previousPath(target))) renameSync(previousPath(target), target);
}

export interface WriteOptions {
  /** Clean up after stopped commands first (default true; false for the many per-run directories of --keep-runs). */
  recover?: boolean;
  /** Receives notes on what recovery did. */
  note?: (message: string) => void;
}

/**
 * Let `fill` write a new directory beside `target`, then move it into place (see commitDirectory). Refuses a
 * target it may not replace (see checkTarget); on any error the partial directory is removed.
 */
export function writeAtomically<T>(target: string, force: boolean, fill: (tmp: string) => T, opts: WriteOptions = {}): T {
  if (opts.recover !== false) for (const n of recoverTarget(target)) opts.note?.(n);
  const state = checkTarget(target, force);
  const tmp = makePartial(target);
  try {
    const out = fill(tmp);
    commitDirectory(tmp, target, state);
    return out;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
