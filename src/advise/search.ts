/**
 * The search for the cheapest offer that reaches a target win probability.
 *
 * Greedy marginal allocation: from the empty offer, each step adds a slice of money (a present value) to the one
 * component that buys the most probability per USD, with every candidate step decided on the same replications
 * (common random numbers), so that differences between steps are differences of the offer, not of luck. When no
 * component gains, the slice is doubled (a vote moves only when enough members change their minds); slices grow
 * by a quarter after each accepted step, so that small and large prices are both reached in a few dozen steps.
 * The step that crosses the target is then bisected, so the price is not overstated by the slice size. Components
 * that buy the same probability per USD (in this model money is worth its cost to the organization in whatever
 * form) are taken in the order of COMPONENTS: the relocation grant, free offices, tax exemption, an operating
 * subsidy, one-off money.
 */
import { COMPONENTS, COMPONENT_INFO, offerCost, unitCost, type Component, type CostBasis, type FullOffer } from './offer.ts';

/** Mean win probability of each offer over the search replications. */
export type Probe = (offers: FullOffer[]) => Promise<number[]>;

export interface CurvePoint { costMusd: number; probability: number; offer: FullOffer; added: Component | null }

export interface SearchResult {
  feasible: boolean;
  /** the cheapest offer reaching the target; when none does, the offer with the highest probability found */
  offer: FullOffer;
  costMusd: number;
  probability: number;
  curve: CurvePoint[];
  /** why the search stopped: the target was reached, the budget was spent, no component gained any more, or the step limit */
  stop: 'target' | 'budget' | 'bounds' | 'plateau' | 'steps';
  /** the costliest offer tried and its probability: how far money was pushed before the search gave up */
  maxTried: { costMusd: number; probability: number };
}

export interface SearchOptions {
  target: number;
  start: FullOffer;
  basis: CostBasis;
  /** the first slice, USD m (present value) */
  step: number;
  /** the most the offer may cost, USD m (present value) */
  budgetMusd: number;
  /** what the city's budget leaves for the offer: yearly terms (USD m a year) and money paid at once (USD m) */
  room: { yearly: number; once: number };
  maxSteps?: number;
}

const YEARLY: readonly Component[] = ['freeOffices', 'taxExemption', 'subsidyMusd'];

/**
 * How much more of component k an offer can take: shares stop at 1, yearly terms at the city's yearly room, money
 * paid at once at what is left of its budget this year.
 */
export function headroom(k: Component, at: FullOffer, basis: CostBasis, room: SearchOptions['room']): number {
  // The budget's room is kept a millionth short, so that the offer written with six digits still fits it.
  let budgetRoom: number;
  if (YEARLY.includes(k)) {
    const used = at.freeOffices * basis.freeOffices + at.taxExemption * basis.taxExemption + at.subsidyMusd * basis.subsidyMusd;
    budgetRoom = basis[k as 'freeOffices'] > 0 ? (room.yearly * (1 - 1e-6) - used) / basis[k as 'freeOffices'] : 0;
  } else {
    const used = at.oneOffMusd + at.relocationGrantMusdPerStaff * basis.moving;
    const per = k === 'oneOffMusd' ? 1 : basis.moving;
    budgetRoom = per > 0 ? (room.once * (1 - 1e-6) - used) / per : 0;
  }
  return Math.max(0, Math.min(COMPONENT_INFO[k].max - at[k], budgetRoom));
}

const GROW = 1.25, MAX_DOUBLINGS = 7, BISECTIONS = 12, TIE = 1e-9;

export async function search(probe: Probe, o: SearchOptions): Promise<SearchResult> {
  const cost = (x: FullOffer) => offerCost(x, o.basis);
  let cur = { ...o.start };
  let pCur = (await probe([cur]))[0];
  let maxTried = { costMusd: cost(cur), probability: pCur, offer: cur };
  const done = (feasible: boolean, stop: SearchResult['stop']): SearchResult => {
    // A search that gave up shows how far it pushed: the costliest offer tried ends the curve (if it cost more).
    if (!feasible && maxTried.costMusd > cost(cur) + 1e-9) curve.push({ costMusd: maxTried.costMusd, probability: maxTried.probability, offer: maxTried.offer, added: null });
    return { feasible, offer: cur, costMusd: cost(cur), probability: pCur, curve, stop, maxTried: { costMusd: maxTried.costMusd, probability: maxTried.probability } };
  };
  const curve: CurvePoint[] = [{ costMusd: cost(cur), probability: pCur, offer: cur, added: null }];
  if (pCur >= o.target) return done(true, 'target');
  let step = o.step, doublings = 0;
  for (let it = 0; it < (o.maxSteps ?? 80); it++) {
    const left = o.budgetMusd - cost(cur);
    if (left <= 1e-9) return done(false, 'budget');
    const slice = Math.min(step, left);
    const tries: { k: Component; offer: FullOffer; dc: number }[] = [];
    for (const k of COMPONENTS) {
      const room = headroom(k, cur, o.basis, o.room);
      const u = unitCost(k, cur.term, o.basis);
      if (room <= 1e-12 || !(u > 0)) continue;
      const next = { ...cur, [k]: cur[k] + Math.min(room, slice / u) };
      const dc = cost(next) - cost(cur);
      // Crumbs far below the first slice (rounding left at a bound) would divide noise by nothing.
      if (dc > 1e-4 * o.step) tries.push({ k, offer: next, dc });
    }
    if (!tries.length) return done(false, 'bounds');
    const ps = await probe(tries.map((t) => t.offer));
    ps.forEach((p, i) => {
      const c = cost(tries[i].offer);
      if (c > maxTried.costMusd + 1e-9 || (Math.abs(c - maxTried.costMusd) <= 1e-9 && p > maxTried.probability)) maxTried = { costMusd: c, probability: p, offer: tries[i].offer };
    });
    let best = -1, bestRate = 0;
    ps.forEach((p, i) => {
      const rate = (p - pCur) / tries[i].dc;
      if (p > pCur + 1e-12 && (best < 0 || rate > bestRate * (1 + TIE))) { best = i; bestRate = rate; }
    });
    if (best < 0) {
      if (slice < left && doublings < MAX_DOUBLINGS) { step *= 2; doublings++; continue; }
      return done(false, slice < left ? 'plateau' : 'budget');
    }
    doublings = 0;
    const prev = cur, t = tries[best];
    cur = t.offer; pCur = ps[best];
    if (pCur >= o.target) {
      // Bisect the crossing step: the smallest share of it that still reaches the target.
      let lo = 0, hi = 1, pHi = pCur;
      const at = (f: number): FullOffer => ({ ...prev, [t.k]: prev[t.k] + f * (t.offer[t.k] - prev[t.k]) });
      for (let b = 0; b < BISECTIONS; b++) {
        const mid = (lo + hi) / 2;
        const pm = (await probe([at(mid)]))[0];
        if (pm >= o.target) { hi = mid; pHi = pm; } else lo = mid;
      }
      cur = at(hi); pCur = pHi;
      curve.push({ costMusd: cost(cur), probability: pCur, offer: cur, added: t.k });
      return done(true, 'target');
    }
    curve.push({ costMusd: cost(cur), probability: pCur, offer: cur, added: t.k });
    step *= GROW;
  }
  return done(false, 'steps');
}

/**
 * Probability bought per USD m by a little more of each component at an offer (present value; null where the
 * component is at its bound or the city's budget has no room for more). `slice` is the extra money tried, USD m.
 */
export async function marginalRates(probe: Probe, at: FullOffer, basis: CostBasis, slice: number, roomLeft: SearchOptions['room']): Promise<Partial<Record<Component, number | null>>> {
  const p0 = (await probe([at]))[0];
  const tries: { k: Component; offer: FullOffer; dc: number }[] = [];
  const out: Partial<Record<Component, number | null>> = {};
  for (const k of COMPONENTS) {
    const room = headroom(k, at, basis, roomLeft);
    const u = unitCost(k, at.term, basis);
    const next = { ...at, [k]: at[k] + Math.min(room, slice / (u || 1)) };
    const dc = offerCost(next, basis) - offerCost(at, basis);
    if (room <= 1e-12 || !(u > 0) || !(dc > 0.01 * slice)) { out[k] = null; continue; }
    tries.push({ k, offer: next, dc });
  }
  const ps = await probe(tries.map((t) => t.offer));
  tries.forEach((t, i) => { out[t.k] = (ps[i] - p0) / t.dc; });
  return out;
}
