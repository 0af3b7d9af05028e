/**
 * `hqsim sweep`, `hqsim merge` and `hqsim odds`: experiments over many runs (see docs/experiments.md).
 * Registered by main.ts; bad input ends with exit 2 (located problems for experiment files), internal errors with 1.
 */
import { Command, InvalidArgumentError } from 'commander';
import { isAbsolute, join, relative } from 'node:path';
import type { OddsReport } from '../experiment/runner.ts';
import { isSystemError, systemErrorLine } from '../output/system-errors.ts';
import { terminalLine, terminalText } from '../output/terminal.ts';
import type { Shard } from '../experiment/progression.ts';
import { uncertaintyLine, uncertaintyRecord } from '../experiment/posterior.ts';

/** The calibration `--parameter-uncertainty` draws from when given no file. */
const BUNDLED_NAME = 'the bundled seeds/calibration.yaml';

/** The experiment modules, imported when a sweep, merge or odds command runs (they bring in Piscina and the Parquet writer). */
async function experiments() {
  const [file, runner, journal, tables] = await Promise.all([
    import('../experiment/file.ts'), import('../experiment/runner.ts'), import('../experiment/journal.ts'), import('../experiment/tables.ts'),
  ]);
  return { ...file, ...runner, ...journal, ...tables };
}

type UsageErrorClass = new (message: string) => Error;

export const intArg = (name: string, min: number, max: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
};
const posArg = (name: string) => (v: string) => {
  const x = Number(v);
  if (!/^[0-9.eE+-]+$/.test(v) || !Number.isFinite(x) || x <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return x;
};

function out(s: string) { process.stdout.write(terminalText(s) + '\n'); }
const shown = (d: string) => { const r = relative(process.cwd(), d); return r && !r.startsWith('..') && !isAbsolute(r) ? r : d; };
function err(s: string) { process.stderr.write(terminalLine(s) + '\n'); }

/**
 * The shard to run: `--shard i/n` (1-based), else a Slurm job array (SLURM_ARRAY_TASK_ID, _COUNT, _MIN, _STEP),
 * else a Kubernetes Indexed Job (JOB_COMPLETION_INDEX with HQSIM_SHARD_COUNT). `--shard 1/1` means the whole sweep.
 */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { shard: Shard | null; source: string | null } {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag);
    if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InvalidArgumentError('--shard must be i/n with 1 <= i <= n, e.g. 2/8');
    const count = Number(m[2]);
    return { shard: count === 1 ? null : { index: Number(m[1]) - 1, count }, source: null };
  }
  const num = (k: string) => (env[k] !== undefined && /^\d+$/.test(env[k]!) ? Number(env[k]) : undefined);
  const id = num('SLURM_ARRAY_TASK_ID'), count = num('SLURM_ARRAY_TASK_COUNT');
  if (id !== undefined && count !== undefined && count > 1) {
    const min = num('SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = num('SLURM_ARRAY_TASK_STEP') ?? 1;
    const index = (id - min) / step;
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new InvalidArgumentError(`SLURM_ARRAY_TASK_ID=${id} does not fit an array of ${count} tasks from ${min} in steps of ${step}; give --shard i/n`);
    return { shard: { index, count }, source: `SLURM_ARRAY_TASK_ID=${id} of ${count}` };
  }
  const k = num('JOB_COMPLETION_INDEX');
  if (k !== undefined) {
    const n = num('HQSIM_SHARD_COUNT');
    if (n === undefined) throw new InvalidArgumentError('JOB_COMPLETION_INDEX is set but HQSIM_SHARD_COUNT is not: set it to the Job\'s completions, or give --shard i/n (--shard 1/1 runs everything)');
    if (k >= n) throw new InvalidArgumentError(`JOB_COMPLETION_INDEX=${k} is not below HQSIM_SHARD_COUNT=${n}`);
    return { shard: n > 1 ? { index: k, count: n } : null, source: `JOB_COMPLETION_INDEX=${k} of ${n}` };
  }
  return { shard: null, source: null };
}

/** The three terms on which a losing city trails the winner most (mean gap, utility units). */
function gaps(g: Record<string, number>): string {
  return Object.entries(g).filter(([k]) => k !== 'utility').sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3)
    .filter(([, v]) => v < 0).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ') || 'none';
}

export function formatOdds(r: OddsReport): string {
  const pct = (n: number, d: number) => (n > 0 && (100 * n) / d < 0.5 ? '<1%' : `${Math.round((100 * n) / d)}%`);
  const drivers = (d: Record<string, number>, total: number) => Object.entries(d).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k} ${pct(v, total)}`).join(', ');
  const lines: string[] = [];
  lines.push(`hqsim odds: ${r.scenario}${r.arm ? ` [arm ${r.arm}]` : ''}, contest ${r.contest} (${r.org}, ${r.year}, decided by ${r.rule}): ${r.runs} runs, ${r.decided} with a result`);
  const w = Math.max(4, ...r.cities.map((c) => c.city.length));
  lines.push(`  ${'city'.padEnd(w)}  p(win)  95% interval    wins  decided most often by (when it won) | largest gaps to the winner (when it lost, utility)`);
  for (const c of r.cities) {
    const p = Number.isNaN(c.p) ? '  -  ' : c.p.toFixed(3);
    lines.push(`  ${c.city.padEnd(w)}  ${p}   ${c.lo.toFixed(3)}-${c.hi.toFixed(3)}  ${String(c.wins).padStart(6)}  ${c.wins ? drivers(c.decisive, c.wins) : '-'}${c.gapToWinner ? ` | ${gaps(c.gapToWinner)}` : ''}`);
  }
  const sum = r.cities.reduce((a, c) => a + (Number.isNaN(c.p) ? 0 : c.p), 0);
  lines.push(`  ${'total'.padEnd(w)}  ${sum.toFixed(3)}                 ${String(r.decided).padStart(6)}`);
  if (r.decided) lines.push(`  decisive term (largest winner - runner-up difference among all utility terms): ${drivers(r.decisive, r.decided)}`);
  if (r.decided < r.runs) lines.push(`  ${r.runs - r.decided} runs had no result for this contest`);
  lines.push(`  ${r.seeds}; intervals: Wilson score, 95%`);
  if (r.parameterUncertainty) lines.push(`  ${uncertaintyLine(r.parameterUncertainty)}`);
  return lines.join('\n');
}

/** The options of commands that replicate one scenario's contest (odds, advise): seed, arm, years, workers. */
export function replicationOptions(c: Command): Command {
  return c.option('--seed <n>', 'seed the replication seeds derive from (default: the scenario\'s)', intArg('--seed', 0, 2 ** 32 - 1))
    .option('--arm <name>', 'an arm of the scenario')
    .option('--years <n>', 'number of years to simulate (default: the scenario\'s)', intArg('--years', 1, 1000))
    .option('--workers <n>', 'worker threads (default: all cores)', intArg('--workers', 1, 1024));
}

/** Register sweep, merge and odds on the program. `UsageError` is main.ts's exit-2 error class. */
export function registerSweepCommands(program: Command, UsageError: UsageErrorClass): void {
  /** Expected failures become main.ts's exit-2 error, with what to do next; `after` says what a failure of the machine leaves. */
  const usage = async <T>(f: () => Promise<T> | T, after = ''): Promise<T> => {
    try { return await f(); } catch (e) {
      const { SweepUsageError, PlanUsageError, JournalError, IncompleteError, SweepPointError } = await experiments();
      if (e instanceof SweepUsageError || e instanceof PlanUsageError || e instanceof JournalError || e instanceof IncompleteError || e instanceof SweepPointError) throw new UsageError(e.message);
      if (e instanceof InvalidArgumentError) throw new UsageError(e.message);
      if (isSystemError(e)) throw new UsageError(systemErrorLine(e) + after);
      throw e;
    }
  };

  program.command('sweep').description('run an experiment file (*.sweep.yaml): design points x arms x replications on worker threads; writes runs, points, arms, sensitivity and manifest.json')
    .argument('<experiment>', 'experiment file (YAML or JSON)')
    .option('--workers <n>', 'worker threads (default: all cores)', intArg('--workers', 1, 1024))
    .option('--out <dir>', 'result directory (default: results/<experiment>, or results/<experiment>.shard-<i>-of-<n>)')
    .option('--resume', 'continue an interrupted sweep in --out: runs nothing twice')
    .option('--repair', 'with --resume: move damaged journal lines aside (their runs are done again) and rebuild a damaged state file')
    .option('--force', 'replace an existing result directory')
    .option('--keep-runs', 'also write every run\'s summary.json, events.csv, city_year.csv, org_year.csv under detail/')
    .option('--ci-width <w>', 'adaptive replication: add replications to each point until the 95% CI half-width of the metric is below w', posArg('--ci-width'))
    .option('--ci-metric <name>', 'metric for --ci-width (default: the experiment\'s adaptive.metric, else its first metric)')
    .option('--max-replications <n>', 'cap for adaptive replication (default: 10 x replications)', intArg('--max-replications', 2, 1_000_000))
    .option('--shard <i/n>', 'run only slice i of n (1-based); default from SLURM_ARRAY_TASK_ID/_COUNT or JOB_COMPLETION_INDEX with HQSIM_SHARD_COUNT')
    .option('--quiet', 'no progress and no summary; errors only')
    .option('--report', 'also write report.html into the result directory (as hqsim report does)')
    .option('--parameter-uncertainty [calibration]', `draw every replication's coefficients from a calibration's uncertainty (default file: ${BUNDLED_NAME}), the same draw in every arm and point; overrides the experiment's parameterUncertainty`)
    .option('--no-parameter-uncertainty', 'run with the scenario\'s coefficients, whatever the experiment\'s parameterUncertainty says')
    .action((file: string, o: { workers?: number; out?: string; resume?: boolean; repair?: boolean; force?: boolean; keepRuns?: boolean; ciWidth?: number; ciMetric?: string; maxReplications?: number; shard?: string; quiet?: boolean; report?: boolean; parameterUncertainty?: boolean | string }) => usage(async () => {
      const { SweepUsageError, loadExperiment, defaultWorkers, runSweep, shardLabel } = await experiments();
      if (o.resume && o.force) throw new SweepUsageError('--resume and --force contradict each other: choose one');
      if (o.repair && !o.resume) throw new SweepUsageError('--repair goes with --resume: it repairs the sweep it continues');
      const { shard, source } = resolveShard(o.shard);
      const plan = loadExperiment(file, { ciWidth: o.ciWidth, ciMetric: o.ciMetric, maxReplications: o.maxReplications, parameterUncertainty: o.parameterUncertainty });
      const dir = o.out ?? join('results', shard ? `${plan.name}.shard-${shard.index + 1}-of-${shard.count}` : plan.name);
      if (source && !o.quiet) err(`hqsim sweep: shard ${shardLabel(shard)} (from ${source})`);
      const workers = o.workers ?? defaultWorkers();
      const r = await runSweep(plan, { out: dir, workers, resume: o.resume, repair: o.repair, force: o.force, keepRuns: o.keepRuns, quiet: o.quiet, shard });
      if (!o.quiet) {
        for (const n of [...r.recovered, ...r.notes]) err(`note: ${n}`);
        const reps = plan.adaptive ? `${plan.replications}+ replications (adaptive: ${plan.adaptive.metric} 95% CI half-width < ${plan.adaptive.ciWidth}, cap ${plan.adaptive.maxReplications})` : `${plan.replications} replications`;
        out(`hqsim sweep ${plan.name}${shard ? ` [shard ${shardLabel(shard)}]` : ''}: ${r.runs} runs (${plan.points.length} points x ${plan.arms.length} arm${plan.arms.length > 1 ? 's' : ''} x ${reps}; design ${plan.design.type})`);
        out(`  ${r.executed} run now${r.resumed ? `, ${r.resumed} resumed from the journal` : ''}; ${r.seconds.toFixed(1)} s on ${workers} worker${workers > 1 ? 's' : ''}${r.executed ? `, ${r.runsPerSecond.toFixed(1)} runs/s` : ''}`);
        out(`  results: ${shown(r.dir)} (${r.files.join(', ')})`);
        const pu = uncertaintyRecord(plan.parameterUncertainty);
        if (pu) out(`  ${uncertaintyLine(pu)}`);
      }
      if (o.report) await (await import('../report/index.ts')).reportCli(r.dir, o, (m) => new UsageError(m), out);
    }, '; the runs finished so far are kept: run the same command with --resume once that is fixed'));

  program.command('merge').description('combine the directories of every shard of a sweep into exactly what a single-machine sweep writes')
    .argument('<dirs...>', 'shard result directories')
    .option('--out <dir>', 'merged result directory (default: results/<experiment>)')
    .option('--force', 'replace an existing result directory')
    .option('--quiet', 'print nothing but errors')
    .action((dirs: string[], o: { out?: string; force?: boolean; quiet?: boolean }) => usage(async () => {
      const { mergeShards } = await experiments();
      const r = mergeShards(dirs, { out: o.out, force: o.force });
      if (!o.quiet) for (const n of [...r.recovered, ...r.notes]) err(`note: ${n}`);
      if (!o.quiet) out(`hqsim merge: ${r.shards} shards, ${r.runs} runs\n  results: ${shown(r.dir)} (${r.files.join(', ')})`);
    }, '; nothing was written'));

  replicationOptions(program.command('odds').description('probability that each candidate city wins a contest, with 95% Wilson intervals, and the driver that decided it most often')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .requiredOption('--contest <id>', 'contest id from the scenario\'s contests')
    .option('--runs <n>', 'number of replications (default 1000)', intArg('--runs', 1, 10_000_000), 1000))
    .option('--parameter-uncertainty [calibration]', `draw every replication's coefficients from a calibration's uncertainty (default file: ${BUNDLED_NAME})`)
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'no progress on stderr')
    .action((file: string, o: { contest: string; runs: number; seed?: number; arm?: string; years?: number; workers?: number; json?: boolean; quiet?: boolean; parameterUncertainty?: true | string }) => usage(async () => {
      const { runOdds, defaultWorkers } = await experiments();
      const r = await runOdds(file, { contest: o.contest, runs: o.runs, seed: o.seed, arm: o.arm, years: o.years, workers: o.workers ?? defaultWorkers(), quiet: o.quiet || o.json, parameterUncertainty: o.parameterUncertainty });
      out(o.json ? JSON.stringify(r, null, 2) : formatOdds(r));
    }));
}
