/**
 * Every tunable coefficient of the model, with its default, unit, meaning and source.
 * This table is the single source of truth: the scenario schema (`parameters:` block),
 * the resolved parameters written to manifest.json and the parameter table in docs/ODD.md
 * are all generated from it. Model code reads coefficients only from a resolved `Params` object.
 */

export interface ParamSpec {
  default: number;
  /** an estimated coefficient's source-based value: its prior in the calibration (src/model/estimates.ts) */
  prior?: number;
  unit: string;
  meaning: string;
  source: string;
  min?: number;
  max?: number;
  integer?: boolean;
}

import { ESTIMATES } from './estimates.ts';

// Sources are cited by their key in docs/references.md.
const S000 = '[Zhou2026]';
const S001 = '[Bonn-Shanghai]';
const S002 = '[Wang-GlobalCities]';
const CAL = 'calibration choice (docs/ODD.md, section 7)';

const p = (d: number, unit: string, meaning: string, source: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  default: d, unit, meaning, source, min: 0, ...extra,
});
const w = (d: number, meaning: string, source = CAL): ParamSpec => p(d, 'weight', meaning, source, { max: 1 });
/** Budget shares of a city type over the strategy groups (cash levers, each stock, issue leadership). */
function share(d: Record<string, number>, who: string, source: string): Record<string, ParamSpec> {
  const what: Record<string, string> = { cash: 'cash levers (free offices, subsidies, tax exemption)', security: 'security', schools: 'international schools',
    connectivity: 'connectivity (air links)', conference: 'conference capacity', legal: 'host-state law and one-stop services', livability: 'livability',
    workforce: 'a skilled multilingual workforce', openness: 'openness (city networks, exchange)', leadership: 'issue leadership' };
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, w(v, `budget share of ${who} on ${what[k]}`, source)]));
}

/** A stage's driver weight: relative (the four of a stage are divided by their sum), so one can be swept alone. */
const rw = (d: number, meaning: string, source = CAL): ParamSpec => p(d, 'relative weight', meaning + ' (relative: a stage\'s four weights are divided by their sum)', source);

/** Nested registry; leaves are ParamSpec. Paths such as `choice.temperature` address it. */
export const PARAM_SPECS = {
  choice: {
    temperature: p(0.05, 'utility', 'scale of the stay-versus-move logit (larger: noisier choices)', 'multinomial logit location choice [McFadden1978]; ' + CAL, { min: 1e-4 }),
    nestScale: p(0.03, 'utility', 'scale of the logit among candidate destinations inside the move nest; must not exceed temperature (random-utility consistency)', 'nested logit [McFadden1978]; ' + CAL, { min: 1e-4 }),
    stayBonus: p(0.1, 'utility', 'status-quo advantage of the current seat (inertia beyond measured moving cost); not granted in a year its lease or host agreement expires', CAL),
    considerationSize: p(5, 'cities', 'cities a reviewing organization considers besides its seat and the cities that court it: the best this many by utility (a bounded consideration set, so that adding cities nobody would choose does not make moving likelier)', 'consideration sets in random-utility choice [Manski1977]; WADA shortlisted 6 of 10 bids in 2001 (seeds/contests.yaml); ' + CAL, { min: 1, max: 50, integer: true }),
    clusterWeight: p(0.15, 'utility', 'utility per unit of cluster pull: hosting organizations of the same domain attracts more of them', S001 + ' (Bonn environmental cluster); ' + S000),
    clusterScale: p(4, 'organizations', 'same-domain hosted organizations at which cluster pull reaches 63% of its maximum (pull = 1 - exp(-n/scale))', S001 + ' (UNFCCC, UNV, UNCCD then UNEP offices, ICLEI); ' + CAL, { min: 1e-6 }),
    dutyOfCareThreshold: w(0.4, 'effective safety (baseline under shocks, plus security built) below which an organization cannot keep its staff in a city (duty of care: security phases, evacuations)', '[UNSMS] (security levels; relocation and evacuation of personnel); ' + CAL),
    dutyOfCarePenalty: p(1, 'utility per unit of safety', 'utility a city loses per unit of effective safety below the duty-of-care threshold', CAL),
    noPrivilegesPenalty: p(0.2, 'utility', 'utility an organization loses at a city whose host state withdrew its privileges and immunities, beyond the lost legal protection and tax exemption (staff exposed to taxation and jurisdiction, no inviolability)', '[CH-HSA-2007] (host-state law granting privileges and immunities); ' + CAL),
    officeWeight: w(0.5, 'weight of an office or outposted unit, relative to a headquarters, in the cluster and hub counts of the city hosting it', CAL),
    hubScale: p(30, 'organizations', 'hosted organizations of any domain (modelled plus background count) at which the hub component of operations reaches 63%', '[OCSTAT-Geneva] (Geneva ~38 IGOs); [Vienna-IOs] (Vienna ~50); [Bonn-2025] (Bonn 27)', { min: 1e-6 }),
  },
  drivers: {
    security: {
      safety: w(0.75, 'share of the security driver from the security stock (baseline safety plus investment, minus shocks)', S001 + ' (security guarantees, protected UN area)'),
      legal: w(0.25, 'share of the security driver from the legal framework (host-state law, privileges and immunities)', S001 + ' (host-state agreement); [CH-HSA-2007]; [DE-GastStG-2019] (host-state laws)'),
    },
    resources: {
      officeCost: w(0.25, 'share of the resources driver from the affordability of offices without help (1 - office cost)', S001 + ' (free UN Campus); ' + CAL),
      offer: w(0.5, "share of the resources driver from the money a city offers (free offices, operating subsidy, tax exemption, one-off money), valued relative to the organization's budget (section 7.2)", S001 + ' (Bangkok office: USD 400-450k a year); [ENB-1997] (UNCCD: USD 1-1.3m a year); [TheNational-2009] (IRENA: USD 136m over 6 years)'),
      nationalSupport: w(0.25, 'share of the resources driver from national government support', S001 + ' (federal support for Bonn)'),
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
  },
  money: {
    discountRate: p(0.05, 'share per year', 'discount rate at which an organization values money promised for future years', CAL, { max: 1 }),
    horizonYears: p(10, 'years', 'planning horizon over which money is expressed per year: an offer is worth its present value divided by the annuity factor of this horizon', CAL, { min: 1, max: 100, integer: true }),
    halfValueShare: p(0.1, "share of budget per year", "money offered per year, as a share of the organization's own annual budget, at which the offer's value reaches half its maximum (value = x / (x + this)): USD 1m a year is decisive for a 20-person secretariat and marginal for a 900-person agency", '[ENB-1997]; [TheNational-2009] (host subsidies from ~1% to over 20% of a body\'s budget); ' + CAL, { min: 1e-6 }),
  },
  stages: {
    foundingYears: p(5, 'years', 'age below which an organization is in its founding stage', '[Johnson2015] (interim seat 2-6 years)', { integer: true }),
    matureAge: p(25, 'years', 'age from which an organization is mature', S002 + ' (20-30 years staff pipeline); ' + CAL, { integer: true }),
    ownProfileShare: w(0.5, "weight of an organization's own driver profile against its stage profile when both exist"),
    founding: {
      security: rw(0.15, 'security weight of founding-stage organizations', S000 + ' (stage-dependent needs)'),
      resources: rw(0.45, 'resources weight of founding-stage organizations (money and premises first)', S000 + '; ' + S001),
      operations: rw(0.25, 'operations weight of founding-stage organizations', S000),
      values: rw(0.15, 'values weight of founding-stage organizations', S000),
    },
    growth: {
      security: rw(0.2, 'security weight of growth-stage organizations', S000),
      resources: rw(0.3, 'resources weight of growth-stage organizations', S000),
      operations: rw(0.3, 'operations weight of growth-stage organizations', S000),
      values: rw(0.2, 'values weight of growth-stage organizations', S000),
    },
    mature: {
      security: rw(0.25, 'security weight of mature organizations', S000),
      resources: rw(0.1, 'resources weight of mature organizations', S000),
      operations: rw(0.4, 'operations weight of mature organizations (network and partners)', S000),
      values: rw(0.25, 'values weight of mature organizations', S000),
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
    courtingHazard: p(0.5, 'per year per utility unit', 'review hazard per unit by which a standing offer beats the current seat (after moving cost)', S001 + ' (Bonn courting UNDP); calibrated with move.disruption and anchor.ageWeight so that a large offer wins a young body within a few years while general levers seldom move established ones (docs/scenarios.md)'),
  },
  anchor: {
    ageScale: p(20, 'years', 'age scale of anchoring by sunk ties (anchor = ageWeight x (1 - exp(-age/scale)) + localWeight x local share)', S001 + ' (old organizations are anchored)', { min: 1e-6 }),
    ageWeight: w(0.7, 'maximum anchoring from age and sunk ties', S001 + ' (UNDP failure: old bodies are anchored); set with the hazard coefficients so that world relocations stay near [EU-Agency-Seats] (~0.2-0.3% per agency-year); ' + CAL),
    localWeight: w(0.3, 'anchoring per share of locally hired staff', S001 + ' (UNDP: local staff unwilling to move)'),
    max: w(0.95, 'upper bound of the anchoring factor'),
  },
  move: {
    costPerStaffMusd: p(0.03, 'USD m per staff', 'direct relocation cost per staff member moved', S001 + ' (USD 30k per person); [EMA-Move] (EMA ~EUR 25k)'),
    replacementCostMusd: p(0.1, 'USD m per staff', 'cost of replacing a staff member who does not follow a move (recruitment, training, lost output)', '[EMA-Move] (EMA lost ~24% of staff); ' + CAL),
    localLeave: w(0.8, 'share of locally hired staff who leave rather than follow a whole move', S001 + ' (UNDP: local staff unwilling to move); ' + CAL),
    expatLeave: w(0.1, 'share of internationally recruited staff who leave rather than follow a whole move', '[EMA-Move] (EMA: ~24% of staff left; retention surveys); ' + CAL),
    disruptionYears: p(0.25, 'budget-years', 'disruption of a whole move (lost output, double running costs), in years of the organization\'s budget', CAL),
    costWeight: p(0.15, 'utility per budget-year', "utility lost per year's budget of moving cost (relocation, replacement of leavers, disruption)", CAL),
    unitShare: w(0.15, 'share of staff moved when an organization outposts a unit or opens an office instead of moving whole', '[UNHCR-Budapest] (UNHCR moved 155 of ~900 Geneva posts to Budapest); [Devex-2025] (UN80 outposting of 10-25% of posts)'),
    officeSetup: p(0.1, 'utility', 'fixed utility cost of splitting an organization between its seat and an office (coordination, a second site)', CAL),
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
      decay: w(0.05, 'yearly decay of issue leadership (half-life about 14 years: a city known for an issue stays known for a decade or more after it stops investing)', CAL),
      gain: w(0.4, 'maximum yearly gain toward full leadership in a domain'),
      costScaleMusd: p(2, 'USD m per year per domain', 'yearly spending on one domain at which the gain reaches 63% of its maximum', CAL, { min: 1e-6 }),
      spillover: w(0.3, 'share of a domain\'s leadership investment that also builds leadership in each related domain (climate and environment, health and humanitarian, ...; section 7.9)', CAL),
    },
    connectivity: {
      delay: p(3, 'years', 'years before spending on air links and routes adds connectivity (route development, a new connection)', CAL, { integer: true, max: 20 }),
      decay: w(0.03, 'yearly decay of connectivity built above the baseline (routes are dropped unless kept up)', CAL),
      gain: w(0.2, 'maximum yearly gain toward full connectivity'),
      costScaleMusd: p(100, 'USD m per year', 'yearly spending at which the connectivity gain reaches 63% of its maximum', 'estimate: a hub needs many routes, each developed with incentives of a few USD m; ' + CAL, { min: 1e-6 }),
    },
    conference: {
      delay: p(4, 'years', 'years before spending on conference venues adds capacity (building a convention centre)', 'estimate: building a convention centre takes several years; ' + CAL, { integer: true, max: 20 }),
      decay: w(0.02, 'yearly decay of conference capacity built above the baseline', CAL),
      gain: w(0.3, 'maximum yearly gain toward full conference capacity'),
      costScaleMusd: p(50, 'USD m per year', 'yearly spending at which the conference gain reaches 63% of its maximum', 'estimate: a convention centre costs some EUR 100-300m; ' + CAL, { min: 1e-6 }),
    },
    legal: {
      delay: p(2, 'years', 'years before spending on host-state law and one-stop services (a host-state act, registration and visa services) takes effect', '[CH-HSA-2007]; ' + CAL, { integer: true, max: 20 }),
      decay: w(0.01, 'yearly decay of the legal framework built above the baseline (laws persist)', CAL),
      gain: w(0.5, 'maximum yearly gain toward a full legal framework for privileges and immunities'),
      costScaleMusd: p(2, 'USD m per year', 'yearly spending (drafting, one-stop services, protocol staff) at which the legal gain reaches 63% of its maximum', 'estimate: a host-state service of a few dozen staff; ' + CAL, { min: 1e-6 }),
    },
    livability: {
      delay: p(3, 'years', 'years before spending on livability for foreigners (housing, services, culture) takes effect', CAL, { integer: true, max: 20 }),
      decay: w(0.03, 'yearly decay of livability built above the baseline', CAL),
      gain: w(0.2, 'maximum yearly gain toward full livability'),
      costScaleMusd: p(50, 'USD m per year', 'yearly spending at which the livability gain reaches 63% of its maximum', CAL, { min: 1e-6 }),
    },
    workforce: {
      delay: p(5, 'years', 'years before spending on a skilled multilingual workforce (language programmes, university courses) takes effect', S002 + ' (staff pipelines are slow); ' + CAL, { integer: true, max: 20 }),
      decay: w(0.03, 'yearly decay of workforce skills built above the baseline', CAL),
      gain: w(0.2, 'maximum yearly gain toward a full skilled workforce'),
      costScaleMusd: p(20, 'USD m per year', 'yearly spending at which the workforce gain reaches 63% of its maximum', CAL, { min: 1e-6 }),
    },
    openness: {
      delay: p(2, 'years', 'years before spending on openness (city networks, international exchange, sister cities) takes effect', CAL, { integer: true, max: 20 }),
      decay: w(0.05, 'yearly decay of openness built above the baseline', CAL),
      gain: w(0.2, 'maximum yearly gain toward full openness'),
      costScaleMusd: p(5, 'USD m per year', 'yearly spending at which the openness gain reaches 63% of its maximum', CAL, { min: 1e-6 }),
    },
  },
  strategy: {
    rising: share({ cash: 0.55, security: 0.1, schools: 0.05, connectivity: 0.05, conference: 0.05, legal: 0.05, livability: 0.05, workforce: 0.02, openness: 0.03, leadership: 0.05 },
      'rising cities', S000 + ' (rising: policy innovation and resource allocation)'),
    specialized: share({ cash: 0.25, security: 0.05, schools: 0.05, connectivity: 0.02, conference: 0.1, legal: 0.05, livability: 0.03, workforce: 0.03, openness: 0.02, leadership: 0.4 },
      'specialized cities (cash and leadership aimed at their focus domains)', S000 + ' (specialized: a domain cluster and brand)'),
    node: share({ cash: 0.15, security: 0.1, schools: 0.15, connectivity: 0.15, conference: 0.15, legal: 0.05, livability: 0.05, workforce: 0.03, openness: 0.07, leadership: 0.1 },
      'node cities (leadership spread over all domains: platforms)', S000 + ' (node: platforms, networks, connectivity, schools)'),
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
    voteNoise: p(0.1, 'utility', "scale of each member's Gumbel taste shock per round", CAL, { min: 0 }),
    campaignNoise: p(0.1, 'utility', "scale of each candidate's Gumbel shock shared by every member of a vote (what the forecaster cannot see: the campaign, side deals, the quality of the bid's presentation); drawn once per contest", '[BerryLevinsohnPakes1995] (unobserved alternative quality); ' + CAL, { min: 0 }),
    memberWeightSpread: p(0.2, 'weight', "standard deviation of member driver weights around the organization's", CAL),
    regionAffinity: p(0.05, 'utility', 'utility bonus a member gives candidates in its own region', '[Johnson2015] (regional blocs in seat votes)'),
    homeBias: p(1, 'utility', "utility bonus a member state gives its own country's candidate (a state votes for its own city while it stands)", '[Johnson2015] (national candidacies); ' + CAL),
    balanceWeight: p(0.05, 'utility', 'utility bonus members give a candidate in a country hosting no international organizations (geographic balance: UNEP to Nairobi, the EU priority for states without an agency)', '[EU-Council-2017] (priority for states without an agency); UNEP to Nairobi in 1972 (seeds/contests.yaml); ' + CAL),
    balanceScale: p(10, 'organizations', "organizations hosted in the candidate's country at which the balance bonus falls to 37% of its maximum (bonus = balanceWeight x exp(-hosted/scale))", CAL, { min: 1e-6 }),
    withdrawBelow: w(0.1, 'share of votes (or of first preferences before the first ballot) below which a candidate withdraws before the next round and endorses another', 'withdrawals at IRENA 2009, UNEP 1972, IPBES 2012 (seeds/contests.yaml); ' + CAL),
    endorsementBonus: p(0.05, 'utility', "utility bonus a withdrawn candidate's supporters give the candidate it endorses", CAL),
    shortlist: p(6, 'cities', 'candidates kept for the decision in an open contest: the bids the organization values most (WADA shortlisted 6 of 10 applications)', '[Johnson2015] (contests draw 3 to ~20 bids); ' + CAL, { min: 1, max: 100, integer: true }),
  },
  foundings: {
    rate: p(0, 'organizations per year', 'expected number of synthetic organizations founded each year at the reference density of every domain (Poisson per domain); 0 = only scenario-defined foundings', CAL),
    meanStaff: p(20, 'staff', 'mean initial staff of a synthetic founding (exponential)', S001 + ' (UNFCCC: a dozen staff)', { min: 1 }),
    legitimation: p(0.5, 'elasticity', "density dependence of foundings: a domain's founding rate grows with (organizations + 1)^legitimation (legitimation) and falls with exp(-organizations / capacity) (competition)", '[HannanCarroll1992] (density dependence); ' + CAL),
    capacity: p(200, 'organizations', 'organizations of one domain at which competition has cut its founding rate by 63% relative to an empty domain (the carrying capacity scale)', '[HannanCarroll1992]; ' + CAL, { min: 1e-6 }),
    referenceDensity: p(20, 'organizations', 'organizations of a domain at which its founding rate is foundings.rate / number of domains', CAL),
  },
  ecology: {
    interimMinYears: p(2, 'years', 'fewest years a synthetic founding sits in its interim seat before its permanent seat is chosen', '[Johnson2015] (interim seats of 2-6 years)', { integer: true, max: 30 }),
    interimMaxYears: p(6, 'years', 'most years a synthetic founding sits in its interim seat', '[Johnson2015] (interim seats of 2-6 years)', { integer: true, max: 30 }),
    mortalityYoung: p(0.02, 'per year', "excess yearly death hazard of a new organization (liability of newness), fading with age; scaled by size", '[EilstrupSangiovanni2020] (over a third of IGOs created since 1815 have died, most of them young); [HannanFreeman1984]; ' + CAL, { max: 1 }),
    mortalityAgeScale: p(10, 'years', 'age scale over which the liability of newness fades (hazard young x exp(-age / scale))', CAL, { min: 1e-6 }),
    mortalityOld: p(0.002, 'per year', 'yearly death hazard that remains at any age (major organizations rarely die)', '[Dijkstra-Debre2022] (death of major IOs is rare); ' + CAL, { max: 1 }),
    mortalitySizeElasticity: p(0.5, 'elasticity', 'death hazard scales with (levers.refStaff / staff)^this: small bodies die more often (liability of smallness)', '[EilstrupSangiovanni2020]; ' + CAL),
  },
} as const;

// Estimated coefficients: the estimate becomes the default, the source-based value its prior.
for (const [path, e] of Object.entries(ESTIMATES)) {
  const spec = path.split('.').reduce<unknown>((t, k) => (t as Record<string, unknown>)[k], PARAM_SPECS) as ParamSpec;
  const s = spec as { -readonly [K in keyof ParamSpec]: ParamSpec[K] };
  s.prior = spec.default;
  s.source = `estimated: docs/validation.md${e.identified ? '' : ' (not identified by the data: its interval is nearly its prior\'s)'}; prior ${spec.default}: ${spec.source}`;
  s.default = e.value;
}

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
  ['drivers.resources.officeCost', 'drivers.resources.offer', 'drivers.resources.nationalSupport'],
  ['drivers.operations.connectivity', 'drivers.operations.workforce', 'drivers.operations.conference', 'drivers.operations.schools',
    'drivers.operations.livability', 'drivers.operations.livingCost', 'drivers.operations.hub'],
  ['drivers.values.leadership', 'drivers.values.openness'],
  ...(['rising', 'specialized', 'node'] as const).map((s) => ['cash', 'security', 'schools', 'connectivity', 'conference', 'legal', 'livability', 'workforce', 'openness', 'leadership'].map((d) => `strategy.${s}.${d}`)),
  ['strategy.cashFreeOffices', 'strategy.cashSubsidy', 'strategy.cashTax'],
];

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[k];
  return cur;
}
