/**
 * Lever settings stated as shares of the city's yearly budget, resolved to USD m. A fixed-strategy city can say
 * `schoolsShare: 0.2` instead of `schoolsMusd: 3`: the investment then follows the budget (a budget sweep moves
 * it), where an amount in USD m stays put and the budget is only its cap.
 */
import type { Levers } from '../scenario/schema.ts';

/** The levers with every share of the budget replaced by its amount in USD m (the same object when none is set). */
export function resolveLevers(l: Levers, budgetMusd: number): Levers {
  if (l.schoolsShare === undefined && l.securityShare === undefined && l.leadershipShare === undefined) return l;
  const { schoolsShare, securityShare, leadershipShare, ...rest } = l;
  const out: Levers = { ...rest };
  if (schoolsShare !== undefined) out.schoolsMusd = schoolsShare * budgetMusd;
  if (securityShare !== undefined) out.securityMusd = securityShare * budgetMusd;
  if (leadershipShare !== undefined) {
    const musd: Record<string, number> = { ...(l.leadershipMusd ?? {}) };
    for (const d of Object.keys(leadershipShare).sort()) musd[d] = leadershipShare[d] * budgetMusd;
    out.leadershipMusd = musd;
  }
  return out;
}

/** Problems of a lever block: an investment given both in USD m and as a share, or shares adding up to more than 1. */
export function leverShareProblems(l: Levers): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  if (l.schoolsShare !== undefined && l.schoolsMusd !== undefined) out.push({ key: 'schoolsShare', message: 'give schoolsMusd (USD m) or schoolsShare (share of the budget), not both' });
  if (l.securityShare !== undefined && l.securityMusd !== undefined) out.push({ key: 'securityShare', message: 'give securityMusd (USD m) or securityShare (share of the budget), not both' });
  for (const d of Object.keys(l.leadershipShare ?? {})) {
    if (l.leadershipMusd?.[d] !== undefined) out.push({ key: 'leadershipShare', message: `domain "${d}" is given in leadershipMusd and in leadershipShare: give one` });
  }
  const total = (l.schoolsShare ?? 0) + (l.securityShare ?? 0) + Object.values(l.leadershipShare ?? {}).reduce((s, x) => s + x, 0);
  if (total > 1 + 1e-9) out.push({ key: 'schoolsShare', message: `shares of the budget add up to ${+total.toFixed(6)}, more than 1` });
  return out;
}
