/**
 * The offers `hqsim advise` searches over, and what they cost the city.
 *
 * An offer has five components (what a host city can put on the table, as the scenario format writes it) and a term:
 * free offices (share of office cost), tax exemption (level), an operating subsidy (USD m a year), one-off money
 * (USD m) and a relocation grant (USD m per staff member moved). The city pays the yearly parts every year of the
 * term and the one-off money and the grant once, so its cost is counted in present value at `money.discountRate`:
 *
 *   cost = yearly x annuity(term, r) + oneOff + grant x staff moved,   yearly = the model's `termsCost` of the terms
 *
 * Cost is linear in the components for a given term, so each replication's cost is described by a few coefficients
 * (`CostBasis`) and the search averages them once instead of asking the model for every candidate offer.
 */
import type { Offer } from '../scenario/schema.ts';
import { annuity } from '../model/scoring.ts';

export const COMPONENTS = ['relocationGrantMusdPerStaff', 'freeOffices', 'taxExemption', 'subsidyMusd', 'oneOffMusd'] as const;
export type Component = (typeof COMPONENTS)[number];

/** How each component is named for people, its unit, and its upper bound (shares stop at 1). */
export const COMPONENT_INFO: Record<Component, { label: string; unit: string; max: number }> = {
  relocationGrantMusdPerStaff: { label: 'relocation grant', unit: 'USD m per staff member moved', max: Infinity },
  freeOffices: { label: 'free offices', unit: 'share of office cost (0-1)', max: 1 },
  taxExemption: { label: 'tax exemption', unit: 'level (0-1)', max: 1 },
  subsidyMusd: { label: 'operating subsidy', unit: 'USD m a year', max: Infinity },
  oneOffMusd: { label: 'one-off money', unit: 'USD m', max: Infinity },
};

/** An offer as the search holds it: every component present, and its term in years. */
export type FullOffer = Record<Component, number> & { term: number };

export const emptyOffer = (term: number): FullOffer => ({ relocationGrantMusdPerStaff: 0, freeOffices: 0, taxExemption: 0, subsidyMusd: 0, oneOffMusd: 0, term });

/**
 * The offer as a scenario writes it: only the components it has (a bid with nothing in it is `{ term }`), each
 * rounded down to six significant digits, so that the written offer never asks more of the city's budget than the
 * offer the search found.
 */
export function toScenarioOffer(o: FullOffer): Offer {
  const out: Offer = {};
  for (const k of COMPONENTS) if (o[k] > 0) out[k] = floor6(o[k]);
  out.term = o.term;
  return out;
}

function floor6(x: number): number {
  const e = Math.floor(Math.log10(x)) - 5;
  const f = Math.pow(10, -e);
  const y = Math.floor(x * f * (1 + 1e-12)) / f;
  return Number(y.toPrecision(6));
}

/** Six significant digits: what the JSON output and a scenario file show (and what the check runs use). */
export function round6(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(6));
}

/**
 * Coefficients of one replication's cost: the yearly cost of one unit of each yearly component (USD m a year, from
 * the model's `termsCost` for the organization's staff at the contest), the staff a relocation grant is paid for,
 * and the discount rate.
 */
export interface CostBasis { freeOffices: number; taxExemption: number; subsidyMusd: number; moving: number; rate: number }

/** Present value (USD m) of the offer to the city under one cost basis. */
export function offerCost(o: FullOffer, b: CostBasis): number {
  const yearly = o.freeOffices * b.freeOffices + o.taxExemption * b.taxExemption + o.subsidyMusd * b.subsidyMusd;
  return yearly * annuity(o.term, b.rate) + o.oneOffMusd + o.relocationGrantMusdPerStaff * b.moving;
}

/** Present value of one unit of a component under a cost basis (the price of a step in that component). */
export function unitCost(k: Component, term: number, b: CostBasis): number {
  if (k === 'oneOffMusd') return 1;
  if (k === 'relocationGrantMusdPerStaff') return b.moving;
  return b[k] * annuity(term, b.rate);
}

/** The mean of several bases (replications may differ in the organization's staff at the contest). */
export function meanBasis(bs: CostBasis[]): CostBasis {
  const n = Math.max(1, bs.length);
  const sum = (f: (b: CostBasis) => number) => bs.reduce((s, b) => s + f(b), 0) / n;
  return { freeOffices: sum((b) => b.freeOffices), taxExemption: sum((b) => b.taxExemption), subsidyMusd: sum((b) => b.subsidyMusd), moving: sum((b) => b.moving), rate: bs[0]?.rate ?? 0 };
}

/** An offer in words, for people: its non-zero components and its term. */
export function describe(o: FullOffer): string {
  const parts: string[] = [];
  if (o.freeOffices > 0) parts.push(`free offices ${pct(o.freeOffices)}`);
  if (o.taxExemption > 0) parts.push(`tax exemption ${pct(o.taxExemption)}`);
  if (o.subsidyMusd > 0) parts.push(`operating subsidy USD ${money(o.subsidyMusd)} a year`);
  if (o.oneOffMusd > 0) parts.push(`one-off USD ${money(o.oneOffMusd)}`);
  if (o.relocationGrantMusdPerStaff > 0) parts.push(`relocation grant USD ${(1000 * o.relocationGrantMusdPerStaff).toFixed(1)}k per staff member moved`);
  if (!parts.length) return 'no offer';
  const yearly = o.freeOffices > 0 || o.taxExemption > 0 || o.subsidyMusd > 0;
  return parts.join(', ') + (yearly ? `, for ${o.term} years` : '');
}

const pct = (x: number) => `${x >= 0.995 ? 100 : (100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
/** USD millions for people: "1.25m", "0.45m", "120m". */
export function money(musd: number): string {
  const a = Math.abs(musd);
  return `${a >= 100 ? musd.toFixed(0) : a >= 10 ? musd.toFixed(1) : a >= 0.1 ? musd.toFixed(2) : musd.toFixed(3)}m`;
}
