/**
 * Cities act: commitments are honoured first, then the strategy turns the remaining budget into lever levels
 * and investments; investments enter delay pipelines and build stocks that decay. Budgets are hard limits.
 */
import type { Params } from './params.ts';
import type { Levers, Offer, Weights } from '../scenario/schema.ts';
import { makeTerms, NO_TERMS, type Allocation, type CityState, type OrgState, type Terms, type World } from './world.ts';
import { effective, leadershipOf, offerTerms, safetyOf, type Evaluation } from './scoring.ts';
import { GROUPS, investResponse, relatedIndex, STOCKS, stockBase, stockStep, throughPipe, type Group, type StockParams } from './stocks.ts';
import { resolveLevers } from './levers.ts';

export interface CityNote { city: number; type: string; org?: number; detail: string; value?: number }

export function officeCostMusd(c: CityState, staff: number, p: Params): number {
  return p.levers.officeCostPerStaffMusd * c.attr.officeCost * staff;
}

/** Yearly cost to a city of granting terms to an organization of `staff`. */
export function termsCost(c: CityState, staff: number, t: Terms, p: Params): number {
  return t.freeOffices * officeCostMusd(c, staff, p) + t.subsidyMusd + t.taxExemption * p.levers.taxCostPerStaffMusd * staff;
}

export function leversForYear(c: CityState, year: number): Levers {
  let l = c.def.levers;
  for (const s of c.def.schedule) if (year >= s.from && (s.to === undefined || year <= s.to)) l = s.levers;
  return l;
}

export function defaultAllocation(c: CityState, p: Params): Allocation {
  const type = c.def.strategy === 'rising' || c.def.strategy === 'specialized' || c.def.strategy === 'node' ? c.def.strategy : c.def.type;
  const a: Partial<Record<Group, number>> = c.def.allocation ?? p.strategy[type];
  return Object.fromEntries(GROUPS.map((g) => [g, a[g] ?? 0])) as Allocation;
}

function leadershipDomains(c: CityState, w: World): number[] {
  const all = w.domains.map((_, k) => k);
  if (c.def.strategy === 'node' || (c.def.strategy === 'adaptive' && c.def.type === 'node')) return all;
  const focus = c.def.focusDomains.map((d) => w.domainIndex.get(d)).filter((k): k is number => k !== undefined);
  return focus.length ? focus : all;
}

/** Active organizations hosted by each city, in organization order: city c's are list[start[c] .. start[c + 1]). */
export interface Hosted {
  start: Int32Array;
  list: Int32Array;
  /**
   * At each position of `list`, what the cities' year reads of that organization, gathered in the list's order: its
   * staff and domain, the city that withdrew its privileges (-1: none) and whether it had a commitment when the lists
   * were made (the year's cities only end commitments, so a 1 may since have ended: read the commitment itself).
   */
  staff: Float64Array;
  domain: Int32Array;
  noPrivileges: Int32Array;
  committed: Uint8Array;
}

/**
 * Active organizations by seat, in organization order (a counting sort: offsets per city, then indices). The arrays
 * are views of buffers kept per world and grown as needed: the lists are made every year, and a fresh set of typed
 * arrays the size of the world each year is memory outside the heap that the collector must account for. A result
 * holds until the next call for the same world.
 */
export function hostedLists(w: World): Hosted {
  const T = w.table, n = T.size, nc = w.cities.length, active = T.active, seat = T.seat;
  let b = hostedBuffers.get(w);
  if (!b || b.start.length !== nc + 1) {
    b = { start: new Int32Array(nc + 1), next: new Int32Array(nc), list: new Int32Array(0), staff: new Float64Array(0), domain: new Int32Array(0), noPrivileges: new Int32Array(0), committed: new Uint8Array(0) };
    hostedBuffers.set(w, b);
  }
  const start = b.start.fill(0), next = b.next;
  for (let i = 0; i < n; i++) { const s = seat[i]; if (active[i] && s >= 0) start[s + 1]++; }
  for (let c = 0; c < nc; c++) start[c + 1] += start[c];
  next.set(start.subarray(0, nc));
  const m = start[nc];
  if (b.list.length < m) {
    const cap = Math.max(m, 2 * b.list.length);
    b.list = new Int32Array(cap); b.staff = new Float64Array(cap); b.domain = new Int32Array(cap); b.noPrivileges = new Int32Array(cap); b.committed = new Uint8Array(cap);
  }
  const list = b.list.subarray(0, m), staff = b.staff.subarray(0, m), domain = b.domain.subarray(0, m), noPrivileges = b.noPrivileges.subarray(0, m), committed = b.committed.subarray(0, m);
  const tStaff = T.staff, tDomain = T.domain, tNoPriv = T.noPrivileges, tCommitted = T.committed;
  for (let i = 0; i < n; i++) {
    const s = seat[i];
    if (!active[i] || s < 0) continue;
    const q = next[s]++;
    list[q] = i; staff[q] = tStaff[i]; domain[q] = tDomain[i]; noPrivileges[q] = tNoPriv[i]; committed[q] = tCommitted[i];
  }
  return { start, list, staff, domain, noPrivileges, committed };
}
/** per world: `hostedLists`' buffers (a Hosted at full capacity) and its scratch of next positions per city */
const hostedBuffers = new WeakMap<World, Hosted & { next: Int32Array }>();

/**
 * A dormant city this year: a fixed strategy with no budget, no commitments and no levers, nothing built above its
 * baselines and nothing waiting in its pipelines. Its year changes nothing (a stock at 0 without investment stays
 * at 0; an empty or all-zero pipeline returns 0, and a later investment still takes `delay` years to arrive), so
 * citiesAct skips it: most seed cities a scenario includes without a budget are dormant every year.
 */
function dormant(c: CityState, year: number): boolean {
  if (c.budgetMusd !== 0 || c.commitments.length || c.def.strategy !== 'fixed') return false;
  if (Object.keys(leversForYear(c, year)).length) return false;
  for (let s = 0; s < c.extra.length; s++) if (c.extra[s] !== 0) return false;
  for (let k = 0; k < c.leadershipExtra.length; k++) if (c.leadershipExtra[k] !== 0) return false;
  for (const pipe of c.pipes) for (const x of pipe) if (x !== 0) return false;
  if (c.pipeLeadership.length) for (const x of c.pipeLeadership[0]) if (x !== 0) return false;
  return true;
}

// Named-field helpers for the stocks (in STOCKS order; stockBase is in stocks.ts): the yearly loop over cities reads
// and writes these records field by field, not by a computed key (a keyed access on many names is much slower).

/** Each stock's share of a strategy's free budget. */
export function investFromAllocation(a: Allocation, free: number, invest: Float64Array): void {
  invest[0] = a.security * free; invest[1] = a.schools * free; invest[2] = a.connectivity * free; invest[3] = a.conference * free;
  invest[4] = a.legal * free; invest[5] = a.livability * free; invest[6] = a.workforce * free; invest[7] = a.openness * free;
}

/** A fixed-strategy city's yearly investment in each stock (its `<stock>Musd` levers; 0 when not set). */
export function investFromLevers(l: Levers, invest: Float64Array): void {
  invest[0] = l.securityMusd ?? 0; invest[1] = l.schoolsMusd ?? 0; invest[2] = l.connectivityMusd ?? 0; invest[3] = l.conferenceMusd ?? 0;
  invest[4] = l.legalMusd ?? 0; invest[5] = l.livabilityMusd ?? 0; invest[6] = l.workforceMusd ?? 0; invest[7] = l.opennessMusd ?? 0;
}

/** This year's investment per stock into the year's spending, and added to the adaptive rule's window. */
export function recordInvestment(sp: CityState['spend'], win: Allocation, invest: Float64Array): void {
  sp.security = invest[0]; sp.schools = invest[1]; sp.connectivity = invest[2]; sp.conference = invest[3];
  sp.legal = invest[4]; sp.livability = invest[5]; sp.workforce = invest[6]; sp.openness = invest[7];
  win.security += invest[0]; win.schools += invest[1]; win.connectivity += invest[2]; win.conference += invest[3];
  win.legal += invest[4]; win.livability += invest[5]; win.workforce += invest[6]; win.openness += invest[7];
}

/** `notes` receives what a record would say (commitments ended or scaled, budget limits, adaptations); null: nobody reads them. */
export function citiesAct(w: World, hosted: Hosted, notes: CityNote[] | null): void {
  const p = w.params;
  const stockParams = STOCKS.map((name) => p.stocks[name]);
  const nd = w.domains.length;
  const { list, staff: hStaff, domain: hDomain, noPrivileges: hNoPriv, committed: hCommitted } = hosted;
  for (const c of w.cities) {
    const sp = c.spend;
    sp.freeOffices = 0; sp.taxExemption = 0; sp.subsidy = 0; sp.grants = 0; sp.schools = 0; sp.security = 0; sp.leadership = 0; sp.commitments = 0; sp.oneOff = 0;
    const B = c.budgetMusd;
    const from = hosted.start[c.idx], to = hosted.start[c.idx + 1];
    if (dormant(c, w.year)) {
      // Every step below would leave a dormant city as it is: no money, no levels, stocks at rest.
      c.investPlan.fill(0);
      c.leadershipPlan.fill(0);
      c.targets.fill(1);
      c.levels = makeTerms(0, 0, 0, 0);
      c.untargeted = makeTerms(0, 0, 0, 0);
      c.budgetLeft = 0;
      continue;
    }
    // office cost per staff member in this city (officeCostMusd(c, staff) = perStaff * staff)
    const officePerStaff = p.levers.officeCostPerStaffMusd * c.def.officeCost;

    // 1. Commitments bind first; they end with their term or when the organization leaves.
    if (c.commitments.length) c.commitments = c.commitments.filter((cm) => {
      const keep = cm.until >= w.year && w.orgs[cm.org].seat === c.idx && w.orgs[cm.org].active;
      if (!keep) {
        notes?.push({ city: c.idx, type: 'commitment_end', org: cm.org, detail: cm.source });
        if (w.orgs[cm.org].commitment === cm) w.orgs[cm.org].commitment = null;
      }
      return keep;
    });
    let commitCost = 0;
    for (const cm of c.commitments) commitCost += termsCost(c, w.orgs[cm.org].staff, cm.terms, p);
    if (commitCost > B + 1e-9) {
      const f = B / commitCost;
      notes?.push({ city: c.idx, type: 'commitment_shortfall', detail: `commitments ${commitCost.toFixed(3)} exceed budget ${B.toFixed(3)}; scaled by ${f.toFixed(3)}`, value: f });
      for (const cm of c.commitments) cm.terms = scaleTerms(cm.terms, f);
      commitCost = B;
    }
    c.spend.commitments = commitCost;
    const free = Math.max(0, B - commitCost);

    // 2. The strategy sets lever levels and investments.
    let levels: Terms;
    const invest = c.investPlan;
    invest.fill(0);
    const leadership = c.leadershipPlan;
    leadership.fill(0);
    c.targets.fill(1);
    if (c.def.strategy === 'fixed') {
      const l = resolveLevers(leversForYear(c, w.year), B);
      if (l.targets) { c.targets.fill(0); for (const d of l.targets) { const k = w.domainIndex.get(d); if (k !== undefined) c.targets[k] = 1; } }
      levels = makeTerms(l.freeOffices ?? 0, l.operatingSubsidyMusd ?? 0, l.taxExemption ?? 0, l.relocationGrantMusdPerStaff ?? 0);
      investFromLevers(l, invest);
      for (const [d, v] of Object.entries(l.leadershipMusd ?? {})) { const k = w.domainIndex.get(d); if (k !== undefined) leadership[k] += v; }
    } else {
      if (!c.allocation) c.allocation = defaultAllocation(c, p);
      if (c.def.strategy === 'specialized' || (c.def.strategy === 'adaptive' && c.def.type === 'specialized')) {
        const focus = (c.leadershipDomains ??= leadershipDomains(c, w));
        if (focus.length < nd) { c.targets.fill(0); for (const k of focus) c.targets[k] = 1; }
      }
      const a = c.allocation;
      const cash = a.cash * free;
      let tStaff = 0, tCount = 0, tOffice = 0;
      for (let q = from; q < to; q++) {
        if (c.targets[hDomain[q]]) { const staff = hStaff[q]; tStaff += staff; tCount++; tOffice += officePerStaff * staff; }
      }
      const refOffice = tOffice + officeCostMusd(c, p.levers.refStaff, p);
      const refTax = p.levers.taxCostPerStaffMusd * (tStaff + p.levers.refStaff);
      levels = makeTerms(
        refOffice > 0 ? Math.min(1, cash * p.strategy.cashFreeOffices / refOffice) : 1, // free offices
        cash * p.strategy.cashSubsidy / (tCount + 1), // operating subsidy
        Math.min(1, cash * p.strategy.cashTax / refTax), // tax exemption
        p.strategy.bidGrantMusdPerStaff,
      );
      investFromAllocation(a, free, invest);
      const ld = (c.leadershipDomains ??= leadershipDomains(c, w));
      for (const k of ld) leadership[k] = a.leadership * free / ld.length;
    }

    // 3. Cost of the general levers for hosted organizations of target domains (beyond their commitments).
    let general = 0;
    const parts = { freeOffices: 0, taxExemption: 0, subsidy: 0 };
    for (let q = from; q < to; q++) {
      if (!c.targets[hDomain[q]]) continue;
      const cm = hCommitted[q] ? w.orgs[list[q]].commitment : null;
      const committed = cm && cm.city === c.idx ? cm.terms : NO_TERMS;
      const staff = hStaff[q];
      const f = Math.max(0, levels.freeOffices - committed.freeOffices) * (officePerStaff * staff);
      // no tax is forgone for staff of an organization whose privileges this city withdrew
      const tx = hNoPriv[q] === c.idx ? 0 : Math.max(0, levels.taxExemption - committed.taxExemption) * p.levers.taxCostPerStaffMusd * staff;
      const s = Math.max(0, levels.subsidyMusd - committed.subsidyMusd);
      parts.freeOffices += f; parts.taxExemption += tx; parts.subsidy += s;
    }
    general = parts.freeOffices + parts.taxExemption + parts.subsidy;
    let lsum = 0, isum = 0;
    for (let k = 0; k < nd; k++) lsum += leadership[k];
    for (let s = 0; s < STOCKS.length; s++) isum += invest[s];
    let spent = isum + lsum;
    const planned = general + spent;
    if (planned > free + 1e-9) {
      // Hard budget limit: every discretionary lever is scaled by the same factor.
      const f = free / planned;
      notes?.push({ city: c.idx, type: 'budget_limit', detail: `planned ${planned.toFixed(3)} exceeds free budget ${free.toFixed(3)}; levers scaled by ${f.toFixed(3)}`, value: f });
      levels = makeTerms(levels.freeOffices * f, levels.subsidyMusd * f, levels.taxExemption * f, levels.grantMusdPerStaff);
      parts.freeOffices *= f; parts.taxExemption *= f; parts.subsidy *= f;
      for (let s = 0; s < STOCKS.length; s++) invest[s] *= f;
      for (let k = 0; k < nd; k++) leadership[k] *= f;
      general *= f; spent *= f; lsum *= f;
    }
    c.levels = levels;
    c.untargeted = makeTerms(0, 0, 0, levels.grantMusdPerStaff);
    sp.freeOffices = parts.freeOffices;
    sp.taxExemption = parts.taxExemption;
    sp.subsidy = parts.subsidy;
    recordInvestment(sp, c.spendWindow, invest);
    sp.leadership = lsum;
    c.spendWindow.cash += general;
    c.spendWindow.leadership += lsum;
    c.budgetLeft = Math.max(0, B - commitCost - general - spent);

    // 4. Stocks: investments arrive after their delay, build toward 1 and decay toward the baseline; leadership too.
    stepStocks(c, invest, stockParams);
    stepLeadership(c, leadership, (w.related ??= relatedIndex(w.domains)), p);

    // 5. Adaptive rule: move budget from the lever group that made arrivals least likely per dollar to the best.
    if (c.def.strategy === 'adaptive' && c.allocation && w.year > w.start && ((w.year - w.start) % p.strategy.adaptEvery) === 0) adapt(c, p, notes);
  }
}

/** A year of every stock of city c: the investment that arrives after its delay, then `stockStep`. */
function stepStocks(c: CityState, invest: Float64Array, stockParams: readonly StockParams[]): void {
  for (let s = 0; s < STOCKS.length; s++) {
    const sp = stockParams[s];
    c.extra[s] = stockStep(c.extra[s], stockBase(c.attr, s), throughPipe(c.pipes[s], c.pipeHead, s, invest[s]), sp);
  }
}

/** A year of c's issue leadership: each domain's investment also builds its related domains (spillover, not spent twice). */
function stepLeadership(c: CityState, leadership: Float64Array, related: number[][], p: Params): void {
  const lead = p.stocks.leadership, nd = leadership.length;
  const eff = leadershipPipe(c, leadership, lead.delay);
  const spill = c.leadershipSpill, spillover = lead.spillover, extra = c.leadershipExtra, base = c.leadershipBase;
  for (let k = 0; k < nd; k++) { let x = eff[k]; const rk = related[k]; for (let q = 0; q < rk.length; q++) x += spillover * eff[rk[q]]; spill[k] = x; }
  // domains often receive the same investment (a strategy spreads leadership evenly): its response is computed once
  let lastInvest = NaN, lastResponse = 0;
  for (let k = 0; k < nd; k++) {
    const x = spill[k];
    if (x > 0 && x !== lastInvest) { lastInvest = x; lastResponse = investResponse(x, lead); }
    extra[k] = stockStep(extra[k], base[k], x, lead, lastResponse);
  }
}

/** Leadership investments wait `delay` years in a ring buffer; returns the investment that takes effect now. */
function leadershipPipe(c: CityState, invest: Float64Array, delay: number): Float64Array {
  if (delay <= 0) return invest;
  const nd = invest.length;
  if (c.pipeLeadership.length === 0) c.pipeLeadership.push(new Float64Array(delay * nd), new Float64Array(nd), new Float64Array(1));
  const [ring, out, head] = c.pipeLeadership;
  const h = head[0] * nd;
  for (let k = 0; k < nd; k++) { out[k] = ring[h + k]; ring[h + k] = invest[k]; }
  head[0] = (head[0] + 1) % delay;
  return out;
}

function adapt(c: CityState, p: Params, notes: CityNote[] | null): void {
  const a = c.allocation!;
  const rate = GROUPS.map((g) => (c.spendWindow[g] > 1e-9 ? c.payoff[g] / c.spendWindow[g] : NaN));
  let best = -1, worst = -1;
  GROUPS.forEach((_, i) => {
    if (Number.isNaN(rate[i])) return;
    if (best < 0 || rate[i] > rate[best]) best = i;
    if (worst < 0 || rate[i] < rate[worst]) worst = i;
  });
  if (best >= 0 && worst >= 0 && best !== worst && rate[best] > rate[worst]) {
    const delta = Math.min(p.strategy.adaptRate, a[GROUPS[worst]]);
    a[GROUPS[worst]] -= delta;
    a[GROUPS[best]] += delta;
    notes?.push({ city: c.idx, type: 'adapt', detail: `${GROUPS[worst]} -> ${GROUPS[best]} (${delta.toFixed(3)}); allocation ${GROUPS.filter((g) => a[g] > 0).map((g) => `${g} ${a[g].toFixed(3)}`).join(' ')}`, value: delta });
  }
  for (const g of GROUPS) { c.payoff[g] = 0; c.spendWindow[g] = 0; }
}

/**
 * What each lever group added to an arrival's utility of city c (utility units): the money offered (cash), the part
 * of each attribute built by the city's stocks above its baseline, and leadership built above the city's brand.
 */
export function groupContributions(c: CityState, o: OrgState, w: Weights, e: Evaluation, p: Params): Record<Group, number> {
  const d = p.drivers, clamp = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
  const built = (s: number, base: number) => effective(c, s) - clamp(base);
  const legal = o.noPrivileges !== c.idx;
  return {
    cash: e.terms.offer,
    security: w.security * d.security.safety * (safetyOf(c) - clamp(c.attr.safety * (1 - c.shock))),
    schools: w.operations * d.operations.schools * built(1, c.attr.schools),
    connectivity: w.operations * d.operations.connectivity * built(2, c.attr.connectivity),
    conference: w.operations * d.operations.conference * built(3, c.attr.conference),
    legal: legal ? w.security * d.security.legal * built(4, c.attr.legal) : 0,
    livability: w.operations * d.operations.livability * built(5, c.attr.livability),
    workforce: w.operations * d.operations.workforce * built(6, c.attr.workforce),
    openness: w.values * d.values.openness * built(7, c.attr.openness),
    leadership: w.values * d.values.leadership * (leadershipOf(c, o.domain) - clamp(c.leadershipBase[o.domain])),
  };
}

/**
 * Credit an arrival to the lever groups that made it more likely (for the adaptive rule): each group gets the
 * probability the arrival would have lost without what that group built, in a binary logit of the chosen city
 * against its best alternative (`rival`, utility): sigma(gap / T) - sigma((gap - contribution) / T).
 */
export function creditArrival(c: CityState, o: OrgState, w: Weights, e: Evaluation, rival: number, p: Params): void {
  if (c.def.strategy !== 'adaptive') return; // only the adaptive rule reads the payoff
  const T = p.choice.temperature;
  const sig = (x: number) => 1 / (1 + Math.exp(-x / T));
  const gap = Number.isFinite(rival) ? e.utility - rival : Infinity;
  const pNow = Number.isFinite(gap) ? sig(gap) : 1;
  const parts = groupContributions(c, o, w, e, p);
  for (const g of GROUPS) c.payoff[g] += Math.max(0, pNow - (Number.isFinite(gap) ? sig(gap - parts[g]) : 1));
}

export function scaleTerms(t: Terms, f: number): Terms {
  return makeTerms(t.freeOffices * f, t.subsidyMusd * f, t.taxExemption * f, t.grantMusdPerStaff * f);
}

/** The offer a city makes in an open contest, by its strategy; null when it does not bid. */
export function autoBid(c: CityState, o: OrgState, w: World): Offer | null {
  const p = w.params;
  const s = c.def.strategy === 'adaptive' ? c.def.type : c.def.strategy;
  if (s === 'fixed') return c.def.bid ?? null;
  if (s === 'specialized' && c.def.focusDomains.length && !c.def.focusDomains.includes(w.domains[o.domain])) return null;
  const l = c.levels;
  const base: Offer = {
    freeOffices: l.freeOffices, subsidyMusd: l.subsidyMusd, taxExemption: l.taxExemption,
    relocationGrantMusdPerStaff: p.strategy.bidGrantMusdPerStaff, term: p.strategy.bidTerm,
  };
  if (s === 'rising') return { ...base, freeOffices: 1, oneOffMusd: p.strategy.bidOneOffShare * c.budgetMusd };
  if (s === 'specialized') return { ...base, oneOffMusd: p.strategy.bidOneOffShare * c.budgetMusd };
  return base; // node: its standing levels, no one-off money
}

/**
 * Fit an offer into the city's budget: yearly terms must fit beside existing commitments, one-off money and
 * grants into what is left this year. Returns the scale applied (1 = affordable as offered).
 */
export function affordableScale(w: World, c: CityState, o: OrgState, offer: Offer): number {
  const p = w.params;
  const t = offerTerms(offer);
  // Every commitment in force counts, including those made earlier this year.
  let committed = 0;
  for (const cm of c.commitments) committed += termsCost(c, w.orgs[cm.org].staff, cm.terms, p);
  const yearly = termsCost(c, o.staff, t, p);
  const once = t.oneOffMusd + t.grantMusdPerStaff * o.staff;
  let f = 1;
  if (yearly > 0) f = Math.min(f, Math.max(0, c.budgetMusd - committed) / yearly);
  if (once > 0) f = Math.min(f, c.budgetLeft / once);
  return Math.max(0, Math.min(1, f));
}

export function scaleOffer(o: Offer, f: number): Offer {
  return {
    freeOffices: (o.freeOffices ?? 0) * f, subsidyMusd: (o.subsidyMusd ?? 0) * f, taxExemption: (o.taxExemption ?? 0) * f,
    relocationGrantMusdPerStaff: (o.relocationGrantMusdPerStaff ?? 0) * f, oneOffMusd: (o.oneOffMusd ?? 0) * f, term: o.term,
  };
}
