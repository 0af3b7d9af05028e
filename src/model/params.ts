/**
 * Every tunable coefficient of the model, with its default, unit, meaning and source.
 * This table is the single source of truth: the scenario schema (`parameters:` block),
 * the resolved parameters written to manifest.json and the parameter table in docs/ODD.md
 * are all generated from it. Model code reads coefficients only from a resolved `Params` object.
 */

export interface ParamSpec {
  default: number;
  unit: string;
  meaning: string;
  source: string;
  min?: number;
  max?: number;
  integer?: boolean;
}

// Sources are cited by their key in docs/references.md.
const S000 = '[Zhou2026]';
const S001 = '[Bonn-Shanghai]';
const S002 = '[Wang-GlobalCities]';
const CAL = 'calibration choice (docs/ODD.md, section 7)';

const p = (d: number, unit: string, meaning: string, source: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  default: d, unit, meaning, source, min: 0, ...extra,
});
const w = (d: number, meaning: string, source = CAL): ParamSpec => p(d, 'weight', meaning, source, { max: 1 });

/** Nested registry; leaves are ParamSpec. Paths such as `choice.temperature` address it. */
export const PARAM_SPECS = {
  choice: {
    temperature: p(0.05, 'utility', 'scale of the stay-versus-move logit (larger: noisier choices)', 'multinomial logit location choice [McFadden1978]; ' + CAL, { min: 1e-4 }),
    nestScale: p(0.03, 'utility', 'scale of the logit among candidate destinations inside the move nest; must not exceed temperature (random-utility consistency)', 'nested logit [McFadden1978]; ' + CAL, { min: 1e-4 }),
    stayBonus: p(0.1, 'utility', 'status-quo advantage of the current seat (inertia beyond measured moving cost)', CAL),
    clusterWeight: p(0.15, 'utility', 'utility per unit of cluster pull: hosting organizations of the same domain attracts more of them', S001 + ' (Bonn environmental cluster); ' + S000),
    clusterScale: p(4, 'organizations', 'same-domain hosted organizations at which cluster pull reaches 63% of its maximum (pull = 1 - exp(-n/scale))', S001 + ' (UNFCCC, UNV, UNCCD then UNEP offices, ICLEI); ' + CAL, { min: 1e-6 }),
    hubScale: p(30, 'organizations', 'hosted organizations of any domain (modelled plus background count) at which the hub component of operations reaches 63%', '[OCSTAT-Geneva] (Geneva ~38 IGOs); [Vienna-IOs] (Vienna ~50); [Bonn-2025] (Bonn 27)', { min: 1e-6 }),
  },
  drivers: {
    security: {
      safety: w(0.75, 'share of the security driver from the security stock (baseline safety plus investment, minus shocks)', S001 + ' (security guarantees, protected UN area)'),
      legal: w(0.25, 'share of the security driver from the legal framework (host-state law, privileges and immunities)', S001 + ' (host-state agreement); [CH-HSA-2007]; [DE-GastStG-2019] (host-state laws)'),
    },
    resources: {
      premises: w(0.4, 'share of the resources driver from premises: 1 - office cost x (1 - free-office share)', S001 + ' (free UN Campus)'),
      subsidy: w(0.25, 'share of the resources driver from operating subsidies', S001 + ' (Bangkok office: USD 400-450k a year)'),
      tax: w(0.15, 'share of the resources driver from staff tax exemption and privileges', S001 + ' (P5+ exemption, refunds)'),
      nationalSupport: w(0.2, 'share of the resources driver from national government support', S001 + ' (federal support for Bonn)'),
    },
    operations: {
      connectivity: w(0.25, 'share of the operations driver from connectivity (air hub)', S001 + ' (transport hub); [StraussKahn-Vives2009]'),
      workforce: w(0.2, 'share of the operations driver from the skilled English-speaking workforce', S001),
      conference: w(0.15, 'share of the operations driver from conference capacity', '[Liu2017]'),
      schools: w(0.15, 'share of the operations driver from the international-school stock', S001 + ' (English-taught schools)'),
      livability: w(0.1, 'share of the operations driver from livability', '[Liu2017]'),
      livingCost: w(0.05, 'share of the operations driver from affordability (1 - living cost)', CAL),
      hub: w(0.1, 'share of the operations driver from the hub effect of all hosted organizations', S002 + ' (IO network connectivity)'),
    },
    values: {
      leadership: w(0.6, "share of the values driver from the city's issue-leadership stock in the organization's domain", S000 + ' (value convergence and issue leadership)'),
      openness: w(0.4, 'share of the values driver from openness / convergence with multilateral values', S000 + '; [SASS-Bluebook2023]'),
    },
    subsidyScaleMusd: p(0.5, 'USD m per organization-year', 'operating subsidy at which the subsidy component reaches 63% (1 - exp(-s/scale))', S001 + ' (USD 0.4-0.45m host subsidy)', { min: 1e-6 }),
  },
  stages: {
    foundingYears: p(5, 'years', 'age below which an organization is in its founding stage', '[Johnson2015] (interim seat 2-6 years)', { integer: true }),
    matureAge: p(25, 'years', 'age from which an organization is mature', S002 + ' (20-30 years staff pipeline); ' + CAL, { integer: true }),
    ownProfileShare: w(0.5, "weight of an organization's own driver profile against its stage profile when both exist"),
    founding: {
      security: w(0.15, 'security weight of founding-stage organizations', S000 + ' (stage-dependent needs)'),
      resources: w(0.45, 'resources weight of founding-stage organizations (money and premises first)', S000 + '; ' + S001),
      operations: w(0.25, 'operations weight of founding-stage organizations', S000),
      values: w(0.15, 'values weight of founding-stage organizations', S000),
    },
    growth: {
      security: w(0.2, 'security weight of growth-stage organizations', S000),
      resources: w(0.3, 'resources weight of growth-stage organizations', S000),
      operations: w(0.3, 'operations weight of growth-stage organizations', S000),
      values: w(0.2, 'values weight of growth-stage organizations', S000),
    },
    mature: {
      security: w(0.25, 'security weight of mature organizations', S000),
      resources: w(0.1, 'resources weight of mature organizations', S000),
      operations: w(0.4, 'operations weight of mature organizations (network and partners)', S000),
      values: w(0.25, 'values weight of mature organizations', S000),
    },
  },
  growth: {
    founding: p(0.15, 'share per year', 'staff growth rate in the founding stage', S001 + ' (UNFCCC: a dozen staff to 500+ in ~25 years)', { min: -1 }),
    growth: p(0.06, 'share per year', 'staff growth rate in the growth stage', S001 + '; ' + CAL, { min: -1 }),
    mature: p(0.01, 'share per year', 'staff growth rate of mature organizations', CAL, { min: -1 }),
  },
  review: {
    baseHazard: p(0, 'per year', 'hazard of a seat review without any cause (0: moves follow shocks, offers or decline)', '[EU-Agency-Seats]; [Johnson2015] (moves are rare and follow shocks)'),
    dissatisfactionHazard: p(3, 'per year per utility unit', 'review hazard per unit of seat-utility loss since the last choice (beyond the tolerance)', CAL),
    tolerance: p(0.02, 'utility', 'seat-utility loss tolerated without raising the review hazard', CAL),
    triggerHazard: p(3, 'per year', 'review hazard added by a trigger (host withdrawal, lease or host-agreement expiry)', '[Johnson2015] (later moves follow a shock)'),
    stressHazard: p(1, 'per year per budget share cut', 'review hazard per share of budget cut this year', CAL),
    courtingHazard: p(4, 'per year per utility unit', 'review hazard per unit by which a standing offer beats the current seat (after moving cost)', S001 + ' (Bonn courting UNDP); calibrated with move.disruption and anchor.ageWeight so that a large offer wins a young body within a few years while general levers seldom move established ones (docs/scenarios.md)'),
  },
  anchor: {
    ageScale: p(20, 'years', 'age scale of anchoring by sunk ties (anchor = ageWeight x (1 - exp(-age/scale)) + localWeight x local share)', S001 + ' (old organizations are anchored)', { min: 1e-6 }),
    ageWeight: w(0.9, 'maximum anchoring from age and sunk ties', S001 + ' (UNDP failure: old bodies are anchored); calibrated so that organizations aged 25+ move ~0.25% a year in a world where every city spends on levers (docs/scenarios.md), [EU-Agency-Seats] (~0.2-0.3% per agency-year)'),
    localWeight: w(0.3, 'anchoring per share of locally hired staff', S001 + ' (UNDP: local staff unwilling to move)'),
    max: w(0.95, 'upper bound of the anchoring factor'),
  },
  move: {
    costPerStaffMusd: p(0.03, 'USD m per staff', 'direct relocation cost per staff member moved', S001 + ' (USD 30k per person); [EMA-Move] (EMA ~EUR 25k)'),
    costWeight: p(1, 'utility per budget-year', 'utility loss per unit of net moving cost over annual budget', CAL),
    localLossWeight: p(0.3, 'utility per share', 'utility loss per share of locally hired staff lost by moving', S001 + ' (UNDP); [EMA-Move] (EMA lost ~24%)'),
    disruption: p(0.075, 'utility', 'utility loss from disruption of any move (also the smallest advantage an outside offer needs before it raises the review hazard)', '[EU-Agency-Seats] (full moves ~0.2-0.3% per agency-year); ' + CAL),
  },
  org: {
    budgetPerStaffMusd: p(0.2, 'USD m per staff-year', 'annual budget assumed per staff member when an organization gives no budget', S001 + ' (Bangkok office figures); ' + CAL, { min: 1e-6 }),
    defaultLocalShare: w(0.3, 'locally hired share assumed when an organization gives none', CAL),
    defaultMemberCount: p(20, 'member states', 'members voting in a contest decided by vote when the contest gives no number', CAL, { min: 1, integer: true }),
  },
  levers: {
    officeCostPerStaffMusd: p(0.02, 'USD m per staff-year', 'office cost per staff member at office_cost = 1 (a free-office share of 1 pays it all)', '[CBRE-Occupancy] (prime rents ~USD 800/m2/yr) x 25 m2 per staff; ' + CAL, { min: 1e-6 }),
    taxCostPerStaffMusd: p(0.015, 'USD m per staff-year', 'revenue forgone per staff member at full tax exemption', S001 + ' (P5+ exemption); ' + CAL, { min: 1e-6 }),
    refStaff: p(50, 'staff', 'staff of the reference prospective organization used to turn cash-lever money into lever levels', CAL, { min: 1 }),
  },
  stocks: {
    schools: {
      delay: p(3, 'years', 'years before money spent on international schools adds capacity', S001 + '; ' + CAL, { integer: true, max: 20 }),
      decay: w(0.03, 'yearly decay of school capacity built above the baseline'),
      gain: w(0.5, 'maximum yearly gain toward full capacity: extra += gain x (1 - base - extra) x (1 - exp(-spend/costScaleMusd)) - decay x extra'),
      costScaleMusd: p(5, 'USD m per year', 'yearly school spending at which the gain reaches 63% of its maximum', CAL, { min: 1e-6 }),
    },
    security: {
      delay: p(1, 'years', 'years before security spending takes effect', CAL, { integer: true, max: 20 }),
      decay: w(0.1, 'yearly decay of security built above the baseline'),
      gain: w(0.5, 'maximum yearly gain toward full security'),
      costScaleMusd: p(10, 'USD m per year', 'yearly security spending at which the gain reaches 63% of its maximum', CAL, { min: 1e-6 }),
      shockRecovery: w(0.2, 'share of a security shock recovered each year', CAL),
    },
    leadership: {
      delay: p(1, 'years', 'years before leadership spending (conferences, initiatives, platforms) takes effect', S000 + '; ' + CAL, { integer: true, max: 20 }),
      decay: w(0.15, 'yearly decay of issue leadership (initiatives are forgotten)'),
      gain: w(0.4, 'maximum yearly gain toward full leadership in a domain'),
      costScaleMusd: p(2, 'USD m per year per domain', 'yearly spending on one domain at which the gain reaches 63% of its maximum', CAL, { min: 1e-6 }),
      focusInitial: w(0.5, "initial leadership of a city in each of its focus domains (the specialized city's brand)", S000 + ' (specialized cities); ' + CAL),
    },
  },
  strategy: {
    rising: {
      cash: w(0.6, 'budget share of rising cities on cash levers (free offices, subsidies, tax)', S000 + ' (rising: policy innovation, resources)'),
      schools: w(0.1, 'budget share of rising cities on schools', S000),
      security: w(0.15, 'budget share of rising cities on security', S000),
      leadership: w(0.15, 'budget share of rising cities on issue leadership', S000),
    },
    specialized: {
      cash: w(0.3, 'budget share of specialized cities on cash levers, aimed at focus domains', S000 + ' (specialized: cluster and brand)'),
      schools: w(0.1, 'budget share of specialized cities on schools', S000),
      security: w(0.1, 'budget share of specialized cities on security', S000),
      leadership: w(0.5, 'budget share of specialized cities on leadership in focus domains', S000),
    },
    node: {
      cash: w(0.2, 'budget share of node cities on cash levers', S000 + ' (node: platforms and networks)'),
      schools: w(0.3, 'budget share of node cities on schools', S000),
      security: w(0.2, 'budget share of node cities on security', S000),
      leadership: w(0.3, 'budget share of node cities on leadership spread over all domains (platforms)', S000),
    },
    cashFreeOffices: w(0.5, 'share of cash-lever money spent on free offices', S001),
    cashSubsidy: w(0.3, 'share of cash-lever money spent on operating subsidies', S001),
    cashTax: w(0.2, 'share of cash-lever money spent on tax exemption', S001),
    adaptEvery: p(5, 'years', 'interval at which adaptive cities revise their allocation', CAL, { min: 1, integer: true }),
    adaptRate: w(0.1, 'share of budget moved per revision from the worst- to the best-paying lever'),
    bidOneOffShare: w(0.2, 'share of annual budget that automatic bids offer as one-off money', CAL),
    bidGrantMusdPerStaff: p(0.03, 'USD m per staff', 'relocation grant that automatic bids offer per staff member', S001 + ' (USD 30k per person)'),
    bidTerm: p(10, 'years', 'term of automatic bids', CAL, { min: 1, integer: true }),
  },
  contest: {
    threshold: p(0.5, 'share of votes', 'share of votes a candidate needs to win a round: at least this share and more than half; a run-off between the last two needs a simple majority', '[Johnson2015]; [EU-Council-2017] (majority or two-thirds)', { max: 1 }),
    voteNoise: p(0.03, 'utility', 'scale of each member\'s Gumbel taste shock per round', CAL, { min: 0 }),
    memberWeightSpread: p(0.1, 'weight', 'standard deviation of member driver weights around the organization\'s', CAL),
    regionAffinity: p(0.05, 'utility', 'utility bonus a member gives candidates in its own region', '[Johnson2015] (regional blocs in seat votes)'),
  },
  foundings: {
    rate: p(0, 'organizations per year', 'expected number of synthetic organizations founded each year (Poisson); 0 = only scenario-defined foundings', CAL),
    meanStaff: p(20, 'staff', 'mean initial staff of a synthetic founding (exponential)', S001 + ' (UNFCCC: a dozen staff)', { min: 1 }),
  },
} as const;

type Leaf = ParamSpec;
type Tree = { readonly [k: string]: Tree | Leaf };
/** Resolved parameter values: the registry's shape with numbers at the leaves. */
export type ParamsOf<T> = { -readonly [K in keyof T]: T[K] extends ParamSpec ? number : ParamsOf<T[K]> };
export type Params = ParamsOf<typeof PARAM_SPECS>;
export type ParamOverrides = { [k: string]: number | ParamOverrides };

export function isSpec(x: unknown): x is ParamSpec {
  return typeof x === 'object' && x !== null && 'default' in x && 'unit' in x;
}

/** All leaves as [dotted path, spec], in declaration order. */
export function paramEntries(tree: Tree = PARAM_SPECS as unknown as Tree, prefix = ''): [string, ParamSpec][] {
  const out: [string, ParamSpec][] = [];
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isSpec(v)) out.push([path, v]);
    else out.push(...paramEntries(v as Tree, path));
  }
  return out;
}

/** Defaults merged with (already validated) overrides. */
export function resolveParams(overrides: ParamOverrides = {}): Params {
  const build = (tree: Tree, ov: ParamOverrides | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tree)) {
      const o = ov?.[k];
      out[k] = isSpec(v) ? (typeof o === 'number' ? o : v.default) : build(v as Tree, o as ParamOverrides | undefined);
    }
    return out;
  };
  return build(PARAM_SPECS as unknown as Tree, overrides) as Params;
}

/** Groups of weights that must each sum to 1 (checked at validation). */
export const WEIGHT_GROUPS: string[][] = [
  ['drivers.security.safety', 'drivers.security.legal'],
  ['drivers.resources.premises', 'drivers.resources.subsidy', 'drivers.resources.tax', 'drivers.resources.nationalSupport'],
  ['drivers.operations.connectivity', 'drivers.operations.workforce', 'drivers.operations.conference', 'drivers.operations.schools',
    'drivers.operations.livability', 'drivers.operations.livingCost', 'drivers.operations.hub'],
  ['drivers.values.leadership', 'drivers.values.openness'],
  ...(['founding', 'growth', 'mature'] as const).map((s) => ['security', 'resources', 'operations', 'values'].map((d) => `stages.${s}.${d}`)),
  ...(['rising', 'specialized', 'node'] as const).map((s) => ['cash', 'schools', 'security', 'leadership'].map((d) => `strategy.${s}.${d}`)),
  ['strategy.cashFreeOffices', 'strategy.cashSubsidy', 'strategy.cashTax'],
];

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[k];
  return cur;
}
