/**
 * The `hqsim` command line: a thin layer over the library API. Exit codes: 0 ok; 2 bad input or an expected
 * failure of the machine (a full or read-only disk, missing permissions, a name too long), reported in one
 * line with nothing half-written; 1 an internal error (a bug), with its stack.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { join, relative, resolve } from 'node:path';
// Only what every command needs is imported here; the model, scenario loading (zod, yaml) and each command's
// libraries are imported by the command that uses them, so that `hqsim --version` or `--help` starts at once.
import { VERSION } from '../version.ts';
import { ScenarioError, formatProblem } from '../scenario/errors.ts';
import type { Summary } from '../model/engine.ts';
import { OutputExistsError, OutputRefusedError, checkTarget, recoverTarget } from '../output/replace.ts';
import { isSystemError, systemErrorLine } from '../output/system-errors.ts';
import { terminalLine, terminalText } from '../output/terminal.ts';
import { LimitSettingError } from '../limits/errors.ts';
import { paramsCommand, parseParamsFormat, type ParamsFormat } from '../docs/params.ts';
import { registerSweepCommands } from './sweep.ts';
import { registerDiscoverCommand } from '../discover/cli.ts';
import { registerAdviseCommand } from '../advise/command.ts';
import { registerBacktestCommands } from '../backtest/command.ts';

export class UsageError extends Error {}

const intArg = (name: string, min: number, max: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
};

// User strings reach both streams (file names, keys, ids): control characters are shown escaped.
function out(s: string) { process.stdout.write(terminalText(s) + '\n'); }
function err(s: string) { process.stderr.write(terminalLine(s) + '\n'); }

export function humanSummary(s: Summary, dir: string): string {
  const lines: string[] = [];
  lines.push(`hqsim ${VERSION}: ${s.scenario}${s.arm ? ` [arm ${s.arm}]` : ''}, seed ${s.seed}, ${s.firstYear}-${s.lastYear}`);
  lines.push(`  ${s.organizations} organizations in ${s.cities} cities; ${s.relocations} relocations, ${s.units} units or offices outposted, ${s.foundings} foundings, ${s.dissolutions} dissolutions, ${s.contests} contests, ${s.reviews} seat reviews, ${s.vetoes} vetoed moves`);
  lines.push(`  concentration: HHI ${s.concentration.hhiOrgs.toFixed(3)} (organizations), ${s.concentration.hhiStaff.toFixed(3)} (staff); top-5 share ${(100 * s.concentration.top5ShareOrgs).toFixed(1)}%`);
  const top = Object.entries(s.byCity).sort((a, b) => b[1].hostedOrgs - a[1].hostedOrgs || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  lines.push('  top hosts: ' + top.map(([id, c]) => `${id} ${c.hostedOrgs}`).join(', '));
  const spenders = Object.entries(s.byCity).filter(([, c]) => c.spendMusd > 0).sort((a, b) => b[1].spendMusd - a[1].spendMusd).slice(0, 5);
  if (spenders.length) {
    lines.push('  spending (USD m, won, per org won): ' + spenders.map(([id, c]) =>
      `${id} ${c.spendMusd.toFixed(1)} / ${c.arrivals + c.foundingsWon} / ${c.costPerOrgWonMusd === null ? '-' : c.costPerOrgWonMusd.toFixed(1)}`).join('; '));
  }
  lines.push(`  results: ${dir}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program.name('hqsim').description('Simulate how international organizations choose, keep and move their headquarters, and how cities compete for them.')
    .version(VERSION).exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(terminalText(s)), writeOut: (s) => process.stdout.write(terminalText(s)) });
  let code = 0;

  program.command('run').description('run a scenario and write manifest.json, summary.json, events.csv, city_year.csv, org_year.csv')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--seed <n>', 'random seed (default: the scenario\'s)', intArg('--seed', 0, 2 ** 32 - 1))
    .option('--years <n>', 'number of years to simulate (default: the scenario\'s)', intArg('--years', 1, 1000))
    .option('--arm <name>', 'run one arm of the scenario (default: every arm, or the base scenario when it has none)')
    .option('--out <dir>', 'result directory (default: results/<scenario>/[<arm>/]seed-<seed>)')
    .option('--force', 'replace an existing result directory')
    .option('--quiet', 'print nothing but errors')
    .option('--report', 'also write report.html into each result directory (as hqsim report does)')
    .action(async (file: string, o: { seed?: number; years?: number; arm?: string; out?: string; force?: boolean; quiet?: boolean; report?: boolean }) => {
      const { loadScenario, runToDirectory } = await import('../index.ts');
      const base = loadScenario(file, { seed: o.seed, years: o.years });
      const arms = o.arm !== undefined ? [o.arm] : base.arms.length ? base.arms : [undefined];
      if (o.out && arms.length > 1) throw new UsageError(`--out names one directory but ${base.name} has ${arms.length} arms; give --arm, or omit --out`);
      // Validate every arm before anything is written.
      const loaded = arms.map((arm) => (arm === undefined ? base : loadScenario(file, { arm, seed: o.seed, years: o.years })));
      const dirs = loaded.map((sc) => resolve(o.out ?? join('results', sc.name, ...(sc.arm ? [sc.arm] : []), `seed-${sc.seed}`)));
      // Cities named without a budget or levers stay passive: say so rather than let a scenario win against them silently.
      if (!o.quiet) { const { passivityWarnings } = await import('../advise/rivals.ts'); for (const w of new Set(loaded.flatMap((sc) => passivityWarnings(sc, 10)))) err(w); }
      // Every target is checked (after finishing what a stopped command left there) before anything runs.
      for (const d of dirs) {
        for (const n of recoverTarget(d)) if (!o.quiet) err(`note: ${n}`);
        checkTarget(d, o.force ?? false);
      }
      loaded.forEach((sc, i) => {
        const summary = runToDirectory(sc, dirs[i], { force: o.force, clock: () => performance.now() / 1000 });
        if (!o.quiet) out(humanSummary(summary, dirs[i]));
      });
      if (o.report) for (const d of dirs) await (await import('../report/index.ts')).reportCli(d, o, (m) => new UsageError(m), out);
    });

  program.command('validate').description('check a scenario file, every arm included (or an experiment file, *.sweep.yaml); print every problem with file:line:col and exit 2 if any')
    .argument('<file>', 'scenario or experiment file (YAML or JSON)')
    .action(async (file: string) => {
      if (/\.sweep\.(ya?ml|json)$/i.test(file)) {
        const { loadExperiment, PlanUsageError } = await import('../experiment/file.ts');
        let plan: ReturnType<typeof loadExperiment>;
        try { plan = loadExperiment(file); } catch (x) { throw x instanceof PlanUsageError ? new UsageError(x.message) : x; }
        out(`${file}: ok (experiment ${plan.name}: ${plan.points.length} design points x ${plan.arms.length} arm${plan.arms.length === 1 ? '' : 's'}, ${plan.metrics.length} metrics; scenario ${plan.scenario.file})`);
        return;
      }
      const sc = (await import('../scenario/validate.ts')).validateScenario(file);
      const [{ loadScenario }, { passivityWarnings }] = await Promise.all([import('../scenario/load.ts'), import('../advise/rivals.ts')]);
      for (const w of new Set([sc, ...sc.arms.map((arm) => loadScenario(file, { arm }))].flatMap((x) => passivityWarnings(x)))) err(w);
      out(`${file}: ok (${sc.cities.length} cities, ${sc.organizations.length} organizations, ${sc.events.length} events, ${sc.contests.length} contests, ${sc.start}-${sc.start + sc.years - 1}${sc.arms.length ? `, arms: ${sc.arms.join(', ')}` : ''})`);
    });

  program.command('schema').description('print the JSON Schema of scenario files, or with --experiment of experiment files (*.sweep.yaml), for editor completion and checking')
    .option('--experiment', 'the schema of experiment files (hqsim sweep) instead of scenarios')
    .action(async (o: { experiment?: boolean }) => {
      const { z } = await import('zod');
      const source = o.experiment ? (await import('../experiment/file.ts')).ExperimentFileSchema : (await import('../scenario/schema.ts')).ScenarioFileSchema;
      const schema = z.toJSONSchema(source, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      schema.title = o.experiment ? 'hqsim experiment' : 'hqsim scenario';
      out(JSON.stringify(schema, null, 2));
    });

  program.command('params').description('print every model coefficient: scenario path, meaning, unit, default, range, source')
    .option('--format <format>', 'markdown or json', parseParamsFormat, 'markdown' as ParamsFormat)
    .option('--write <file>', 'rewrite the table between <!-- params:begin --> and <!-- params:end --> in a markdown file (e.g. docs/ODD.md)')
    .action((o: { format: ParamsFormat; write?: string }) => out(paramsCommand(o, (m) => new UsageError(m))));

  program.command('report').description('write report.html (charts and their data; one file, works offline) into a run, sweep or advice result directory')
    .argument('<results-dir>', 'a result directory written by hqsim run, hqsim sweep or hqsim advise')
    .option('--quiet', 'print nothing but errors')
    // Loaded on demand: the chart libraries are not needed by the other commands.
    .action(async (dir: string, o: { quiet?: boolean }) => (await import('../report/index.ts')).reportCli(dir, o, (m) => new UsageError(m), out));

  program.command('explain').description('one contest of one run, term by term: a city\'s utility against every rival, the gap per term, and for votes the members and every round')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .requiredOption('--contest <id>', 'contest id from the scenario\'s contests')
    .option('--city <id>', 'the city to explain (default: the winner)')
    .option('--seed <n>', 'random seed (default: the scenario\'s)', intArg('--seed', 0, 2 ** 32 - 1))
    .option('--arm <name>', 'an arm of the scenario')
    .option('--years <n>', 'number of years to simulate (default: the scenario\'s)', intArg('--years', 1, 1000))
    .option('--json', 'print the explanation as JSON')
    .action(async (file: string, o: { contest: string; city?: string; seed?: number; arm?: string; years?: number; json?: boolean }) => {
      const { explain, formatExplanation, ExplainError } = await import('../explain/index.ts');
      const { loadScenario } = await import('../scenario/load.ts');
      const sc = loadScenario(file, { arm: o.arm, seed: o.seed, years: o.years });
      try {
        const e = explain(sc, { contest: o.contest, city: o.city });
        out(o.json ? JSON.stringify(e, null, 2) : formatExplanation(e));
      } catch (x) { if (x instanceof ExplainError) throw new UsageError(x.message); throw x; }
    });

  program.command('init').description('write a commented starter scenario (scenario.yaml) and experiment (experiment.sweep.yaml) into a folder; never replaces a file')
    .argument('[dir]', 'folder to write into (created when missing)', '.')
    .action(async (dir: string) => {
      const { init, InitError } = await import('../init/init.ts');
      let files: string[];
      try { files = init(dir); } catch (e) { throw e instanceof InitError ? new UsageError(e.message) : e; }
      const shown = files.map((f) => relative(process.cwd(), f) || f);
      out(`hqsim init: wrote ${shown.join(' and ')}\nnext:\n  npx hqsim validate ${shown[0]}\n  npx hqsim run ${shown[0]} --report\n  npx hqsim sweep ${shown[1]} --workers 2 --report`);
    });
  program.command('sandbox').description('write a policy sandbox: one HTML page (works offline) with controls for a city\'s policy and figures that update as you move them')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--out <file>', 'the page to write (default: <scenario>.sandbox.html)')
    .option('--focal <city>', 'the city whose policy the controls set first (default: the one the scenario sets in most detail)')
    .option('--replications <n>', 'replications per setting', intArg('--replications', 1, 100000))
    .option('--open', 'open the page in the default browser')
    .option('--quiet', 'print nothing but errors')
    // Loaded on demand: the bundler is not needed by the other commands.
    .action(async (file: string, o: { out?: string; focal?: string; replications?: number; open?: boolean; quiet?: boolean }) =>
      (await import('../sandbox/index.ts')).sandboxCli(file, o, (m) => new UsageError(m), out));

  registerSweepCommands(program, UsageError);
  registerDiscoverCommand(program, UsageError);
  registerAdviseCommand(program, UsageError, out, err);
  registerBacktestCommands(program, UsageError, out, err);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof ScenarioError) { for (const p of e.problems) err(formatProblem(p)); err(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found`); return 2; }
    if (e instanceof OutputExistsError || e instanceof OutputRefusedError || e instanceof UsageError || e instanceof LimitSettingError) { err(`hqsim: ${e.message}`); return 2; }
    if (isSystemError(e)) { err(`hqsim: ${systemErrorLine(e)}`); return 2; }
    process.stderr.write(terminalText(`hqsim: internal error: ${(e as Error).stack ?? e}`) + '\n');
    return 1;
  }
  return code;
}
