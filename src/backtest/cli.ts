/** The actions of `hqsim backtest` and `hqsim calibrate` (registered in command.ts). */
import { resolve } from 'node:path';
import { z } from 'zod';
import { BUNDLED_CONTESTS } from './contests.ts';
import { backtest, formatBacktest } from './index.ts';
import { calibrate, readParamsFile, writeCalibration, DEFAULT_FIT, TARGETS, type Calibration } from '../calibrate/index.ts';
import type { Target } from '../calibrate/moments.ts';
import type { Progress } from '../calibrate/fit.ts';
import type { BacktestCliOptions, CalibrateCliOptions } from './command.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { readYaml, zodProblems } from '../scenario/locate.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';

type UsageErrorClass = new (message: string) => Error;

/** Progress lines on stderr: at most one every few seconds, and at the end of each stage. */
function progressLine(warn: (s: string) => void, quiet?: boolean): Progress | undefined {
  if (quiet) return undefined;
  let last = 0, stage = '';
  return (s, evals, budget, best) => {
    const now = Date.now();
    if (s === stage && now - last < 5000) return;
    stage = s; last = now;
    warn(`  ${s}: evaluation ${evals} of at most ${budget}; best -log posterior ${best.toFixed(3)}`);
  };
}

export async function backtestCli(file: string | undefined, o: BacktestCliOptions, UsageError: UsageErrorClass, print: (s: string) => void, warn: (s: string) => void): Promise<void> {
  const params = o.params ? readParamsFile(o.params) : undefined;
  if (o.loo && !o.quiet) warn('hqsim backtest --loo: one refit per contest (progress below)');
  void UsageError;
  const r = await backtest({ file: file ?? BUNDLED_CONTESTS, cities: o.cities, params, runs: o.runs, seed: o.seed, loo: o.loo ?? false, workers: o.workers ?? 1,
    fit: { maxEvals: o.maxEvals }, progress: progressLine(warn, o.quiet) });
  print(o.json ? JSON.stringify(r, null, 2) : formatBacktest(r));
}

const TargetFileSchema = z.array(z.strictObject({
  id: z.enum(TARGETS.map((t) => t.id) as [string, ...string[]]),
  value: z.number().refine(Number.isFinite, 'must be a finite number'),
  sd: z.number().positive(),
  source: z.string().min(1),
  label: z.string().optional(),
})).min(1);

/** Pattern targets from a YAML file (each replaces the bundled target of its id; the others are dropped). */
export function readTargets(file: string): Target[] {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new ScenarioError([{ file, path: '', message: `cannot read targets: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` }]);
  }
  const { src, raw } = readYaml(text, file);
  const r = TargetFileSchema.safeParse(raw);
  if (!r.success) throw new ScenarioError(zodProblems(src, r.error.issues, new Set(['id', 'value', 'sd', 'source', 'label'])));
  const seen = new Set<string>();
  const problems = r.data.flatMap((t, i) => (seen.has(t.id) ? [{ file, path: `[${i}].id`, message: `target "${t.id}" is listed twice` }] : (seen.add(t.id), [])));
  if (problems.length) throw new ScenarioError(problems);
  return r.data.map((t) => ({ ...TARGETS.find((x) => x.id === t.id)!, ...t }));
}

const g = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(2));

export function formatCalibration(c: Calibration, out: string): string {
  const lines = [`hqsim calibrate: ${c.contests.length} contests of ${c.inputs.contests}${c.stage2 ? `, ${c.inputs.targets.length} pattern targets` : ''}`];
  lines.push(`  stage 1 (contests): -log likelihood ${c.stage1.negLogLik.toFixed(2)} (source-based values: ${c.stage1.negLogLikAtPrior.toFixed(2)}), ${c.stage1.evals} evaluations${c.stage1.converged ? '' : ' (budget reached)'}`);
  if (c.stage2) lines.push(`  stage 2 (targets): distance ${c.stage2.loss.toFixed(2)} (source-based values: ${c.stage2.lossAtPrior.toFixed(2)}), ${c.stage2.evals} evaluations${c.stage2.converged ? '' : ' (budget reached)'}`);
  lines.push('', '  coefficient                         source-based  estimate  95% interval');
  for (const e of c.estimates) {
    lines.push(`  ${e.path.padEnd(34)}  ${g(e.prior).padStart(12)}  ${g(e.value).padStart(9)}  ${g(e.low)} to ${g(e.high)}${e.identified ? '' : '  (not identified: the interval is the prior\'s)'}`);
  }
  lines.push('', '  contest         winner          p(winner) at estimate   source-based');
  for (const x of c.contests) lines.push(`  ${x.id.padEnd(14)}  ${x.winner.padEnd(14)}  ${x.pWinner.toFixed(2).padStart(21)}  ${x.pWinnerAtPrior.toFixed(2).padStart(12)}`);
  if (c.stage2) {
    lines.push('', '  target                                                   target   simulated  source-based');
    for (const t of c.stage2.targets) lines.push(`  ${t.label.padEnd(55)}  ${g(t.value).padStart(7)}  ${g(t.simulated).padStart(10)}  ${g(t.atPrior).padStart(11)}`);
  }
  lines.push('', `  written: ${out}`);
  return lines.join('\n');
}

export async function calibrateCli(file: string | undefined, o: CalibrateCliOptions, UsageError: UsageErrorClass, print: (s: string) => void, warn: (s: string) => void): Promise<void> {
  const targets = o.targets ? readTargets(o.targets) : TARGETS;
  const out = resolve(o.out);
  // A calibration file is replaced; any other file is never overwritten.
  if (existsSync(out) && (statSync(out).isDirectory() || !readFileSync(out, 'utf8').startsWith('# hqsim calibration'))) {
    throw new UsageError(`${o.out} exists and is not a calibration file; choose another --out`);
  }
  const c = await calibrate({
    ...DEFAULT_FIT, contests: file ?? BUNDLED_CONTESTS, cities: o.cities, targets, contestsOnly: o.contestsOnly ?? false, workers: o.workers ?? 1, out,
    runs: o.runs, seed: o.seed, maxEvals: o.maxEvals, dynamicMaxEvals: o.dynamicMaxEvals,
    progress: progressLine(warn, o.quiet), note: (s) => { if (!o.quiet) warn(`note: ${s}`); },
  });
  writeCalibration(out, c);
  print(o.json ? JSON.stringify(c, null, 2) : formatCalibration(c, out));
}
