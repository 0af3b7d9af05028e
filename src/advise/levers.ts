/**
 * From a gap in utility to the levers that close it, in the levers' own units.
 *
 * One table (`LEVERS`) says, for every term of the utility a city can trail on, which attributes move it, how much
 * utility one unit of the attribute is worth to the organization, where the city stands, and how the city can
 * change it: a stock it invests in (schools, security, issue leadership: years of spending at a stated yearly sum),
 * organizations it must host first (cluster and hub counts), or nothing it controls (a fixed attribute, named as
 * such). A lever that becomes investable in the model gets a `build` entry here and nothing else changes.
 */
import type { Params } from '../model/params.ts';
import { STOCK_ATTRIBUTE, STOCKS, stockStep, type StockName as AttributeStock } from '../model/stocks.ts';
import { effective, hubCount, leadershipOf, type CityTable, type TermName } from '../model/scoring.ts';
import type { CityState, OrgState, World } from '../model/world.ts';
import type { Weights } from '../scenario/schema.ts';

type StockName = AttributeStock | 'leadership';

/** The state one lever row reads, gathered from a replication's world (plain numbers, so it crosses threads). */
export interface LeverContext {
  weights: Weights;
  domain: string;
  /** attribute levels of the city (0-1), stock parts (base and built extra), counts, and the parameters used */
  level: Record<string, number>;
  stock: Record<StockName, { base: number; extra: number }>;
  counts: { cluster: number; hub: number };
  params: Pick<Params, 'drivers' | 'choice' | 'stocks'>;
}

export interface LeverRow {
  term: TermName;
  /** the attribute and how people call it */
  attribute: string;
  label: string;
  /** utility per unit of the attribute (negative when less is better) */
  perUnit: (x: LeverContext) => number;
  /** how the city can change it: a stock it invests in, organizations to host first, or a fixed attribute */
  build?: { stock: StockName; scenarioLever: string };
  count?: { of: 'cluster' | 'hub'; scale: (x: LeverContext) => number; unit: string };
  fixed?: string;
}

const d = (x: LeverContext) => x.params.drivers;

/** Every attribute behind the utility's terms (the offer itself is what the search prices). */
export const LEVERS: LeverRow[] = [
  { term: 'security', attribute: 'safety', label: 'safety of staff and premises', perUnit: (x) => x.weights.security * d(x).security.safety, build: { stock: 'security', scenarioLever: 'securityMusd' } },
  { term: 'security', attribute: 'legal', label: 'host-state law, privileges and immunities', perUnit: (x) => x.weights.security * d(x).security.legal, build: { stock: 'legal', scenarioLever: 'legalMusd' } },
  { term: 'values', attribute: 'leadership', label: 'issue leadership in the organization\'s domain', perUnit: (x) => x.weights.values * d(x).values.leadership, build: { stock: 'leadership', scenarioLever: 'leadershipMusd' } },
  { term: 'values', attribute: 'openness', label: 'openness and value convergence', perUnit: (x) => x.weights.values * d(x).values.openness, build: { stock: 'openness', scenarioLever: 'opennessMusd' } },
  { term: 'operations', attribute: 'schools', label: 'international-school capacity', perUnit: (x) => x.weights.operations * d(x).operations.schools, build: { stock: 'schools', scenarioLever: 'schoolsMusd' } },
  { term: 'operations', attribute: 'connectivity', label: 'air connectivity', perUnit: (x) => x.weights.operations * d(x).operations.connectivity, build: { stock: 'connectivity', scenarioLever: 'connectivityMusd' } },
  { term: 'operations', attribute: 'workforce', label: 'skilled English-speaking workforce', perUnit: (x) => x.weights.operations * d(x).operations.workforce, build: { stock: 'workforce', scenarioLever: 'workforceMusd' } },
  { term: 'operations', attribute: 'conference', label: 'conference capacity', perUnit: (x) => x.weights.operations * d(x).operations.conference, build: { stock: 'conference', scenarioLever: 'conferenceMusd' } },
  { term: 'operations', attribute: 'livability', label: 'livability', perUnit: (x) => x.weights.operations * d(x).operations.livability, build: { stock: 'livability', scenarioLever: 'livabilityMusd' } },
  { term: 'operations', attribute: 'livingCost', label: 'cost of living (lower is better)', perUnit: (x) => -x.weights.operations * d(x).operations.livingCost, fixed: 'a fixed attribute of the city' },
  { term: 'operations', attribute: 'hub', label: 'international hub (organizations of any domain hosted)', perUnit: (x) => x.weights.operations * d(x).operations.hub, count: { of: 'hub', scale: (x) => x.params.choice.hubScale, unit: 'organizations hosted' } },
  { term: 'cluster', attribute: 'cluster', label: 'cluster of organizations of the same domain', perUnit: (x) => x.params.choice.clusterWeight, count: { of: 'cluster', scale: (x) => x.params.choice.clusterScale, unit: 'organizations of the domain hosted' } },
  { term: 'resources', attribute: 'officeCost', label: 'office cost (lower is better)', perUnit: (x) => -x.weights.resources * d(x).resources.officeCost, fixed: 'a fixed attribute of the city (offer free offices instead)' },
  { term: 'resources', attribute: 'nationalSupport', label: 'national government support', perUnit: (x) => x.weights.resources * d(x).resources.nationalSupport, fixed: 'set by the national government' },
];

/** Terms no city lever moves, and why. */
export const FIXED_TERMS: Partial<Record<TermName, string>> = {
  dutyOfCare: 'the city is too unsafe for the organization\'s duty of care: invest in security',
  noPrivileges: 'the host state withdrew the organization\'s privileges and immunities',
  moveCost: "the organization's own cost of moving (staff who leave, disruption); a relocation grant covers only the relocation of those who follow",
  stayBonus: "the incumbent seat's status-quo advantage (it lapses only when the host agreement expires)",
  balance: 'geographic balance: member states favour countries that host few organizations',
  officeSetup: 'the cost of splitting the organization between two sites',
  offer: 'money: priced by the offer search',
};

/** The lever context of city c for organization o (weights w) in a replication's world. */
export function leverContext(w: World, t: CityTable, o: OrgState, c: CityState, weights: Weights): LeverContext {
  const a = c.attr, k = o.domain;
  const level: Record<string, number> = {
    leadership: leadershipOf(c, k), livingCost: a.livingCost, officeCost: a.officeCost, nationalSupport: a.nationalSupport,
    hub: 1 - Math.exp(-hubCount(c, w.params) / w.params.choice.hubScale), cluster: t.pull[c.idx * t.nDomains + k],
  };
  const stock = { leadership: { base: c.leadershipBase[k], extra: c.leadershipExtra[k] } } as Record<StockName, { base: number; extra: number }>;
  STOCKS.forEach((s, i) => {
    const attr = STOCK_ATTRIBUTE[s];
    level[attr] = effective(c, i);
    stock[s] = { base: s === 'security' ? a.safety * (1 - c.shock) : a[attr], extra: c.extra[i] };
  });
  return {
    weights, domain: w.domains[k], level, stock,
    counts: { cluster: t.clusterCount[c.idx * t.nDomains + k], hub: hubCount(c, w.params) },
    params: { drivers: w.params.drivers, choice: w.params.choice, stocks: w.params.stocks },
  };
}

export interface LeverNeed {
  attribute: string;
  label: string;
  /** level now and the level that would close the gap on its own (0-1 scale; null when no level can) */
  now: number;
  needed: number | null;
  /** investable: the yearly spend assumed, the scenario lever that spends it, and years of spending (null: never at that spend) */
  invest?: { scenarioLever: string; spendMusdPerYear: number; years: number | null; reachable: number };
  /** count-based: organizations to host first */
  count?: { now: number; needed: number | null; unit: string };
  fixed?: string;
}

export interface TermGap {
  term: string;
  /** mean utility of the city minus that of its strongest rival (negative: it trails) */
  gap: number;
  levers: LeverNeed[];
  fixed?: string;
}

const MAX_YEARS = 50;
/** Gaps smaller than this (utility) are not reported: a thousandth of the utility scale moves no decision. */
export const MIN_GAP = 1e-3;

/**
 * Years of spending `spend` a year that raise a stock's built part by `need` (the model's own stock dynamics:
 * delay, saturating gain, decay). Null if the level is out of reach at that spend within 50 years.
 */
export function yearsToBuild(base: number, extra: number, need: number, spend: number, s: { delay: number; gain: number; decay: number; costScaleMusd: number }): { years: number | null; reachable: number } {
  const target = extra + need;
  let e = extra, best = extra;
  for (let y = 1; y <= MAX_YEARS; y++) {
    e = stockStep(e, base, y > s.delay ? spend : 0, s);
    best = Math.max(best, e);
    if (e >= target - 1e-9) return { years: y, reachable: e };
  }
  return { years: null, reachable: best };
}

/** Translate per-term gaps (city minus strongest rival, utility) into the levers that would close each alone. */
export function leverNeeds(gaps: Record<string, number>, x: LeverContext): TermGap[] {
  const out: TermGap[] = [];
  for (const [term, gap] of Object.entries(gaps)) {
    if (!(gap < -MIN_GAP)) continue;
    const rows = LEVERS.filter((r) => r.term === term);
    const levers: LeverNeed[] = [];
    for (const r of rows) {
      const per = r.perUnit(x);
      if (Math.abs(per) < 1e-12) continue;
      const now = x.level[r.attribute];
      const target = now - gap / per;
      const needed = target >= 0 && target <= 1 ? target : null;
      const need: LeverNeed = { attribute: r.attribute, label: r.label, now, needed, ...(r.fixed ? { fixed: r.fixed } : {}) };
      if (r.build && needed !== null) {
        const st = x.params.stocks[r.build.stock];
        const spend = st.costScaleMusd;
        const s = x.stock[r.build.stock];
        const { years, reachable } = yearsToBuild(s.base, s.extra, needed - now, spend, st);
        need.invest = { scenarioLever: r.build.scenarioLever, spendMusdPerYear: spend, years, reachable: Math.min(1, s.base + reachable) };
      }
      if (r.count) {
        const scale = r.count.scale(x);
        const n = x.counts[r.count.of];
        need.count = { now: n, needed: needed !== null && needed < 1 ? -scale * Math.log(1 - needed) : null, unit: r.count.unit };
      }
      levers.push(need);
    }
    out.push({ term, gap, levers, ...(FIXED_TERMS[term as TermName] ? { fixed: FIXED_TERMS[term as TermName] } : {}) });
  }
  return out.sort((a, b) => a.gap - b.gap || (a.term < b.term ? -1 : 1));
}
