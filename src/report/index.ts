/**
 * `writeReport(dir)`: read a result directory (a run or a sweep) and write `report.html` into it.
 * Problems with the inputs come back as values (file + problem) and nothing is written.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.ts';
import { renderPage } from './html.ts';
import { loadResults, type ReportProblem } from './load.ts';
import { runPage } from './run.ts';
import { sweepPage } from './sweep.ts';

export { loadResults, type ReportProblem } from './load.ts';

export type ReportOutcome =
  | { ok: true; path: string; bytes: number; kind: 'run' | 'sweep' | 'advice'; charts: number }
  | { ok: false; problem: ReportProblem };

/** Build the page for a result directory without writing anything. */
export async function buildReport(dir: string): Promise<{ ok: true; html: string; kind: 'run' | 'sweep' | 'advice'; charts: number } | { ok: false; problem: ReportProblem }> {
  // An advice directory (hqsim advise) has its own page.
  if (manifestKind(dir) === 'advice') return (await import('../advise/report.ts')).adviceReport(dir);
  const loaded = loadResults(dir);
  if (!loaded.ok) return loaded;
  const page = loaded.value.kind === 'run' ? await runPage(loaded.value, VERSION) : await sweepPage(loaded.value, VERSION);
  const html = renderPage(page);
  const charts = (html.match(/<figure class="chart"/g) ?? []).length;
  return { ok: true, html, kind: loaded.value.kind, charts };
}

function manifestKind(dir: string): unknown {
  try { return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { kind?: unknown }).kind; } catch { return undefined; }
}

/** Write `<dir>/report.html` atomically (temporary file + rename). */
export async function writeReport(dir: string): Promise<ReportOutcome> {
  const built = await buildReport(dir);
  if (!built.ok) return built;
  const path = join(dir, 'report.html');
  const tmp = join(dir, `.report.html.partial-${process.pid}`);
  try {
    writeFileSync(tmp, built.html);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    return { ok: false, problem: { file: path, problem: `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` } };
  }
  return { ok: true, path, bytes: Buffer.byteLength(built.html), kind: built.kind, charts: built.charts };
}

/**
 * The CLI edge of `hqsim report <dir>` and of `--report` on other commands: writes the page and prints where,
 * or throws `fail("<file>: <problem>")` (the CLI prints it as `hqsim: <file>: <problem>` and exits 2).
 */
export async function reportCli(dir: string, o: { quiet?: boolean }, fail: (message: string) => Error, print: (line: string) => void): Promise<void> {
  const r = await writeReport(dir);
  if (!r.ok) throw fail(`${r.problem.file}: ${r.problem.problem}`);
  if (!o.quiet) print(`report: ${r.path} (${r.kind}, ${r.charts} charts, ${Math.round(r.bytes / 1024)} KiB)`);
}
