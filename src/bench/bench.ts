/**
 * `npm run bench`: world-scale benchmark. One JSON line per case on stdout:
 * wall time, peak RSS, years, organizations, cities, reviews, (organization, city) evaluations, relocations,
 * ns per evaluation. Usage: npm run bench [-- --case L] [--seed N]
 */
import { simulate, type RunStats } from '../model/engine.ts';
import { CASES, benchScenario } from './cases.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export async function main(): Promise<void> {
  const only = arg('--case');
  const seed = Number(arg('--seed') ?? 1);
  const cases = only ? CASES.filter((c) => c.name === only) : CASES;
  if (only && cases.length === 0) { process.stderr.write(`unknown case ${only}; cases: ${CASES.map((c) => c.name).join(', ')}\n`); process.exit(2); }
  for (const c of cases) {
    const sc = benchScenario(c, seed);
    if (global.gc) global.gc();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const stats: RunStats = { evaluations: 0 };
    const t0 = process.hrtime.bigint();
    const s = simulate(sc, { stats });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    process.stdout.write(JSON.stringify({
      case: c.name, wallSeconds: +wall.toFixed(3), peakRssMB: +(peak / 2 ** 20).toFixed(1), years: c.years, organizations: s.organizations,
      cities: c.cities, reviews: s.reviews, evaluations: stats.evaluations, relocations: s.relocations,
      nsPerEvaluation: stats.evaluations ? +((wall * 1e9) / stats.evaluations).toFixed(1) : null, node: process.version,
    }) + '\n');
  }
}
