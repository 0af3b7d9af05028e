/** World state: cities and organizations as mutable records, built from a validated scenario. Pure. */
import type { CityDef, OrgDef, Offer, Weights } from '../scenario/schema.ts';
import type { Params } from './params.ts';

export type Stage = 'founding' | 'growth' | 'mature';
export const DRIVERS = ['security', 'resources', 'operations', 'values'] as const;
export type Driver = (typeof DRIVERS)[number];
export const LEVERS = ['freeOffices', 'taxExemption', 'subsidy', 'grants', 'schools', 'security', 'leadership'] as const;
export type Lever = (typeof LEVERS)[number];

/** Yearly terms an organization enjoys in a city: the general levers, a commitment, or an offer. */
export interface Terms { freeOffices: number; subsidyMusd: number; taxExemption: number; grantMusdPerStaff: number }
export const NO_TERMS: Terms = { freeOffices: 0, subsidyMusd: 0, taxExemption: 0, grantMusdPerStaff: 0 };

export interface Commitment { org: number; city: number; until: number; terms: Terms; source: string }

export interface Allocation { cash: number; schools: number; security: number; leadership: number }

export interface CityState {
  idx: number;
  def: CityDef;
  budgetMusd: number;
  nationalSupport: number;
  shock: number;
  securityExtra: number;
  schoolsExtra: number;
  /** Issue-leadership base and built stock, per domain index. */
  leadershipBase: Float64Array;
  leadershipExtra: Float64Array;
  /** Investments waiting for their delay: index 0 takes effect next. */
  pipeSchools: number[];
  pipeSecurity: number[];
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
  /** Scratch: this year's leadership investment per domain, and the domains a strategy spreads it over. */
  leadershipPlan: Float64Array;
  leadershipDomains: number[] | null;
  /** Adaptive rule: payoff (utility delivered to arrivals) and spending per lever group since the last revision. */
  payoff: Allocation;
  spendWindow: Allocation;
  // run totals
  won: number;
  staffYears: number;
}

export interface OrgState {
  idx: number;
  def: OrgDef;
  /** founding year (copied from def: read on the hot path every year) */
  founded: number;
  domain: number;
  seat: number; // city index, -1 before founding
  active: boolean;
  staff: number;
  budgetMusd: number;
  localShare: number;
  ownWeights: Weights | undefined;
  /** Seat utility when the seat was last chosen or reviewed (reference for dissatisfaction). */
  refUtility: number;
  trigger: number;
  stress: number;
  /** Standing offers made to this organization: city index -> offer. */
  offers: Map<number, Offer>;
  /** the organization's own stream: a fixed block of draws per active year (review, choice x2, veto) */
  draws?: () => number;
  /** the yearly agreement with its seat city from a contest (at most one) */
  commitment: Commitment | null;
  /** driver weights per stage index (they depend only on the stage and the own profile) */
  weightCache: (Weights | undefined)[];
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
  orgIndex: Map<string, number>;
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
  return o.weightCache[si] ?? (o.weightCache[si] = stageWeights(o, STAGE_NAMES[si], p));
}

function stageWeights(o: OrgState, stage: Stage, p: Params): Weights {
  const st = p.stages[stage];
  if (!o.ownWeights) return { security: st.security, resources: st.resources, operations: st.operations, values: st.values };
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
  const base = new Float64Array(nd);
  for (const d of def.focusDomains) { const k = domains.indexOf(d); if (k >= 0) base[k] = p.stocks.leadership.focusInitial; }
  return {
    idx, def,
    budgetMusd: def.budgetMusd,
    nationalSupport: def.nationalSupport,
    shock: 0, securityExtra: 0, schoolsExtra: 0,
    leadershipBase: base, leadershipExtra: new Float64Array(nd),
    leadershipPlan: new Float64Array(nd), leadershipDomains: null,
    pipeSchools: [], pipeSecurity: [], pipeLeadership: [],
    allocation: null,
    commitments: [],
    levels: { ...NO_TERMS },
    untargeted: { ...NO_TERMS },
    targets: new Uint8Array(nd).fill(1),
    budgetLeft: 0,
    spend: emptySpend(),
    spendTotal: 0,
    hostedByDomain: new Int32Array(nd), staffByDomain: new Float64Array(nd), hostedTotal: 0,
    payoff: { cash: 0, schools: 0, security: 0, leadership: 0 },
    spendWindow: { cash: 0, schools: 0, security: 0, leadership: 0 },
    won: 0, staffYears: 0,
  };
}

export function emptySpend(): CityState['spend'] {
  return { freeOffices: 0, taxExemption: 0, subsidy: 0, grants: 0, schools: 0, security: 0, leadership: 0, commitments: 0, oneOff: 0 };
}

export function makeOrg(def: OrgDef, idx: number, domain: number, seat: number, p: Params): OrgState {
  return {
    idx, def, founded: def.founded, domain, seat,
    active: false,
    staff: def.staff,
    budgetMusd: def.budgetMusd ?? def.staff * p.org.budgetPerStaffMusd,
    localShare: def.localShare ?? p.org.defaultLocalShare,
    ownWeights: def.weights,
    refUtility: NaN,
    trigger: 0, stress: 0,
    offers: new Map(),

    draws: undefined,
    commitment: null,
    weightCache: [undefined, undefined, undefined],
  };
}
