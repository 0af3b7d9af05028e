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

/** One year of a stock: decay, then the gain of this year's effective investment toward the room left. */
export function stockStep(extra: number, base: number, invest: number, s: StockParams): number {
  if (invest <= 0) return extra * (1 - s.decay);
  const room = Math.max(0, 1 - base - extra);
  return extra * (1 - s.decay) + s.gain * room * (1 - Math.exp(-invest / s.costScaleMusd));
}

/** An investment enters a delay pipeline; returns the investment that takes effect this year. */
export function throughPipe(pipe: number[], invest: number, delay: number): number {
  if (delay <= 0) return invest;
  pipe.push(invest);
  return pipe.length > delay ? pipe.shift()! : 0;
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
