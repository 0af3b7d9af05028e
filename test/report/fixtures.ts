/** Result directories for report tests: a sweep written by hand in the documented sweep format, and small helpers. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hqsim-report-${prefix}-`));
}

export function copyDir(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const csv = (rows: (string | number | null)[][]) => rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')).join('\n') + '\n';
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export interface SweepFixture { design: 'grid' | 'lhs' | 'sobol' | 'morris'; arms: string[]; points: number; replications: number }

/**
 * A sweep directory exactly in the documented format: manifest.json (kind "sweep"), runs.csv, points.csv,
 * arms.csv (two or more arms), sensitivity.csv (sobol and morris). Factors: a continuous one, an integer one and a
 * named-level one; metrics respond to them with noise so the charts have shape.
 */
export function writeSweepFixture(dir: string, o: SweepFixture): string {
  mkdirSync(dir, { recursive: true });
  const rand = rng(42);
  const factors = [
    { name: 'subsidy_musd', path: 'cities.shanghai.levers.subsidyMusd', range: [0, 2] },
    { name: 'term_years', path: 'contests.fund.bids.shanghai.term', range: [5, 20], integer: true },
    { name: 'strategy', path: 'cities.shanghai.strategy', values: ['rising', 'node', 'specialized'] },
  ];
  const metrics = ['shanghai_orgs', 'hhi'];
  const pts = Array.from({ length: o.points }, (_, p) => o.design === 'grid'
    ? [[0, 1, 2][p % 3], [5, 20][Math.floor(p / 3) % 2], ['rising', 'node', 'specialized'][Math.floor(p / 6) % 3]]
    : [r6(2 * rand()), 5 + Math.floor(16 * rand()), ['rising', 'node', 'specialized'][Math.floor(3 * rand())]]) as [number, number, string][];
  const runs: (string | number | null)[][] = [['point', 'arm', 'replication', 'seed', ...factors.map((f) => f.name), ...metrics]];
  const points: (string | number | null)[][] = [['point', 'arm', ...factors.map((f) => f.name), 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high']];
  const byArm = new Map<string, number[][]>();
  pts.forEach(([sub, term, strat], p) => {
    o.arms.forEach((arm, ai) => {
      const vals: number[][] = metrics.map(() => []);
      for (let r = 0; r < o.replications; r++) {
        const noise = rand() - 0.5;
        const orgs = Math.max(0, Math.round(2 + 1.5 * sub + 0.05 * term + (strat === 'rising' ? 1 : 0) + ai + 2 * noise));
        const hhi = r6(0.25 + 0.03 * sub - 0.02 * ai + 0.02 * noise);
        vals[0].push(orgs); vals[1].push(hhi);
        runs.push([p, arm, r, 1000 + r, sub, term, strat, orgs, hhi]);
      }
      metrics.forEach((m, k) => {
        const xs = vals[k];
        const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
        const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : null;
        const h = sd === null ? null : 2.776 * sd / Math.sqrt(xs.length);
        points.push([p, arm, sub, term, strat, m, xs.length, r6(mean), sd === null ? null : r6(sd), h === null ? null : r6(mean - h), h === null ? null : r6(mean + h)]);
      });
      byArm.set(arm, vals);
    });
  });
  writeFileSync(join(dir, 'runs.csv'), csv(runs));
  writeFileSync(join(dir, 'points.csv'), csv(points));
  if (o.arms.length > 1) {
    const rows: (string | number | null)[][] = [['arm', 'baseline', 'metric', 'n', 'mean_diff', 'sd_diff', 'ci_low', 'ci_high']];
    for (const arm of o.arms.slice(1)) {
      rows.push([arm, o.arms[0], 'shanghai_orgs', o.points * o.replications, 1.02, 0.4, 0.9, 1.14]);
      rows.push([arm, o.arms[0], 'hhi', o.points * o.replications, -0.004, 0.01, -0.011, 0.003]);
    }
    writeFileSync(join(dir, 'arms.csv'), csv(rows));
  }
  if (o.design === 'sobol' || o.design === 'morris') {
    const rows: (string | number | null)[][] = [['method', 'metric', 'factor', 'index', 'value', 'ci_low', 'ci_high']];
    for (const m of metrics) factors.forEach((f, i) => {
      const base = [0.55, 0.1, 0.25][i];
      if (o.design === 'sobol') {
        rows.push(['sobol', m, f.name, 'S1', r6(base), r6(base - 0.08), r6(base + 0.08)]);
        rows.push(['sobol', m, f.name, 'ST', r6(base + 0.05), r6(base - 0.02), r6(base + 0.12)]);
      } else {
        rows.push(['morris', m, f.name, 'mu', r6(3 * base), null, null]);
        rows.push(['morris', m, f.name, 'mu_star', r6(3 * base + 0.1), r6(3 * base - 0.2), r6(3 * base + 0.4)]);
        rows.push(['morris', m, f.name, 'sigma', r6(base), null, null]);
      }
    });
    writeFileSync(join(dir, 'sensitivity.csv'), csv(rows));
  }
  const manifest = {
    kind: 'sweep', hqsim: '0.1.0', experiment: `fixture-${o.design}`, scenario: 'quickstart',
    factors, arms: o.arms, baseline: o.arms[0], design: { type: o.design, points: o.points },
    replications: o.replications, metrics, seed: 7, runs: o.points * o.arms.length * o.replications,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}
