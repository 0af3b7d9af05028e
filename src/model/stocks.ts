/**
 * Long-lived attractiveness a city can invest in: stocks with a delay, diminishing returns and a decay, built on
 * top of the city's baseline attribute (which itself may follow its dated history). Issue leadership is a stock
 * per domain whose investment spills over to related domains. Pure: no I/O.
 *
 *   E_t = E_{t-1} (1 - decay) + gain * max(0, 1 - base - E_{t-1}) * (1 - exp(-I_{t-delay} / costScale))
 */
import type { CityAttribute } from '../scenario/schema.ts';

/** Stocks on city attributes, in a fixed order (security builds on safety). */
export const STOCKS = ['security', 'schools', 'connectivity', 'conference', 'legal', 'livability', 'workforce', 'openness'] as const;
export type StockName = (typeof STOCKS)[number];

/** The attribute each stock adds to. */
export const STOCK_ATTRIBUTE: Record<StockName, CityAttribute> = {
  security: 'safety', schools: 'schools', connectivity: 'connectivity', conference: 'conference', legal: 'legal',
  livability: 'livability', workforce: 'workforce', openness: 'openness',
};

/**
 * The baseline attribute stock s builds on (`STOCK_ATTRIBUTE` of `STOCKS[s]`: security on safety), read by field: the
 * yearly passes over cities call it for every stock, where a computed key would be an order of magnitude slower.
 */
export function stockBase(a: Readonly<Record<CityAttribute, number>>, s: number): number {
  switch (s) {
    case 0: return a.safety;
    case 1: return a.schools;
    case 2: return a.connectivity;
    case 3: return a.conference;
    case 4: return a.legal;
    case 5: return a.livability;
    case 6: return a.workforce;
    default: return a.openness;
  }
}

/** The budget groups of strategies and the adaptive rule: cash levers, each stock, and issue leadership. */
export const GROUPS = ['cash', ...STOCKS, 'leadership'] as const;
export type Group = (typeof GROUPS)[number];
export type Allocation = Record<Group, number>;
export const emptyAllocation = (): Allocation => ({ cash: 0, security: 0, schools: 0, connectivity: 0, conference: 0, legal: 0, livability: 0, workforce: 0, openness: 0, leadership: 0 });

/** The yearly investment lever of each stock in a fixed-strategy city's `levers` (USD m a year). */
export const STOCK_LEVER: Record<StockName, `${StockName}Musd`> = {
  security: 'securityMusd', schools: 'schoolsMusd', connectivity: 'connectivityMusd', conference: 'conferenceMusd', legal: 'legalMusd',
  livability: 'livabilityMusd', workforce: 'workforceMusd', openness: 'opennessMusd',
};

export interface StockParams { delay: number; decay: number; gain: number; costScaleMusd: number }

/** The share of the room left that a year's effective investment fills, before the gain: 1 - exp(-I / costScale). */
export function investResponse(invest: number, s: StockParams): number {
  return 1 - Math.exp(-invest / s.costScaleMusd);
}

/**
 * One year of a stock: decay, then the gain of this year's effective investment toward the room left. `response`:
 * `investResponse(invest, s)` when the caller has it already (for a positive investment).
 */
export function stockStep(extra: number, base: number, invest: number, s: StockParams, response?: number): number {
  if (invest <= 0) return extra * (1 - s.decay);
  const room = Math.max(0, 1 - base - extra);
  return extra * (1 - s.decay) + s.gain * room * (response ?? investResponse(invest, s));
}

/**
 * An investment enters stock s's delay ring (`ring`, one slot per year of delay; `heads[s]`, the slot that takes
 * effect next); returns the investment that takes effect this year: the one made `delay` years ago, 0 before that.
 */
export function throughPipe(ring: Float64Array, heads: Int32Array, s: number, invest: number): number {
  const delay = ring.length;
  if (delay === 0) return invest;
  const h = heads[s], out = ring[h];
  ring[h] = invest;
  heads[s] = h + 1 === delay ? 0 : h + 1;
  return out;
}

/**
 * Issue domains whose leadership is related (a conference or initiative in one builds some standing in the other):
 * pairs, symmetric. Domains not listed have no neighbours.
 */
export const RELATED_DOMAINS: readonly (readonly [string, string])[] = [
  ['climate', 'environment'], ['climate', 'energy'], ['environment', 'energy'], ['environment', 'agriculture'],
  ['health', 'humanitarian'], ['humanitarian', 'migration'], ['humanitarian', 'development'], ['development', 'labour'],
  ['trade', 'finance'], ['finance', 'development'], ['human_rights', 'peace_security'], ['human_rights', 'migration'],
  ['human_rights', 'justice'], ['peace_security', 'justice'], ['nuclear', 'energy'], ['nuclear', 'peace_security'],
  ['science', 'education'], ['education', 'culture'], ['urban', 'transport'], ['urban', 'climate'], ['telecom', 'science'],
];

/** For each domain index, the indices of its related domains (of the world's domain list). */
export function relatedIndex(domains: readonly string[]): number[][] {
  const at = new Map(domains.map((d, i) => [d, i]));
  const out = domains.map(() => [] as number[]);
  for (const [a, b] of RELATED_DOMAINS) {
    const i = at.get(a), j = at.get(b);
    if (i === undefined || j === undefined) continue;
    out[i].push(j); out[j].push(i);
  }
  for (const x of out) x.sort((a, b) => a - b);
  return out;
}
