/** Helpers of the robustness tests: the real CLI in a child process, with fault injection when asked. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { CLI, ROOT } from '../helpers.ts';

export { CLI, ROOT };
export const QUICK = join(ROOT, 'scenarios/quickstart.yaml');
export const FAULT = resolve(import.meta.dirname, 'fault.mjs');

export const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `hqsim-${name}-`));

export interface CliResult { code: number | null; signal: string | null; stdout: string; stderr: string }

/** Run `hqsim args` in a child process; `fault` adds the fault-injection preload with these variables. */
export function hqsim(args: string[], opts: { cwd?: string; env?: Record<string, string>; fault?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const pre = opts.fault ? ['--import', FAULT] : [];
  return new Promise((res) => {
    execFile(process.execPath, [...pre, CLI, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env, ...opts.fault }, maxBuffer: 1 << 26, timeout: opts.timeoutMs ?? 0 },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown; signal?: string | null }) | null;
        res({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
      });
  });
}

/** Run promise factories at most `n` at a time (the machine has 2 cores). */
export async function pool<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, async () => {
    while (next < jobs.length) { const i = next++; out[i] = await jobs[i](); }
  }));
  return out;
}

/** A one-line expected failure: exit 2, no stack trace, no "internal error". */
export function expectCleanFailure(r: CliResult, pattern?: RegExp): void {
  if (r.code !== 2) throw new Error(`expected exit 2, got ${r.code} (signal ${r.signal})\n${r.stderr}`);
  if (/internal error|\n\s+at /.test(r.stderr)) throw new Error(`a stack trace or internal error:\n${r.stderr}`);
  if (pattern && !pattern.test(r.stderr)) throw new Error(`stderr does not match ${pattern}:\n${r.stderr}`);
}

/** Every file under `dir` (relative paths, sorted), hidden ones included. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`); else out.push(`${rel}${n}`);
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

/** The contents of the given files of a result directory, the manifest without its wall time (to compare two results). */
export function resultBytes(dir: string, files: string[]): string {
  return files.map((f) => {
    const path = join(dir, f);
    if (!existsSync(path)) return `${f}: missing`;
    if (f !== 'manifest.json') return `${f}\n${readFileSync(path, 'latin1')}`;
    const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete m.wallTimeSeconds;
    return `${f}\n${JSON.stringify(m)}`;
  }).join('\n');
}

/** Entries beside `target` that hqsim's temporary and recovery names would leave (.<name>.partial-..., .previous, ...). */
export function leftovers(target: string): string[] {
  const parent = dirname(target), base = basename(target);
  return existsSync(parent) ? readdirSync(parent).filter((n) => n.startsWith(`.${base}.`)) : [];
}

/** The recovery place of a replaced result (see src/output/replace.ts). */
export const previousOf = (target: string) => join(dirname(target), `.${basename(target)}.previous`);
