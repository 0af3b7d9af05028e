/**
 * Lever settings stated as shares of the city's yearly budget, resolved to USD m. A fixed-strategy city can say
 * `schoolsShare: 0.2` instead of `schoolsMusd: 3` (likewise for every stock and for leadership per domain): the
 * investment then follows the budget (a budget sweep moves it), where an amount in USD m stays put and the budget
 * is only its cap.
 */
import type { Levers } from '../scenario/schema.ts';
import { STOCKS } from './stocks.ts';

type Flat = Record<string, number | undefined>;

/** `<stock>Share`, per stock (named once: resolveLevers runs for every fixed-strategy city every year) */
const SHARE_KEYS = STOCKS.map((s) => `${s}Share`);

/** The levers with every share of the budget replaced by its amount in USD m (the same object when none is set). */
export function resolveLevers(l: Levers, budgetMusd: number): Levers {
  const f = l as unknown as Flat;
  if (l.leadershipShare === undefined && !SHARE_KEYS.some((k) => f[k] !== undefined)) return l;
  const out: Flat = { ...f };
  for (const s of STOCKS) {
    const share = f[`${s}Share`];
    delete out[`${s}Share`];
    if (share !== undefined) out[`${s}Musd`] = share * budgetMusd;
  }
  const res = out as unknown as Levers;
  if (l.leadershipShare !== undefined) {
    delete res.leadershipShare;
    const musd: Record<string, number> = { ...(l.leadershipMusd ?? {}) };
    for (const d of Object.keys(l.leadershipShare).sort()) musd[d] = l.leadershipShare[d] * budgetMusd;
    res.leadershipMusd = musd;
  }
  return res;
}

/** Problems of a lever block: an investment given both in USD m and as a share, or shares adding up to more than 1. */
export function leverShareProblems(l: Levers): { key: string; message: string }[] {
  const f = l as unknown as Flat;
  const out: { key: string; message: string }[] = [];
  let total = 0;
  for (const s of STOCKS) {
    const share = f[`${s}Share`];
    if (share === undefined) continue;
    total += share;
    if (f[`${s}Musd`] !== undefined) out.push({ key: `${s}Share`, message: `give ${s}Musd (USD m) or ${s}Share (share of the budget), not both` });
  }
  for (const d of Object.keys(l.leadershipShare ?? {})) {
    total += l.leadershipShare![d];
    if (l.leadershipMusd?.[d] !== undefined) out.push({ key: 'leadershipShare', message: `domain "${d}" is given in leadershipMusd and in leadershipShare: give one` });
  }
  if (total > 1 + 1e-9) {
    const first = STOCKS.find((s) => f[`${s}Share`] !== undefined);
    out.push({ key: first ? `${first}Share` : 'leadershipShare', message: `shares of the budget add up to ${+total.toFixed(6)}, more than 1` });
  }
  return out;
}
