/**
 * Output statistics for simulation experiments: summaries with Student-t
 * confidence intervals, paired differences (common random numbers), Wilson
 * score intervals for proportions, and streaming (Welford) accumulators.
 *
 * Everything here is pure and deterministic. Inputs that are not finite
 * numbers are rejected with a RangeError rather than silently skipped (d3's
 * `mean` would skip NaN, which would hide a broken run).
 */
import { deviation, mean } from 'd3-array';

/** Two-sided normal quantile for 95%, Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054;

// ---------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * Natural log of the gamma function for x > 0, Lanczos approximation
 * (g = 7, 9 terms; Lanczos 1964, as in Press et al., Numerical Recipes §6.1),
 * relative accuracy about 1e-15.
 */
export function lgamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lgamma: x must be > 0, got ${x}`);
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1-x) = π / sin(πx)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction for the incomplete beta (modified Lentz's method). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) return h;
  }
  return h;
}

/**
 * Regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1],
 * by its continued fraction (Abramowitz & Stegun 26.5.8; evaluation as in
 * Numerical Recipes §6.4), using the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) for
 * fast convergence.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`incompleteBeta: a, b must be > 0`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incompleteBeta: x must be in [0,1], got ${x}`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  const lnFront =
    lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(lnFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * Complementary error function erfc(x), accurate to about 1e-15 relative:
 * Maclaurin series of erf for |x| < 2, Laplace continued fraction for x ≥ 2
 * (Abramowitz & Stegun 7.1.5 and 7.1.14).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 27) return 0;
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  // Lentz evaluation of K = x + a1/(x + a2/(x + ...)), a_n = n/2.
  const TINY = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const an = n / 2;
    d = x + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = x + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = c * d;
    f *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Standard normal cumulative distribution Φ(x) = erfc(-x/√2)/2. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Standard normal quantile Φ⁻¹(p): a rational starting value refined by
 * Halley steps on Φ (accurate to about 1e-14 for p in [1e-300, 1 - 1e-16]).
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0,1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Work in the lower tail for accuracy, then reflect.
  const q = p < 0.5 ? p : 1 - p;
  // Starting value: A&S 26.2.23 (|error| < 4.5e-4).
  const t = Math.sqrt(-2 * Math.log(q));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
    (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 8; i++) {
    const e = normalCdf(x) - q;
    const pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    if (pdf === 0) break;
    const u = e / pdf;
    const step = u / (1 + (x * u) / 2); // Halley
    x -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return p < 0.5 ? x : -x;
}

/** Student-t cumulative distribution P(T ≤ t) for df > 0 (via I_x(df/2, 1/2)). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf: df must be > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (df === Infinity) return normalCdf(t);
  if (t === 0) return 0.5;
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

function studentTPdf(t: number, df: number): number {
  const lnc = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(lnc - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Cornish–Fisher expansion of the t quantile around the normal quantile z
 * (Abramowitz & Stegun 26.7.5); used for very large df, where it is exact to
 * double precision.
 */
function cornishFisherT(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z2 * z + z) / 4;
  const g2 = (5 * z2 * z2 * z + 16 * z2 * z + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * Student-t quantile (inverse CDF) t_p(df) for any real df > 0 (df = Infinity
 * gives the normal quantile). Method: closed forms for df = 1 (Cauchy) and
 * df = 2; otherwise Newton iteration on the exact CDF (regularized incomplete
 * beta, Abramowitz & Stegun 26.7.1) from a Cornish–Fisher start, safeguarded by
 * bisection; for df > 1e5 the Cornish–Fisher series (A&S 26.7.5) itself.
 * Accurate to about 1e-10 relative.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`studentTQuantile: p must be in [0,1], got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be > 0, got ${df}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (df === Infinity) return normalQuantile(p);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) {
    const a = 4 * p * (1 - p);
    return 2 * (p - 0.5) * Math.sqrt(2 / a);
  }
  const z = normalQuantile(p);
  if (df > 1e5) return cornishFisherT(z, df);
  // Bracket [lo, hi] with F(lo) < p <= F(hi).
  let lo = 0;
  let hi = Math.max(1, 2 * Math.abs(cornishFisherT(z, Math.max(df, 1))));
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return Infinity;
  }
  let t = Math.min(Math.max(cornishFisherT(z, df), lo), hi);
  if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(t, df) - p;
    if (f < 0) lo = t;
    else hi = t;
    const pdf = studentTPdf(t, df);
    let next = t - f / pdf;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-14 * Math.abs(t) || hi - lo <= 1e-14 * hi) return next;
    t = next;
  }
  return t;
}

// ---------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------

/** Summary of a sample with a two-sided Student-t confidence interval for its mean. */
export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1 denominator); NaN when n < 2. */
  sd: number;
  /** Standard error sd / √n; NaN when n < 2. */
  se: number;
  /** Confidence level of the interval, e.g. 0.95. */
  level: number;
  /** t_{(1+level)/2}(n-1) · se; NaN when n < 2. */
  ciHalfWidth: number;
  lo: number;
  hi: number;
}

function assertFinite(xs: ArrayLike<number>, what: string): void {
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new RangeError(`${what}: value at index ${i} is not finite (${xs[i]})`);
  }
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0,1), got ${level}`);
}

/** Student-t critical value for a two-sided interval of the given level with df degrees of freedom. */
export function tCritical(df: number, level = 0.95): number {
  checkLevel(level);
  return studentTQuantile((1 + level) / 2, df);
}

function summaryFrom(n: number, m: number, sd: number, level: number): Summary {
  if (n < 2) {
    return { n, mean: n === 0 ? NaN : m, sd: NaN, se: NaN, level, ciHalfWidth: NaN, lo: NaN, hi: NaN };
  }
  const se = sd / Math.sqrt(n);
  const h = tCritical(n - 1, level) * se;
  return { n, mean: m, sd, se, level, ciHalfWidth: h, lo: m - h, hi: m + h };
}

/**
 * Sample summary: n, mean, sample sd, and the classical Student-t confidence
 * interval mean ± t_{(1+level)/2, n-1} · sd/√n (Student 1908). Uses d3-array's
 * `mean` and `deviation`. Throws on non-finite values.
 */
export function summarize(xs: ArrayLike<number>, level = 0.95): Summary {
  checkLevel(level);
  assertFinite(xs, 'summarize');
  const arr = Array.from(xs);
  const n = arr.length;
  return summaryFrom(n, mean(arr) ?? NaN, deviation(arr) ?? NaN, level);
}

/** Paired-difference summary: the Summary of d_i = x_i - y_i plus the two arm means. */
export interface PairedSummary extends Summary {
  meanX: number;
  meanY: number;
}

/**
 * Mean difference of paired observations (x_i, y_i) — e.g. two policies run
 * with the same replication seeds (common random numbers) — with the paired
 * Student-t confidence interval on d_i = x_i - y_i (Law, Simulation Modeling
 * and Analysis, §10.2.1).
 */
export function pairedDifference(xs: ArrayLike<number>, ys: ArrayLike<number>, level = 0.95): PairedSummary {
  if (xs.length !== ys.length) {
    throw new RangeError(`pairedDifference: arms differ in length (${xs.length} vs ${ys.length})`);
  }
  assertFinite(xs, 'pairedDifference xs');
  assertFinite(ys, 'pairedDifference ys');
  const d = new Array<number>(xs.length);
  for (let i = 0; i < xs.length; i++) d[i] = xs[i] - ys[i];
  const s = summarize(d, level);
  return { ...s, meanX: mean(Array.from(xs)) ?? NaN, meanY: mean(Array.from(ys)) ?? NaN };
}

/** A proportion with its interval. */
export interface ProportionInterval {
  p: number;
  lo: number;
  hi: number;
}

/**
 * Wilson (1927) score interval for a binomial proportion k/n:
 * (p̂ + z²/2n ± z·√(p̂(1-p̂)/n + z²/4n²)) / (1 + z²/n). Returns [0, 1] with p = NaN
 * for n = 0.
 */
export function wilson(k: number, n: number, z = 1.959964): ProportionInterval {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`wilson: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`wilson: k must be an integer in [0, n], got ${k}`);
  if (!(z > 0)) throw new RangeError(`wilson: z must be > 0`);
  if (n === 0) return { p: NaN, lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return {
    p,
    lo: k === 0 ? 0 : Math.max(0, centre - half),
    hi: k === n ? 1 : Math.min(1, centre + half),
  };
}

// ---------------------------------------------------------------------------
// Streaming accumulators
// ---------------------------------------------------------------------------

/**
 * Streaming mean/variance accumulator: Welford (1962) updates, and Chan,
 * Golub & LeVeque (1979) pairwise merging for combining partial results (e.g.
 * from worker threads). Memory is O(1) in the number of pushed values.
 */
export class RunningStats {
  private count = 0;
  private mu = 0;
  private m2 = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /** Adds one observation (must be finite). Returns this for chaining. */
  push(x: number): this {
    if (!Number.isFinite(x)) throw new RangeError(`RunningStats.push: value is not finite (${x})`);
    this.count += 1;
    const delta = x - this.mu;
    this.mu += delta / this.count;
    this.m2 += delta * (x - this.mu);
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    return this;
  }

  /** Merges another accumulator into this one (Chan et al. 1979). Returns this. */
  merge(other: RunningStats): this {
    if (other.count === 0) return this;
    if (this.count === 0) {
      this.count = other.count;
      this.mu = other.mu;
      this.m2 = other.m2;
      this.lo = other.lo;
      this.hi = other.hi;
      return this;
    }
    const n = this.count + other.count;
    const delta = other.mu - this.mu;
    this.mu += (delta * other.count) / n;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / n;
    this.count = n;
    this.lo = Math.min(this.lo, other.lo);
    this.hi = Math.max(this.hi, other.hi);
    return this;
  }

  get n(): number {
    return this.count;
  }
  /** Mean; NaN when empty. */
  get mean(): number {
    return this.count === 0 ? NaN : this.mu;
  }
  /** Sample variance (n - 1 denominator); NaN when n < 2. */
  get variance(): number {
    return this.count < 2 ? NaN : Math.max(0, this.m2) / (this.count - 1);
  }
  /** Sample standard deviation; NaN when n < 2. */
  get sd(): number {
    return Math.sqrt(this.variance);
  }
  get min(): number {
    return this.count === 0 ? NaN : this.lo;
  }
  get max(): number {
    return this.count === 0 ? NaN : this.hi;
  }
  /** Student-t half-width of the confidence interval for the mean; NaN when n < 2. */
  ciHalfWidth(level = 0.95): number {
    return this.summary(level).ciHalfWidth;
  }
  /** The same Summary that `summarize` gives for the pushed values. */
  summary(level = 0.95): Summary {
    checkLevel(level);
    return summaryFrom(this.count, this.mu, this.sd, level);
  }
}

/**
 * Streaming accumulator for paired observations (x_i, y_i) from common random
 * numbers: Welford statistics for each arm and for the difference x - y, so
 * `diff.summary()` equals `pairedDifference(xs, ys)` without storing the runs.
 */
export class PairedRunningStats {
  readonly x = new RunningStats();
  readonly y = new RunningStats();
  readonly diff = new RunningStats();

  /** Adds one pair (same replication seed in both arms). Returns this. */
  push(x: number, y: number): this {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new RangeError(`PairedRunningStats.push: values are not finite (${x}, ${y})`);
    }
    this.x.push(x);
    this.y.push(y);
    this.diff.push(x - y);
    return this;
  }
  /** Merges another paired accumulator into this one. */
  merge(other: PairedRunningStats): this {
    this.x.merge(other.x);
    this.y.merge(other.y);
    this.diff.merge(other.diff);
    return this;
  }
  get n(): number {
    return this.diff.n;
  }
  /** Mean of x - y. */
  get meanDiff(): number {
    return this.diff.mean;
  }
  /** Sample sd of x - y. */
  get sdDiff(): number {
    return this.diff.sd;
  }
  /** Student-t half-width for the mean difference. */
  ciHalfWidth(level = 0.95): number {
    return this.diff.ciHalfWidth(level);
  }
  /** The same PairedSummary that `pairedDifference` gives. */
  summary(level = 0.95): PairedSummary {
    return { ...this.diff.summary(level), meanX: this.x.mean, meanY: this.y.mean };
  }
}

// ---------------------------------------------------------------------------
// Intervals for 0/1 outcomes, bounded means and ratios
// ---------------------------------------------------------------------------

/** A difference (or ratio) with its interval; `lo`/`hi` are NaN when undefined, ±Infinity when unbounded. */
export interface Interval { est: number; lo: number; hi: number }

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Newcombe's hybrid score interval for the difference p1 - p2 of two independent proportions k1/n1 and k2/n2
 * (Newcombe 1998, Statistics in Medicine 17:873-890, method 10): the Wilson limits of each proportion combined
 * by the square-and-add rule. Always inside [-1, 1].
 */
export function newcombeUnpaired(k1: number, n1: number, k2: number, n2: number, z = Z95): Interval {
  if (n1 === 0 || n2 === 0) return { est: NaN, lo: NaN, hi: NaN };
  const a = wilson(k1, n1, z), b = wilson(k2, n2, z);
  const d = a.p - b.p;
  const lo = d - Math.sqrt((a.p - a.lo) ** 2 + (b.hi - b.p) ** 2);
  const hi = d + Math.sqrt((a.hi - a.p) ** 2 + (b.p - b.lo) ** 2);
  return { est: d, lo: clamp(lo, -1, 1), hi: clamp(hi, -1, 1) };
}

/**
 * Newcombe's hybrid score interval for the difference of two proportions measured on the same units (paired
 * 0/1 outcomes; Newcombe 1998, Statistics in Medicine 17:2635-2650, method 10). Counts of the 2x2 table:
 * `both` (x = 1, y = 1), `onlyX` (x = 1, y = 0), `onlyY` (x = 0, y = 1), `neither`. Estimate (onlyX - onlyY)/n;
 * the Wilson limits of the two marginal proportions are combined with the phi correlation of the pairs.
 */
export function newcombePaired(both: number, onlyX: number, onlyY: number, neither: number, z = Z95): Interval {
  const n = both + onlyX + onlyY + neither;
  if (n === 0) return { est: NaN, lo: NaN, hi: NaN };
  const x = wilson(both + onlyX, n, z), y = wilson(both + onlyY, n, z);
  const d = (onlyX - onlyY) / n;
  const den = (both + onlyX) * (onlyY + neither) * (both + onlyY) * (onlyX + neither);
  const phi = den > 0 ? (both * neither - onlyX * onlyY) / Math.sqrt(den) : 0;
  const dl = (x.p - x.lo) ** 2 - 2 * phi * (x.p - x.lo) * (y.hi - y.p) + (y.hi - y.p) ** 2;
  const du = (x.hi - x.p) ** 2 - 2 * phi * (x.hi - x.p) * (y.p - y.lo) + (y.p - y.lo) ** 2;
  return { est: d, lo: clamp(d - Math.sqrt(Math.max(0, dl)), -1, 1), hi: clamp(d + Math.sqrt(Math.max(0, du)), -1, 1) };
}

/**
 * Fieller's (1954) interval for the ratio of two means, mean(a)/mean(b), from n paired observations with sample
 * variances va, vb and covariance cab (n - 1 denominators) and a Student-t critical value on n - 1 degrees of
 * freedom. Bounded only when mean(b) is clearly non-zero; otherwise lo = -Infinity and hi = Infinity (the data
 * cannot bound the ratio).
 */
export function fiellerRatio(ma: number, mb: number, va: number, vb: number, cab: number, n: number, level = 0.95): Interval {
  const est = mb !== 0 ? ma / mb : NaN;
  if (!(n >= 2) || !Number.isFinite(va) || !Number.isFinite(vb)) return { est, lo: NaN, hi: NaN };
  const t2 = tCritical(n - 1, level) ** 2;
  const saa = va / n, sbb = vb / n, sab = cab / n;
  // (ma - r mb)^2 = t^2 (saa - 2 r sab + r^2 sbb): A r^2 + B r + C = 0 with A > 0 for a bounded interval.
  const A = mb * mb - t2 * sbb;
  const B = -2 * (ma * mb - t2 * sab);
  const C = ma * ma - t2 * saa;
  const disc = B * B - 4 * A * C;
  if (!(A > 0) || !(disc >= 0)) return { est, lo: -Infinity, hi: Infinity };
  const s = Math.sqrt(disc);
  return { est, lo: (-B - s) / (2 * A), hi: (-B + s) / (2 * A) };
}

/**
 * Streaming accumulator for pairs (a_i, b_i): Welford means, variances and co-moment (covariance), mergeable.
 * Used for differences in an outcome against differences in spending (cost-effectiveness ratios).
 */
export class CoRunningStats {
  n = 0;
  private ma = 0;
  private mb = 0;
  private saa = 0;
  private sbb = 0;
  private sab = 0;
  push(a: number, b: number): this {
    this.n += 1;
    const da = a - this.ma, db = b - this.mb;
    this.ma += da / this.n;
    this.mb += db / this.n;
    this.saa += da * (a - this.ma);
    this.sbb += db * (b - this.mb);
    this.sab += da * (b - this.mb);
    return this;
  }
  get meanA(): number { return this.n ? this.ma : NaN; }
  get meanB(): number { return this.n ? this.mb : NaN; }
  get varA(): number { return this.n > 1 ? Math.max(0, this.saa) / (this.n - 1) : NaN; }
  get varB(): number { return this.n > 1 ? Math.max(0, this.sbb) / (this.n - 1) : NaN; }
  get cov(): number { return this.n > 1 ? this.sab / (this.n - 1) : NaN; }
  /** Fieller interval for mean(a) / mean(b). */
  ratio(level = 0.95): Interval { return fiellerRatio(this.meanA, this.meanB, this.varA, this.varB, this.cov, this.n, level); }
}

/**
 * What is known of a metric's values before any run: 0/1 (a contest won or not), or bounds of its range
 * (counts and money are never negative, shares lie in [0, 1]).
 */
export interface MetricScale { binary: boolean; lo: number; hi: number }
export const UNBOUNDED: MetricScale = { binary: false, lo: -Infinity, hi: Infinity };

/** Fewer replications than this make a Student-t interval of a count or amount unreliable: flagged `few`. */
export const MIN_REPLICATIONS = 10;

/** An interval of a metric's mean with the method that gave it and warnings about it. */
export interface MeanInterval {
  n: number; mean: number; sd: number; lo: number; hi: number;
  /**
   * `wilson` (a 0/1 metric's mean), `newcombe` (a paired difference of a 0/1 metric), `t` (Student-t, cut to the
   * metric's possible range), or '' (no interval: n < 2, or a constant sample).
   */
  method: 'wilson' | 'newcombe' | 't' | '';
  /** `constant`: every value the same (the metric never varied); `few`: a t interval from fewer than MIN_REPLICATIONS values. */
  flags: string[];
}

/**
 * The honest interval of a mean: Wilson for a 0/1 metric (k successes of n); otherwise the Student-t interval cut
 * to the metric's known range (a mean of non-negative counts cannot be negative), left empty when every value
 * is the same (a zero standard deviation says nothing about the spread of the mean), and flagged when it rests
 * on fewer than MIN_REPLICATIONS values.
 */
export function meanInterval(s: RunningStats, scale: MetricScale, level = 0.95): MeanInterval {
  const n = s.n, mean = s.mean, sd = s.sd;
  const constant = n >= 2 && s.min === s.max;
  const flags = constant ? ['constant'] : [];
  if (n === 0) return { n, mean: NaN, sd: NaN, lo: NaN, hi: NaN, method: '', flags };
  if (scale.binary) {
    const k = Math.round(mean * n);
    const w = wilson(k, n, normalQuantile((1 + level) / 2));
    return { n, mean, sd, lo: w.lo, hi: w.hi, method: 'wilson', flags };
  }
  if (n < 2 || constant) return { n, mean, sd, lo: NaN, hi: NaN, method: '', flags };
  const t = s.summary(level);
  if (n < MIN_REPLICATIONS) flags.push('few');
  return { n, mean, sd, lo: clamp(t.lo, scale.lo, scale.hi), hi: clamp(t.hi, scale.lo, scale.hi), method: 't', flags };
}

/**
 * Paired arm-versus-baseline accumulator for one metric (common random numbers: the same replication seed in
 * both), with the arms' spending when known: differences, the 2x2 table of a 0/1 metric, and the outcome
 * difference against the spending difference.
 */
export class ArmPairStats {
  readonly diff = new RunningStats();
  readonly x = new RunningStats();
  readonly y = new RunningStats();
  /** 2x2 table of a 0/1 metric: [both, only the arm, only the baseline, neither]. */
  readonly table = [0, 0, 0, 0];
  /** Spending of the arm and of the baseline in the pairs that have both. */
  readonly costX = new RunningStats();
  readonly costY = new RunningStats();
  /** (outcome difference, spending difference) per pair. */
  readonly perCost = new CoRunningStats();

  push(x: number, y: number, cx: number | null, cy: number | null): this {
    this.diff.push(x - y);
    this.x.push(x);
    this.y.push(y);
    this.table[x >= 0.5 ? (y >= 0.5 ? 0 : 1) : y >= 0.5 ? 2 : 3]++;
    if (cx !== null && cy !== null && Number.isFinite(cx) && Number.isFinite(cy)) {
      this.costX.push(cx);
      this.costY.push(cy);
      this.perCost.push(x - y, cx - cy);
    }
    return this;
  }

  /** Mean difference with Newcombe's paired interval (0/1 metric) or the paired-t interval cut to the possible range. */
  interval(scale: MetricScale, level = 0.95): MeanInterval {
    const d = this.diff;
    const n = d.n;
    const constant = n >= 2 && d.min === d.max;
    const flags = constant ? ['constant'] : [];
    if (n === 0) return { n, mean: NaN, sd: NaN, lo: NaN, hi: NaN, method: '', flags };
    if (scale.binary) {
      const [a, b, c, e] = this.table;
      const iv = newcombePaired(a, b, c, e, normalQuantile((1 + level) / 2));
      return { n, mean: d.mean, sd: d.sd, lo: iv.lo, hi: iv.hi, method: 'newcombe', flags };
    }
    if (n < 2 || constant) return { n, mean: d.mean, sd: d.sd, lo: NaN, hi: NaN, method: '', flags };
    const t = d.summary(level);
    if (n < MIN_REPLICATIONS) flags.push('few');
    const span = scale.hi - scale.lo;
    return { n, mean: d.mean, sd: d.sd, lo: clamp(t.lo, -span, span), hi: clamp(t.hi, -span, span), method: 't', flags };
  }
}
