/**
 * `hqsim backtest`: replays documented contests (replay.ts) and scores the model's forecasts against the real
 * winners, next to four naive baselines on the same contests. With `loo`, each contest is forecast by the model
 * refitted without it (stage 1 of the calibration, from the defaults): leave-one-out cross-validation.
 */
import { loadContests } from './contests.ts';
import { baselines, buildReplay, meanScore, rankOf, score, smooth, type Prediction, type Score } from './replay.ts';
import { CONTEST_SPACE, PRIOR_VALUES, overridesOf, valuesOf } from '../calibrate/space.ts';
import { contestData } from '../calibrate/index.ts';
import { DEFAULT_FIT, fitContests, memoryCache, type FitSettings, type Progress } from '../calibrate/fit.ts';
import { taskRunner } from '../calibrate/pool.ts';
import type { ParamOverrides } from '../model/params.ts';

export const BASELINES = ['uniform', 'offer', 'cluster', 'attributes'] as const;
export type Baseline = (typeof BASELINES)[number];

export interface ContestResult {
  id: string; year: number; rule: 'organization' | 'vote';
  winner: string;
  /** the model's probability of each candidate (unsmoothed), and of the winner */
  probabilities: Record<string, number>;
  pWinner: number;
  favourite: string;
  rank: number;
  /** share of replications with the documented number of ballots (votes with a documented count) */
  roundsMatch: number | null;
  /** the refitted coefficients that forecast this contest (leave-one-out only) */
  refit?: Record<string, number>;
}

export interface BacktestResult {
  file: string;
  loo: boolean;
  runs: number;
  contests: ContestResult[];
  summary: { n: number; hqsim: Score; baselines: Record<Baseline, Score> };
}

export interface BacktestOptions {
  file: string;
  cities?: string;
  params?: ParamOverrides;
  runs: number;
  seed: number;
  loo: boolean;
  workers: number;
  /** settings of the refits (leave-one-out) */
  fit?: Partial<FitSettings>;
  progress?: Progress;
}

export async function backtest(o: BacktestOptions): Promise<BacktestResult> {
  const set = loadContests(o.file, { cities: o.cities });
  const replays = set.contests.map(buildReplay);
  const base = o.params ?? {}, refitBase = o.params ?? PRIOR_VALUES;
  const runner = taskRunner(o.workers);
  try {
    const fit: FitSettings = { ...DEFAULT_FIT, ...o.fit };
    const overridesFor: ParamOverrides[] = [];
    const refits: (Record<string, number> | undefined)[] = [];
    for (let i = 0; i < replays.length; i++) {
      if (!o.loo) { overridesFor.push(base); continue; }
      const data = contestData(o.file, set.contests, o.cities, (j) => j !== i);
      // the refit is a calibration without contest i: it starts from and holds the source-based values (or --params)
      const r = await fitContests(data, runner, fit, memoryCache(), o.progress, { laplace: false, base: refitBase, stage: `leave out ${set.contests[i].id} (${i + 1}/${replays.length})` });
      overridesFor.push(overridesOf(CONTEST_SPACE, r.theta, refitBase)); // refitBase with the refit in place
      refits.push(valuesOf(CONTEST_SPACE, r.theta, refitBase));
    }
    const preds = (await runner.run(replays.map((_, i) => ({ kind: 'predict' as const, file: o.file, cities: o.cities, index: i, overrides: overridesFor[i], runs: o.runs, seed: o.seed })))) as Prediction[];
    const scores: Score[] = [];
    const bs: Record<Baseline, Score[]> = { uniform: [], offer: [], cluster: [], attributes: [] };
    const contests = replays.map((r, i) => {
      const c = r.contest, p = preds[i].p;
      const w = r.cities.indexOf(c.winner);
      scores.push(score(smooth(p), w));
      const b = baselines(r);
      for (const k of BASELINES) bs[k].push(score(smooth(b[k]), w));
      const fav = p.reduce((bi, x, j) => (x > p[bi] ? j : bi), 0);
      return {
        id: c.id, year: c.year, rule: c.rule, winner: c.winner,
        probabilities: Object.fromEntries(r.cities.map((x, j) => [x, p[j]])),
        pWinner: p[w], favourite: r.cities[fav], rank: rankOf(p, w), roundsMatch: preds[i].roundsMatch,
        ...(o.loo ? { refit: refits[i] } : {}),
      } satisfies ContestResult;
    });
    return {
      file: o.file, loo: o.loo, runs: o.runs, contests,
      summary: { n: contests.length, hqsim: meanScore(scores), baselines: Object.fromEntries(BASELINES.map((k) => [k, meanScore(bs[k])])) as Record<Baseline, Score> },
    };
  } finally {
    await runner.close();
  }
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

export function formatBacktest(r: BacktestResult): string {
  const lines: string[] = [];
  lines.push(`hqsim backtest: ${r.summary.n} contests of ${r.file}${r.loo ? ', leave-one-out (each contest forecast by the model refitted without it)' : ''}; ${r.runs} replications per vote`);
  lines.push('');
  const w = Math.max(8, ...r.contests.map((c) => c.id.length));
  lines.push(`  ${'contest'.padEnd(w)}  rule  winner          p(winner)  rank  favourite`);
  for (const c of r.contests) {
    lines.push(`  ${c.id.padEnd(w)}  ${c.rule === 'vote' ? 'vote' : 'org '}  ${c.winner.padEnd(14)}  ${c.pWinner.toFixed(2).padStart(9)}  ${String(c.rank).padStart(4)}  ${c.favourite}${c.favourite === c.winner ? '' : ` (${c.probabilities[c.favourite].toFixed(2)})`}`);
  }
  lines.push('');
  lines.push('  forecast     top-1  top-2  Brier  log-loss   (lower Brier and log-loss are better)');
  const row = (name: string, s: Score) => `  ${name.padEnd(11)}  ${pct(s.top1).padStart(5)}  ${pct(s.top2).padStart(5)}  ${s.brier.toFixed(3)}  ${s.logLoss.toFixed(3).padStart(8)}`;
  lines.push(row('hqsim', r.summary.hqsim));
  const names: Record<Baseline, string> = { uniform: 'uniform', offer: 'offer', cluster: 'cluster', attributes: 'attributes' };
  for (const k of BASELINES) lines.push(row(names[k], r.summary.baselines[k]));
  lines.push('');
  lines.push('  baselines: uniform = every candidate alike; offer = the largest documented offer wins; cluster = the largest');
  lines.push('  same-domain cluster wins; attributes = the best plain average of city attributes wins (ties share)');
  return lines.join('\n');
}
