/** The `hqsim` command line: a thin layer over the library API. Exit codes: 0 ok, 2 bad input, 1 internal error. */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadScenario, runToDirectory, ScenarioError, formatProblem, VERSION, type Summary } from '../index.ts';
import { OutputExistsError } from '../output/write.ts';
import { ScenarioFileSchema } from '../scenario/schema.ts';
import { paramsCommand, parseParamsFormat, type ParamsFormat } from '../docs/params.ts';
import { registerSweepCommands } from './sweep.ts';

export class UsageError extends Error {}

const intArg = (name: string, min: number, max: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
};

function out(s: string) { process.stdout.write(s + '\n'); }
function err(s: string) { process.stderr.write(s + '\n'); }

export function humanSummary(s: Summary, dir: string): string {
  const lines: string[] = [];
  lines.push(`hqsim ${VERSION}: ${s.scenario}${s.arm ? ` [arm ${s.arm}]` : ''}, seed ${s.seed}, ${s.firstYear}-${s.lastYear}`);
  lines.push(`  ${s.organizations} organizations in ${s.cities} cities; ${s.relocations} relocations, ${s.foundings} foundings, ${s.contests} contests, ${s.reviews} seat reviews, ${s.vetoes} vetoed moves`);
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
    .version(VERSION).exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
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
      const base = loadScenario(file, { seed: o.seed, years: o.years });
      const arms = o.arm !== undefined ? [o.arm] : base.arms.length ? base.arms : [undefined];
      if (o.out && arms.length > 1) throw new UsageError(`--out names one directory but ${base.name} has ${arms.length} arms; give --arm, or omit --out`);
      // Validate every arm before anything is written.
      const loaded = arms.map((arm) => (arm === undefined ? base : loadScenario(file, { arm, seed: o.seed, years: o.years })));
      const dirs = loaded.map((sc) => resolve(o.out ?? join('results', sc.name, ...(sc.arm ? [sc.arm] : []), `seed-${sc.seed}`)));
      if (!o.force) for (const d of dirs) if (existsDir(d)) throw new OutputExistsError(`${d} exists; use --force to replace it`);
      loaded.forEach((sc, i) => {
        const summary = runToDirectory(sc, dirs[i], { force: o.force, clock: () => performance.now() / 1000 });
        if (!o.quiet) out(humanSummary(summary, dirs[i]));
      });
      if (o.report) for (const d of dirs) await (await import('../report/index.ts')).reportCli(d, o, (m) => new UsageError(m), out);
    });

  program.command('validate').description('check a scenario file; print every problem with file:line:col and exit 2 if any')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .action((file: string) => {
      const sc = loadScenario(file);
      for (const arm of sc.arms) loadScenario(file, { arm });
      out(`${file}: ok (${sc.cities.length} cities, ${sc.organizations.length} organizations, ${sc.events.length} events, ${sc.contests.length} contests, ${sc.start}-${sc.start + sc.years - 1}${sc.arms.length ? `, arms: ${sc.arms.join(', ')}` : ''})`);
    });

  program.command('schema').description('print the JSON Schema of scenario files (for editor completion and checking)')
    .action(() => {
      const schema = z.toJSONSchema(ScenarioFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      schema.title = 'hqsim scenario';
      out(JSON.stringify(schema, null, 2));
    });

  program.command('params').description('print every model coefficient: scenario path, meaning, unit, default, range, source')
    .option('--format <format>', 'markdown or json', parseParamsFormat, 'markdown' as ParamsFormat)
    .option('--write <file>', 'rewrite the table between <!-- params:begin --> and <!-- params:end --> in a markdown file (e.g. docs/ODD.md)')
    .action((o: { format: ParamsFormat; write?: string }) => out(paramsCommand(o, (m) => new UsageError(m))));

  program.command('report').description('write report.html (charts and their data; one file, works offline) into a run or sweep result directory')
    .argument('<results-dir>', 'a result directory written by hqsim run or hqsim sweep')
    .option('--quiet', 'print nothing but errors')
    // Loaded on demand: the chart libraries are not needed by the other commands.
    .action(async (dir: string, o: { quiet?: boolean }) => (await import('../report/index.ts')).reportCli(dir, o, (m) => new UsageError(m), out));

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

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof ScenarioError) { for (const p of e.problems) err(formatProblem(p)); err(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found`); return 2; }
    if (e instanceof OutputExistsError || e instanceof UsageError) { err(`hqsim: ${e.message}`); return 2; }
    err(`hqsim: internal error: ${(e as Error).stack ?? e}`);
    return 1;
  }
  return code;
}

import { existsSync } from 'node:fs';
function existsDir(d: string) { return existsSync(d); }
