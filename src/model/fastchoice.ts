/**
 * Exact fast path for the seat-review choice of organizations that use their stage's driver weights.
 *
 * For such an organization o of stage s and domain k, the utility of moving to city c is
 *   U(o,c) = V_sk[c] - a_o * h(g_c) - b_o,   h(g) = max(0, costPerStaff - g),
 * where V_sk[c] (weighted drivers + cluster pull under the city's general terms) is the same for every
 * organization of (s, k), g_c is the city's relocation grant, a_o = costWeight * staff / budget and b_o the
 * organization's fixed moving cost. Cities fall into a few grant groups, so the nested-logit quantities
 *   Z = sum_c exp(U(o,c)/lambda)  and  CDF(c) = sum_{c' <= c} exp(U(o,c')/lambda)
 * are weighted sums of per-group prefix sums computed once per year. P(stay) costs O(groups), the destination
 * a binary search on the same cumulative distribution the reference walks linearly (same order, same
 * uniforms): the result equals the straightforward evaluation of every city, up to floating-point rounding.
 * Cities with a standing offer to o and the seat itself are handled as exact corrections.
 */
import type { Params } from './params.ts';
import type { CityTable } from './scoring.ts';
import { STAGES, weightedValue } from './scoring.ts';
import type { OrgState, World } from './world.ts';

export const MAX_GROUPS = 8;
/** Largest group scale factor the fast path accepts; beyond it the products could overflow. */
const FALLBACK_SCALE = 1e200;

interface StageDomain {
  /** true once built for the current year */
  ready: boolean;
  /**
   * prefix[c * G + j]: sum of exp((V[c'] - vBest_j)/lambda) over cities c' < c of group j, in city order
   * ((C+1) x G, row-major: the groups of one city are adjacent, as the cumulative distribution reads them)
   */
  prefix: Float64Array;
  /** suffix[c * G + j]: the same sum over cities >= c, to leave the seat out without subtracting */
  suffix: Float64Array;
  /** per group: best V, and the three best cities (top[3 * j .. 3 * j + 2], for runner-up lookups) */
  vBest: Float64Array;
  top: Int32Array;
  v: Float64Array;
  /** exp((V[c] - vBest of c's group)/lambda) */
  e: Float64Array;
}

/**
 * One year's index. `reset` starts a new year and keeps the arrays of the last one for reuse (the engine
 * holds one index for a whole run, so the yearly tables do not become garbage).
 */
export class ChoiceIndex {
  readonly groupOf: Int32Array;
  groupGrant: number[] = [];
  usable = false;
  private slots: StageDomain[] = [];

  constructor(private w: World, private t: CityTable) {
    this.groupOf = new Int32Array(w.cities.length);
    this.reset(t);
  }

  /** Start a new year on a new city table. */
  reset(t: CityTable): void {
    this.t = t;
    this.groupGrant = [];
    const ids = new Map<number, number>();
    for (const c of this.w.cities) {
      const g = c.levels.grantMusdPerStaff;
      let j = ids.get(g);
      if (j === undefined) { j = this.groupGrant.length; ids.set(g, j); this.groupGrant.push(g); }
      this.groupOf[c.idx] = j;
    }
    this.usable = this.groupGrant.length <= MAX_GROUPS;
    for (const sd of this.slots) if (sd) sd.ready = false;
  }

  private build(si: number, k: number): StageDomain {
    const key = si * this.t.nDomains + k;
    const { w, t, groupOf } = this;
    const n = w.cities.length, G = this.groupGrant.length;
    let sd = this.slots[key];
    if (sd && sd.ready) return sd;
    if (!sd || sd.vBest.length < G) {
      sd = { ready: false, prefix: new Float64Array((n + 1) * G), suffix: new Float64Array((n + 1) * G), vBest: new Float64Array(G),
        top: new Int32Array(3 * G), v: new Float64Array(n), e: new Float64Array(n) };
      this.slots[key] = sd;
    }
    const p = w.params;
    const sw = p.stages[STAGES[si]];
    const lam = p.choice.nestScale;
    const { v, vBest, top, e, prefix, suffix } = sd;
    vBest.fill(-Infinity);
    top.fill(-1);
    for (const c of w.cities) {
      const i = c.idx * t.nDomains + k;
      // resources under the general terms (no cash levers for an untargeted domain; the grant does not enter)
      const r = c.targets[k] ? t.resourcesTargeted[c.idx] : t.resourcesUntargeted[c.idx];
      const u = weightedValue(sw, t, c.idx, i, r, t.pull[i], p);
      v[c.idx] = u;
      const j = groupOf[c.idx];
      if (u > vBest[j]) vBest[j] = u;
      // keep the three best cities of the group (ties: lower index first)
      const b = 3 * j;
      if (top[b] < 0 || u > v[top[b]]) { top[b + 2] = top[b + 1]; top[b + 1] = top[b]; top[b] = c.idx; }
      else if (top[b + 1] < 0 || u > v[top[b + 1]]) { top[b + 2] = top[b + 1]; top[b + 1] = c.idx; }
      else if (top[b + 2] < 0 || u > v[top[b + 2]]) top[b + 2] = c.idx;
    }
    for (let c = 0; c < n; c++) e[c] = Math.exp((v[c] - vBest[groupOf[c]]) / lam);
    for (let j = 0; j < G; j++) { prefix[j] = 0; suffix[n * G + j] = 0; }
    for (let c = 0; c < n; c++) {
      const a = c * G, b = a + G;
      for (let j = 0; j < G; j++) prefix[b + j] = prefix[a + j];
      prefix[b + groupOf[c]] += e[c];
    }
    for (let c = n - 1; c >= 0; c--) {
      const a = c * G, b = a + G;
      for (let j = 0; j < G; j++) suffix[a + j] = suffix[b + j];
      suffix[a + groupOf[c]] += e[c];
    }
    sd.ready = true;
    return sd;
  }

  /** Utility of moving to city c under the general terms (no standing offer). */
  utility(sd: StageDomain, o: OrgState, c: number, p: Params): number {
    return sd.v[c] - moveA(o, p) * h(this.groupGrant[this.groupOf[c]], p) - moveB(o, p);
  }

  /**
   * The review decision. `seatU` is the seat's utility (with stay bonus); `offers` maps city -> exact utility
   * under the standing offer. Returns -1 for stay or the chosen city index, with its probability, and the
   * utility-ranked best alternative other than the chosen one (for the record).
   */
  /** Probability of staying and of each destination city (indexed by city; the seat has 0). For tests and diagnostics. */
  probabilities(o: OrgState, stageIndex: number, seatU: number, offers: ReadonlyMap<number, number>): { stay: number; moves: Float64Array } | null {
    const st = this.prepare(o, stageIndex, seatU, offers);
    const n = this.w.cities.length;
    const moves = new Float64Array(n);
    if (st === null) return null;
    if (st === 'none') return { stay: 1, moves };
    let prev = 0;
    for (let c = 0; c < n; c++) {
      const x = this.cdf(st.sd, st.F, st.G, st.corr, c, o.seat);
      moves[c] = c === o.seat ? 0 : ((x - prev) / st.Z) * st.pMove;
      prev = x;
    }
    return { stay: 1 - st.pMove, moves };
  }

  private prepare(o: OrgState, stageIndex: number, seatU: number, offers: ReadonlyMap<number, number>) {
    const p = this.w.params;
    const lam = p.choice.nestScale;
    const sd = this.build(stageIndex, o.domain);
    const G = this.groupGrant.length;
    const a = moveA(o, p), b = moveB(o, p);
    const n = this.w.cities.length;
    const shift = new Float64Array(G);
    for (let j = 0; j < G; j++) shift[j] = sd.vBest[j] - a * h(this.groupGrant[j], p) - b;
    const best = this.bestExcept(sd, o, offers, -1, a, b);
    if (best.city < 0) return 'none' as const;
    // Normalise by the best move utility so that every mass is <= 1 (no overflow, no underflow of the leader).
    const uMax = best.u;
    const F = new Float64Array(G);
    for (let j = 0; j < G; j++) {
      F[j] = Math.exp((shift[j] - uMax) / lam);
      // An excluded city (the seat, or an offer city) leads its group by hundreds of nest scales: the scaled
      // masses could overflow. Such cases are rare; the caller then evaluates every city.
      if (!(F[j] <= FALLBACK_SCALE)) return null;
    }
    // Corrections: the seat is not a destination; offer cities use their exact utility.
    const corr: number[] = [];
    for (const [c, u] of offers) if (c !== o.seat) corr.push(c, Math.exp((u - uMax) / lam) - this.mass(sd, F, c, lam));
    if (corr.length > 2) sortPairs(corr);
    const Z = this.cdf(sd, F, G, corr, n - 1, o.seat);
    if (!(Z > 0) || !Number.isFinite(Z)) return null;
    const iv = uMax + lam * Math.log(Z);
    const pMove = 1 / (1 + Math.exp((seatU - iv) / p.choice.temperature));
    return { sd, G, a, b, n, lam, best, uMax, F, corr, Z, pMove };
  }

  /**
   * The review decision. `seatU` is the seat's utility (with stay bonus); `offers` maps city -> exact utility
   * under the standing offer. Returns -1 for stay or the chosen city index, with its probability, and the
   * utility-ranked best alternative other than the chosen one (for the record). Null: not decidable
   * accurately here; evaluate every city instead.
   */
  decide(o: OrgState, stageIndex: number, seatU: number, offers: ReadonlyMap<number, number>, u1: number, u2: number):
    { choice: number; probability: number; runnerUp: number; runnerUpU: number } | null {
    const p = this.w.params;
    const st = this.prepare(o, stageIndex, seatU, offers);
    if (st === null) return null;
    if (st === 'none') return { choice: -1, probability: 1, runnerUp: -1, runnerUpU: NaN };
    const { sd, G, a, b, n, lam, best, uMax, F, corr, Z, pMove } = st;
    const pStay = 1 - pMove;
    if (u1 < pStay) return { choice: -1, probability: pStay, runnerUp: best.city, runnerUpU: best.u };
    const target = u2 * Z;
    let lo = 0, hi = n - 1;
    const seat = o.seat;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (target < this.cdf(sd, F, G, corr, mid, seat)) hi = mid; else lo = mid + 1; }
    // Never return the seat or a zero-mass city (possible only through rounding at a boundary).
    let c = lo;
    if (!this.hasMass(sd, F, G, corr, o.seat, c)) {
      let f = c + 1;
      while (f < n && !this.hasMass(sd, F, G, corr, o.seat, f)) f++;
      if (f < n) c = f; else { let q = c - 1; while (q >= 0 && !this.hasMass(sd, F, G, corr, o.seat, q)) q--; c = q; }
    }
    const uc = offers.get(c) ?? this.utility(sd, o, c, p);
    const second = this.bestExcept(sd, o, offers, c, a, b);
    const runner = second.city >= 0 && second.u > seatU ? second : { city: o.seat, u: seatU };
    return { choice: c, probability: (Math.exp((uc - uMax) / lam) / Z) * pMove, runnerUp: runner.city, runnerUpU: runner.u };
  }

  private mass(sd: StageDomain, F: Float64Array, c: number, lam: number): number {
    const j = this.groupOf[c];
    return F[j] * Math.exp((sd.v[c] - sd.vBest[j]) / lam);
  }

  /**
   * Sum of the masses of cities 0..c other than the seat (corrections are (city, delta) pairs sorted by city).
   * Past the seat the sum is prefix-before-seat plus suffix differences, none of which contains the seat:
   * no cancellation, and the result is non-decreasing in c.
   */
  private cdf(sd: StageDomain, F: Float64Array, G: number, corr: number[], c: number, seat: number): number {
    let s = 0;
    const { prefix, suffix } = sd;
    if (seat < 0 || c < seat) { const r = (c + 1) * G; for (let j = 0; j < G; j++) s += F[j] * prefix[r + j]; }
    else {
      const a = seat * G, b = (seat + 1) * G, r = (c + 1) * G;
      for (let j = 0; j < G; j++) s += F[j] * (prefix[a + j] + (suffix[b + j] - suffix[r + j]));
    }
    for (let i = 0; i < corr.length; i += 2) { if (corr[i] > c) break; s += corr[i + 1]; }
    return s;
  }

  private hasMass(sd: StageDomain, F: Float64Array, G: number, corr: number[], seat: number, x: number): boolean {
    return x !== seat && this.cdf(sd, F, G, corr, x, seat) - (x > 0 ? this.cdf(sd, F, G, corr, x - 1, seat) : 0) > 0;
  }

  private bestExcept(sd: StageDomain, o: OrgState, offers: ReadonlyMap<number, number>, except: number, a: number, b: number): { city: number; u: number } {
    const p = this.w.params;
    let city = -1, u = -Infinity;
    const seat = o.seat;
    // (no closure for the exclusion test: this runs for every review)
    for (let j = 0; j < this.groupGrant.length; j++) {
      let pick = -1;
      for (let q = 3 * j; q < 3 * j + 3; q++) { const c = sd.top[q]; if (c >= 0 && c !== seat && c !== except && !offers.has(c)) { pick = c; break; } }
      if (pick < 0 && sd.top[3 * j + 2] >= 0) {
        // every cached leader is excluded: scan the group
        for (let c = 0; c < sd.v.length; c++) if (this.groupOf[c] === j && c !== seat && c !== except && !offers.has(c) && (pick < 0 || sd.v[c] > sd.v[pick])) pick = c;
      }
      if (pick < 0) continue;
      const x = sd.v[pick] - a * h(this.groupGrant[j], p) - b;
      if (x > u || (x === u && pick < city)) { u = x; city = pick; }
    }
    for (const [c, x] of offers) if (c !== o.seat && c !== except && (x > u || (x === u && c < city))) { u = x; city = c; }
    return { city, u };
  }
}

/** Sort a flat [city, delta, city, delta, ...] list by city. */
function sortPairs(a: number[]): void {
  const pairs: [number, number][] = [];
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i], a[i + 1]]);
  pairs.sort((x, y) => x[0] - y[0]);
  pairs.forEach(([c, d], i) => { a[2 * i] = c; a[2 * i + 1] = d; });
}

const h = (g: number, p: Params) => Math.max(0, p.move.costPerStaffMusd - g);
const moveA = (o: OrgState, p: Params) => p.move.costWeight * o.staff / Math.max(o.budgetMusd, 1e-9);
const moveB = (o: OrgState, p: Params) => p.move.localLossWeight * o.localShare + p.move.disruption;
