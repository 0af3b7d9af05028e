/**
 * Seat choice: which cities an organization considers, and the nested logit over staying, outposting a unit, and
 * moving whole.
 *
 * Consideration set (consider-then-choose): the seat; the cities that court the organization with a standing
 * offer; the city of its office, if any; and a shortlist of `choice.considerationSize` cities, the best by the
 * utility an organization of reference size (`levers.refStaff` staff, default budget and local share) of the same
 * stage and domain would get: the cities with the best reputation for such bodies. The shortlist depends on the
 * stage and domain only, so it is built once a year for each (stage, domain) in use; every considered city is then
 * valued with the organization's exact utility. Adding cities that nobody would choose leaves the set, and so the
 * choice, unchanged. The review screen (hazard.ts) and the review choice read the same set and the same utility.
 *
 * Nested logit: the upper level chooses among staying (V0, with the seat's stay bonus), outposting a unit to the
 * best considered city c* (V_unit = V0 + u (U(c*) - V0) - officeSetup, when the organization has no office yet)
 * and moving (inclusive value IV = mu ln sum_j exp(V_j / mu) over the considered cities), with scale
 * `choice.temperature`; within the move nest destinations compete with scale `choice.nestScale`.
 */
import type { Params } from './params.ts';
import {
  annualMoney, baseFrom, basePrefix, baseUtility, evaluate, generalTerms, grantIn, moveCostOf, offerScore, offerTerms, OrgMove, perStaffMoney, plainMoveUtility, plainSeatUtility, specificTerms,
  type CityTable, type Evaluation,
} from './scoring.ts';
import { stageWeightsAt, type OrgState, type World } from './world.ts';
import type { Weights } from '../scenario/schema.ts';

/** Probabilities of the upper-level alternatives and of each destination (in the order given). */
export interface ChoiceProbabilities { stay: number; unit: number; move: number; moves: Float64Array }

/**
 * Nested-logit probabilities. `stay` null: no seat to keep (a founding); `unit` null: no unit alternative.
 */
export function choiceProbabilities(stay: number | null, unit: number | null, moves: ArrayLike<number>, p: Params): ChoiceProbabilities {
  const n = moves.length;
  const out = new Float64Array(n);
  const lam = p.choice.nestScale, T = p.choice.temperature;
  let iv = -Infinity;
  if (n > 0) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (moves[j] > max) max = moves[j];
    let sum = 0;
    for (let j = 0; j < n; j++) { out[j] = Math.exp((moves[j] - max) / lam); sum += out[j]; }
    for (let j = 0; j < n; j++) out[j] /= sum;
    iv = max + lam * Math.log(sum);
  }
  // upper level: stay, unit, move
  const top = Math.max(stay ?? -Infinity, unit ?? -Infinity, iv);
  if (top === -Infinity) return { stay: 1, unit: 0, move: 0, moves: out };
  const es = stay === null ? 0 : Math.exp((stay - top) / T);
  const eu = unit === null ? 0 : Math.exp((unit - top) / T);
  const em = n > 0 ? Math.exp((iv - top) / T) : 0;
  const z = es + eu + em;
  const pm = em / z;
  for (let j = 0; j < n; j++) out[j] *= pm;
  return { stay: es / z, unit: eu / z, move: pm, moves: out };
}

/** Sample with two uniforms: u1 picks stay, unit or move (in that order); u2 the destination (cumulative, in order). */
export function sampleChoice(pr: ChoiceProbabilities, u1: number, u2: number): { kind: 'stay' | 'unit' | 'move'; index: number } {
  if (u1 < pr.stay) return { kind: 'stay', index: -1 };
  if (u1 < pr.stay + pr.unit) return { kind: 'unit', index: -1 };
  const target = u2 * pr.move;
  let acc = 0;
  let last = -1;
  for (let j = 0; j < pr.moves.length; j++) {
    if (pr.moves[j] <= 0) continue;
    last = j;
    acc += pr.moves[j];
    if (target < acc) return { kind: 'move', index: j };
  }
  if (last < 0) return { kind: pr.unit > 0 ? 'unit' : 'stay', index: -1 };
  return { kind: 'move', index: last };
}

/** The unit alternative's utility: a share u of the organization enjoys c*, the rest stays; a fixed setup cost. */
export function unitUtility(stay: number, best: number, p: Params): number {
  return stay + p.move.unitShare * (best - stay) - p.move.officeSetup;
}

// ---------------------------------------------------------------------------------------------------------------
// Shortlists
// ---------------------------------------------------------------------------------------------------------------

/** Utility of moving to city c for the reference organization of stage si and domain k (the shortlist's ranking). */
export function referenceUtility(w: World, t: CityTable, ci: number, si: number, k: number): number {
  const p = w.params;
  const c = w.cities[ci];
  const n = p.levers.refStaff, b = n * p.org.budgetPerStaffMusd, ls = p.org.defaultLocalShare;
  const wt = stageWeightsAt(si, p);
  const money = annualMoney(c, n, generalTerms(c, k), null, p);
  return baseUtility(wt, t, ci, k, p, false) + wt.resources * offerScore(money, b, p) - moveCostOf(n, b, ls, generalTerms(c, k).grantMusdPerStaff, p);
}

/**
 * One year's shortlists: for each (stage, domain) in use, the K + 1 cities with the best reference utility (ties:
 * lower index first), so that K remain after leaving out an organization's seat. Built lazily; `reset` starts a
 * new year (arrays are kept for reuse).
 */
export class Shortlists {
  private lists: (Int32Array | undefined)[] = [];
  private ready: Uint8Array = new Uint8Array(0);
  /** per (stage, domain): every city's base utility as a seat (its own headquarters not pulling), built on demand */
  private seats: (Float64Array | undefined)[] = [];
  private seatReady: Uint8Array = new Uint8Array(0);
  /**
   * per (stage, domain), for each city of the list in order: its base utility as a destination, the yearly money
   * per staff member and per organization of its general terms, and its grant (the parts of a stage-weighted
   * organization's move utility that do not depend on the organization)
   */
  private parts: (Float64Array | undefined)[] = [];
  /**
   * The year's per-city parts of every list's ranking, computed once a year instead of once per (stage, domain):
   * per stage, each city's `basePrefix`; per city, the reference organization's offer score and moving cost under
   * its general terms, for a targeted domain (levels) and an untargeted one. Same functions, same arguments, so the
   * ranking's numbers are `referenceUtility`'s to the bit.
   */
  private prefixes = new Float64Array(0);
  private prefixReady = new Uint8Array(3);
  private reference = new Float64Array(0);
  private referenceReady = false;
  /** insertion buffer of `get` */
  private scratch = new Float64Array(0);
  private t!: CityTable;
  /** the stages' driver weights (read once: every method needs them, and each lookup is a WeakMap's) */
  private wts: Weights[] = [];
  private views: (ListView | undefined)[] = [];
  /**
   * One buffer each for the lists, their parts and the seat tables of every (stage, domain), of which each key's
   * arrays are views (made once): a run of a small world builds lists every year for a few keys, and a typed array
   * of its own per key and run cost more than the list itself.
   */
  private size = -1;
  private listBuf = new Int32Array(0);
  private partsBuf = new Float64Array(0);
  private seatBuf = new Float64Array(0);
  constructor(private readonly w: World) {}

  reset(t: CityTable): void {
    this.t = t;
    this.wts = [0, 1, 2].map((si) => stageWeightsAt(si, this.w.params));
    this.layout(3 * t.nDomains);
    this.ready.fill(0); this.seatReady.fill(0);
    const nc = this.w.cities.length;
    if (this.prefixes.length !== 3 * nc) { this.prefixes = new Float64Array(3 * nc); this.reference = new Float64Array(4 * nc); }
    this.prefixReady.fill(0);
    this.referenceReady = false;
  }

  /** (Re)allocate the per-key tables for n keys when the number of keys or the list size changed. */
  private layout(n: number): void {
    const nc = this.w.cities.length, size = Math.min(nc, this.w.params.choice.considerationSize + 1);
    if (this.ready.length === n && this.size === size && this.seatBuf.length === n * nc) return;
    this.size = size;
    this.ready = new Uint8Array(n); this.seatReady = new Uint8Array(n);
    this.lists = new Array(n); this.parts = new Array(n); this.seats = new Array(n); this.views = new Array(n);
    this.listBuf = new Int32Array(n * size); this.partsBuf = new Float64Array(n * 4 * size); this.seatBuf = new Float64Array(n * nc);
    if (this.scratch.length < size) this.scratch = new Float64Array(size);
  }

  /** `basePrefix` of every city for the weights of stage si (offset si x cities in the returned array). */
  private prefix(si: number): Float64Array {
    const a = this.prefixes;
    if (this.prefixReady[si]) return a;
    const { w, t } = this, nc = w.cities.length, wt = this.wts[si];
    for (let c = 0; c < nc; c++) a[si * nc + c] = basePrefix(wt, t, c);
    this.prefixReady[si] = 1;
    return a;
  }

  /** Per city: offer score and moving cost of the reference organization, targeted (levels) then untargeted. */
  private referenceParts(): Float64Array {
    const a = this.reference;
    if (this.referenceReady) return a;
    const w = this.w, p = w.params;
    const n = p.levers.refStaff, b = n * p.org.budgetPerStaffMusd, ls = p.org.defaultLocalShare;
    for (let ci = 0; ci < w.cities.length; ci++) {
      const c = w.cities[ci];
      a[4 * ci] = offerScore(annualMoney(c, n, c.levels, null, p), b, p);
      a[4 * ci + 1] = moveCostOf(n, b, ls, c.levels.grantMusdPerStaff, p);
      a[4 * ci + 2] = offerScore(annualMoney(c, n, c.untargeted, null, p), b, p);
      a[4 * ci + 3] = moveCostOf(n, b, ls, c.untargeted.grantMusdPerStaff, p);
    }
    this.referenceReady = true;
    return a;
  }

  /** The (si, k) shortlist with its parts, as the yearly screen reads it (`bestMove`); the object is reused every year. */
  view(si: number, k: number): ListView {
    const list = this.get(si, k);
    const key = si * this.t.nDomains + k, parts = this.parts[key]!;
    const v = (this.views[key] ??= { list, parts, wr: 0, top: new Float64Array(12) });
    v.list = list; v.parts = parts; v.wr = this.wts[si].resources;
    // per part: the largest over the list, the second largest, and the position of the largest
    const top = v.top;
    for (let q = 0; q < 4; q++) {
      let first = q === 0 ? -Infinity : 0, second = first, at = -1;
      for (let j = 0; j < list.length; j++) {
        const x = parts[4 * j + q];
        if (x > first) { second = first; first = x; at = j; } else if (x > second) second = x;
      }
      top[3 * q] = first; top[3 * q + 1] = second; top[3 * q + 2] = at;
    }
    return v;
  }

  /** `baseUtility(stage weights, t, c, k, p, self = true)` of every city c, for stage si and domain k. */
  seatBase(si: number, k: number): Float64Array {
    const key = si * this.t.nDomains + k;
    let a = this.seats[key];
    if (this.seatReady[key]) return a!;
    const { w, t } = this;
    if (!a) a = this.seats[key] = this.seatBuf.subarray(key * w.cities.length, (key + 1) * w.cities.length);
    const wt = this.wts[si], pre = this.prefix(si), off = si * a.length;
    for (let c = 0; c < a.length; c++) a[c] = baseFrom(pre[off + c], wt, t, c, k, w.params, true);
    this.seatReady[key] = 1;
    return a;
  }

  /** The shortlist of (stage si, domain k): city indices, best first. */
  get(si: number, k: number): Int32Array {
    const key = si * this.t.nDomains + k;
    if (this.ready[key]) return this.lists[key]!;
    const { w, t } = this;
    this.layout(this.ready.length); // the list size follows choice.considerationSize, even when it changed since reset
    const size = this.size;
    const list = (this.lists[key] ??= this.listBuf.subarray(key * size, (key + 1) * size));
    const u = this.scratch;
    // referenceUtility(w, t, c, si, k) of every city, from the year's parts (same terms, same order of additions)
    const nc = w.cities.length, ws = this.wts[si], pre = this.prefix(si), ref = this.referenceParts(), off = si * nc;
    let n = 0;
    for (let c = 0; c < nc; c++) {
      const q = w.cities[c].targets[k] ? 4 * c : 4 * c + 2;
      const x = baseFrom(pre[off + c], ws, t, c, k, w.params, false) + ws.resources * ref[q] - ref[q + 1];
      // insertion into the sorted top list (strictly better only: ties keep the lower index first)
      if (n < size) { let j = n++; while (j > 0 && x > u[j - 1]) { u[j] = u[j - 1]; list[j] = list[j - 1]; j--; } u[j] = x; list[j] = c; }
      else if (x > u[size - 1]) { let j = size - 1; while (j > 0 && x > u[j - 1]) { u[j] = u[j - 1]; list[j] = list[j - 1]; j--; } u[j] = x; list[j] = c; }
    }
    const p = w.params, wt = this.wts[si];
    const parts = (this.parts[key] ??= this.partsBuf.subarray(4 * key * size, 4 * (key + 1) * size));
    for (let j = 0; j < n; j++) {
      const c = w.cities[list[j]], g = generalTerms(c, k);
      const b = baseUtility(wt, t, c.idx, k, p, false), ps = perStaffMoney(g.freeOffices, g.taxExemption, c, p);
      parts[4 * j] = b; parts[4 * j + 1] = ps; parts[4 * j + 2] = g.subsidyMusd; parts[4 * j + 3] = g.grantMusdPerStaff;
    }
    this.ready[key] = 1;
    return list;
  }
}

/**
 * A shortlist as the yearly screen reads it: its cities (best first), per city the parts of a stage-weighted
 * organization's move utility that do not depend on the organization (base utility, yearly money per staff member
 * and per organization of its general terms, grant), the stage's resources weight, and per part its largest and
 * second largest value over the list and the position of the largest (`top`, three numbers per part).
 */
export interface ListView { list: Int32Array; parts: Float64Array; wr: number; top: Float64Array }

/**
 * The best move utility over the first K cities of a shortlist other than `seat` (and other than the one at list
 * position `skip`, if any: an office city, which the caller values with its staff already there), for a
 * stage-weighted organization (its parts in `mu`) with no specific terms in them: `plainMoveUtility` of each, from
 * the list's parts (same arithmetic, so the same numbers); -Infinity when no city is left. `listBound` bounds it.
 * The result is written to out[0] rather than returned: the screen calls this for most organizations every year,
 * and a number returned from a call that is not inlined is allocated on the heap.
 */
export function bestMove(v: ListView, K: number, seat: number, mu: OrgMove, skip: number, out: Float64Array): void {
  const list = v.list, parts = v.parts, wr = v.wr;
  let best = -Infinity, taken = 0;
  for (let j = 0; j < list.length && taken < K; j++) {
    if (list[j] === seat) continue;
    taken++;
    if (j === skip) continue;
    const q = 4 * j;
    const u = mu.utility(parts[q], wr, parts[q + 1], parts[q + 2], parts[q + 3]);
    if (u > best) best = u;
  }
  out[0] = best;
}

/**
 * An upper bound on `bestMove`: each part at its largest over the list's cities other than the seat (at list position
 * `seatAt`, -1 when the seat is not on the list); the utility increases in each part. When the seat with its stay
 * bonus reaches it, no city of the list courts the organization and the exact maximum is not needed.
 */
export function listBound(v: ListView, mu: OrgMove, seatAt: number): number {
  const x = v.top;
  return mu.utility(seatAt === x[2] ? x[1] : x[0], v.wr, seatAt === x[5] ? x[4] : x[3], seatAt === x[8] ? x[7] : x[6], seatAt === x[11] ? x[10] : x[9]);
}

/** The position of city c on the list (any of its cities), -1 when it is not on it. */
export function positionOf(v: ListView, c: number): number {
  const list = v.list;
  for (let j = 0; j < list.length; j++) if (list[j] === c) return j;
  return -1;
}

/** The list position of city c if it is among the first K cities other than `seat` (those `bestMove` takes); else -1. */
export function listPosition(v: ListView, K: number, seat: number, c: number): number {
  let taken = 0;
  for (let j = 0; j < v.list.length && taken < K; j++) {
    if (v.list[j] === seat) continue;
    if (v.list[j] === c) return j;
    taken++;
  }
  return -1;
}

/** The move utility of the city at list position j for an organization with a share `there` of its staff already in it. */
export function listUtilityThere(v: ListView, j: number, mu: OrgMove, there: number): number {
  const q = 4 * j, parts = v.parts;
  return mu.utilityThere(parts[q], v.wr, parts[q + 1], parts[q + 2], parts[q + 3], there);
}

/**
 * The cities organization o considers besides its seat, in ascending index order: its shortlist (K cities other
 * than the seat), the cities courting it with a standing offer, and its office city.
 */
export function consideredCities(o: OrgState, list: Int32Array, k: number): number[] {
  const out: number[] = [];
  let taken = 0;
  for (let j = 0; j < list.length && taken < k; j++) { const c = list[j]; if (c !== o.seat) { out.push(c); taken++; } }
  for (const c of o.offers.keys()) if (c !== o.seat && !out.includes(c)) out.push(c);
  const office = o.officeCity;
  if (office >= 0 && office !== o.seat && !out.includes(office)) out.push(office);
  // ascending (distinct city indices): an insertion sort in place, as a handful of cities needs no more
  for (let i = 1; i < out.length; i++) { const c = out[i]; let j = i; while (j > 0 && out[j - 1] > c) { out[j] = out[j - 1]; j--; } out[j] = c; }
  return out;
}

/** The specific terms o has or is offered in city ci this year (its commitment, a standing offer). */
export function termsIn(w: World, o: OrgState, ci: number) {
  const offer = o.offers.get(ci);
  return specificTerms(w.cities[ci], o, w.year, offer ? offerTerms(offer) : null);
}

/**
 * The utility of moving whole to city ci, as a number: the same arithmetic as `evaluate(..., 'move', ...)`
 * (held equal by a property test), without building the record when the organization has no specific terms there.
 */
export function moveUtility(w: World, t: CityTable, o: OrgState, ci: number, wt: Weights): number {
  const c = w.cities[ci];
  if (o.offers.size === 0 || !o.offers.has(ci)) {
    if (o.noPrivileges !== ci && !(o.commitment && o.commitment.city === ci)) {
      return plainMoveUtility(t, c, wt, o.domain, o.staff, o.budgetMusd, o.localShare, w.params, o.officeCity === ci ? o.officeShare : 0);
    }
  }
  return evaluate(w, t, o, c, wt, 'move', termsIn(w, o, ci)).utility;
}

// ---------------------------------------------------------------------------------------------------------------
// The review decision
// ---------------------------------------------------------------------------------------------------------------

/** `ReviewDecision`'s runner-up when it is the seat, or when there is none. */
const SEAT = -1, NONE = -2;

/**
 * A decided review. The chosen city's and the runner-up's term-by-term evaluations are computed when first read
 * (records, the adaptive rule's credit), from the organization and the city table as they were at the decision:
 * read them before the organization moves or outposts a unit. Their utilities are known at once.
 */
export class ReviewDecision {
  private chosenEval: Evaluation | undefined;
  private runnerUpEval: Evaluation | null | undefined;
  constructor(
    readonly kind: 'stay' | 'unit' | 'move',
    /** destination city of a unit or a move; the seat for stay */
    readonly city: number,
    /** probability of the chosen alternative */
    readonly probability: number,
    readonly probabilities: ChoiceProbabilities,
    /** the seat's utility with its stay bonus, and its evaluation term by term (computed once, when first asked) */
    readonly seatUtility: number,
    private readonly evalSeat: () => Evaluation,
    /** the considered cities (ascending index) and their move utilities */
    readonly ids: number[],
    readonly utilities: Float64Array,
    /** index in `ids` of the best considered city (-1: none), and the unit alternative's utility (NaN: not available) */
    readonly best: number,
    readonly unitUtility: number,
    /** index in `ids` of the chosen city (-1: the seat) and of the best other considered city (-1: none) */
    private readonly at: number,
    private readonly other: number,
    private readonly evalAt: (j: number) => Evaluation,
  ) {}

  /** The seat's evaluation, with its stay bonus. */
  get seat(): Evaluation {
    return this.evalSeat();
  }

  /** The chosen city's evaluation: the seat's for stay, the best city's for a unit. */
  get chosen(): Evaluation {
    return (this.chosenEval ??= this.at < 0 ? this.seat : this.evalAt(this.at));
  }

  /**
   * Which alternative is the runner-up, the best other by utility: an index in `ids`, SEAT (the seat, when a city
   * was chosen and no other considered city beats the seat), or NONE (the seat was chosen and no city is considered).
   */
  private get runnerUpAt(): number {
    const r = this.other;
    if (this.at < 0) return r >= 0 ? r : NONE;
    return r >= 0 && this.utilities[r] > this.seatUtility ? r : SEAT;
  }

  /** The runner-up's evaluation; null when there is none. */
  get runnerUp(): Evaluation | null {
    if (this.runnerUpEval === undefined) {
      const r = this.runnerUpAt;
      this.runnerUpEval = r === NONE ? null : r === SEAT ? this.seat : this.evalAt(r);
    }
    return this.runnerUpEval;
  }

  /** `runnerUp`'s utility (-Infinity when there is none), without evaluating it term by term. */
  get runnerUpUtility(): number {
    const r = this.runnerUpAt;
    return r === NONE ? -Infinity : r === SEAT ? this.seatUtility : this.utilities[r];
  }
}

/**
 * Decide a review with the year's uniforms u1, u2: stay, outpost a unit to the best considered city, or move.
 * `lists` are the year's shortlists. Utilities are computed as numbers; the chosen city and the runner-up are
 * evaluated term by term when read (`considered` gives every considered city's evaluation when a record needs them).
 */
export function decideReview(w: World, t: CityTable, lists: Shortlists, o: OrgState, wt: Weights, si: number, u1: number, u2: number): ReviewDecision {
  const p = w.params;
  const stay = w.table.leaseOpen[o.idx] ? 0 : p.choice.stayBonus, seatTerms = termsIn(w, o, o.seat);
  let seatEval: Evaluation | undefined;
  const evalSeat = () => (seatEval ??= evaluate(w, t, o, w.cities[o.seat], wt, 'seat', seatTerms, stay));
  // the seat's utility: from the table when the organization has only the seat's general terms and its privileges
  // there (evaluate's arithmetic: base + offer - 0 + stay bonus, the same number), else from its evaluation
  const seatUtility = !seatTerms && o.noPrivileges !== o.seat ? plainSeatUtility(t, o.seat, wt, o.domain, o.staff, o.budgetMusd, p) - 0 + stay : evalSeat().utility;
  const ids = consideredCities(o, lists.get(si, o.domain), p.choice.considerationSize);
  const us = new Float64Array(ids.length);
  let best = -1;
  for (let j = 0; j < ids.length; j++) { us[j] = moveUtility(w, t, o, ids[j], wt); if (best < 0 || us[j] > us[best]) best = j; }
  const canUnit = best >= 0 && o.officeCity < 0 && o.staff * p.move.unitShare >= 1;
  const vUnit = canUnit ? unitUtility(seatUtility, us[best], p) : NaN;
  const pr = choiceProbabilities(seatUtility, canUnit ? vUnit : null, us, p);
  const pick = sampleChoice(pr, u1, u2);
  const at = pick.kind === 'stay' ? -1 : pick.kind === 'unit' ? best : pick.index;
  const evalAt = (j: number) => evaluate(w, t, o, w.cities[ids[j]], wt, 'move', termsIn(w, o, ids[j]));
  const probability = pick.kind === 'stay' ? pr.stay : pick.kind === 'unit' ? pr.unit : pr.moves[pick.index];
  // runner-up: the best other alternative by utility (the seat, or a considered city)
  let r = -1;
  for (let j = 0; j < ids.length; j++) if (j !== at && (r < 0 || us[j] > us[r])) r = j;
  return new ReviewDecision(pick.kind, at < 0 ? o.seat : ids[at], probability, pr, seatUtility, evalSeat, ids, us, best, vUnit, at, r, evalAt);
}

/** Every considered city's evaluation (as a move) for the organization's review (for decision records). */
export function considered(w: World, t: CityTable, o: OrgState, wt: Weights, d: ReviewDecision): Evaluation[] {
  return d.ids.map((ci) => evaluate(w, t, o, w.cities[ci], wt, 'move', termsIn(w, o, ci)));
}

/** The grant per staff member o would receive in city ci (general levers, commitment or standing offer). */
export function grantFor(w: World, o: OrgState, ci: number): number {
  return grantIn(w.cities[ci], o.domain, termsIn(w, o, ci));
}
