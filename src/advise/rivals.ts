/**
 * Rivals: which cities of a scenario are passive (they never spend, bid or court), and the best offer a rival can
 * make within its budget when it fights back.
 */
import type { Scenario } from '../scenario/load.ts';
import type { CityDef, Offer } from '../scenario/schema.ts';
import { termsCost } from '../model/cities.ts';
import { evaluate, leaveShare, specificTerms, offerTerms, stayBonusOf, type Role } from '../model/scoring.ts';
import { makeTerms, weightsOf, type CityState, type OrgState, type World } from '../model/world.ts';
import type { CityTable } from '../model/scoring.ts';

export interface PassiveCity { id: string; reason: string }

const hasLevers = (l: CityDef['levers']) => Object.entries(l).some(([k, v]) => k !== 'targets' && (typeof v === 'number' ? v > 0 : v && typeof v === 'object' && Object.values(v).some((x) => Number(x) > 0)));

/** Whether a scenario event gives the city a budget at some point (it is then passive only until that year). */
function budgetLater(sc: Scenario, id: string): number | null {
  const e = sc.events.filter((x) => x.type === 'budgetChange' && x.city === id && (x.budgetMusd ?? 0) > 0).sort((a, b) => a.year - b.year)[0];
  return e ? e.year : null;
}

/**
 * Cities of a scenario that never act: no attraction budget (their levers, commitments and bids are scaled to
 * nothing), or a fixed strategy with no levers, schedule, bid, standing offer or scripted contest bid. Synthetic
 * cities of a generated population are not listed (they act by their type).
 */
export function passiveCities(sc: Scenario): PassiveCity[] {
  const scripted = new Set(sc.contests.flatMap((c) => Object.keys(c.bids ?? {})));
  const out: PassiveCity[] = [];
  for (const c of sc.cities) {
    const later = budgetLater(sc, c.id);
    if (c.budgetMusd <= 0) {
      if (later === null) out.push({ id: c.id, reason: 'no attraction budget' });
      continue;
    }
    if (c.strategy === 'fixed' && !hasLevers(c.levers) && !c.schedule.some((s) => hasLevers(s.levers)) && !c.bid && !c.offers.length && !scripted.has(c.id)) {
      out.push({ id: c.id, reason: 'fixed strategy without levers, bids or offers' });
    }
  }
  return out;
}

/** Scripted contest bids that a city cannot pay: it has no attraction budget when the contest is held. */
export function unpaidBids(sc: Scenario): { contest: string; city: string }[] {
  const budget = new Map(sc.cities.map((c) => [c.id, c.budgetMusd]));
  const out: { contest: string; city: string }[] = [];
  for (const k of sc.contests) for (const id of Object.keys(k.bids ?? {}).sort()) {
    const later = budgetLater(sc, id);
    if ((budget.get(id) ?? 0) <= 0 && (later === null || later > k.year)) out.push({ contest: k.id, city: id });
  }
  return out;
}

/**
 * Warnings about passive cities and unpayable bids, one line each. `limit` caps the cities named in the first
 * line (the rest are counted); the hint says how to make rivals act.
 */
export function passivityWarnings(sc: Scenario, limit = Infinity): string[] {
  const lines: string[] = [];
  const passive = passiveCities(sc);
  if (passive.length) {
    const byReason = new Map<string, string[]>();
    for (const p of passive) byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p.id]);
    const named = [...byReason.entries()].map(([reason, ids]) => {
      const shown = ids.slice(0, limit);
      return `${shown.join(', ')}${ids.length > shown.length ? ` and ${ids.length - shown.length} more` : ''} (${reason})`;
    });
    lines.push(`warning: ${passive.length} of ${sc.cities.length} cities are passive: they never spend, bid or court an organization: ${named.join('; ')}`
      + `${Number.isFinite(limit) && passive.length > limit ? ' (hqsim validate names them all)' : ''}. Rivals that never act make any contest easier to win:`
      + ' give them a budget and a strategy, or set `seeds: { defaultBudgets: true }` so that seed cities take the default attraction budget of their income group and hosting, and act by their type (seeds/README.md).');
  }
  for (const b of unpaidBids(sc)) lines.push(`warning: contest ${b.contest}: ${b.city} has no attraction budget, so its scripted bid is scaled to nothing (bids must fit the city's budget)`);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// Best responses
// ---------------------------------------------------------------------------------------------------------------

/** Staff an arrival moves (and a relocation grant is paid for): all of a founding's, none if c is the seat. */
export function movingStaff(o: OrgState, ci: number, w: World): number {
  if (o.seat < 0) return o.staff;
  if (o.seat === ci) return 0;
  const there = o.officeCity === ci ? o.officeShare : 0;
  return o.staff * (1 - there) * (1 - leaveShare(o.localShare, w.params));
}

/** What a city can still commit: yearly room beside its commitments, and this year's money left. */
export function budgetRoom(w: World, c: CityState): { yearly: number; once: number } {
  let committed = 0;
  for (const cm of c.commitments) committed += termsCost(c, w.orgs[cm.org].staff, cm.terms, w.params);
  return { yearly: Math.max(0, c.budgetMusd - committed), once: Math.max(0, c.budgetLeft) };
}

/**
 * The best offer city c can make organization o within its budget: every packing of its yearly room (beside its
 * commitments, for `strategy.bidTerm` years) and of this year's money left into the offer's components is valued
 * by the organization's own utility, and the best is kept. Null when the city has nothing to offer.
 */
export function bestResponse(w: World, t: CityTable, o: OrgState, c: CityState): Offer | null {
  const p = w.params;
  const { yearly, once } = budgetRoom(w, c);
  if (yearly <= 1e-12 && once <= 1e-12) return null;
  const term = p.strategy.bidTerm;
  const staff = o.staff;
  const unitF = termsCost(c, staff, makeTerms(1, 0, 0, 0), p), unitX = termsCost(c, staff, makeTerms(0, 0, 1, 0), p);
  const moving = movingStaff(o, c.idx, w);
  // Yearly room: all as a subsidy, or in kind first (free offices, then tax exemption, then a subsidy).
  const f = unitF > 0 ? Math.min(1, yearly / unitF) : 0;
  const x = unitX > 0 ? Math.min(1, Math.max(0, yearly - f * unitF) / unitX) : 0;
  const inKind = { freeOffices: f, taxExemption: x, subsidyMusd: Math.max(0, yearly - f * unitF - x * unitX) };
  const cash = { subsidyMusd: yearly };
  // Money left this year: all one-off, or a relocation grant up to the relocation cost per person first.
  const g = moving > 0 ? Math.min(p.move.costPerStaffMusd, once / moving) : 0;
  const oneOff = { oneOffMusd: once };
  const withGrant = { relocationGrantMusdPerStaff: g, oneOffMusd: Math.max(0, once - g * moving) };
  const packages: Offer[] = [];
  for (const y of [cash, inKind]) for (const z of [oneOff, withGrant]) packages.push(clean({ ...y, ...z, term }));
  const role: Role = c.idx === o.seat ? 'seat' : o.seat >= 0 ? 'move' : 'found';
  const weights = weightsOf(o, w.year, p);
  const stay = stayBonusOf(w, o.idx);
  let best: Offer | null = null, bestU = -Infinity;
  for (const offer of packages) {
    const u = evaluate(w, t, o, c, weights, role, specificTerms(c, o, w.year, offerTerms(offer)), stay).utility;
    if (u > bestU + 1e-12) { bestU = u; best = offer; }
  }
  return best;
}

function clean(o: Offer): Offer {
  const out: Offer = {};
  for (const [k, v] of Object.entries(o) as [keyof Offer, number][]) if (k === 'term' || v > 0) out[k] = v;
  return out;
}
