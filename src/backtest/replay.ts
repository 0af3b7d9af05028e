/**
 * Replaying documented seat contests in the world of their year, and scoring predictions.
 *
 * Each contest becomes a one-year scenario starting in its year: its candidate cities (and the organization's
 * interim or old seat) with their attributes of that year (seeds/city_history.csv), the organizations they hosted
 * then (the documented count; those of the contested body's domain as modelled bodies, so that they make the
 * cluster, the others as background), the contested organization as it was, the contest's own rule, voters and
 * documented bids. Cities spend nothing else and nobody reviews a seat that year: only the decision is replayed.
 * The model's probability of each candidate is the mean over replications of the organization's choice
 * probability (contests it decides) or of the vote's winner (contests its members decide).
 */
import { parseScenario, type Scenario } from '../scenario/load.ts';
import { simulate } from '../model/engine.ts';
import { runContest } from '../model/contest.ts';
import { Streams } from '../model/rng.ts';
import { resolveParams, type ParamOverrides, type Params } from '../model/params.ts';
import { replicationSeed } from '../experiment/seeds.ts';
import type { Contest } from './contests.ts';

/** Everything the replay needs from one contest, built once. */
export interface Replay {
  contest: Contest;
  /** candidate city ids, in the order predictions are given (candidates, then cities that withdrew) */
  cities: string[];
  scenario: Scenario;
}

/** Parameters that keep the replayed world still apart from the decision: no reviews, foundings or deaths. */
const STILL: ParamOverrides = {
  review: { baseHazard: 0, dissatisfactionHazard: 0, triggerHazard: 0, stressHazard: 0, courtingHazard: 0 },
  foundings: { rate: 0 }, ecology: { mortalityYoung: 0, mortalityOld: 0 },
};

/** Budget of a city whose offer is documented (USD m a year): enough for any documented offer. */
const OFFER_BUDGET_MUSD = 1e5;

/** The one-year scenario document of a contest (see the file comment). */
export function contestDocument(c: Contest): Record<string, unknown> {
  const cities = [...new Set([...c.candidates, ...c.withdrawn.map((w) => w.city), ...(c.org.seat ? [c.org.seat] : []), ...(c.from ? [c.from] : [])])].sort();
  const cityEntries = cities.map((id) => {
    const h = c.hosting[id];
    // A documented offer was made, so it was affordable: its city gets a budget no offer reaches (a fixed strategy
    // without levers spends nothing of it); other cities spend nothing. A documented count replaces the city's
    // background; bodies of the contested domain become modelled bodies below.
    const budgetMusd = c.bids[id] ? OFFER_BUDGET_MUSD : 0;
    return h && h.total !== null ? { id, hostedIos: Math.max(0, h.total - (h.sameDomain ?? 0)), focusDomains: [], budgetMusd, strategy: 'fixed' }
      : { id, budgetMusd, strategy: 'fixed' };
  });
  const o = c.org;
  const orgs: Record<string, unknown>[] = [{
    id: o.id, name: o.name, kind: o.kind, domain: o.domain, seat: o.seat, founded: Math.min(o.founded, c.year), staff: o.staff,
    budgetMusd: o.budgetMusd, localShare: o.localShare, region: o.region, veto: 0,
  }];
  for (const id of cities) {
    const n = c.hosting[id]?.sameDomain ?? 0;
    for (let i = 0; i < n; i++) orgs.push({ id: `same_${id}_${i}`, name: `${o.domain} body ${i + 1} in ${id}`, kind: 'intergovernmental', domain: o.domain, seat: id, founded: c.year - 20, staff: 20, veto: 0 });
  }
  const candidates = [...c.candidates, ...c.withdrawn.map((w) => w.city).filter((x) => !c.candidates.includes(x))];
  const contest: Record<string, unknown> = {
    id: 'replay', org: o.id, year: c.year, candidates, bids: c.bids, rule: c.rule,
    includeSeat: o.seat !== null && candidates.includes(o.seat),
  };
  if (c.vote) {
    contest.members = c.vote.members;
    contest.threshold = c.vote.threshold;
    if (c.vote.memberRegions) contest.memberRegions = c.vote.memberRegions;
    if (c.vote.firstRoundPoints) contest.firstRoundPoints = c.vote.firstRoundPoints;
  }
  return { name: `backtest_${c.id}`, start: c.year, years: 1, seed: 1, cities: cityEntries, organizations: orgs, contests: [contest] };
}

/** Build the replay of a contest (validating its scenario once). */
export function buildReplay(c: Contest): Replay {
  const scenario = parseScenario(JSON.stringify(contestDocument(c)), `${c.id}.backtest.json`);
  const cities = [...c.candidates, ...c.withdrawn.map((w) => w.city).filter((x) => !c.candidates.includes(x))];
  return { contest: c, cities, scenario };
}

/** The parameters of a replay: the given ones, with the world kept still (see STILL). */
export function replayParams(p: Params): Params {
  const q = structuredClone(p);
  Object.assign(q.review, STILL.review);
  q.foundings.rate = 0;
  q.ecology.mortalityYoung = 0; q.ecology.mortalityOld = 0;
  return q;
}

export interface Prediction {
  /** probability of each city of `Replay.cities` */
  p: number[];
  /** share of replications whose ballots took as many rounds as documented (null when no count is documented) */
  roundsMatch: number | null;
  /** share of replications the documented winner won in the documented number of ballots (null: no count documented) */
  winInRounds: number | null;
}

/** Ballot rounds documented for a contest (the last round number given), or null. */
export function documentedRounds(c: Contest): number | null {
  const r = c.vote?.rounds ?? [];
  return r.length ? Math.max(...r.map((x) => x.round)) : null;
}

/**
 * The model's prediction for a replay under parameters `p`. The world of the contest's year is built once; the
 * contest is then decided `runs` times in it (replication seeds of `seed`, so that two parameter sets see the same
 * draws: common random numbers), before anything else happens that year. A contest the organization decides is
 * decided once: its probabilities are exact. Votes give each candidate the share of replications it won.
 */
export function predict(r: Replay, p: Params, runs: number, seed = 1): Prediction {
  const sc: Scenario = { ...r.scenario, params: replayParams(p) };
  const n = r.contest.rule === 'vote' ? runs : 1;
  const probs = new Float64Array(r.cities.length);
  const wanted = documentedRounds(r.contest);
  const w = r.cities.indexOf(r.contest.winner);
  let match = 0, both = 0, done = false;
  let ids: string[] = [];
  simulate(sc, { seed, recorder: {
    wants: { events: [], orgYears: false, cityYears: [], decisions: false },
    begin: (info) => { ids = info.cities; }, event() {}, cityYear() {}, orgYear() {},
    contest: (x) => {
      if (x.id !== 'replay' || !x.probe) return;
      const { world, table, org, def } = x.probe;
      for (let k = 0; k < n; k++) {
        const o = runContest(world, table, def, org, new Streams(replicationSeed(seed, k)), false);
        if (o.probabilities) o.candidates.forEach((c, i) => { const j = r.cities.indexOf(ids[c.city]); if (j >= 0) probs[j] += o.probabilities![i]; });
        else { const j = r.cities.indexOf(ids[o.winner.city]); if (j >= 0) probs[j] += 1; }
        if (wanted !== null && o.rounds.filter((y) => y.kind !== 'sounding').length === wanted) {
          match++;
          if (r.cities.indexOf(ids[o.winner.city]) === w) both++;
        }
      }
      done = true;
    },
  } });
  if (!done) throw new Error(`backtest: contest ${r.contest.id} was not decided in its replay`);
  return { p: Array.from(probs, (x) => x / n), roundsMatch: wanted === null ? null : match / n, winInRounds: wanted === null ? null : both / n };
}

// ---------------------------------------------------------------------------------------------------------------
// Scores and baselines
// ---------------------------------------------------------------------------------------------------------------

/** Every forecast is mixed with the uniform by this share, so that no candidate has probability 0 (log-loss). */
export const SMOOTHING = 0.01;

export const smooth = (p: number[]): number[] => p.map((x) => (1 - SMOOTHING) * x + SMOOTHING / p.length);

export interface Score { top1: number; top2: number; brier: number; logLoss: number }

/**
 * Scores of one forecast (already smoothed) of a contest whose winner is at index `w`. Top-k accuracy counts ties
 * as broken at random: a winner tied with e candidates just after g better ones is in the top k with probability
 * (k - g) / e, clamped to [0, 1]. Brier: the multi-class score, sum over candidates of (p - outcome)^2.
 */
export function score(p: number[], w: number): Score {
  const v = p[w];
  const g = p.filter((x) => x > v + 1e-12).length, e = p.filter((x) => Math.abs(x - v) <= 1e-12).length;
  const top = (k: number) => Math.min(1, Math.max(0, (k - g) / e));
  let brier = 0;
  p.forEach((x, i) => { brier += (x - (i === w ? 1 : 0)) ** 2; });
  return { top1: top(1), top2: top(2), brier, logLoss: -Math.log(p[w]) };
}

/** Rank of the winner (1 = favourite; ties share the best rank). */
export const rankOf = (p: number[], w: number): number => p.filter((x) => x > p[w] + 1e-12).length + 1;

export function meanScore(xs: Score[]): Score {
  const n = xs.length || 1;
  return {
    top1: xs.reduce((s, x) => s + x.top1, 0) / n, top2: xs.reduce((s, x) => s + x.top2, 0) / n,
    brier: xs.reduce((s, x) => s + x.brier, 0) / n, logLoss: xs.reduce((s, x) => s + x.logLoss, 0) / n,
  };
}

/** All the probability on the largest values (ties share it); uniform when every value is missing. */
function argmaxForecast(v: (number | null)[]): number[] {
  const known = v.filter((x): x is number => x !== null);
  if (!known.length) return v.map(() => 1 / v.length);
  const best = Math.max(...known);
  const tied = v.map((x) => (x !== null && x >= best - 1e-12 ? 1 : 0));
  const k = tied.reduce((a: number, b) => a + b, 0);
  return tied.map((t) => t / k);
}

/** Value of a documented offer: one-off money plus the yearly parts over its term (at most the horizon), USD m. */
export function offerValueMusd(c: Contest, city: string, p: Params, officeCost: number): number | null {
  const b = c.bids[city];
  if (!b) return null;
  const years = Math.min(b.term ?? 1, p.money.horizonYears);
  const yearly = (b.subsidyMusd ?? 0) + (b.freeOffices ?? 0) * p.levers.officeCostPerStaffMusd * officeCost * c.org.staff
    + (b.taxExemption ?? 0) * p.levers.taxCostPerStaffMusd * c.org.staff;
  return (b.oneOffMusd ?? 0) + yearly * years;
}

/** Attributes oriented so that more is better, for the plain-average baseline. */
const ATTRIBUTES = ['safety', 'connectivity', 'officeCost', 'livingCost', 'workforce', 'livability', 'legal', 'nationalSupport', 'conference', 'schools', 'openness'] as const;

/** The four naive forecasts: uniform, largest documented offer, largest cluster, best plain average of attributes. */
export function baselines(r: Replay): Record<'uniform' | 'offer' | 'cluster' | 'attributes', number[]> {
  const c = r.contest, p = resolveParams();
  const byId = new Map(r.scenario.cities.map((x) => [x.id, x]));
  const year = c.year;
  const attrAt = (id: string, a: (typeof ATTRIBUTES)[number]): number => {
    const d = byId.get(id)!;
    const pts = d.history?.[a];
    if (!pts) return d[a];
    let v = pts[0][1];
    for (let i = 0; i < pts.length; i++) {
      if (year <= pts[i][0]) { if (i > 0) { const [x0, y0] = pts[i - 1], [x1, y1] = pts[i]; v = y0 + ((y1 - y0) * (year - x0)) / (x1 - x0); } else v = pts[0][1]; break; }
      v = pts[i][1];
    }
    return v;
  };
  const uniform = r.cities.map(() => 1 / r.cities.length);
  const offer = argmaxForecast(r.cities.map((id) => offerValueMusd(c, id, p, attrAt(id, 'officeCost'))));
  const cluster = argmaxForecast(r.cities.map((id) => c.hosting[id]?.sameDomain ?? null));
  const attributes = argmaxForecast(r.cities.map((id) => ATTRIBUTES.reduce((s, a) => s + (a === 'officeCost' || a === 'livingCost' ? 1 - attrAt(id, a) : attrAt(id, a)), 0) / ATTRIBUTES.length));
  return { uniform, offer, cluster, attributes };
}
