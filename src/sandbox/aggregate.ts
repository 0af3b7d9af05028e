/**
 * From replications to what the sandbox shows: contest win probabilities with Wilson intervals, the focal
 * city's hosted organizations as quantile bands by year, cost per organization won, the paired effect of the
 * settings against the baseline (common random numbers: replication r of both uses the same seed), and the
 * why-breakdown of the focal city's contests. Pure functions of the outcomes, in replication order.
 */
import { quantileSorted } from 'd3-array';
import { pairedDifference, summarize, wilson, type PairedSummary } from '../experiment/stats.ts';
import type { ContestOutcome, RepOutcome } from './replicate.ts';

export interface OddsRow { city: string; wins: number; p: number; lo: number; hi: number; candidateRuns: number }
export interface ContestOdds { id: string; held: number; rows: OddsRow[] }

/** Win probability of every city that took part in each contest, among the runs in which the contest was held. */
export function contestOdds(outcomes: RepOutcome[], contestIds: string[]): ContestOdds[] {
  return contestIds.map((id) => {
    const wins = new Map<string, number>();
    const cand = new Map<string, number>();
    let held = 0;
    for (const o of outcomes) {
      const c = o.contests.find((x) => x.id === id);
      if (!c) continue;
      held++;
      for (const city of c.candidates) cand.set(city, (cand.get(city) ?? 0) + 1);
      if (c.winner) wins.set(c.winner.id, (wins.get(c.winner.id) ?? 0) + 1);
    }
    const rows = [...new Set([...cand.keys(), ...wins.keys()])].map((city) => {
      const w = wins.get(city) ?? 0;
      const ci = wilson(w, held);
      return { city, wins: w, p: held ? w / held : NaN, lo: ci.lo, hi: ci.hi, candidateRuns: cand.get(city) ?? 0 };
    }).sort((a, b) => b.wins - a.wins || (a.city < b.city ? -1 : a.city > b.city ? 1 : 0));
    return { id, held, rows };
  });
}

export interface FanRow { year: number; n: number; p05: number; p25: number; p50: number; p75: number; p95: number; mean: number }

/** Quantiles (R-7, as d3 and R's default) of the focal city's hosted organizations, year by year. */
export function fan(outcomes: RepOutcome[], start: number): FanRow[] {
  if (outcomes.length === 0) return [];
  const years = Math.min(...outcomes.map((o) => o.hosted.length));
  const rows: FanRow[] = [];
  for (let k = 0; k < years; k++) {
    const xs = outcomes.map((o) => o.hosted[k]).sort((a, b) => a - b);
    const q = (p: number) => quantileSorted(xs, p) ?? NaN;
    rows.push({ year: start + k, n: xs.length, p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95), mean: xs.reduce((s, x) => s + x, 0) / xs.length });
  }
  return rows;
}

export interface CostRow {
  n: number;
  meanSpendMusd: number;
  meanWon: number;
  /** 95% t interval of the mean number of organizations won (NaN below 2 runs). */
  wonLo: number;
  wonHi: number;
  /** Mean spending / mean organizations won (null when none were won): the cost of an organization won. */
  costPerOrgWonMusd: number | null;
}

export function cost(outcomes: RepOutcome[]): CostRow {
  const n = outcomes.length;
  if (n === 0) return { n, meanSpendMusd: NaN, meanWon: NaN, wonLo: NaN, wonHi: NaN, costPerOrgWonMusd: null };
  const spend = outcomes.reduce((s, o) => s + o.spendMusd, 0) / n;
  const won = summarize(outcomes.map((o) => o.won));
  return { n, meanSpendMusd: spend, meanWon: won.mean, wonLo: won.lo, wonHi: won.hi, costPerOrgWonMusd: won.mean > 0 ? spend / won.mean : null };
}

export interface Effect {
  /** Replications run in both settings (paired by replication number). */
  pairs: number;
  won: PairedSummary;
  spendMusd: PairedSummary;
  finalHosted: PairedSummary;
  /** Extra spending per extra organization won (null unless the settings win more on average). */
  costPerExtraOrgMusd: number | null;
}

/** The settings against the baseline, replication by replication (the same seeds: common random numbers). */
export function effect(current: RepOutcome[], baseline: RepOutcome[]): Effect | null {
  const base = new Map(baseline.map((o) => [o.r, o]));
  const pairs = current.filter((o) => base.has(o.r));
  if (pairs.length === 0) return null;
  const b = pairs.map((o) => base.get(o.r)!);
  const last = (o: RepOutcome) => o.hosted[o.hosted.length - 1] ?? 0;
  const won = pairedDifference(pairs.map((o) => o.won), b.map((o) => o.won));
  const spendMusd = pairedDifference(pairs.map((o) => o.spendMusd), b.map((o) => o.spendMusd));
  const finalHosted = pairedDifference(pairs.map(last), b.map(last));
  return { pairs: pairs.length, won, spendMusd, finalHosted, costPerExtraOrgMusd: won.mean > 0 ? spendMusd.mean / won.mean : null };
}

export interface Margin { field: string; weight: number; gap: number; contribution: number }

export interface WhyContest {
  id: string;
  held: number;
  /** Runs in which the focal city took part; won; came second. */
  candidate: number;
  won: number;
  second: number;
  /** Every numeric term of the decision records, in the order the records carry them. */
  fields: string[];
  /** Mean term values of the winner and the runner-up (runs with a runner-up). */
  winner: Record<string, number>;
  runnerUp: Record<string, number>;
  contested: number;
  /**
   * The focal city against its closest rival, term by term (focal minus rival), averaged over the runs in which
   * it won (against the runner-up) and over those in which it came second (against the winner); weighted
   * fields also as weight x gap, their share of the decision margin.
   */
  whenWon: Record<string, number>;
  whenSecond: Record<string, number>;
  weightedWhenWon: Record<string, number>;
  weightedWhenSecond: Record<string, number>;
  /** The weighted term with the largest weight x (winner - runner-up), counted over the runs. */
  decisive: Record<string, number>;
}

function meanOf(rows: Record<string, number>[], fields: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fields) {
    let s = 0, n = 0;
    for (const r of rows) if (typeof r[f] === 'number' && Number.isFinite(r[f])) { s += r[f]; n++; }
    if (n) out[f] = s / n;
  }
  return out;
}

const diff = (a: Record<string, number>, b: Record<string, number>) => {
  const out: Record<string, number> = {};
  for (const k of Object.keys(a)) if (typeof b[k] === 'number') out[k] = a[k] - b[k];
  return out;
};
const weighted = (gap: Record<string, number>, w: Record<string, number> | null) => {
  const out: Record<string, number> = {};
  if (w) for (const k of Object.keys(w)) if (typeof gap[k] === 'number') out[k] = w[k] * gap[k];
  return out;
};

/** The weighted term that did most for the winner (null without weights or a runner-up). */
export function decisiveTerm(c: ContestOutcome): string | null {
  if (!c.winner || !c.runnerUp || !c.weights) return null;
  let best: string | null = null, bestV = -Infinity;
  for (const [k, w] of Object.entries(c.weights)) {
    const a = c.winner.terms[k], b = c.runnerUp.terms[k];
    if (typeof a !== 'number' || typeof b !== 'number') continue;
    const v = w * (a - b);
    if (v > bestV) { bestV = v; best = k; }
  }
  return best;
}

/** Why the focal city's contests went as they did, from the winner's and runner-up's decision records. */
export function why(outcomes: RepOutcome[], focal: string, contestIds: string[]): WhyContest[] {
  const out: WhyContest[] = [];
  for (const id of contestIds) {
    const held: ContestOutcome[] = [];
    for (const o of outcomes) { const c = o.contests.find((x) => x.id === id); if (c) held.push(c); }
    const mine = held.filter((c) => c.candidates.includes(focal));
    if (mine.length === 0) continue;
    const fields: string[] = [];
    const seen = new Set<string>();
    for (const c of held) for (const s of [c.winner, c.runnerUp]) if (s) for (const k of Object.keys(s.terms)) if (!seen.has(k)) { seen.add(k); fields.push(k); }
    const contested = held.filter((c) => c.winner && c.runnerUp);
    const won = mine.filter((c) => c.winner?.id === focal);
    const second = mine.filter((c) => c.runnerUp?.id === focal);
    const gapsWon = won.filter((c) => c.runnerUp).map((c) => diff(c.winner!.terms, c.runnerUp!.terms));
    const gapsSecond = second.map((c) => diff(c.runnerUp!.terms, c.winner!.terms));
    const decisive: Record<string, number> = {};
    for (const c of held) { const d = decisiveTerm(c); if (d) decisive[d] = (decisive[d] ?? 0) + 1; }
    out.push({
      id, held: held.length, candidate: mine.length, won: won.length, second: second.length, fields,
      winner: meanOf(contested.map((c) => c.winner!.terms), fields),
      runnerUp: meanOf(contested.map((c) => c.runnerUp!.terms), fields),
      contested: contested.length,
      whenWon: meanOf(gapsWon, fields),
      whenSecond: meanOf(gapsSecond, fields),
      weightedWhenWon: meanOf(won.filter((c) => c.runnerUp).map((c) => weighted(diff(c.winner!.terms, c.runnerUp!.terms), c.weights)), fields),
      weightedWhenSecond: meanOf(second.map((c) => weighted(diff(c.runnerUp!.terms, c.winner!.terms), c.weights)), fields),
      decisive,
    });
  }
  return out;
}

/** The longest run of replications 0, 1, 2, ... that are all in (results arrive out of order from the workers). */
export function prefix(results: (RepOutcome | undefined)[]): RepOutcome[] {
  const out: RepOutcome[] = [];
  for (const r of results) { if (!r) break; out.push(r); }
  return out;
}
