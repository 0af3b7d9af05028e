/** `hqsim discover`: registered by main.ts (see index.ts for what it does). */
import { InvalidArgumentError, type Command } from 'commander';

type UsageErrorClass = new (message: string) => Error;

const numArg = (name: string) => (v: string) => {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a number`);
  return x;
};
const shareArg = (name: string) => (v: string) => {
  const x = Number(v);
  if (!(x > 0 && x < 0.5)) throw new InvalidArgumentError(`${name} must be a number above 0 and below 0.5`);
  return x;
};
const intArg = (name: string, min: number, max: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
};

export function registerDiscoverCommand(program: Command, UsageError: UsageErrorClass): void {
  program.command('discover').description('scenario discovery on a finished sweep: PRIM boxes of the inputs where a metric is above (or below) a threshold, and feature scores of every input for every metric; writes discover/*.json into the sweep directory')
    .argument('<sweep-dir>', 'result directory of hqsim sweep')
    .requiredOption('--metric <name>', 'the metric that defines the runs of interest')
    .option('--above <x>', 'runs of interest: metric > x', numArg('--above'))
    .option('--below <x>', 'runs of interest: metric < x', numArg('--below'))
    .option('--arm <name>', 'the arm whose runs are analysed (default: the baseline)')
    .option('--box <i>', 'report box i of the peeling trajectory (default: the largest F1 score of coverage and density)', intArg('--box', 0, 1_000_000))
    .option('--peel-alpha <a>', 'share of the box\'s runs cut off per peel (default 0.05)', shareArg('--peel-alpha'))
    .option('--paste-alpha <a>', 'share of the box\'s runs added per paste (default 0.05)', shareArg('--paste-alpha'))
    .option('--mass-min <m>', 'smallest share of all runs a box may hold (default 0.05)', shareArg('--mass-min'))
    .option('--trees <n>', 'trees of the random forest for feature scores (default 100)', intArg('--trees', 1, 10_000))
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'print nothing but errors')
    .action(async (dir: string, o: { metric: string; above?: number; below?: number; arm?: string; box?: number; peelAlpha?: number; pasteAlpha?: number; massMin?: number; trees?: number; json?: boolean; quiet?: boolean }) => {
      // loaded on demand, as every command's own code is
      const { discover, discoverJson, DiscoverError, formatDiscover } = await import('./index.ts');
      try {
        const r = discover(dir, o);
        if (o.json) process.stdout.write(discoverJson(r));
        else if (!o.quiet) process.stdout.write(formatDiscover(r, dir) + '\n');
      } catch (e) {
        if (e instanceof DiscoverError) throw new UsageError(e.message);
        throw e;
      }
    });
}
