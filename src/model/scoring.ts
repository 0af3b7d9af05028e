/**
 * The four drivers, the money an offer is worth, and the utility of a city for an organization, term by term.
 *
 * One utility everywhere (the review screen, the review choice, contests and votes):
 *
 *   U(o, c) = base(c) + offer(o, c) - moveCost(o, c) + stayBonus [seat]
 *   base(c) = w_sec S_sec + w_res R0 + w_ops S_ops + w_val S_val + theta * pull
 *   offer   = w_res * b_offer * m(x),  x = annual-equivalent money / the organization's budget,  m(x) = x / (x + h)
 *
 * `base` depends on the city, the organization's weights and its domain only, so it is tabulated per (stage,
 * domain) for organizations that use their stage's weights; `offer` and `moveCost` depend on the organization's
 * size and are computed per organization, always by the same functions, so that every path gives the same bits.
 */
import type { Params } from './params.ts';
import { stockBase, STOCKS } from './stocks.ts';
import { NO_TERMS, makeTerms, type CityState, type OrgState, type Terms, type World } from './world.ts';
import type { Weights } from '../scenario/schema.ts';

export interface CityTable {
  /** per city: security score with and without the legal framework (an organization whose privileges were withdrawn) */
  security: Float64Array;
  securityNoLegal: Float64Array;
  /** duty-of-care penalty (utility) of a city whose effective safety is below the threshold */
  dutyOfCare: Float64Array;
  operations: Float64Array;
  /** resources without any offer: office affordability and national support */
  resourcesBase: Float64Array;
  /** general cash levers for targeted domains: yearly money per staff member (free offices, tax; `perStaffMoney`) and per organization (subsidy); grant per staff */
  perStaff: Float64Array;
  fixed: Float64Array;
  grant: Float64Array;
  /** per city x domain (row-major, city * nDomains + domain): 1 if the city's cash levers apply to the domain (its `targets`) */
  targeted: Uint8Array;
  /** per city x domain (row-major, city * nDomains + domain) */
  values: Float64Array;
  /** effective same-domain count (headquarters + office weight x offices + background) */
  clusterCount: Float64Array;
  /** cluster pull of the count, and of the count less one (an organization does not pull itself) */
  pull: Float64Array;
  pullSelf: Float64Array;
  /** the cluster scale the pulls were computed with (a count and scale unchanged since leave both pulls as they are) */
  pullScale: number;
  nDomains: number;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Effective safety: the baseline under the current shock, plus security built by investment. */
export function safetyOf(c: CityState): number {
  return clamp01(c.attr.safety * (1 - c.shock) + c.extra[S_SECURITY]);
}

/** Effective value of the attribute a stock builds on: this year's baseline plus the stock (clamped to [0, 1]). */
export function effective(c: CityState, s: number): number {
  return s === S_SECURITY ? safetyOf(c) : clamp01(stockBase(c.attr, s) + c.extra[s]);
}
const [S_SECURITY, S_SCHOOLS, S_CONNECTIVITY, S_CONFERENCE, S_LEGAL, S_LIVABILITY, S_WORKFORCE, S_OPENNESS] = STOCKS.map((_, i) => i);

export function securityScore(c: CityState, p: Params, legal = true): number {
  const d = p.drivers.security;
  return d.safety * safetyOf(c) + (legal ? d.legal * effective(c, S_LEGAL) : 0);
}

/**
 * Duty of care: below a threshold of effective safety an organization cannot keep its staff in a city (security
 * phases, evacuations), whatever its driver weights: a utility penalty proportional to the shortfall.
 */
export function dutyOfCarePenalty(c: CityState, p: Params): number {
  return p.choice.dutyOfCarePenalty * Math.max(0, p.choice.dutyOfCareThreshold - safetyOf(c));
}

export function hubCount(c: CityState, p: Params): number {
  return c.hostedTotal + p.choice.officeWeight * c.officesTotal + c.attr.hostedIos;
}

export function operationsScore(c: CityState, p: Params): number {
  const d = p.drivers.operations;
  const hub = 1 - Math.exp(-hubCount(c, p) / p.choice.hubScale);
  return d.connectivity * effective(c, S_CONNECTIVITY) + d.workforce * effective(c, S_WORKFORCE) + d.conference * effective(c, S_CONFERENCE)
    + d.schools * effective(c, S_SCHOOLS) + d.livability * effective(c, S_LIVABILITY) + d.livingCost * (1 - c.attr.livingCost) + d.hub * hub;
}

export function leadershipOf(c: CityState, k: number): number {
  return clamp01(c.leadershipBase[k] + c.leadershipExtra[k]);
}

export function valuesScore(c: CityState, k: number, p: Params): number {
  const d = p.drivers.values;
  return d.leadership * leadershipOf(c, k) + d.openness * effective(c, S_OPENNESS);
}

/** Resources without offers: office affordability and national support (the offer's money is added by `offerValue`). */
export function resourcesBase(c: CityState, p: Params): number {
  const d = p.drivers.resources;
  return d.officeCost * (1 - c.attr.officeCost) + d.nationalSupport * c.attr.nationalSupport;
}

export function clusterPull(n: number, p: Params): number {
  return n > 0 ? 1 - Math.exp(-n / p.choice.clusterScale) : 0;
}

/** Same-domain count of city c for domain k: headquarters, offices (weighted) and background organizations. */
export function clusterCount(c: CityState, k: number, p: Params): number {
  return c.hostedByDomain[k] + p.choice.officeWeight * c.officesByDomain[k] + c.backgroundByDomain[k];
}

// ---------------------------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------------------------

/** Present value of 1 a year for `n` years at rate `r`. */
export function annuity(n: number, r: number): number {
  return r > 0 ? (1 - Math.pow(1 + r, -n)) / r : n;
}

/** Weight of a yearly stream lasting `years` (0: open-ended, valued over the horizon) relative to the horizon. */
export function streamFactor(years: number, p: Params): number {
  if (years <= 0) return 1;
  const r = p.money.discountRate, h = p.money.horizonYears;
  return annuity(years, r) / annuity(h, r);
}

/** Yearly money per staff member of a free-office share f and a tax-exemption level x in city c (USD m). */
export function perStaffMoney(f: number, x: number, c: CityState, p: Params): number {
  return f * (p.levers.officeCostPerStaffMusd * c.attr.officeCost) + x * p.levers.taxCostPerStaffMusd;
}

/** m(x) = x / (x + h): the value of money worth a share x of the organization's budget a year; 0 for none. */
export function moneyValue(x: number, p: Params): number {
  return x > 0 ? x / (x + p.money.halfValueShare) : 0;
}

/**
 * Annual-equivalent money (USD m a year over the planning horizon) an organization of `staff` gets in city c:
 * the general levers (if its domain is targeted) and any specific terms (a commitment, a bid, a standing offer),
 * each yearly component taking its best source valued at present value over that source's term, plus one-off
 * money spread over the horizon by its annuity factor.
 */
export function annualMoney(c: CityState, staff: number, general: Terms, specific: readonly Terms[] | null, p: Params): number {
  let f = general.freeOffices, s = general.subsidyMusd, x = general.taxExemption, once = 0;
  if (specific) for (const t of specific) {
    const k = streamFactor(t.years, p);
    if (t.freeOffices * k > f) f = t.freeOffices * k;
    if (t.subsidyMusd * k > s) s = t.subsidyMusd * k;
    if (t.taxExemption * k > x) x = t.taxExemption * k;
    once += t.oneOffMusd;
  }
  let a = perStaffMoney(f, x, c, p) * staff + s;
  if (once > 0) a += once / annuity(p.money.horizonYears, p.money.discountRate);
  return a;
}

/** The offer term of the utility (before the resources weight): b_offer x m(money / budget). */
export function offerScore(annualMusd: number, budgetMusd: number, p: Params): number {
  return p.drivers.resources.offer * moneyValue(annualMusd / Math.max(budgetMusd, 1e-9), p);
}

// ---------------------------------------------------------------------------------------------------------------
// Moving cost
// ---------------------------------------------------------------------------------------------------------------

/** Share of staff who leave rather than follow a whole move. */
export function leaveShare(localShare: number, p: Params): number {
  return localShare * p.move.localLeave + (1 - localShare) * p.move.expatLeave;
}

/**
 * Utility lost by moving the whole organization to a city paying `grant` per staff member: relocation of the
 * staff who follow (net of the grant), replacement of those who leave, and disruption, all relative to the
 * organization's budget (budget-years), times `move.costWeight`. `alreadyThere` is the share of staff already in
 * the destination (an office there): they neither move nor leave.
 */
export function moveCostOf(staff: number, budgetMusd: number, localShare: number, grant: number, p: Params, alreadyThere = 0): number {
  const m = p.move;
  const n = staff * (1 - alreadyThere);
  const leavers = n * leaveShare(localShare, p);
  const relocation = Math.max(0, (n - leavers) * (m.costPerStaffMusd - grant));
  const money = relocation + leavers * m.replacementCostMusd + m.disruptionYears * budgetMusd * (1 - alreadyThere);
  return m.costWeight * money / Math.max(budgetMusd, 1e-9);
}

/**
 * `base + wr * offerScore(perStaff * staff + subsidy, budget) - moveCostOf(staff, budget, localShare, grant)` for one
 * organization against many cities (the hot loop of the yearly screen): what depends only on the organization (who
 * follows and who leaves, their replacement, the disruption, the budget) is computed once by `set`, and `utility`
 * does the remaining operations in the order `offerScore` and `moveCostOf` do them, so the numbers are the same to
 * the bit (test/model/fastpaths.test.ts). A whole move with no staff already in the destination.
 */
export class OrgMove {
  private p!: Params;
  private budget = 0;
  private localShare = 0;
  private staff = 0;
  private den = 1;
  private followers = 0;
  private fixedCost = 0;
  private disruption = 0;
  private costPerStaff = 0;
  private costWeight = 0;
  private offerWeight = 0;
  private halfValue = 0;

  set(staff: number, budgetMusd: number, localShare: number, p: Params): this {
    const m = p.move;
    const n = staff * (1 - 0);
    const leavers = n * leaveShare(localShare, p);
    this.p = p; this.budget = budgetMusd; this.localShare = localShare;
    this.staff = staff;
    this.den = Math.max(budgetMusd, 1e-9);
    this.followers = n - leavers;
    this.fixedCost = leavers * m.replacementCostMusd;
    this.disruption = m.disruptionYears * budgetMusd * (1 - 0);
    this.costPerStaff = m.costPerStaffMusd;
    this.costWeight = m.costWeight;
    this.offerWeight = p.drivers.resources.offer;
    this.halfValue = p.money.halfValueShare;
    return this;
  }

  utility(base: number, wr: number, perStaff: number, subsidy: number, grant: number): number {
    const x = (perStaff * this.staff + subsidy) / this.den;
    const offer = this.offerWeight * (x > 0 ? x / (x + this.halfValue) : 0);
    const relocation = Math.max(0, this.followers * (this.costPerStaff - grant));
    return base + wr * offer - this.costWeight * (relocation + this.fixedCost + this.disruption) / this.den;
  }

  /** The same with a share `there` of the staff already in the destination (an office): `offerScore` and `moveCostOf` as they are. */
  utilityThere(base: number, wr: number, perStaff: number, subsidy: number, grant: number, there: number): number {
    return base + wr * offerScore(perStaff * this.staff + subsidy, this.budget, this.p) - moveCostOf(this.staff, this.budget, this.localShare, grant, this.p, there);
  }
}

export function moveCost(o: OrgState, ci: number, grant: number, p: Params): number {
  return moveCostOf(o.staff, o.budgetMusd, o.localShare, grant, p, o.officeCity === ci ? o.officeShare : 0);
}

// ---------------------------------------------------------------------------------------------------------------
// The city table
// ---------------------------------------------------------------------------------------------------------------

/**
 * The city-side components of this moment. With `into` (a table of the same world), its arrays are
 * overwritten and returned instead of allocating new ones: the engine rebuilds the table every year.
 */
export function buildCityTable(w: World, into?: CityTable): CityTable {
  const nc = w.cities.length, nd = w.domains.length, p = w.params;
  const t: CityTable = into && into.nDomains === nd && into.security.length === nc ? into : {
    security: new Float64Array(nc), securityNoLegal: new Float64Array(nc), dutyOfCare: new Float64Array(nc), operations: new Float64Array(nc), resourcesBase: new Float64Array(nc),
    perStaff: new Float64Array(nc), fixed: new Float64Array(nc), grant: new Float64Array(nc), targeted: new Uint8Array(nc * nd),
    values: new Float64Array(nc * nd), clusterCount: new Float64Array(nc * nd), nDomains: nd,
    pull: new Float64Array(nc * nd), pullSelf: new Float64Array(nc * nd), pullScale: NaN,
  };
  for (const c of w.cities) {
    t.security[c.idx] = securityScore(c, p);
    t.securityNoLegal[c.idx] = securityScore(c, p, false);
    t.dutyOfCare[c.idx] = dutyOfCarePenalty(c, p);
    t.resourcesBase[c.idx] = resourcesBase(c, p);
    const l = c.levels;
    t.perStaff[c.idx] = perStaffMoney(l.freeOffices, l.taxExemption, c, p);
    t.fixed[c.idx] = l.subsidyMusd;
    t.grant[c.idx] = l.grantMusdPerStaff;
    // valuesScore(c, k, p) per domain, with its openness term computed once per city (the same sum)
    const open = p.drivers.values.openness * effective(c, S_OPENNESS), lead = p.drivers.values.leadership;
    for (let k = 0; k < nd; k++) { t.values[c.idx * nd + k] = lead * leadershipOf(c, k) + open; t.targeted[c.idx * nd + k] = c.targets[k]; }
  }
  refreshCounts(w, t);
  return t;
}

/**
 * Bring a table up to date after organizations moved, were founded or opened offices: only the parts that depend
 * on the hosted counts change (the hub effect in operations, the cluster counts and pulls).
 */
export function refreshCounts(w: World, t: CityTable): void {
  const nd = t.nDomains, p = w.params;
  // A count that has not changed keeps its pulls (the same inputs give the same numbers); a fresh table's zero counts
  // have zero pulls, as clusterPull gives them. A different cluster scale recomputes everything.
  const same = t.pullScale === p.choice.clusterScale;
  t.pullScale = p.choice.clusterScale;
  for (const c of w.cities) {
    t.operations[c.idx] = operationsScore(c, p);
    for (let k = 0; k < nd; k++) {
      const i = c.idx * nd + k;
      const n = clusterCount(c, k, p);
      if (same && n === t.clusterCount[i]) continue;
      t.clusterCount[i] = n;
      t.pull[i] = clusterPull(n, p);
      t.pullSelf[i] = clusterPull(n - 1, p);
    }
  }
}

/**
 * Driver weights times the city's scores without money, plus the cluster pull: `base` of the file comment. One
 * expression for every path (seat, review, contest), so that their numbers agree to the last bit. `self`: the
 * organization is seated here (its own headquarters does not pull it); `legal`: it has privileges here.
 */
export function baseUtility(wt: Weights, t: CityTable, ci: number, k: number, p: Params, self: boolean, legal = true): number {
  return baseFrom(basePrefix(wt, t, ci, legal), wt, t, ci, k, p, self, legal);
}

/**
 * The first three terms of `baseUtility` (security, resources, operations), which do not depend on the domain: a
 * yearly pass over every (stage, domain) computes them once per stage and city.
 */
export function basePrefix(wt: Weights, t: CityTable, ci: number, legal = true): number {
  return wt.security * (legal ? t.security[ci] : t.securityNoLegal[ci]) + wt.resources * t.resourcesBase[ci] + wt.operations * t.operations[ci];
}

/** `baseUtility` from its `basePrefix`: the remaining terms added in the same order, so the same number to the bit. */
export function baseFrom(prefix: number, wt: Weights, t: CityTable, ci: number, k: number, p: Params, self: boolean, legal = true): number {
  const i = ci * t.nDomains + k;
  return prefix + wt.values * t.values[i] + p.choice.clusterWeight * (self ? t.pullSelf[i] : t.pull[i]) - t.dutyOfCare[ci] - (legal ? 0 : p.choice.noPrivilegesPenalty);
}

// ---------------------------------------------------------------------------------------------------------------
// Terms and evaluations
// ---------------------------------------------------------------------------------------------------------------

/** The general terms of city c for an organization of domain k (only the grant if k is not targeted). */
export function generalTerms(c: CityState, k: number): Terms {
  return c.targets[k] ? c.levels : c.untargeted;
}

/**
 * The specific terms an organization has or is offered in city c: its commitment with c (remaining years) and an
 * extra offer. Null when there are none. Privileges withdrawn by c remove the tax exemption there.
 */
export function specificTerms(c: CityState, o: OrgState, year: number, extra?: Terms | null): Terms[] | null {
  const cm = o.commitment;
  if (!extra && !(cm && cm.city === c.idx)) return null;
  const list: Terms[] = [];
  if (cm && cm.city === c.idx) list.push(makeTerms(cm.terms.freeOffices, cm.terms.subsidyMusd, cm.terms.taxExemption, 0, 0, Math.max(1, cm.until - year + 1)));
  if (extra) list.push(extra);
  return list.length ? list : null;
}

/** The relocation grant per staff member an organization would get in c: the best of the general grant and its terms. */
export function grantIn(c: CityState, k: number, specific: readonly Terms[] | null): number {
  let g = generalTerms(c, k).grantMusdPerStaff;
  if (specific) for (const t of specific) if (t.grantMusdPerStaff > g) g = t.grantMusdPerStaff;
  return g;
}

/** The terms of an offer, as valued and granted (years = its term). */
export function offerTerms(o: { freeOffices?: number; subsidyMusd?: number; taxExemption?: number; relocationGrantMusdPerStaff?: number; oneOffMusd?: number; term?: number }): Terms {
  return makeTerms(o.freeOffices ?? 0, o.subsidyMusd ?? 0, o.taxExemption ?? 0, o.relocationGrantMusdPerStaff ?? 0, o.oneOffMusd ?? 0, o.term ?? 1);
}

export type Role = 'seat' | 'move' | 'found';

/** The terms of a utility, in utility units; they add up to `utility`. */
export interface UtilityTerms {
  security: number;
  resources: number;
  offer: number;
  operations: number;
  values: number;
  cluster: number;
  moveCost: number;
  stayBonus: number;
  balance: number;
  /** the fixed cost of splitting off a unit (unit alternatives only) */
  officeSetup: number;
  /** penalty of a city too unsafe for the organization's duty of care, and of a host that withdrew its privileges */
  dutyOfCare: number;
  noPrivileges: number;
}
export const TERM_NAMES = ['security', 'resources', 'offer', 'operations', 'values', 'cluster', 'moveCost', 'stayBonus', 'balance', 'officeSetup', 'dutyOfCare', 'noPrivileges'] as const;
export type TermName = (typeof TERM_NAMES)[number];

export interface Evaluation {
  city: number;
  role: Role;
  /** driver scores in [0, 1] (resources including the offer) and the money value m(x) in [0, 1] */
  security: number;
  resources: number;
  operations: number;
  values: number;
  money: number;
  /** cluster pull in [0, 1] */
  cluster: number;
  /** annual-equivalent money offered, USD m a year */
  moneyMusd: number;
  terms: UtilityTerms;
  utility: number;
}

/**
 * Full term-by-term evaluation of city c for organization o with weights `wt`. `specific`: the organization's
 * commitment or offer terms in c (see specificTerms). The utility is computed as base + offer - moveCost +
 * stayBonus with the same functions every other path uses.
 */
export function evaluate(w: World, t: CityTable, o: OrgState, c: CityState, wt: Weights, role: Role, specific: readonly Terms[] | null, stayBonus = w.params.choice.stayBonus): Evaluation {
  const p = w.params;
  const k = o.domain;
  const i = c.idx * t.nDomains + k;
  const legal = o.noPrivileges !== c.idx;
  const spec = legal ? specific : noTax(specific);
  const general = legal ? generalTerms(c, k) : noTaxTerms(generalTerms(c, k));
  const moneyMusd = annualMoney(c, o.staff, general, spec, p);
  const offer = offerScore(moneyMusd, o.budgetMusd, p);
  const self = role === 'seat';
  const base = baseUtility(wt, t, c.idx, k, p, self, legal);
  const mc = role === 'move' ? moveCost(o, c.idx, grantIn(c, k, spec), p) : 0;
  const stay = role === 'seat' ? stayBonus : 0;
  const utility = base + wt.resources * offer - mc + stay;
  const security = legal ? t.security[c.idx] : t.securityNoLegal[c.idx];
  const cluster = self ? t.pullSelf[i] : t.pull[i];
  return {
    city: c.idx, role, security, resources: t.resourcesBase[c.idx] + offer, operations: t.operations[c.idx], values: t.values[i],
    money: offer / p.drivers.resources.offer || 0, cluster, moneyMusd,
    terms: {
      security: wt.security * security, resources: wt.resources * t.resourcesBase[c.idx], offer: wt.resources * offer,
      operations: wt.operations * t.operations[c.idx], values: wt.values * t.values[i], cluster: p.choice.clusterWeight * cluster,
      moveCost: -mc, stayBonus: stay, balance: 0, officeSetup: 0, dutyOfCare: -t.dutyOfCare[c.idx], noPrivileges: legal ? 0 : -p.choice.noPrivilegesPenalty,
    },
    utility,
  };
}

const noTaxTerms = (x: Terms): Terms => (x.taxExemption ? makeTerms(x.freeOffices, x.subsidyMusd, 0, x.grantMusdPerStaff, x.oneOffMusd, x.years) : x);
const noTax = (s: readonly Terms[] | null): readonly Terms[] | null => (s ? s.map(noTaxTerms) : s);

/** The stay bonus the organization's seat carries this year (none when its lease or host agreement expires). */
export function stayBonusOf(w: World, oi: number): number {
  return w.table.leaseOpen[oi] ? 0 : w.params.choice.stayBonus;
}

/**
 * The seat's utility without the stay bonus: the hot path of the yearly hazard for organizations that use their
 * stage's weights, enjoy only their seat's general terms and keep their privileges there. Same arithmetic as
 * `evaluate` (so the numbers are identical), from the organization table's numbers.
 */
export function plainSeatUtility(t: CityTable, ci: number, wt: Weights, k: number, staff: number, budgetMusd: number, p: Params, base = baseUtility(wt, t, ci, k, p, true)): number {
  // annualMoney of the general terms, from the table (same arithmetic: perStaffMoney x staff + subsidy)
  const money = t.targeted[ci * t.nDomains + k] ? t.perStaff[ci] * staff + t.fixed[ci] : 0 * staff + 0;
  return base + wt.resources * offerScore(money, budgetMusd, p);
}

export { NO_TERMS };

/**
 * Utility of moving whole to city c for an organization with weights `wt` and no commitment, offer or withdrawn
 * privileges there (`there`: the share of its staff already in c, in an office): `evaluate(..., 'move', null).utility`
 * as a number (same arithmetic).
 */
export function plainMoveUtility(t: CityTable, c: CityState, wt: Weights, k: number, staff: number, budgetMusd: number, localShare: number, p: Params, there = 0): number {
  const g = generalTerms(c, k);
  const money = annualMoney(c, staff, g, null, p);
  return baseUtility(wt, t, c.idx, k, p, false) + wt.resources * offerScore(money, budgetMusd, p) - moveCostOf(staff, budgetMusd, localShare, g.grantMusdPerStaff, p, there);
}
