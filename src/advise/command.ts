/**
 * Registers `hqsim advise` on the command line. Only the option parsing lives here: the search and the chart
 * libraries are loaded when the command runs.
 */
import { Command, InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import { intArg, replicationOptions } from '../cli/sweep.ts';

type UsageErrorClass = new (message: string) => Error;
const numArg = (name: string, test: (x: number) => boolean, what: string) => (v: string) => {
  const x = Number(v);
  if (!/^[0-9.eE+-]+$/.test(v) || !Number.isFinite(x) || !test(x)) throw new InvalidArgumentError(`${name} must be ${what}`);
  return x;
};

export interface AdviseCliOptions {
  contest: string; city: string; target: number; budget?: number; runs: number; rivals: 'passive' | 'respond'; seed?: number; arm?: string; years?: number;
  workers?: number; json?: boolean; report?: boolean; out?: string; force?: boolean; quiet?: boolean;
}

export function registerAdviseCommand(program: Command, UsageError: UsageErrorClass, print: (s: string) => void, warn: (s: string) => void): void {
  replicationOptions(program.command('advise').description("the cheapest offer that gives a city a target probability of winning a contest, its cost in present value, the cost curve, and the gaps money cannot close; writes advice.json (and report.html with --report)")
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .requiredOption('--contest <id>', "contest id from the scenario's contests")
    .requiredOption('--city <id>', 'the city to advise (a candidate of the contest, or any city for an open contest)')
    .option('--target <p>', 'probability of winning to reach', numArg('--target', (x) => x > 0 && x <= 1, 'a probability above 0 and at most 1'), 0.5)
    .option('--budget <musd>', 'the most the offer may cost the city, USD m in present value over its term (default: no limit beyond the city\'s budget in the scenario)', numArg('--budget', (x) => x >= 0, 'a non-negative number of USD millions'))
    .option('--runs <n>', 'replications the search decides every offer on; as many fresh ones check the result', intArg('--runs', 10, 100_000), 200)
    .option('--rivals <mode>', "passive: rivals keep the scenario's offers; respond: they answer with the best offer their budgets allow (the price is then reported under both)", (v: string) => {
      if (v !== 'passive' && v !== 'respond') throw new InvalidArgumentError('--rivals must be passive or respond');
      return v;
    }, 'passive'))
    .option('--out <dir>', 'result directory (default: results/<scenario>/[<arm>/]advise-<contest>-<city>)')
    .option('--force', 'replace an existing result directory')
    .option('--json', 'print the advice as JSON')
    .option('--report', 'also write report.html (the focal-city page) into the result directory')
    .option('--quiet', 'print nothing but errors (and the JSON with --json)')
    .action(async (file: string, o: AdviseCliOptions) => (await import('./cli.ts')).adviseCli(file, { ...o, workers: o.workers ?? Math.max(1, availableParallelism()) }, UsageError, print, warn));
}
