/** World state: cities and organizations as mutable records, built from a validated scenario. Pure. */
import type { CityAttribute, CityDef, OrgDef, Offer, Weights } from '../scenario/schema.ts';
import { CITY_ATTRIBUTES } from '../scenario/vocab.ts';
import type { Params } from './params.ts';
import { emptyAllocation, STOCKS, type Allocation } from './stocks.ts';
export type { Allocation } from './stocks.ts';

export type Stage = 'founding' | 'growth' | 'mature';
export const DRIVERS = ['security', 'resources', 'operations', 'values'] as const;
export type Driver = (typeof DRIVERS)[number];
export const LEVERS = ['freeOffices', 'taxExemption', 'subsidy', 'grants', ...STOCKS, 'leadership'] as const;
export type Lever = (typeof LEVERS)[number];

/**
 * Terms an organization enjoys or is offered in a city: the general levers, a commitment, or an offer. The yearly
 * parts (free-office share, subsidy, tax exemption) last `years` years (0: open-ended, as the general levers);
 * one-off money and the relocation grant are paid once, on arrival.
 */
export interface Terms { freeOffices: number; subsidyMusd: number; taxExemption: number; grantMusdPerStaff: number; oneOffMusd: number; years: number }
/**
 * Every Terms object is made here, so that all have one shape (property order) for V8: code that reads terms
 * then sees a single object layout instead of meeting new ones mid-run and being recompiled.
 */
export function makeTerms(freeOffices: number, subsidyMusd: number, taxExemption: number, grantMusdPerStaff: number, oneOffMusd = 0, years = 0): Terms {
  return { freeOffices, subsidyMusd, taxExemption, grantMusdPerStaff, oneOffMusd, years };
}
export const NO_TERMS: Terms = makeTerms(0, 0, 0, 0);

export interface Commitment { org: number; city: number; until: number; terms: Terms; source: string }

/** A city's attributes as they are this year (its dated history and events applied), and its background count. */
export type CityAttrs = Record<CityAttribute | 'hostedIos', number>;

export interface CityState {
  idx: number;
  def: CityDef;
  budgetMusd: number;
  /** baseline attributes this year: the definition, moved along its dated history, changed by events */
  attr: CityAttrs;
  /** attributes set by an event, which no longer follow the history */
  pinned: Set<string>;
  shock: number;
  /** built stock above the baseline, per stock (order of STOCKS) */
  extra: Float64Array;
  /** Issue-leadership base and built stock, per domain index. */
  leadershipBase: Float64Array;
  leadershipExtra: Float64Array;
  /**
   * Investments waiting for their delay: per stock a ring of `delay` years (`pipeHead[s]`: the slot that takes effect
   * next), and the leadership ring buffer.
   */
  pipes: Float64Array[];
  pipeHead: Int32Array;
  pipeLeadership: Float64Array[];
  allocation: Allocation | null;
  commitments: Commitment[];
  /** This year's general lever levels (for organizations of target domains). */
  levels: Terms;
  /** Terms for organizations outside the target domains: only the relocation grant. */
  untargeted: Terms;
  targets: Uint8Array; // per domain: 1 if the cash levers apply
  /** Money left this year for grants and one-off offers. */
  budgetLeft: number;
  spend: Record<Lever | 'commitments' | 'oneOff', number>;
  spendTotal: number;
  hostedByDomain: Int32Array;
  staffByDomain: Float64Array;
  hostedTotal: number;
  /** offices and outposted units of organizations seated elsewhere, by domain, and in all */
  officesByDomain: Int32Array;
  officesTotal: number;
  /** background organizations per domain: the city's `hostedIos` spread evenly over its focus domains */
  backgroundByDomain: Float64Array;
  /** Scratch: this year's investment per stock, leadership investment per domain (planned, then with spillover), and the domains a strategy spreads it over. */
  investPlan: Float64Array;
  leadershipPlan: Float64Array;
  leadershipSpill: Float64Array;
  leadershipDomains: number[] | null;
  /** Adaptive rule: payoff (utility delivered to arrivals) and spending per lever group since the last revision. */
  payoff: Allocation;
  spendWindow: Allocation;
  // run totals
  won: number;
  staffYears: number;
}

/**
 * Per-organization state read every year for every organization (the yearly hazard pass, the cities' lever
 * costs, the counts): a struct of typed arrays indexed by organization, so those passes read contiguous memory
 * instead of one heap object per organization. `OrgState` objects are views on one row (their accessors read
 * and write these arrays); code off the hot paths uses them, the yearly passes index the arrays directly.
 * The arrays are replaced when the table grows (organizations founded during a run): read them from the
 * table after any founding, never hold them across one.
 */
export class OrgTable {
  size = 0;
  seat = new Int32Array(0);
  active = new Uint8Array(0);
  founded = new Int32Array(0);
  domain = new Int32Array(0);
  staff = new Float64Array(0);
  budgetMusd = new Float64Array(0);
  localShare = new Float64Array(0);
  refUtility = new Float64Array(0);
  trigger = new Float64Array(0);
  stress = new Float64Array(0);
  /** 1 if the organization uses its stage's weights and has no standing offers (the shared-table fast path applies) */
  plain = new Uint8Array(0);
  /** 1 while the organization has a yearly agreement (`OrgState.commitment`) with some city */
  committed = new Uint8Array(0);
  /** city of the organization's office or outposted unit (-1: none) and the share of its staff there */
  officeCity = new Int32Array(0);
  officeShare = new Float64Array(0);
  /** city that withdrew the organization's privileges and immunities (-1: none): there it has no legal protection or tax exemption */
  noPrivileges = new Int32Array(0);
  /** 1 in a year the organization's lease or host agreement expires (its seat has no status-quo bonus) */
  leaseOpen = new Uint8Array(0);
  /** year of the contest for the permanent seat of an organization in an interim seat (0: none) */
  interimUntil = new Int32Array(0);
  /** this year's uniform for the death draw (from the organization's yearly block) */
  deathDraw = new Float64Array(0);
  /** draw stream state (Alea: s0, s1, s2, c) per organization, valid where `seeded` is 1 */
  rng = new Float64Array(0);
  seeded = new Uint8Array(0);

  /** Append a row; returns its index. */
  add(): number {
    if (this.size === this.seat.length) this.grow(Math.max(16, this.size * 2));
    return this.size++;
  }

  private grow(cap: number): void {
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, n = cap): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      b.set(a);
      return b;
    };
    this.seat = g(this.seat); this.active = g(this.active); this.founded = g(this.founded); this.domain = g(this.domain);
    this.staff = g(this.staff); this.budgetMusd = g(this.budgetMusd); this.localShare = g(this.localShare);
    this.refUtility = g(this.refUtility); this.trigger = g(this.trigger); this.stress = g(this.stress);
    this.plain = g(this.plain); this.committed = g(this.committed); this.rng = g(this.rng, 4 * cap); this.seeded = g(this.seeded);
    this.officeCity = g(this.officeCity); this.officeShare = g(this.officeShare); this.noPrivileges = g(this.noPrivileges); this.leaseOpen = g(this.leaseOpen);
    this.interimUntil = g(this.interimUntil); this.deathDraw = g(this.deathDraw);
  }
}

/**
 * An array of n elements made by pushing, so always of V8's packed elements kind. Array.prototype.map gives
 * arrays of one kind from V8's builtin and another once the caller is optimized and the map inlined; a
 * world's long-lived arrays (cities, organizations) then change kind a few hundred runs into a sweep and
 * every function specialized on them is deoptimized and compiled again, in every worker.
 */
export function arrayOf<T>(n: number, f: (i: number) => T): T[] {
  const a: T[] = [];
  for (let i = 0; i < n; i++) a.push(f(i));
  return a;
}

/** shared by every organization without standing offers (most of them) */
const NO_OFFERS: ReadonlyMap<number, Offer> = new Map();

/** One organization: its definition, the rarely used state, and accessors for its row of the `OrgTable`. */
export class OrgState {
  /** Standing offers made to this organization: city index -> offer (set when the world is built). */
  offers: ReadonlyMap<number, Offer> = NO_OFFERS;
  /** driver weights per stage index, for an organization with its own profile (blended once per stage) */
  weightCache: (Weights | undefined)[] | undefined = undefined;
  private agreement: Commitment | null = null;

  constructor(readonly t: OrgTable, readonly idx: number, readonly def: OrgDef, readonly ownWeights: Weights | undefined) {}

  /** the yearly agreement with its seat city from a contest (at most one) */
  get commitment(): Commitment | null { return this.agreement; }
  set commitment(c: Commitment | null) { this.agreement = c; this.t.committed[this.idx] = c ? 1 : 0; }
  /** city index, -1 before founding */
  get seat(): number { return this.t.seat[this.idx]; }
  set seat(v: number) { this.t.seat[this.idx] = v; }
  get active(): boolean { return this.t.active[this.idx] === 1; }
  set active(v: boolean) { this.t.active[this.idx] = v ? 1 : 0; }
  /** founding year */
  get founded(): number { return this.t.founded[this.idx]; }
  get domain(): number { return this.t.domain[this.idx]; }
  get staff(): number { return this.t.staff[this.idx]; }
  set staff(v: number) { this.t.staff[this.idx] = v; }
  get budgetMusd(): number { return this.t.budgetMusd[this.idx]; }
  set budgetMusd(v: number) { this.t.budgetMusd[this.idx] = v; }
  get localShare(): number { return this.t.localShare[this.idx]; }
  get officeCity(): number { return this.t.officeCity[this.idx]; }
  get officeShare(): number { return this.t.officeShare[this.idx]; }
  /** Open an office (or outpost a unit) with `share` of the staff in `city`; -1 closes it. */
  setOffice(city: number, share: number): void { this.t.officeCity[this.idx] = city; this.t.officeShare[this.idx] = city < 0 ? 0 : share; }
  get noPrivileges(): number { return this.t.noPrivileges[this.idx]; }
  set noPrivileges(c: number) { this.t.noPrivileges[this.idx] = c; }
  /** Seat utility when the seat was last chosen or reviewed (reference for dissatisfaction). */
  get refUtility(): number { return this.t.refUtility[this.idx]; }
  set refUtility(v: number) { this.t.refUtility[this.idx] = v; }
  get trigger(): number { return this.t.trigger[this.idx]; }
  set trigger(v: number) { this.t.trigger[this.idx] = v; }
  get stress(): number { return this.t.stress[this.idx]; }
  set stress(v: number) { this.t.stress[this.idx] = v; }
  /** Record a city's standing offer (while the world is built). */
  setOffer(city: number, offer: Offer): void {
    const m = this.offers === NO_OFFERS ? new Map<number, Offer>() : (this.offers as Map<number, Offer>);
    m.set(city, offer);
    this.offers = m;
    this.classify();
  }
  /** The fast-path flag: stage weights and no standing offers. */
  private classify(): void { this.t.plain[this.idx] = this.ownWeights || this.offers.size ? 0 : 1; }
}

export interface World {
  start: number;
  year: number;
  params: Params;
  domains: string[];
  domainIndex: Map<string, number>;
  cities: CityState[];
  cityIndex: Map<string, number>;
  orgs: OrgState[];
  /** the organizations' hot state (rows in the order of `orgs`) */
  table: OrgTable;
  /** related domains per domain index (leadership spillover), built on first use */
  related?: number[][];
  orgIndex: Map<string, number>;
  /** the yearly counts per (city, domain), of which the cities' count arrays are views (`countsOf`) */
  counts?: Counts;
}

/**
 * Hosted organizations, offices and staff per (city, domain), row-major (city x domains + domain): one array each, so
 * that the yearly recount writes by index; each city's `hostedByDomain`, `officesByDomain` and `staffByDomain` are
 * views of its row.
 */
export interface Counts { hosted: Int32Array; offices: Int32Array; staff: Float64Array }

/** The world's counts, created (and the cities' arrays made views of them) on first use or when the cities changed. */
export function countsOf(w: World): Counts {
  const nc = w.cities.length, nd = w.domains.length;
  let c = w.counts;
  if (!c || c.hosted.length !== nc * nd || (nc > 0 && w.cities[0].hostedByDomain.buffer !== c.hosted.buffer)) {
    c = w.counts = { hosted: new Int32Array(nc * nd), offices: new Int32Array(nc * nd), staff: new Float64Array(nc * nd) };
    for (let i = 0; i < nc; i++) {
      const city = w.cities[i], row = (a: Int32Array | Float64Array) => a.subarray(i * nd, (i + 1) * nd);
      c.hosted.set(city.hostedByDomain, i * nd); c.offices.set(city.officesByDomain, i * nd); c.staff.set(city.staffByDomain, i * nd);
      city.hostedByDomain = row(c.hosted) as Int32Array; city.officesByDomain = row(c.offices) as Int32Array; city.staffByDomain = row(c.staff) as Float64Array;
    }
  }
  return c;
}

/** Stage-dependent driver weights, blended with the organization's own profile where it has one. */
export const STAGE_NAMES: readonly Stage[] = ['founding', 'growth', 'mature'];

/** 0 founding, 1 growth, 2 mature. */
export function stageIndex(age: number, p: Params): number {
  return age < p.stages.foundingYears ? 0 : age < p.stages.matureAge ? 1 : 2;
}

export function weightsOf(o: OrgState, year: number, p: Params): Weights {
  return weightsAt(o, stageIndex(year - o.def.founded, p), p);
}

export function weightsAt(o: OrgState, si: number, p: Params): Weights {
  if (!o.ownWeights) return stageWeightsOf(p)[si];
  const cache = (o.weightCache ??= [undefined, undefined, undefined]);
  return cache[si] ?? (cache[si] = stageWeights(o, STAGE_NAMES[si], p));
}

/** The stages' own driver weights, one shared (read-only) object per stage and parameter set. */
const sharedStageWeights = new WeakMap<Params, Weights[]>();
function stageWeightsOf(p: Params): Weights[] {
  let ws = sharedStageWeights.get(p);
  if (!ws) {
    ws = STAGE_NAMES.map((s) => normalized(p.stages[s]));
    sharedStageWeights.set(p, ws);
  }
  return ws;
}

/** A stage's relative weights divided by their sum (all equal when they are all 0). */
export function normalized(st: Weights): Weights {
  const s = st.security + st.resources + st.operations + st.values;
  if (!(s > 0)) return { security: 0.25, resources: 0.25, operations: 0.25, values: 0.25 };
  return { security: st.security / s, resources: st.resources / s, operations: st.operations / s, values: st.values / s };
}

/** The driver weights of stage index `si` (normalized), shared by every organization without its own profile. */
export function stageWeightsAt(si: number, p: Params): Weights { return stageWeightsOf(p)[si]; }

function stageWeights(o: OrgState, stage: Stage, p: Params): Weights {
  const st = stageWeightsOf(p)[STAGE_NAMES.indexOf(stage)];
  if (!o.ownWeights) return st;
  const a = p.stages.ownProfileShare;
  const w = o.ownWeights;
  return {
    security: a * w.security + (1 - a) * st.security,
    resources: a * w.resources + (1 - a) * st.resources,
    operations: a * w.operations + (1 - a) * st.operations,
    values: a * w.values + (1 - a) * st.values,
  };
}

export function makeCity(def: CityDef, idx: number, domains: string[], p: Params): CityState {
  const nd = domains.length;
  // Issue leadership starts from the city's stated brand (`leadership`), never from the organizations it hosts:
  // hosting acts only through the cluster pull (background organizations below, modelled ones counted each year).
  const base = new Float64Array(nd);
  for (const [d, v] of Object.entries(def.leadership ?? {})) { const k = domains.indexOf(d); if (k >= 0) base[k] = v; }
  const background = new Float64Array(nd);
  const attr = Object.fromEntries([...CITY_ATTRIBUTES, 'hostedIos'].map((a) => [a, def[a as CityAttribute | 'hostedIos']])) as CityAttrs;
  spreadBackground(background, def, attr.hostedIos, domains);
  return {
    idx, def,
    budgetMusd: def.budgetMusd,
    attr, pinned: new Set(),
    shock: 0, extra: new Float64Array(STOCKS.length),
    leadershipBase: base, leadershipExtra: new Float64Array(nd),
    investPlan: new Float64Array(STOCKS.length), leadershipPlan: new Float64Array(nd), leadershipSpill: new Float64Array(nd), leadershipDomains: null,
    pipes: STOCKS.map((name) => new Float64Array(Math.max(0, p.stocks[name].delay))), pipeHead: new Int32Array(STOCKS.length), pipeLeadership: [],
    allocation: null,
    commitments: [],
    levels: makeTerms(0, 0, 0, 0),
    untargeted: makeTerms(0, 0, 0, 0),
    targets: new Uint8Array(nd).fill(1),
    budgetLeft: 0,
    spend: emptySpend(),
    spendTotal: 0,
    hostedByDomain: new Int32Array(nd), staffByDomain: new Float64Array(nd), hostedTotal: 0,
    officesByDomain: new Int32Array(nd), officesTotal: 0, backgroundByDomain: background,
    payoff: emptyAllocation(),
    spendWindow: emptyAllocation(),
    won: 0, staffYears: 0,
  };
}

export function emptySpend(): CityState['spend'] {
  return { freeOffices: 0, taxExemption: 0, subsidy: 0, grants: 0, security: 0, schools: 0, connectivity: 0, conference: 0, legal: 0, livability: 0,
    workforce: 0, openness: 0, leadership: 0, commitments: 0, oneOff: 0 };
}

/** A year's total spending: `spend`'s fields added in their order (the order of `emptySpend`, which fixes it). */
export function spendSum(s: CityState['spend']): number {
  let t = 0;
  t += s.freeOffices; t += s.taxExemption; t += s.subsidy; t += s.grants; t += s.security; t += s.schools; t += s.connectivity;
  t += s.conference; t += s.legal; t += s.livability; t += s.workforce; t += s.openness; t += s.leadership; t += s.commitments; t += s.oneOff;
  return t;
}

/** Background organizations per domain: the city's background count spread evenly over its focus domains. */
export function spreadBackground(into: Float64Array, def: CityDef, hostedIos: number, domains: readonly string[]): void {
  into.fill(0);
  const focus = def.focusDomains.map((d) => domains.indexOf(d)).filter((k) => k >= 0);
  for (const k of focus) into[k] += hostedIos / focus.length;
}

/**
 * Move a city's baseline attributes to `year` along its dated history (piecewise linear through the dated points;
 * the first value before them, the last after them). Attributes pinned by an event keep their value.
 */
export function applyHistory(c: CityState, year: number, domains: readonly string[]): void {
  const h = c.def.history;
  if (!h) return;
  let hosted = false;
  for (const [a, pts] of Object.entries(h)) {
    if (!pts || !pts.length || c.pinned.has(a)) continue;
    c.attr[a as keyof CityAttrs] = pathAt(pts, year);
    if (a === 'hostedIos') hosted = true;
  }
  if (hosted) spreadBackground(c.backgroundByDomain, c.def, c.attr.hostedIos, domains);
}

/** The value at `year` of a path through (year, value) points sorted by year. */
export function pathAt(pts: readonly (readonly [number, number])[], year: number): number {
  if (year <= pts[0][0]) return pts[0][1];
  for (let i = 1; i < pts.length; i++) {
    const [x1, y1] = pts[i];
    if (year <= x1) { const [x0, y0] = pts[i - 1]; return year === x1 ? y1 : y0 + ((y1 - y0) * (year - x0)) / (x1 - x0); }
  }
  return pts[pts.length - 1][1];
}

/** A new organization in row `table.add()` (which must equal `idx`: rows follow `World.orgs`). */
export function makeOrg(table: OrgTable, def: OrgDef, idx: number, domain: number, seat: number, p: Params): OrgState {
  const i = table.add();
  if (i !== idx) throw new Error(`organization row ${i} does not match index ${idx}`);
  table.seat[i] = seat; table.active[i] = 0; table.founded[i] = def.founded; table.domain[i] = domain;
  table.staff[i] = def.staff;
  table.budgetMusd[i] = def.budgetMusd ?? def.staff * p.org.budgetPerStaffMusd;
  table.localShare[i] = def.localShare ?? p.org.defaultLocalShare;
  table.refUtility[i] = NaN; table.trigger[i] = 0; table.stress[i] = 0; table.committed[i] = 0; table.seeded[i] = 0;
  table.officeCity[i] = -1; table.officeShare[i] = 0; table.noPrivileges[i] = -1; table.leaseOpen[i] = 0;
  table.interimUntil[i] = 0; table.deathDraw[i] = 1;
  table.plain[i] = def.weights ? 0 : 1;
  return new OrgState(table, i, def, def.weights);
}
