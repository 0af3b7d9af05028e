/**
 * Registers `hqsim backtest` and `hqsim calibrate` on the command line. Only option parsing lives here: the
 * model and the fitting code are loaded when a command runs.
 */
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { intArg } from '../cli/sweep.ts';

type UsageErrorClass = new (message: string) => Error;

export interface BacktestCliOptions { params?: string; runs: number; seed: number; loo?: boolean; json?: boolean; workers?: number; maxEvals: number; cities?: string; quiet?: boolean }
export interface CalibrateCliOptions { targets?: string; out: string; runs: number; seed: number; workers?: number; maxEvals: number; dynamicMaxEvals: number; contestsOnly?: boolean; cities?: string; json?: boolean; quiet?: boolean }

const workers = (n?: number) => n ?? Math.max(1, availableParallelism());

export function registerBacktestCommands(program: Command, UsageError: UsageErrorClass, print: (s: string) => void, warn: (s: string) => void): void {
  program.command('backtest').description('replay documented seat contests in the world of their year; score the model\'s forecasts (top-1, top-2, Brier, log-loss) against the real winners and four naive baselines')
    .argument('[contests]', 'contest file (default: the bundled seeds/contests.yaml; any file in its format works)')
    .option('--params <file>', 'parameters to forecast with: a calibration file (hqsim calibrate) or any YAML with a parameters: block')
    .option('--runs <n>', 'replications per contest decided by a vote', intArg('--runs', 1, 100_000), 200)
    .option('--seed <n>', 'seed the replication seeds derive from', intArg('--seed', 0, 2 ** 32 - 1), 1)
    .option('--loo', 'leave-one-out: forecast each contest with the model refitted without it (slow: one fit per contest)')
    .option('--max-evals <n>', 'evaluation budget of each refit (--loo)', intArg('--max-evals', 10, 100_000), 400)
    .option('--cities <file>', 'city seed file the contests name (default: the bundled seeds/cities.csv)')
    .option('--workers <n>', 'worker threads (default: all cores)', intArg('--workers', 1, 1024))
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string | undefined, o: BacktestCliOptions) => (await import('./cli.ts')).backtestCli(file, { ...o, workers: workers(o.workers) }, UsageError, print, warn));

  program.command('calibrate').description('estimate the choice and vote coefficients from documented contests (simulated likelihood) and the dynamic ones from pattern targets (simulated moments), each with its 95% interval; write a calibration file')
    .argument('[contests]', 'contest file (default: the bundled seeds/contests.yaml)')
    .option('--targets <file>', 'pattern targets to fit instead of the bundled ones (YAML list of id, value, sd, source; ids as in docs/validation.md)')
    .option('--out <file>', 'calibration file to write', 'results/calibrate/params.yaml')
    .option('--runs <n>', 'replications per vote contest in each evaluation (common random numbers)', intArg('--runs', 1, 100_000), 64)
    .option('--seed <n>', 'seed of the replications', intArg('--seed', 0, 2 ** 32 - 1), 1)
    .option('--max-evals <n>', 'evaluation budget of the contest stage', intArg('--max-evals', 10, 100_000), 400)
    .option('--dynamic-max-evals <n>', 'evaluation budget of the pattern-target stage', intArg('--dynamic-max-evals', 5, 100_000), 100)
    .option('--contests-only', 'estimate from the contests only (skip the pattern targets)')
    .option('--cities <file>', 'city seed file the contests name (default: the bundled seeds/cities.csv)')
    .option('--workers <n>', 'worker threads (default: all cores)', intArg('--workers', 1, 1024))
    .option('--json', 'print the calibration as JSON')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string | undefined, o: CalibrateCliOptions) => (await import('./cli.ts')).calibrateCli(file, { ...o, workers: workers(o.workers) }, UsageError, print, warn));
}
