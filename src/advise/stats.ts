/**
 * Interval estimates for the proportions `hqsim advise` reports: a win probability (Wilson score interval) and the
 * change an offer makes to it on the same replications (Newcombe's square-and-add interval for paired
 * proportions). Both stay inside their range ([0, 1] and [-1, 1]), unlike a Student-t interval on 0/1 data.
 */
import { wilson, Z95 } from '../experiment/stats.ts';

export interface Interval { estimate: number; low: number; high: number }

/** Wilson (1927) score interval of k successes in n, as { estimate, low, high }; a metric that never varies is flagged. */
export function winInterval(k: number, n: number): Interval & { varies: boolean } {
  const w = wilson(k, n, Z95);
  return { estimate: n ? k / n : NaN, low: w.lo, high: w.hi, varies: k > 0 && k < n };
}

/**
 * Newcombe (1998) square-and-add interval for p1 - p2 from paired 0/1 outcomes (method 10: Wilson intervals of the
 * two margins combined with their estimated correlation, corrected as in Fagerland, Lydersen and Laake 2017, ch. 8).
 * `both`: 1 in both, `first`: 1 in the first only, `second`: 1 in the second only, `neither`: 0 in both.
 */
export function newcombePaired(both: number, first: number, second: number, neither: number, z = Z95): Interval {
  const n = both + first + second + neither;
  if (n === 0) return { estimate: NaN, low: -1, high: 1 };
  const k1 = both + first, k2 = both + second;
  const p1 = k1 / n, p2 = k2 / n;
  const w1 = wilson(k1, n, z), w2 = wilson(k2, n, z);
  let phi = 0;
  const prod = k1 * (n - k1) * k2 * (n - k2);
  if (prod > 0) {
    const a = both * neither - first * second;
    phi = a > n / 2 ? (a - n / 2) / Math.sqrt(prod) : a >= 0 ? 0 : a / Math.sqrt(prod);
  }
  const dl1 = p1 - w1.lo, du1 = w1.hi - p1, dl2 = p2 - w2.lo, du2 = w2.hi - p2;
  const low = p1 - p2 - Math.sqrt(Math.max(0, dl1 * dl1 + du2 * du2 - 2 * phi * dl1 * du2));
  const high = p1 - p2 + Math.sqrt(Math.max(0, du1 * du1 + dl2 * dl2 - 2 * phi * du1 * dl2));
  return { estimate: p1 - p2, low: Math.max(-1, low), high: Math.min(1, high) };
}

/** The paired difference in win rates between two offers decided on the same replications (1 = won). */
export function pairedEffect(a: ArrayLike<number>, b: ArrayLike<number>): Interval & { varies: boolean } {
  let both = 0, first = 0, second = 0, neither = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) both++; else if (a[i]) first++; else if (b[i]) second++; else neither++;
  }
  return { ...newcombePaired(both, first, second, neither), varies: first + second > 0 };
}

/** Whether a metric takes more than one value over the replications (a metric that never varies is flagged). */
export function varies(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return true;
  return false;
}
