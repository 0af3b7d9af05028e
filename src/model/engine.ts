/**
 * The deterministic yearly tick: events -> foundings -> cities act -> seat reviews -> contests -> growth -> records.
 * Pure: no I/O, no clock, no global random state. Everything observable leaves through a `Recorder`.
 */
import type { Params } from './params.ts';
import type { Scenario } from '../scenario/load.ts';
import type { ContestDef, OrgDef, Weights } from '../scenario/schema.ts';
import { affordableScale, citiesAct, creditArrival, hostedLists, scaleOffer, type CityNote } from './cities.ts';
import { considered, decideReview, referenceUtility, Shortlists, unitUtility, type ReviewDecision } from './choice.ts';
import { runContest, type ContestOutcome } from './contest.ts';
import { DEFAULT_DOMAINS, syntheticCities, syntheticOrgs } from './population.ts';
import { poisson, Streams } from './rng.ts';
import { STOCKS } from './stocks.ts';
import { buildCityTable, effective, leaveShare, offerTerms, refreshCounts, TERM_NAMES, type CityTable, type Evaluation, type UtilityTerms } from './scoring.ts';
import { hazardPass, newReviewers, type HazardTrace } from './hazard.ts';
import type { VoteRound } from './vote.ts';
import { applyHistory, arrayOf, countsOf, makeCity, makeOrg, OrgTable, stageIndex, STAGE_NAMES, makeTerms, spendSum, weightsAt, weightsOf, type OrgState, type Terms, type World, type CityState } from './world.ts';

export type EventType = 'event' | 'founding' | 'dissolution' | 'review' | 'relocation' | 'unit' | 'veto' | 'bid' | 'bid_scaled' | 'no_bids' | 'vote_round'
  | 'contest_result' | 'commitment' | 'commitment_end' | 'commitment_shortfall' | 'budget_limit' | 'adapt' | 'grant_shortfall';

export interface EventRecord {
  year: number;
  type: EventType;
  org?: string;
  city?: string;
  from?: string;
  to?: string;
  contest?: string;
  round?: number;
  detail?: string;
  value?: number;
  /** probability of the chosen alternative (reviews and contests decided by the organization) */
  probability?: number;
  chosen?: Evaluation & { id: string };
  runnerUp?: Evaluation & { id: string };
  /** driver weights of the deciding organization (weight x score = a driver's contribution to utility) */
  weights?: Weights;
}

/**
 * One candidate of one decision (a seat review or a contest), with every term of its utility: the terms add up to
 * `utility`. Reviews list the seat, every considered city and, when the organization could outpost a unit, the
 * unit alternative (role `unit`, at the best considered city).
 */
export interface DecisionRecord {
  year: number;
  /** contest id, or `review:<org>` */
  decision: string;
  org: string;
  rule: 'review' | 'organization' | 'vote';
  city: string;
  role: 'seat' | 'move' | 'found' | 'unit';
  chosen: boolean;
  /** probability of this alternative (reviews and contests the organization decides) */
  probability: number | null;
  /** votes (or points) in the last round this candidate stood in (votes) */
  votes: number | null;
  /** annual-equivalent money offered, USD m a year */
  moneyMusd: number;
  terms: UtilityTerms;
  utility: number;
}

export interface CityYearRecord {
  year: number;
  city: string;
  budget: number;
  spend: CityState['spend'];
  spendTotal: number;
  budgetLeft: number;
  levels: Terms;
  security: number;
  /** effective value of each attribute a stock builds on (baseline this year plus the stock), in the order of STOCKS */
  attributes: number[];
  leadership: Float64Array;
  hostedOrgs: number;
  hostedOffices: number;
  hostedStaff: number;
  orgsByDomain: Int32Array;
  staffByDomain: Float64Array;
}

export interface OrgYearRecord {
  year: number;
  org: string;
  seat: string;
  stage: string;
  age: number;
  staff: number;
  budget: number;
  seatUtility: number;
  hazard: number;
  reviewed: boolean;
  moved: boolean;
  /** city of its office or outposted unit ('' for none) */
  office: string;
}

export interface Recorder {
  /**
   * What the recorder reads, when it reads less than everything: a sweep extracts a few metrics from each of
   * thousands of runs, and building the records it skips was a large part of a small run's time. Omitted
   * fields mean everything. `events`: the event types `event` receives (events of other types are not even
   * built); `orgYears`: org-year records; `cityYears`: the city ids whose city-year records are built.
   */
  wants?: { events?: readonly EventType[]; orgYears?: boolean; cityYears?: readonly string[]; decisions?: boolean };
  begin?(info: { domains: string[]; cities: string[]; orgs: string[] }): void;
  event(e: EventRecord): void;
  /** every candidate of every decision, term by term (optional: recorders without it are not sent any) */
  decision?(d: DecisionRecord): void;
  /**
   * the detail of every contest (candidates, members, rounds) as the engine decided it (optional), with the state
   * it was decided in (`probe`: for what-if analyses such as `hqsim advise`)
   */
  contest?(c: { year: number; id: string; org: string; outcome: ContestOutcome; probe: ContestProbe }): void;
  cityYear(r: CityYearRecord): void;
  orgYear(r: OrgYearRecord): void;
}

/**
 * The state a contest was decided in: `runContest(world, table, def', org, streams)` decides it again with another
 * definition (other bids) on the same state and the same random draws. Valid during the `contest` call only: a
 * recorder that keeps it must end the run there (by throwing), so that nothing changes the state afterwards.
 */
export interface ContestProbe { world: World; table: CityTable; org: OrgState; streams: Streams; def: ContestDef }

export interface CitySummary {
  hostedOrgs: number;
  /** offices and outposted units of organizations seated elsewhere */
  hostedOffices: number;
  hostedStaff: number;
  arrivals: number;
  departures: number;
  foundingsWon: number;
  contestsWon: number;
  spendMusd: number;
  staffYearsHosted: number;
  costPerOrgWonMusd: number | null;
  costPerStaffYearMusd: number | null;
}

export interface Summary {
  scenario: string;
  arm: string | null;
  seed: number;
  firstYear: number;
  lastYear: number;
  cities: number;
  organizations: number;
  relocations: number;
  /** units outposted and offices opened (after reviews, and as consolation for losing a contest) */
  units: number;
  foundings: number;
  /** organizations that died (mortality) */
  dissolutions: number;
  reviews: number;
  vetoes: number;
  contests: number;
  concentration: { hhiOrgs: number; hhiStaff: number; top5ShareOrgs: number; top5: { city: string; orgs: number }[] };
  byCity: Record<string, CitySummary>;
}

/** Work counters for benchmarks: (organization, city) evaluations made by seat reviews and contests. */
export interface RunStats { evaluations: number }

export interface RunOptions { recorder?: Recorder; seed?: number; years?: number; stats?: RunStats }

interface Pending { o: OrgState; d: ReviewDecision; weights: Weights }

/** The world at the start of a run; a synthetic population is generated from `seed` (default: the scenario's). */
export function buildWorld(sc: Scenario, seed: number = sc.seed): World {
  const p = sc.params;
  let cityDefs = sc.cities;
  let orgDefs = sc.organizations;
  const domainSet = new Set<string>();
  for (const o of orgDefs) domainSet.add(o.domain);
  for (const c of cityDefs) for (const d of c.focusDomains) domainSet.add(d);
  const popDomains = sc.population.domains ?? (domainSet.size ? [...domainSet].sort() : DEFAULT_DOMAINS);
  if (sc.population.cities > 0 || sc.population.organizations > 0) {
    cityDefs = [...cityDefs, ...syntheticCities(seed, sc.population.cities, popDomains)];
    orgDefs = [...orgDefs, ...syntheticOrgs(seed, sc.population.organizations, sc.start, cityDefs, popDomains, p)];
  }
  if (p.foundings.rate > 0) for (const d of popDomains) domainSet.add(d);
  for (const c of cityDefs) for (const d of c.focusDomains) domainSet.add(d);
  for (const o of orgDefs) domainSet.add(o.domain);
  for (const c of cityDefs) {
    for (const d of Object.keys(c.levers.leadershipMusd ?? {})) domainSet.add(d);
    for (const s of c.schedule) for (const d of Object.keys(s.levers.leadershipMusd ?? {})) domainSet.add(d);
  }
  const domains = [...domainSet].sort();
  const domainIndex = new Map(domains.map((d, i) => [d, i]));
  const cities = arrayOf(cityDefs.length, (i) => makeCity(cityDefs[i], i, domains, p));
  const cityIndex = new Map(cityDefs.map((c, i) => [c.id, i]));
  const table = new OrgTable();
  const orgs = arrayOf(orgDefs.length, (i) => { const d = orgDefs[i]; return makeOrg(table, d, i, domainIndex.get(d.domain)!, d.seat === null ? -1 : cityIndex.get(d.seat)!, p); });
  const orgIndex = new Map(orgDefs.map((o, i) => [o.id, i]));
  for (const c of cityDefs) {
    const ci = cityIndex.get(c.id)!;
    for (const of of c.offers) { const { org, ...offer } = of; orgs[orgIndex.get(org)!].setOffer(ci, offer); }
  }
  return { start: sc.start, year: sc.start, params: p, domains, domainIndex, cities, cityIndex, orgs, orgIndex, table };
}

/** Hosted organizations and staff per city and domain, from the organization table. */
function recount(w: World): void {
  // by index into the world's per-(city, domain) arrays (the cities' arrays are views of them), in organization order
  const counts = countsOf(w), hosted = counts.hosted, offices = counts.offices, staffBy = counts.staff, nd = w.domains.length;
  hosted.fill(0); offices.fill(0); staffBy.fill(0);
  const T = w.table, n = T.size;
  const { active, seat, domain, staff, officeCity, officeShare } = T;
  for (let i = 0; i < n; i++) {
    const s = seat[i];
    if (!active[i] || s < 0) continue;
    const k = domain[i], at = s * nd + k;
    const oc = officeCity[i];
    hosted[at]++;
    if (oc >= 0) {
      const share = officeShare[i], there = oc * nd + k;
      offices[there]++;
      staffBy[there] += share * staff[i];
      staffBy[at] += (1 - share) * staff[i];
    } else staffBy[at] += staff[i];
  }
  for (const c of w.cities) {
    let h = 0, o = 0;
    for (let k = 0; k < nd; k++) { h += c.hostedByDomain[k]; o += c.officesByDomain[k]; }
    c.hostedTotal = h; c.officesTotal = o;
  }
}

const ev = (e: Evaluation, w: World) => ({ ...e, id: w.cities[e.city].def.id });

type Won = { offer: NonNullable<ContestOutcome['winner']['offer']>; contest: string };

/**
 * The yearly death hazard of an organization of `staff` whose liability of newness is `newness` (exp(-age / scale)):
 * (young x newness + old) x (refStaff / max(1, staff))^elasticity.
 */
export function deathHazard(newness: number, staff: number, p: Params): number {
  const e = p.ecology;
  return (e.mortalityYoung * newness + e.mortalityOld) * Math.pow(p.levers.refStaff / Math.max(1, staff), e.mortalitySizeElasticity);
}

/**
 * A death probability that no organization with this liability of newness exceeds, whatever its size: with a size
 * elasticity that is not negative the size term is at most refStaff^elasticity (staff >= 1 counts as 1), and a margin
 * covers rounding; Infinity when the parameters allow no such cap. Only an organization whose death draw is below it
 * needs its exact hazard.
 */
export function deathCap(newness: number, p: Params): number {
  const e = p.ecology, ref = p.levers.refStaff;
  if (!(e.mortalitySizeElasticity >= 0 && e.mortalityYoung >= 0 && e.mortalityOld >= 0 && ref > 0)) return Infinity;
  return 1 - Math.exp(-(e.mortalityYoung * newness + e.mortalityOld) * Math.pow(ref, e.mortalitySizeElasticity) * (1 + 1e-9)) + 1e-12;
}

/** Run a validated scenario to the end; returns the run summary. Observations go to `opts.recorder`. */
export function simulate(sc: Scenario, opts: RunOptions = {}): Summary {
  const run = new Run(sc, opts);
  for (let year = sc.start; year < run.end; year++) run.step(year);
  return summarize(run.w, sc, run.seed, run.end - 1, run.counters, run.perCity, run.staffYears);
}

/**
 * One run between its years. The yearly tick is one method per stage rather than one long function: each
 * stage is then compiled (and, when its type feedback changes, recompiled) on its own, which in a sweep of
 * many short runs costs a fraction of compiling one function holding the whole tick.
 */
class Run {
  readonly w: World;
  readonly p: World['params'];
  readonly seed: number;
  readonly end: number;
  readonly streams: Streams;
  readonly rec: Recorder;
  /** a recorder was given; the event types it reads (null: all); org-year records; the cities whose city-year
   * records are built (see Recorder.wants); decision records */
  private readonly recording: boolean;
  private readonly eventTypes: ReadonlySet<EventType> | null;
  private readonly orgRecords: boolean;
  private readonly cityRecords: Uint8Array | null;
  private readonly decisions: boolean;
  readonly counters = { relocations: 0, units: 0, foundings: 0, dissolutions: 0, reviews: 0, vetoes: 0, contests: 0 };
  readonly perCity: PerCity[];
  readonly staffYears: Float64Array;
  private readonly stats: RunStats | undefined;
  private readonly contestsByYear = new Map<number, ContestDef[]>();
  private readonly eventsByYear = new Map<number, Scenario['events']>();
  /**
   * By age (years since founding, 0 to the oldest organization's): the age anchoring 1 - exp(-age / anchor.ageScale)
   * and the liability of newness exp(-age / ecology.mortalityAgeScale), computed once per age (`agesUpTo`).
   */
  private anchorByAge = new Float64Array(0);
  private newnessByAge = new Float64Array(0);
  /** By age: a death probability no organization of that age exceeds (`deathCap`). */
  private deathCapByAge = new Float64Array(0);
  private agesUpTo(maxAge: number): void {
    const n = this.anchorByAge.length;
    if (maxAge < n) return;
    const size = Math.max(maxAge + 1, 2 * n), a = new Float64Array(size), b = new Float64Array(size), d = new Float64Array(size);
    a.set(this.anchorByAge); b.set(this.newnessByAge); d.set(this.deathCapByAge);
    for (let age = n; age < size; age++) {
      a[age] = 1 - Math.exp(-age / this.p.anchor.ageScale);
      b[age] = Math.exp(-age / this.p.ecology.mortalityAgeScale);
      d[age] = deathCap(b[age], this.p);
    }
    this.anchorByAge = a; this.newnessByAge = b; this.deathCapByAge = d;
  }
  /** the earliest founding year of any organization in the table (foundings during the run are later) */
  private readonly firstFounded: number;
  // Yearly tables, rebuilt in place (their arrays are reused from year to year).
  private readonly reviewers = newReviewers();
  private readonly shortlists: Shortlists;
  private table!: CityTable;
  /** this year's hazard-pass values per organization (for the org-year records) */
  private trace: HazardTrace | null = null;
  /** a city table for choosing interim seats (before the year's table exists), its year, and the seat per domain */
  private interimTable: CityTable | undefined;
  private interimYear = -1;
  private readonly interimBest = new Map<number, number>();

  constructor(sc: Scenario, opts: RunOptions) {
    this.rec = opts.recorder ?? { event() {}, cityYear() {}, orgYear() {} };
    this.stats = opts.stats;
    this.seed = opts.seed ?? sc.seed;
    this.end = sc.start + (opts.years ?? sc.years);
    const w = (this.w = buildWorld(sc, this.seed));
    const recording = (this.recording = opts.recorder !== undefined), wants = opts.recorder?.wants;
    this.eventTypes = wants?.events ? new Set(wants.events) : null;
    this.orgRecords = recording && wants?.orgYears !== false;
    this.decisions = recording && wants?.decisions !== false && typeof opts.recorder?.decision === 'function';
    const only = wants?.cityYears ? new Set(wants.cityYears) : null;
    this.cityRecords = recording && (!only || only.size) ? Uint8Array.from(w.cities, (c) => (!only || only.has(c.def.id) ? 1 : 0)) : null;
    this.p = w.params;
    this.streams = new Streams(this.seed);
    this.shortlists = new Shortlists(w);
    this.rec.begin?.({ domains: w.domains, cities: w.cities.map((c) => c.def.id), orgs: w.orgs.map((o) => o.def.id) });
    this.perCity = arrayOf(w.cities.length, () => ({ arrivals: 0, departures: 0, foundingsWon: 0, contestsWon: 0, spend: 0 }));
    this.staffYears = new Float64Array(w.cities.length);
    // Organizations founded before the start exist from the start.
    for (let i = 0; i < w.table.size; i++) if (w.table.founded[i] <= sc.start && w.table.seat[i] >= 0) w.table.active[i] = 1;
    let first = sc.start;
    for (let i = 0; i < w.table.size; i++) if (w.table.founded[i] < first) first = w.table.founded[i];
    this.firstFounded = first;
    for (const c of [...sc.contests].sort((a, b) => a.year - b.year || (a.id < b.id ? -1 : 1))) {
      if (!this.contestsByYear.has(c.year)) this.contestsByYear.set(c.year, []);
      this.contestsByYear.get(c.year)!.push(c);
    }
    for (const e of sc.events) { if (!this.eventsByYear.has(e.year)) this.eventsByYear.set(e.year, []); this.eventsByYear.get(e.year)!.push(e); }
  }

  private emit(e: EventRecord): void { if (!this.eventTypes || this.eventTypes.has(e.type)) this.rec.event(e); }
  /** Whether events of this type reach a recorder (so that the costly ones are built only then). */
  private wanted(type: EventType): boolean { return this.recording && (!this.eventTypes || this.eventTypes.has(type)); }
  private cid(i: number): string { return this.w.cities[i].def.id; }

  step(year: number): void {
    this.w.year = year;
    const inContest = new Set<number>();
    const yearContests = this.events(year, inContest);
    this.foundings(year, inContest, yearContests);
    this.cities(year);
    const pending = this.reviews(year, inContest);
    const moved = new Set<number>();
    this.moves(year, pending, moved);
    this.contests(year, yearContests, moved);
    this.growth(year, moved);
  }

  /** 1. Scheduled events. Returns the year's contests (scheduled, then searches the events start). */
  private events(year: number, inContest: Set<number>): ContestDef[] {
    const w = this.w;
    const searches: ContestDef[] = [];
    // Cities as they were: baseline attributes move along their dated history before anything happens this year.
    for (const c of w.cities) if (c.def.history) applyHistory(c, year, w.domains);
    for (const e of this.eventsByYear.get(year) ?? []) {
      const base: EventRecord = { year, type: 'event', detail: e.type + (e.note ? `: ${e.note}` : '') };
      if (e.type === 'nationalSupport') { const c = w.cities[w.cityIndex.get(e.city)!]; c.attr.nationalSupport = e.value; c.pinned.add('nationalSupport'); this.emit({ ...base, city: e.city, value: e.value }); }
      else if (e.type === 'securityShock') { const c = w.cities[w.cityIndex.get(e.city)!]; c.shock = 1 - (1 - c.shock) * (1 - e.size); this.emit({ ...base, city: e.city, value: e.size }); }
      else if (e.type === 'budgetChange') { const c = w.cities[w.cityIndex.get(e.city)!]; c.budgetMusd = e.budgetMusd ?? c.budgetMusd * e.factor!; this.emit({ ...base, city: e.city, value: c.budgetMusd }); }
      else if (e.type === 'orgBudgetCut') { const o = w.orgs[w.orgIndex.get(e.org)!]; o.budgetMusd *= 1 - e.share; o.stress = Math.max(o.stress, e.share); this.emit({ ...base, org: e.org, value: e.share }); }
      else {
        // leaseExpiry, hostWithdrawal, privilegesWithdrawn: triggers a review (or a search) of the affected organizations
        const ci = e.type === 'leaseExpiry' ? -1 : w.cityIndex.get(e.city)!;
        const affected = e.type === 'leaseExpiry' ? [w.orgIndex.get(e.org)!]
          : e.orgs ? e.orgs.map((id) => w.orgIndex.get(id)!) : w.orgs.filter((o) => o.active && o.seat === ci).map((o) => o.idx);
        for (const oi of affected) {
          const o = w.orgs[oi];
          if (e.type === 'hostWithdrawal') {
            const c = w.cities[ci];
            c.commitments = c.commitments.filter((cm) => cm.org !== oi);
            if (o.commitment?.city === ci) o.commitment = null;
          } else if (e.type === 'privilegesWithdrawn') o.noPrivileges = ci;
          else w.table.leaseOpen[oi] = 1;
          o.trigger = 1;
          this.emit({ ...base, org: o.def.id, city: ci >= 0 ? this.cid(ci) : (o.seat >= 0 ? this.cid(o.seat) : undefined) });
          if (e.search && o.active) searches.push({ id: `search_${o.def.id}_${year}`, org: o.def.id, year, includeSeat: true });
        }
      }
    }
    for (const s of searches) inContest.add(w.orgIndex.get(s.org)!);
    const scheduled = this.contestsByYear.get(year) ?? [];
    for (const c of scheduled) inContest.add(w.orgIndex.get(c.org)!);
    return [...scheduled, ...searches];
  }

  /** 2. Foundings at a given seat; synthetic foundings, which choose their seat in an open contest. */
  private foundings(year: number, inContest: Set<number>, yearContests: ContestDef[]): void {
    const { w, p, streams } = this;
    for (let i = 0; i < w.table.size; i++) {
      if (w.table.active[i] || w.table.founded[i] !== year || w.table.seat[i] < 0) continue;
      const o = w.orgs[i];
      if (!inContest.has(o.idx)) {
        o.active = true;
        this.counters.foundings++; this.perCity[o.seat].foundingsWon++;
        this.emit({ year, type: 'founding', org: o.def.id, city: this.cid(o.seat), to: this.cid(o.seat), detail: 'founded at a given seat' });
      }
    }
    // Permanent-seat contests of bodies whose interim ends this year.
    for (let i = 0; i < w.table.size; i++) {
      if (w.table.interimUntil[i] !== year || !w.table.active[i]) continue;
      const o = w.orgs[i];
      w.table.leaseOpen[i] = 1; // an interim seat carries no status-quo bonus
      yearContests.push({ id: `seat_${o.def.id}`, org: o.def.id, year, includeSeat: true });
      inContest.add(i);
    }
    if (!(p.foundings.rate > 0)) return;
    // Synthetic foundings, per domain, at a rate that depends on the domain's density (legitimation, competition).
    const density = new Float64Array(w.domains.length);
    for (let i = 0; i < w.table.size; i++) if (w.table.active[i]) density[w.table.domain[i]]++;
    const f = p.foundings, ref = f.referenceDensity;
    const shape = (n: number) => Math.pow((n + 1) / (ref + 1), f.legitimation) * Math.exp(-(n - ref) / f.capacity);
    for (let k = 0; k < w.domains.length; k++) {
      const domain = w.domains[k];
      const nNew = poisson(streams.stream('founding', `count_${domain}`, year), (f.rate / w.domains.length) * shape(density[k]));
      for (let q = 0; q < nNew; q++) {
        const r = streams.stream('founding', `new_${domain}_${q}`, year);
        const id = `new_${year}_${domain}_${q}`;
        const def: OrgDef = { id, name: `New ${domain} organization ${year}-${q}`, kind: 'intergovernmental', domain, seat: null, founded: year,
          staff: Math.max(1, Math.round(-Math.log(1 - r()) * f.meanStaff)), veto: 0, region: 'global', source: 'synthetic founding' };
        const interim = p.ecology.interimMinYears + Math.floor(r() * (p.ecology.interimMaxYears - p.ecology.interimMinYears + 1));
        const o = makeOrg(w.table, def, w.orgs.length, k, -1, p);
        w.orgs.push(o); w.orgIndex.set(id, o.idx);
        // The interim seat: the city with the best reputation for a new body of its domain (its founding conference's
        // host), where it waits for the contest that chooses its permanent seat.
        const seat = this.interimSeat(k);
        if (seat >= 0 && interim > 0) {
          o.seat = seat; o.active = true; w.table.interimUntil[o.idx] = year + interim;
          this.counters.foundings++; this.perCity[seat].foundingsWon++;
          this.emit({ year, type: 'founding', org: id, city: this.cid(seat), to: this.cid(seat), detail: `interim seat for ${interim} years` });
        } else {
          yearContests.push({ id: `founding_${id}`, org: id, year, includeSeat: false });
          inContest.add(o.idx);
        }
      }
    }
  }

  /** The city a new body of domain k takes as its interim seat: the best by reputation (the shortlist's first). */
  private interimSeat(k: number): number {
    const w = this.w;
    if (!w.cities.length) return -1;
    if (this.interimYear !== w.year) {
      // the cities as last year left them (they act after the foundings)
      recount(w);
      this.interimTable = buildCityTable(w, this.interimTable);
      this.interimYear = w.year;
      this.interimBest.clear();
    }
    let best = this.interimBest.get(k);
    if (best === undefined) {
      let bu = -Infinity;
      best = -1;
      for (let c = 0; c < w.cities.length; c++) { const u = referenceUtility(w, this.interimTable!, c, 0, k); if (u > bu) { bu = u; best = c; } }
      this.interimBest.set(k, best);
    }
    return best;
  }

  /** 3. Cities act; then this year's city table. */
  private cities(year: number): void {
    const w = this.w;
    recount(w);
    // notes only when a recorder takes events (a note's text costs more than what it records, in a bare run)
    const notes: CityNote[] | null = this.recording ? [] : null;
    citiesAct(w, hostedLists(w), notes);
    if (notes) for (const n of notes) this.emit({ year, type: n.type as EventType, city: this.cid(n.city), org: n.org !== undefined ? w.orgs[n.org].def.id : undefined, detail: n.detail, value: n.value });
    this.table = buildCityTable(w, this.table);
  }

  /** 4. Seat reviews (decisions use the state at the start of the year; moves are applied together after). */
  private reviews(year: number, inContest: Set<number>): Pending[] {
    const { w, p, table, reviewers, shortlists } = this;
    const pending: Pending[] = [];
    shortlists.reset(table);
    const nOrgs = w.table.size;
    const trace = (this.trace = this.orgRecords ? { seatUtility: new Float64Array(nOrgs).fill(NaN), hazard: new Float64Array(nOrgs), reviewed: new Uint8Array(nOrgs) } : null);
    this.agesUpTo(year - this.firstFounded);
    hazardPass(w, table, shortlists, year, inContest, this.streams, this.anchorByAge, reviewers, trace);
    for (let r = 0; r < reviewers.n; r++) {
      const o = w.orgs[reviewers.org[r]];
      const si = reviewers.stage[r];
      const weights = weightsAt(o, si, p);
      this.counters.reviews++;
      const d = decideReview(w, table, shortlists, o, weights, si, reviewers.u1[r], reviewers.u2[r]);
      if (this.stats) this.stats.evaluations += d.ids.length + 1;
      o.refUtility = reviewers.seatUtility[r];
      if (this.decisions) this.recordReview(year, o, d, weights);
      const record = (type: EventType, detail: string, extra: Partial<EventRecord> = {}) => {
        if (this.wanted(type)) this.emit({ year, type, org: o.def.id, city: this.cid(o.seat), detail, probability: d.probability, weights, chosen: ev(d.chosen, w), runnerUp: d.runnerUp ? ev(d.runnerUp, w) : undefined, ...extra });
      };
      if (d.kind === 'stay') { record('review', 'stay'); continue; }
      if (d.kind === 'move' && o.def.veto > 0 && reviewers.veto[r] < o.def.veto) {
        this.counters.vetoes++;
        record('veto', 'a member blocked the move', { from: this.cid(o.seat), to: this.cid(d.city) });
        continue;
      }
      record('review', d.kind === 'unit' ? `outpost a unit to ${this.cid(d.city)}` : 'move');
      pending.push({ o, d, weights });
    }
    return pending;
  }

  /** Every candidate of a review, term by term (the unit alternative as a mix of seat and best city). */
  private recordReview(year: number, o: OrgState, d: ReviewDecision, weights: Weights): void {
    const w = this.w, p = this.p, org = o.def.id, decision = `review:${org}`;
    const pr = d.probabilities;
    const row = (e: Evaluation, role: DecisionRecord['role'], chosen: boolean, probability: number, terms = e.terms, utility = e.utility) =>
      this.rec.decision!({ year, decision, org, rule: 'review', city: this.cid(e.city), role, chosen, probability, votes: null, moneyMusd: e.moneyMusd, terms, utility });
    row(d.seat, 'seat', d.kind === 'stay', pr.stay);
    const all = considered(w, this.table, o, weights, d);
    all.forEach((e, j) => row(e, 'move', d.kind === 'move' && e.city === d.city, pr.moves[j]));
    if (!Number.isNaN(d.unitUtility)) {
      const best = all[d.best];
      const u = p.move.unitShare;
      const terms = {} as UtilityTerms;
      for (const t of TERM_NAMES) terms[t] = (1 - u) * d.seat.terms[t] + u * best.terms[t];
      terms.officeSetup = -p.move.officeSetup;
      row(best, 'unit', d.kind === 'unit', pr.unit, terms, unitUtility(d.seat.utility, best.utility, p));
    }
  }

  /** 5. Moves and outposted units, in organization order; grants are paid while the destination's budget lasts. */
  private moves(year: number, pending: Pending[], moved: Set<number>): void {
    const w = this.w;
    for (const { o, d, weights } of pending) {
      const from = o.seat;
      if (d.kind === 'unit') {
        const chosen = this.wanted('unit') ? ev(d.chosen, w) : undefined; // evaluated before the office opens
        o.setOffice(d.city, this.p.move.unitShare);
        this.counters.units++;
        this.emit({ year, type: 'unit', org: o.def.id, city: this.cid(d.city), from: this.cid(from), to: this.cid(d.city),
          detail: `${(100 * this.p.move.unitShare).toFixed(0)}% of staff outposted after a seat review`, probability: d.probability, weights, chosen });
        continue;
      }
      // A standing offer accepted in a review binds the city like a won contest, within what it can afford.
      const standing = o.offers.get(d.city);
      let won: Won | null = null;
      if (standing) {
        const f = affordableScale(w, w.cities[d.city], o, standing);
        if (f < 1 - 1e-12) this.emit({ year, type: 'bid_scaled', org: o.def.id, city: this.cid(d.city), detail: `standing offer scaled to ${(100 * f).toFixed(1)}% to fit the budget`, value: f });
        won = { offer: scaleOffer(standing, f), contest: 'standing_offer' };
      }
      // the record's evaluations are taken before the organization moves (they describe the decision)
      const recorded = this.wanted('relocation') ? { chosen: ev(d.chosen, w), runnerUp: d.runnerUp ? ev(d.runnerUp, w) : undefined } : null;
      this.arrive(o, d.city, () => d.chosen, won, year, d.runnerUpUtility);
      moved.add(o.idx);
      this.counters.relocations++; this.perCity[d.city].arrivals++; this.perCity[from].departures++;
      if (recorded) this.emit({ year, type: 'relocation', org: o.def.id, city: this.cid(d.city), from: this.cid(from), to: this.cid(d.city), detail: 'after a seat review', probability: d.probability, weights, ...recorded });
    }
  }

  /** 6. Contests, in id order; each sees the seats and budgets left by the ones before it. */
  private contests(year: number, yearContests: ContestDef[], moved: Set<number>): void {
    const { w, p } = this;
    for (const def of yearContests) {
      const o = w.orgs[w.orgIndex.get(def.org)!];
      recount(w);
      refreshCounts(w, this.table);
      this.counters.contests++;
      const withNotes = this.wanted('bid') || this.wanted('bid_scaled');
      const out: ContestOutcome = runContest(w, this.table, def, o, this.streams, withNotes);
      w.table.interimUntil[o.idx] = 0;
      this.rec.contest?.({ year, id: def.id, org: o.def.id, outcome: out, probe: { world: w, table: this.table, org: o, streams: this.streams, def } });
      for (const n of out.notes) this.emit({ year, type: n.type as EventType, org: o.def.id, city: n.city !== undefined ? this.cid(n.city) : undefined, contest: def.id, detail: n.detail, value: n.value });
      for (const r of out.rounds) this.emit({ year, type: 'vote_round', org: o.def.id, contest: def.id, round: r.round, city: this.cid(r.votes[0][0]), detail: roundDetail(r, (c) => this.cid(c)), value: r.votes[0][1] });
      const win = out.winner;
      const cw = weightsOf(o, year, p);
      const winP = out.probabilities ? out.probabilities[out.candidates.indexOf(win)] : undefined;
      if (this.decisions) this.recordContest(year, def.id, o, out);
      this.emit({ weights: cw, year, type: 'contest_result', org: o.def.id, city: this.cid(win.city), contest: def.id, from: o.seat >= 0 ? this.cid(o.seat) : undefined, to: this.cid(win.city),
        detail: `${out.rule}; ${out.candidates.length} candidates${out.rounds.length ? `; ${out.rounds.filter((r) => r.kind !== 'sounding').length} rounds` : ''}`,
        probability: winP, chosen: ev(withBalance(win.eval, win.balance), w), runnerUp: out.runnerUp ? ev(withBalance(out.runnerUp.eval, out.runnerUp.balance), w) : undefined });
      this.perCity[win.city].contestsWon++;
      const wasSeat = o.seat;
      if (!o.active) {
        o.active = true;
        this.counters.foundings++; this.perCity[win.city].foundingsWon++;
        this.arrive(o, win.city, win.eval, win.offer ? { offer: win.offer, contest: def.id } : null, year, out.runnerUp ? out.runnerUp.eval.utility : -Infinity);
        this.emit({ year, type: 'founding', org: o.def.id, city: this.cid(win.city), to: this.cid(win.city), contest: def.id, detail: 'seat chosen in a contest' });
      } else if (win.city !== wasSeat) {
        this.arrive(o, win.city, win.eval, win.offer ? { offer: win.offer, contest: def.id } : null, year, out.runnerUp ? out.runnerUp.eval.utility : -Infinity);
        this.counters.relocations++; this.perCity[win.city].arrivals++; this.perCity[wasSeat].departures++;
        moved.add(o.idx);
        this.emit({ year, type: 'relocation', org: o.def.id, city: this.cid(win.city), from: this.cid(wasSeat), to: this.cid(win.city), contest: def.id, detail: 'after a contest', weights: cw, chosen: ev(win.eval, w), runnerUp: out.runnerUp ? ev(out.runnerUp.eval, w) : undefined });
      } else {
        o.refUtility = win.eval.utility - win.eval.terms.stayBonus;
        if (win.offer) this.commit(o, win.city, win.offer, def.id, year);
        // keeping a body in a contest is a win too: credit the levers that made it likelier
        creditArrival(w.cities[win.city], o, cw, win.eval, out.runnerUp ? out.runnerUp.eval.utility : -Infinity, p);
      }
      // Consolation: an office for a losing candidate the contest promised one (the first such, by city order).
      if (def.consolation && o.officeCity < 0) {
        const loser = out.candidates.find((x) => x.city !== win.city && def.consolation![this.cid(x.city)] !== undefined);
        if (loser) {
          const share = def.consolation[this.cid(loser.city)];
          o.setOffice(loser.city, share);
          this.counters.units++;
          this.emit({ year, type: 'unit', org: o.def.id, city: this.cid(loser.city), to: this.cid(loser.city), contest: def.id, detail: `consolation office: ${(100 * share).toFixed(0)}% of staff`, value: share });
        }
      }
    }
  }

  /** Every candidate of a contest, term by term (votes add the balance bonus all members give). */
  private recordContest(year: number, id: string, o: OrgState, out: ContestOutcome): void {
    const last = new Map<number, number>();
    for (const r of out.rounds) for (const [c, v] of r.votes) last.set(c, v);
    out.candidates.forEach((x, i) => {
      const e = withBalance(x.eval, x.balance);
      this.rec.decision!({ year, decision: id, org: o.def.id, rule: out.rule, city: this.cid(x.city), role: x.eval.role, chosen: x === out.winner,
        probability: out.probabilities ? out.probabilities[i] : null, votes: out.rule === 'vote' ? last.get(x.city) ?? 0 : null, moneyMusd: x.eval.moneyMusd, terms: e.terms, utility: e.utility });
    });
  }

  /**
   * 7. Growth, accounting and records. (Counts are rebuilt before anything reads them again: only the records
   * need them now.)
   */
  private growth(year: number, moved: Set<number>): void {
    const { w, p, rec, table, cityRecords, orgRecords } = this;
    if (cityRecords) recount(w);
    for (const c of w.cities) {
      const spendTotal = spendSum(c.spend);
      this.perCity[c.idx].spend += spendTotal;
      if (!cityRecords || !cityRecords[c.idx]) continue;
      let staff = 0; for (let k = 0; k < w.domains.length; k++) staff += c.staffByDomain[k];
      const lead = new Float64Array(w.domains.length);
      for (let k = 0; k < lead.length; k++) lead[k] = Math.min(1, c.leadershipBase[k] + c.leadershipExtra[k]);
      rec.cityYear({ year, city: c.def.id, budget: c.budgetMusd, spend: { ...c.spend }, spendTotal, budgetLeft: c.budgetLeft, levels: { ...c.levels },
        security: table.security[c.idx], attributes: STOCKS.map((_, s) => effective(c, s)), leadership: lead,
        hostedOrgs: c.hostedTotal, hostedOffices: c.officesTotal, hostedStaff: staff, orgsByDomain: c.hostedByDomain.slice(), staffByDomain: c.staffByDomain.slice() });
    }
    // Shocks act at full size in their year and recover from the next.
    for (const c of w.cities) c.shock *= 1 - p.stocks.security.shockRecovery;
    const T = w.table, trace = this.trace, nOrgs = trace ? trace.hazard.length : 0, staffYears = this.staffYears;
    const growth = [1 + p.growth.founding, 1 + p.growth.growth, 1 + p.growth.mature];
    this.agesUpTo(year - this.firstFounded);
    const newness = this.newnessByAge, deathCap = this.deathCapByAge;
    for (let k = 0; k < T.size; k++) {
      if (!T.active[k]) continue;
      const age = year - T.founded[k];
      const si = stageIndex(age, p);
      const seat = T.seat[k];
      if (orgRecords) rec.orgYear({ year, org: w.orgs[k].def.id, seat: this.cid(seat), stage: STAGE_NAMES[si], age, staff: T.staff[k], budget: T.budgetMusd[k],
        seatUtility: k < nOrgs ? trace!.seatUtility[k] : NaN, hazard: k < nOrgs ? trace!.hazard[k] : 0, reviewed: k < nOrgs && trace!.reviewed[k] === 1, moved: moved.size > 0 && moved.has(k),
        office: T.officeCity[k] >= 0 ? this.cid(T.officeCity[k]) : '' });
      staffYears[seat] += T.staff[k];
      // Death at the end of the year (liability of newness and of smallness): the organization leaves the world.
      const mu = T.deathDraw[k] < deathCap[age] ? deathHazard(newness[age], T.staff[k], p) : 0;
      if (mu > 0 && T.interimUntil[k] <= year && T.deathDraw[k] < 1 - Math.exp(-mu)) {
        const o = w.orgs[k];
        T.active[k] = 0;
        this.counters.dissolutions++;
        if (T.seat[k] >= 0) this.perCity[T.seat[k]].departures++;
        if (o.commitment) { const c = w.cities[o.commitment.city]; c.commitments = c.commitments.filter((cm) => cm.org !== k); o.commitment = null; }
        o.setOffice(-1, 0);
        this.emit({ year, type: 'dissolution', org: o.def.id, city: T.seat[k] >= 0 ? this.cid(T.seat[k]) : undefined, detail: `dissolved at age ${year - T.founded[k]} (yearly hazard ${mu.toFixed(4)})`, value: mu });
        T.deathDraw[k] = 1;
        continue;
      }
      T.staff[k] *= growth[si]; T.budgetMusd[k] *= growth[si];
      T.trigger[k] = 0; T.stress[k] = 0; T.leaseOpen[k] = 0;
    }
  }

  private commit(o: OrgState, ci: number, offer: Won['offer'], source: string, year: number): void {
    const c = this.w.cities[ci];
    const t = offerTerms(offer);
    const term = offer.term ?? 1;
    // A new agreement replaces any earlier one between the same organization and city.
    c.commitments = c.commitments.filter((x) => x.org !== o.idx);
    const cm = { org: o.idx, city: ci, until: year + term, terms: makeTerms(t.freeOffices, t.subsidyMusd, t.taxExemption, 0), source };
    c.commitments.push(cm);
    o.commitment = cm;
    const oneOff = Math.min(t.oneOffMusd, c.budgetLeft);
    c.budgetLeft -= oneOff; c.spend.oneOff += oneOff;
    this.emit({ year, type: 'commitment', org: o.def.id, city: c.def.id, contest: source, detail: `yearly terms for ${term} years from ${year + 1}; one-off ${oneOff.toFixed(3)} USD m`, value: oneOff });
  }

  /**
   * An organization takes its seat in city ci (founding, move after a review or a contest). A whole move loses
   * the staff who do not follow (section 7.12); an office in the destination merges into the new seat.
   */
  private arrive(o: OrgState, ci: number, e: Evaluation | (() => Evaluation), won: Won | null, year: number, rival: number): void {
    const { w, p } = this;
    const c = w.cities[ci];
    const weights = weightsOf(o, year, p);
    // the arrival's evaluation as decided, for the adaptive rule's credit (the only reader), before anything changes
    const credit = c.def.strategy === 'adaptive' ? (typeof e === 'function' ? e() : e) : null;
    let moving = o.staff;
    if (o.seat >= 0) {
      const old = w.cities[o.seat];
      if (old.commitments.length) old.commitments = old.commitments.filter((cm) => cm.org !== o.idx);
      o.commitment = null;
      const there = o.officeCity === ci ? o.officeShare : 0;
      const leavers = o.staff * (1 - there) * leaveShare(o.localShare, p);
      moving = o.staff * (1 - there) - leavers;
      o.staff -= leavers;
      if (o.officeCity === ci) o.setOffice(-1, 0);
    }
    // Relocation grant for the staff who move, paid while this year's budget lasts.
    const grant = Math.max(c.levels.grantMusdPerStaff, won?.offer.relocationGrantMusdPerStaff ?? 0, o.offers.get(ci)?.relocationGrantMusdPerStaff ?? 0);
    const wanted = grant * moving;
    const paid = Math.min(wanted, c.budgetLeft);
    if (paid < wanted - 1e-12) this.emit({ year, type: 'grant_shortfall', org: o.def.id, city: c.def.id, detail: `grant ${paid.toFixed(3)} of ${wanted.toFixed(3)} USD m paid`, value: paid });
    c.budgetLeft -= paid; c.spend.grants += paid;
    if (won) this.commit(o, ci, won.offer, won.contest, year);
    if (credit) creditArrival(c, o, weights, credit, rival, p);
    o.seat = ci;
    // The reference for later dissatisfaction is the seat utility in the first review year at the new seat.
    o.refUtility = NaN;
  }
}

/** An evaluation with the balance bonus members give (votes): the term and the utility. */
function withBalance(e: Evaluation, balance: number): Evaluation {
  return balance ? { ...e, terms: { ...e.terms, balance }, utility: e.utility + balance } : e;
}

/** A vote round as text: tally, then who was eliminated or withdrew (and whom they endorsed). */
export function roundDetail(r: VoteRound, id: (c: number) => string): string {
  const parts = [`${r.kind === 'points' ? 'points ' : r.kind === 'sounding' ? 'sounding ' : ''}${r.votes.map(([c, v]) => `${id(c)}:${v}`).join(' ')}`];
  if (r.eliminated !== null) parts.push(`eliminated ${id(r.eliminated)}${r.byLot ? ' by lot' : ''}`);
  for (const x of r.withdrawn) parts.push(`${id(x.city)} withdrew${x.endorsed !== null ? ` endorsing ${id(x.endorsed)}` : ''}`);
  if (r.decided) parts.push(r.byLot ? 'decided by lot' : 'decided');
  return parts.join('; ');
}

interface PerCity { arrivals: number; departures: number; foundingsWon: number; contestsWon: number; spend: number }

/** The run summary from the final world and the run's counters. */
function summarize(w: World, sc: Scenario, seed: number, lastYear: number, counters: Pick<Summary, 'relocations' | 'units' | 'foundings' | 'dissolutions' | 'reviews' | 'vetoes' | 'contests'>,
  perCity: PerCity[], staffYears: Float64Array): Summary {
  recount(w);
  const active = w.orgs.filter((o) => o.active);
  const totalOrgs = active.length;
  const totalStaff = active.reduce((s, o) => s + o.staff, 0);
  const byCity: Record<string, CitySummary> = {};
  let hhiOrgs = 0, hhiStaff = 0;
  for (const c of w.cities) {
    let staff = 0; for (let k = 0; k < w.domains.length; k++) staff += c.staffByDomain[k];
    const pc = perCity[c.idx];
    const won = pc.arrivals + pc.foundingsWon;
    byCity[c.def.id] = {
      hostedOrgs: c.hostedTotal, hostedOffices: c.officesTotal, hostedStaff: staff, arrivals: pc.arrivals, departures: pc.departures, foundingsWon: pc.foundingsWon,
      contestsWon: pc.contestsWon, spendMusd: pc.spend, staffYearsHosted: staffYears[c.idx],
      costPerOrgWonMusd: won > 0 ? pc.spend / won : null,
      costPerStaffYearMusd: staffYears[c.idx] > 0 ? pc.spend / staffYears[c.idx] : null,
    };
    if (totalOrgs) hhiOrgs += (c.hostedTotal / totalOrgs) ** 2;
    if (totalStaff) hhiStaff += (staff / totalStaff) ** 2;
  }
  const ranked = w.cities.map((c) => ({ city: c.def.id, orgs: c.hostedTotal })).sort((a, b) => b.orgs - a.orgs || (a.city < b.city ? -1 : 1));
  const top5 = ranked.slice(0, 5);
  return {
    scenario: sc.name, arm: sc.arm ?? null, seed, firstYear: sc.start, lastYear,
    cities: w.cities.length, organizations: totalOrgs, ...counters,
    concentration: { hhiOrgs, hhiStaff, top5ShareOrgs: totalOrgs ? top5.reduce((s, x) => s + x.orgs, 0) / totalOrgs : 0, top5 },
    byCity,
  };
}
