/**
 * Synthetic population: cities and organizations generated deterministically from the seed, for world-scale
 * scenarios and benchmarks. Attributes are drawn around the seeded cities' ranges; ids are zero-padded so that
 * sorted order equals generation order.
 *
 * Seating. A synthetic organization is seated by a multinomial logit on the cities' baseline attractiveness
 * for it, so that the initial state is close to the model's own equilibrium (an organization seated uniformly
 * at random would find a far better city almost at once, and a world run would start with a wave of moves
 * that no real system shows). Baseline attractiveness is the utility the model's scoring would give the city
 * with no levers, no built stocks and no modelled cluster: the organization's stage weights (from its age at
 * the start) times the four driver scores computed from the city's attributes (security: safety and legal
 * framework; resources: premises at full cost and national support; operations: connectivity, workforce,
 * conference capacity, schools, livability, affordability and the hub effect of the city's background
 * `hostedIos`; values: openness and the city's stated initial leadership in the domain; cluster: the background
 * organizations of the city's focus domains), using the driver shares of the
 * resolved parameters. The logit scale is `choice.temperature`. Draws come from the organization's own
 * `population` stream (keyed by its id) and from the seats of the organizations generated before it.
 */
import type { CityDef, OrgDef } from '../scenario/schema.ts';
import { CITY_TYPES, ORG_KINDS, REGIONS } from '../scenario/vocab.ts';
import { resolveParams, type Params } from './params.ts';
import { Streams, type Stream } from './rng.ts';
import { stageWeightsAt } from './world.ts';

const r2 = (x: number) => Math.round(x * 100) / 100;
const beta2 = (r: Stream, lo: number, hi: number) => r2(lo + (hi - lo) * (r() + r()) / 2);
const pick = <T>(r: Stream, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const pad = (i: number, n: number) => String(i).padStart(String(Math.max(1, n - 1)).length, '0');

export const DEFAULT_DOMAINS = ['agriculture', 'climate', 'culture', 'development', 'education', 'energy', 'environment', 'finance',
  'health', 'human_rights', 'humanitarian', 'labour', 'migration', 'peace_security', 'science', 'trade', 'transport', 'urban'];

/** Oldest synthetic organization, in years before the start. */
export const MAX_SYNTHETIC_AGE = 80;

export function syntheticCities(seed: number, n: number, domains: string[]): CityDef[] {
  const s = new Streams(seed);
  const out: CityDef[] = [];
  for (let i = 0; i < n; i++) {
    const id = `syn_city_${pad(i, n)}`;
    const r = s.stream('population', id, 0);
    const type = pick(r, CITY_TYPES);
    out.push({
      id, name: `Synthetic city ${i}`, country: 'ZZ', region: pick(r, REGIONS), type,
      safety: beta2(r, 0.3, 1), connectivity: beta2(r, 0.1, 1), officeCost: beta2(r, 0.1, 1), livingCost: beta2(r, 0.1, 1),
      workforce: beta2(r, 0.1, 1), livability: beta2(r, 0.2, 1), legal: beta2(r, 0, 1), nationalSupport: beta2(r, 0, 1),
      conference: beta2(r, 0, 1), schools: beta2(r, 0, 1), openness: beta2(r, 0.2, 1),
      hostedIos: Math.floor(r() * r() * 20), focusDomains: type === 'specialized' ? [pick(r, domains)] : [],
      budgetMusd: r2(r() * 20), strategy: type, levers: {}, schedule: [], offers: [],
      source: 'synthetic (population generator)',
    });
  }
  return out;
}

/** City-side driver scores with no levers, no built stocks and no modelled organizations (see the file comment). */
export interface BaselineScores { security: number; resources: number; operations: number; openness: number; leadership: Record<string, number> }

export function baselineScores(c: CityDef, p: Params): BaselineScores {
  const d = p.drivers;
  return {
    security: d.security.safety * c.safety + d.security.legal * c.legal,
    resources: d.resources.officeCost * (1 - c.officeCost) + d.resources.nationalSupport * c.nationalSupport,
    operations: d.operations.connectivity * c.connectivity + d.operations.workforce * c.workforce + d.operations.conference * c.conference
      + d.operations.schools * c.schools + d.operations.livability * c.livability + d.operations.livingCost * (1 - c.livingCost),
    openness: d.values.openness * c.openness,
    leadership: c.leadership ?? {},
  };
}

type StageName = 'founding' | 'growth' | 'mature';
const STAGE_NAMES: StageName[] = ['founding', 'growth', 'mature'];

/**
 * Baseline attractiveness (utility units) of a city for an organization of `domain` in `stage`, when the city
 * already hosts `sameDomain` organizations of that domain and `total` organizations in all (background
 * `hostedIos` included): the model's utility with no levers and no built stocks.
 */
export function baselineAttractiveness(b: BaselineScores, domain: string, stage: StageName, p: Params, sameDomain = 0, total = 0,
  w = stageWeightsAt(STAGE_NAMES.indexOf(stage), p)): number {
  return attractivenessFrom(b, w, hubTerm(total, p), valuesTerm(b, domain, p), clusterTerm(sameDomain, p));
}

/** The parts of `baselineAttractiveness`: the values score, the hub effect of `total` organizations, the cluster pull. */
const valuesTerm = (b: BaselineScores, domain: string, p: Params) => b.openness + p.drivers.values.leadership * (b.leadership[domain] ?? 0);
const hubTerm = (total: number, p: Params) => p.drivers.operations.hub * (1 - Math.exp(-total / p.choice.hubScale));
const clusterTerm = (sameDomain: number, p: Params) => (sameDomain > 0 ? p.choice.clusterWeight * (1 - Math.exp(-sameDomain / p.choice.clusterScale)) : 0);
/** `baselineAttractiveness` from its parts (seating computes each part once per city, not once per stage and domain). */
const attractivenessFrom = (b: BaselineScores, w: { security: number; resources: number; operations: number; values: number }, hub: number, values: number, cluster: number) =>
  w.security * b.security + w.resources * b.resources + w.operations * (b.operations + hub) + w.values * values + cluster;

/** Fenwick (binary indexed) tree of non-negative weights: point update and weighted sampling in O(log n). */
class Fenwick {
  readonly t: Float64Array;
  readonly v: Float64Array;
  constructor(readonly n: number) { this.t = new Float64Array(n + 1); this.v = new Float64Array(n); }
  set(i: number, x: number): void {
    const d = x - this.v[i];
    this.v[i] = x;
    for (let j = i + 1; j <= this.n; j += j & -j) this.t[j] += d;
  }
  total(): number { let s = 0; for (let j = this.n; j > 0; j -= j & -j) s += this.t[j]; return s; }
  /** Smallest index whose cumulative weight exceeds `target` (0 <= target < total). */
  find(target: number): number {
    let pos = 0;
    let step = 1; while (step * 2 <= this.n) step *= 2;
    for (; step > 0; step >>= 1) {
      const nx = pos + step;
      if (nx <= this.n && this.t[nx] <= target) { pos = nx; target -= this.t[nx]; }
    }
    return Math.min(pos, this.n - 1);
  }
}

/**
 * Organizations founded up to MAX_SYNTHETIC_AGE years before `start`, seated one after the other by a logit on
 * baseline attractiveness, cluster and hub effects of the organizations seated before them included.
 * `cities` may be bare ids (then every city is equally attractive: uniform seating) or full city definitions.
 */
export function syntheticOrgs(seed: number, n: number, start: number, cities: readonly (string | CityDef)[], domains: string[], params?: Params): OrgDef[] {
  const p = params ?? resolveParams();
  const s = new Streams(seed);
  const nc = cities.length;
  const ids = cities.map((c) => (typeof c === 'string' ? c : c.id));
  const scores = cities.map((c) => (typeof c === 'string' ? null : baselineScores(c, p)));
  const total = cities.map((c) => (typeof c === 'string' ? 0 : c.hostedIos));
  // same-domain counts start from each city's background organizations, spread over its focus domains (as in the run)
  const same = domains.map(() => new Float64Array(nc));
  cities.forEach((c, j) => {
    if (typeof c === 'string') return;
    const focus = c.focusDomains.map((d) => domains.indexOf(d)).filter((k) => k >= 0);
    for (const k of focus) same[k][j] += c.hostedIos / focus.length;
  });
  // Utilities are shifted by an upper bound so that every weight is exp(<= 0): no overflow, same probabilities.
  const weights = STAGE_NAMES.map((_, si) => stageWeightsAt(si, p));
  // per city and domain: the values score, which seating does not change
  const values = scores.map((b) => (b ? domains.map((d) => valuesTerm(b, d, p)) : null));
  const util = (j: number, si: number, k: number) => (scores[j] ? attractivenessFrom(scores[j]!, weights[si], hubTerm(total[j], p), values[j]![k], clusterTerm(same[k][j], p)) : 0);
  const bound = 1 + p.choice.clusterWeight;
  const weight = (u: number) => Math.exp((u - bound) / p.choice.temperature);
  // One tree per (stage, domain), built lazily when first needed.
  const trees: (Fenwick | undefined)[] = new Array(STAGE_NAMES.length * domains.length);
  const tree = (si: number, k: number): Fenwick => {
    const key = si * domains.length + k;
    let f = trees[key];
    if (!f) { f = new Fenwick(nc); for (let j = 0; j < nc; j++) f.set(j, weight(util(j, si, k))); trees[key] = f; }
    return f;
  };
  const out: OrgDef[] = [];
  for (let i = 0; i < n; i++) {
    const id = `syn_org_${pad(i, n)}`;
    const r = s.stream('population', id, 1);
    const staff = Math.max(1, Math.round(-Math.log(1 - r()) * 60));
    const kind = pick(r, ORG_KINDS);
    const k = Math.floor(r() * domains.length);
    const uSeat = r();
    const founded = start - Math.floor(r() * MAX_SYNTHETIC_AGE);
    const age = start - founded;
    const si = age < p.stages.foundingYears ? 0 : age < p.stages.matureAge ? 1 : 2;
    let j = 0;
    if (nc > 1) {
      const f = tree(si, k);
      j = f.find(uSeat * f.total());
    }
    // The new organization raises the city's cluster in its domain and its hub effect for every domain.
    same[k][j]++; total[j]++;
    const b = scores[j];
    if (b) {
      // util(j, s2, k2) for every tree, with the hub effect once and each domain's cluster pull once
      const hub = hubTerm(total[j], p), vj = values[j]!;
      for (let k2 = 0; k2 < domains.length; k2++) {
        let cluster = NaN;
        for (let s2 = 0; s2 < STAGE_NAMES.length; s2++) {
          const f = trees[s2 * domains.length + k2];
          if (!f) continue;
          if (Number.isNaN(cluster)) cluster = clusterTerm(same[k2][j], p);
          f.set(j, weight(attractivenessFrom(b, weights[s2], hub, vj[k2], cluster)));
        }
      }
    }
    out.push({
      id, name: `Synthetic organization ${i}`, kind, domain: domains[k],
      seat: ids[j], founded, staff,
      localShare: r2(0.1 + 0.5 * r()), veto: r2(r() * r() * 0.5), region: 'global', source: 'synthetic (population generator)',
    });
  }
  return out;
}
