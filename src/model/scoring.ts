/**
 * The four drivers, the utility of a city for an organization, and the nested-logit seat choice.
 * City-side components are computed once per year into a `CityTable`; only the organization's weights,
 * its own terms and its moving cost are evaluated per (organization, city) pair.
 */
import type { Params } from './params.ts';
import { makeTerms, type CityState, type OrgState, type Terms, type World } from './world.ts';
import type { Weights } from '../scenario/schema.ts';

export interface CityTable {
  /** per city */
  security: Float64Array;
  operations: Float64Array;
  /** resources under the city's general terms, for targeted domains and for the others */
  resourcesTargeted: Float64Array;
  resourcesUntargeted: Float64Array;
  /** per city x domain (row-major, city * nDomains + domain) */
  values: Float64Array;
  clusterCount: Int32Array;
  /** cluster pull of the hosted count, and of the count less one (an organization does not count itself) */
  pull: Float64Array;
  pullSelf: Float64Array;
  nDomains: number;
  /** clusterPull by hosted count, filled as counts appear (the parameters are fixed for a table's run) */
  pullByCount: number[];
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

export function securityScore(c: CityState, p: Params): number {
  const d = p.drivers.security;
  return d.safety * clamp01(c.def.safety * (1 - c.shock) + c.securityExtra) + d.legal * c.def.legal;
}

export function operationsScore(c: CityState, p: Params): number {
  const d = p.drivers.operations;
  const a = c.def;
  const hub = 1 - Math.exp(-(c.hostedTotal + a.hostedIos) / p.choice.hubScale);
  return d.connectivity * a.connectivity + d.workforce * a.workforce + d.conference * a.conference
    + d.schools * clamp01(a.schools + c.schoolsExtra) + d.livability * a.livability + d.livingCost * (1 - a.livingCost) + d.hub * hub;
}

export function leadershipOf(c: CityState, k: number): number {
  return clamp01(c.leadershipBase[k] + c.leadershipExtra[k]);
}

export function valuesScore(c: CityState, k: number, p: Params): number {
  const d = p.drivers.values;
  return d.leadership * leadershipOf(c, k) + d.openness * c.def.openness;
}

/** Resources driver: premises, operating subsidy, tax exemption, national support. */
export function resourcesScore(officeCost: number, nationalSupport: number, t: Terms, p: Params): number {
  const d = p.drivers.resources;
  return d.premises * (1 - officeCost * (1 - t.freeOffices))
    + d.subsidy * (1 - Math.exp(-t.subsidyMusd / p.drivers.subsidyScaleMusd))
    + d.tax * t.taxExemption + d.nationalSupport * nationalSupport;
}

export function clusterPull(n: number, p: Params): number {
  return n > 0 ? 1 - Math.exp(-n / p.choice.clusterScale) : 0;
}

/**
 * Driver weights times the city's driver scores, plus the cluster pull: the utility of city `ci` for an
 * organization of domain slot `i` (ci * nDomains + domain) under resources score `r`, before moving costs and
 * the stay bonus. One expression for the seat utility, the seat table, the adverts and the choice index, so
 * that their numbers agree to the last bit.
 */
export function weightedValue(wt: Weights, t: CityTable, ci: number, i: number, r: number, pull: number, p: Params): number {
  return wt.security * t.security[ci] + wt.resources * r + wt.operations * t.operations[ci] + wt.values * t.values[i] + p.choice.clusterWeight * pull;
}

/**
 * The city-side components of this moment. With `into` (a table of the same world), its arrays are
 * overwritten and returned instead of allocating new ones: the engine rebuilds the table every year and
 * before every contest, and small runs spent much of their time allocating it.
 */
export function buildCityTable(w: World, into?: CityTable): CityTable {
  const nc = w.cities.length, nd = w.domains.length, p = w.params;
  const t: CityTable = into && into.nDomains === nd && into.security.length === nc ? into : {
    security: new Float64Array(nc), operations: new Float64Array(nc),
    resourcesTargeted: new Float64Array(nc), resourcesUntargeted: new Float64Array(nc),
    values: new Float64Array(nc * nd), clusterCount: new Int32Array(nc * nd), nDomains: nd,
    pull: new Float64Array(nc * nd), pullSelf: new Float64Array(nc * nd), pullByCount: [0],
  };
  const pc = t.pullByCount;
  for (const c of w.cities) {
    t.security[c.idx] = securityScore(c, p);
    t.operations[c.idx] = operationsScore(c, p);
    t.resourcesTargeted[c.idx] = resourcesScore(c.def.officeCost, c.nationalSupport, c.levels, p);
    t.resourcesUntargeted[c.idx] = resourcesScore(c.def.officeCost, c.nationalSupport, c.untargeted, p);
    for (let k = 0; k < nd; k++) {
      t.values[c.idx * nd + k] = valuesScore(c, k, p);
      const n = c.hostedByDomain[k];
      t.clusterCount[c.idx * nd + k] = n;
      t.pull[c.idx * nd + k] = n > 0 ? (pc[n] ??= clusterPull(n, p)) : 0;
      t.pullSelf[c.idx * nd + k] = n > 1 ? (pc[n - 1] ??= clusterPull(n - 1, p)) : 0;
    }
  }
  return t;
}

/**
 * Bring a table built earlier this year up to date after organizations moved or were founded: only the parts
 * that depend on the hosted counts change (the hub effect in operations, the cluster counts and pulls); the
 * levers, stocks and events that set the rest act before the year's table is built. Gives the arrays
 * `buildCityTable` would give, at a fraction of the cost (the engine calls it before every contest).
 */
export function refreshCounts(w: World, t: CityTable): void {
  const nd = t.nDomains, p = w.params, pc = t.pullByCount;
  for (const c of w.cities) {
    t.operations[c.idx] = operationsScore(c, p);
    for (let k = 0; k < nd; k++) {
      const n = c.hostedByDomain[k];
      t.clusterCount[c.idx * nd + k] = n;
      t.pull[c.idx * nd + k] = n > 0 ? (pc[n] ??= clusterPull(n, p)) : 0;
      t.pullSelf[c.idx * nd + k] = n > 1 ? (pc[n - 1] ??= clusterPull(n - 1, p)) : 0;
    }
  }
}

/** The terms an organization gets in a city: general levers if its domain is targeted, improved by a commitment or offer. */
export function termsFor(c: CityState, o: OrgState, extra?: Partial<Terms>): Terms {
  // Shared objects are returned where nothing is merged: callers must treat terms as read-only.
  let t: Terms = c.targets[o.domain] ? c.levels : c.untargeted;
  const cm = o.commitment;
  if (cm && cm.city === c.idx) t = maxTerms(t, cm.terms);
  if (extra) t = maxTerms(t, extra);
  return t;
}

export function maxTerms(a: Terms, b: Partial<Terms>): Terms {
  return makeTerms(Math.max(a.freeOffices, b.freeOffices ?? 0), Math.max(a.subsidyMusd, b.subsidyMusd ?? 0),
    Math.max(a.taxExemption, b.taxExemption ?? 0), Math.max(a.grantMusdPerStaff, b.grantMusdPerStaff ?? 0));
}

/** Utility loss of moving to a city that pays `grantMusdPerStaff` per staff member. */
export function moveCost(o: OrgState, grantMusdPerStaff: number, p: Params): number {
  return moveCostOf(o.staff, o.budgetMusd, o.localShare, grantMusdPerStaff, p);
}

/** `moveCost` from the organization's numbers (the yearly pass reads them from the organization table). */
export function moveCostOf(staff: number, budgetMusd: number, localShare: number, grantMusdPerStaff: number, p: Params): number {
  const m = p.move;
  const net = Math.max(0, staff * (m.costPerStaffMusd - grantMusdPerStaff));
  return m.costWeight * net / Math.max(budgetMusd, 1e-9) + m.localLossWeight * localShare + m.disruption;
}

export interface Evaluation {
  city: number;
  security: number;
  resources: number;
  operations: number;
  values: number;
  cluster: number;
  moveCost: number;
  utility: number;
}

export type Role = 'seat' | 'move' | 'found';

/** Full driver-by-driver evaluation of one city for one organization. */
export function evaluate(w: World, t: CityTable, o: OrgState, c: CityState, weights: Weights, role: Role, terms: Terms): Evaluation {
  const p = w.params;
  const i = c.idx * t.nDomains + o.domain;
  const security = t.security[c.idx];
  const operations = t.operations[c.idx];
  const resources = resourcesScore(c.def.officeCost, c.nationalSupport, terms, p);
  const values = t.values[i];
  const cluster = role === 'seat' ? t.pullSelf[i] : t.pull[i];
  const mc = role === 'move' ? moveCost(o, terms.grantMusdPerStaff, p) : 0;
  const utility = weights.security * security + weights.resources * resources + weights.operations * operations + weights.values * values
    + p.choice.clusterWeight * cluster - mc + (role === 'seat' ? p.choice.stayBonus : 0);
  return { city: c.idx, security, resources, operations, values, cluster, moveCost: mc, utility };
}

/** The resources score of city c under `terms`: from the table when they are the city's general terms. */
function resourcesUnder(t: CityTable, c: CityState, terms: Terms, p: Params): number {
  return terms === c.levels ? t.resourcesTargeted[c.idx] : terms === c.untargeted ? t.resourcesUntargeted[c.idx]
    : resourcesScore(c.def.officeCost, c.nationalSupport, terms, p);
}

/** The seat's utility without the stay bonus, as a number (the hot path of the yearly hazard). */
export function seatUtility(w: World, t: CityTable, o: OrgState, c: CityState, weights: Weights, terms: Terms): number {
  const p = w.params;
  const i = c.idx * t.nDomains + o.domain;
  const r = resourcesUnder(t, c, terms, p);
  return weightedValue(weights, t, c.idx, i, r, t.pullSelf[i], p);
}

/**
 * `seatUtility` for every (stage, city, domain) at once, for organizations that use their stage's weights and
 * enjoy their seat's general terms: index (stage * cities + city) * domains + domain. Same arithmetic, same
 * order as `seatUtility`, so the numbers are identical; built once a year instead of once per organization.
 */
export function seatTable(w: World, t: CityTable, into?: Float64Array): Float64Array {
  const p = w.params, nd = t.nDomains, nc = w.cities.length;
  const n = STAGES.length * nc * nd;
  const out = into && into.length === n ? into : new Float64Array(n);
  for (let si = 0; si < STAGES.length; si++) {
    const sw = p.stages[STAGES[si]];
    for (const c of w.cities) {
      const ci = c.idx;
      for (let k = 0; k < nd; k++) {
        const i = ci * nd + k;
        const r = c.targets[k] ? t.resourcesTargeted[ci] : t.resourcesUntargeted[ci];
        out[(si * nc + ci) * nd + k] = weightedValue(sw, t, ci, i, r, t.pullSelf[i], p);
      }
    }
  }
  return out;
}

/**
 * Nested logit: stay versus move (scale `temperature`), and a destination within the move nest (scale `nestScale`).
 * Returns the probability of each alternative; `stay` is null when the organization has no seat to keep.
 */
export function choiceProbabilities(stay: number | null, moves: ArrayLike<number>, p: Params): { stay: number; moves: Float64Array } {
  const n = moves.length;
  const out = new Float64Array(n);
  if (n === 0) return { stay: 1, moves: out };
  const lam = p.choice.nestScale;
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (moves[j] > max) max = moves[j];
  let sum = 0;
  for (let j = 0; j < n; j++) { out[j] = Math.exp((moves[j] - max) / lam); sum += out[j]; }
  const iv = max + lam * Math.log(sum);
  const pMove = stay === null ? 1 : 1 / (1 + Math.exp((stay - iv) / p.choice.temperature));
  for (let j = 0; j < n; j++) out[j] = (out[j] / sum) * pMove;
  return { stay: 1 - pMove, moves: out };
}

/** Sample from choiceProbabilities with two uniforms: -1 means stay, else the index into `moves`. */
export function sampleChoice(stay: number | null, moves: ArrayLike<number>, p: Params, u1: number, u2: number): number {
  const pr = choiceProbabilities(stay, moves, p);
  if (stay !== null && u1 < pr.stay) return -1;
  const pMove = 1 - (stay === null ? 0 : pr.stay);
  let acc = 0;
  const target = u2 * pMove;
  for (let j = 0; j < pr.moves.length; j++) { acc += pr.moves[j]; if (target < acc) return j; }
  return pr.moves.length - 1;
}

/**
 * The best two advertised alternatives per (stage, domain): cities whose cash levers target the domain, valued
 * with the stage's driver weights and the general terms (no organization-specific moving cost). Organizations
 * compare their seat against these to decide whether an outside offer is worth a review; the review itself
 * then scores every city exactly.
 */
export interface Adverts { best: Float64Array; second: Float64Array; bestCity: Int32Array; secondCity: Int32Array; grant: Float64Array; grant2: Float64Array }
export const STAGES = ['founding', 'growth', 'mature'] as const;

export function buildAdverts(w: World, t: CityTable, into?: Adverts): Adverts {
  const nd = t.nDomains, p = w.params;
  const n = STAGES.length * nd;
  const a: Adverts = into && into.best.length === n ? into : { best: new Float64Array(n), second: new Float64Array(n),
    bestCity: new Int32Array(n), secondCity: new Int32Array(n), grant: new Float64Array(n), grant2: new Float64Array(n) };
  a.best.fill(-Infinity); a.second.fill(-Infinity); a.bestCity.fill(-1); a.secondCity.fill(-1); a.grant.fill(0); a.grant2.fill(0);
  for (const c of w.cities) {
    const l = c.levels;
    if (!(l.freeOffices > 0 || l.subsidyMusd > 0 || l.taxExemption > 0)) continue;
    const r = resourcesScore(c.def.officeCost, c.nationalSupport, l, p);
    for (let si = 0; si < STAGES.length; si++) {
      const sw = p.stages[STAGES[si]];
      for (let k = 0; k < nd; k++) {
        if (!c.targets[k]) continue;
        const i = c.idx * nd + k;
        const u = weightedValue(sw, t, c.idx, i, r, t.pull[i], p);
        const j = si * nd + k;
        if (u > a.best[j]) {
          a.second[j] = a.best[j]; a.secondCity[j] = a.bestCity[j]; a.grant2[j] = a.grant[j];
          a.best[j] = u; a.bestCity[j] = c.idx; a.grant[j] = l.grantMusdPerStaff;
        } else if (u > a.second[j]) { a.second[j] = u; a.secondCity[j] = c.idx; a.grant2[j] = l.grantMusdPerStaff; }
      }
    }
  }
  return a;
}

/** How much the best advertised city (other than the seat) beats the seat, for a stage-weighted organization. */
export function advertisedPull(a: Adverts, w: World, t: CityTable, o: OrgState, stageIndex: number, terms: Terms): number {
  const p = w.params, nd = t.nDomains;
  const u = advertisedBest(a, stageIndex * nd + o.domain, o.seat, o.staff, o.budgetMusd, o.localShare, p);
  if (u === -Infinity) return 0;
  const sw = p.stages[STAGES[stageIndex]];
  const c = w.cities[o.seat];
  const i = o.seat * nd + o.domain;
  const r = resourcesUnder(t, c, terms, p);
  const seat = weightedValue(sw, t, o.seat, i, r, t.pullSelf[i], p);
  return Math.max(0, u - seat);
}

/**
 * The best advertised alternative's utility (moving cost included) for an organization of advert slot `j`
 * (stage * domains + domain) seated at `seat`; -Infinity when no city advertises to it.
 */
export function advertisedBest(a: Adverts, j: number, seat: number, staff: number, budgetMusd: number, localShare: number, p: Params): number {
  const useSecond = a.bestCity[j] === seat;
  const city = useSecond ? a.secondCity[j] : a.bestCity[j];
  if (city < 0) return -Infinity;
  return (useSecond ? a.second[j] : a.best[j]) - moveCostOf(staff, budgetMusd, localShare, useSecond ? a.grant2[j] : a.grant[j], p);
}
