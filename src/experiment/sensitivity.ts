/**
 * Global sensitivity analysis estimators: variance-based Sobol indices from a
 * Saltelli design, and Morris elementary-effects screening measures.
 *
 * Pure and deterministic: bootstrap resampling uses a caller-supplied rng.
 */
import { mean, quantileSorted } from 'd3-array';
import type { MorrisDesign, Rng, SaltelliDesign } from './design.ts';
import { splitSaltelli } from './design.ts';

/** A confidence interval [lo, hi]. */
export interface Interval {
  lo: number;
  hi: number;
}

/** Options for `sobolIndices`. */
export interface SobolOptions {
  /** rng for the bootstrap; without it no intervals are computed (ci fields are null). */
  rng?: Rng;
  /** Number of bootstrap resamples B (default 1000). */
  resamples?: number;
  /** Confidence level of the percentile intervals (default 0.95). */
  level?: number;
  /** Factor names, in the order of yAB; defaults to x0, x1, ... */
  names?: string[];
}

/** First-order and total Sobol indices per factor. */
export interface SobolResult {
  names: string[];
  /** Base sample size N. */
  n: number;
  /** Mean of the outputs over A and B. */
  mean: number;
  /** Output variance estimated over A and B together (2N values, population form). */
  variance: number;
  /**
   * True when the output variance is zero (relative to the output's magnitude,
   * sd ≤ 1e-10 · max|y|): the indices are then defined as 0 (no NaN).
   */
  zeroVariance: boolean;
  /** First-order indices S1_i (Saltelli et al. 2010 estimator). */
  S1: number[];
  /** Total-effect indices ST_i (Jansen 1999 estimator). */
  ST: number[];
  /** Bootstrap percentile intervals for S1 (null without rng). */
  S1ci: Interval[] | null;
  /** Bootstrap percentile intervals for ST (null without rng). */
  STci: Interval[] | null;
  /** Number of bootstrap resamples used (0 without rng). */
  resamples: number;
  level: number;
}

function assertFiniteArray(xs: ArrayLike<number>, what: string): void {
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new RangeError(`${what}: value at index ${i} is not finite (${xs[i]})`);
  }
}

/**
 * Core estimator on the rows listed in `idx` (with repetition for the
 * bootstrap). Writes S1 and ST into the output arrays; returns the variance
 * and whether it is (numerically) zero.
 */
function estimate(
  yA: ArrayLike<number>,
  yB: ArrayLike<number>,
  yAB: ArrayLike<number>[],
  idx: ArrayLike<number>,
  s1: number[],
  st: number[],
): { mean: number; variance: number; zero: boolean } {
  const n = idx.length;
  let sum = 0;
  let maxAbs = 0;
  for (let r = 0; r < n; r++) {
    const j = idx[r];
    sum += yA[j] + yB[j];
    maxAbs = Math.max(maxAbs, Math.abs(yA[j]), Math.abs(yB[j]));
  }
  const m = sum / (2 * n);
  let ss = 0;
  for (let r = 0; r < n; r++) {
    const j = idx[r];
    const a = yA[j] - m;
    const b = yB[j] - m;
    ss += a * a + b * b;
  }
  const v = ss / (2 * n);
  const zero = !(v > 0) || Math.sqrt(v) <= 1e-10 * maxAbs;
  for (let i = 0; i < yAB.length; i++) {
    if (zero) {
      s1[i] = 0;
      st[i] = 0;
      continue;
    }
    const yi = yAB[i];
    let f = 0;
    let t = 0;
    for (let r = 0; r < n; r++) {
      const j = idx[r];
      const d = yi[j] - yA[j];
      f += yB[j] * d; // Saltelli 2010, Table 2 (b): f(B)(f(A_B^i) - f(A))
      t += d * d; // Jansen 1999, Table 2 (f): (f(A) - f(A_B^i))^2 / 2
    }
    s1[i] = f / n / v;
    st[i] = t / (2 * n) / v;
  }
  return { mean: m, variance: v, zero };
}

/**
 * First-order and total Sobol (1993) sensitivity indices from the outputs of
 * a Saltelli design (see `saltelli` in design.ts; `splitSaltelli` gives yA, yB,
 * yAB). With V the variance of all 2N outputs of A and B:
 * S1_i = (1/N) Σ_j f(B)_j (f(AB_i)_j - f(A)_j) / V (Saltelli et al. 2010, Comput.
 * Phys. Commun. 181:259, Table 2 (b)); ST_i = (1/2N) Σ_j (f(A)_j - f(AB_i)_j)² / V
 * (Jansen 1999, Comput. Phys. Commun. 117:35; Saltelli 2010 Table 2 (f)).
 * Bootstrap intervals (Efron & Tibshirani 1993, percentile method): when
 * `opts.rng` is given, B = `resamples` resamples of the N row indices j (the
 * same rows for yA, yB and every yAB_i; one draw floor(rng()·N) per row, row
 * by row, resample by resample), and the (1-level)/2 and (1+level)/2 sample
 * quantiles (d3 `quantileSorted`, R type 7) of the re-estimated indices.
 * Zero output variance gives S1 = ST = 0 and `zeroVariance: true`; a
 * bootstrap resample that happens to have zero variance contributes 0 too.
 * Note: with a Sobol (QMC) design the bootstrap treats rows as i.i.d., so the
 * intervals are typically conservative.
 */
export function sobolIndices(
  yA: ArrayLike<number>,
  yB: ArrayLike<number>,
  yAB: ArrayLike<number>[],
  opts: SobolOptions = {},
): SobolResult {
  const n = yA.length;
  const k = yAB.length;
  if (n < 1) throw new RangeError('sobolIndices: need at least one row');
  if (yB.length !== n) throw new RangeError(`sobolIndices: yB has ${yB.length} rows, yA has ${n}`);
  yAB.forEach((y, i) => {
    if (y.length !== n) throw new RangeError(`sobolIndices: yAB[${i}] has ${y.length} rows, yA has ${n}`);
  });
  assertFiniteArray(yA, 'sobolIndices yA');
  assertFiniteArray(yB, 'sobolIndices yB');
  yAB.forEach((y, i) => assertFiniteArray(y, `sobolIndices yAB[${i}]`));
  const names = opts.names ?? Array.from({ length: k }, (_, i) => `x${i}`);
  if (names.length !== k) throw new RangeError(`sobolIndices: ${names.length} names for ${k} factors`);
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`sobolIndices: level must be in (0,1)`);

  const all = Int32Array.from({ length: n }, (_, j) => j);
  const S1 = new Array<number>(k);
  const ST = new Array<number>(k);
  const base = estimate(yA, yB, yAB, all, S1, ST);

  let S1ci: Interval[] | null = null;
  let STci: Interval[] | null = null;
  let resamples = 0;
  if (opts.rng) {
    const rng = opts.rng;
    resamples = opts.resamples ?? 1000;
    if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError('sobolIndices: resamples must be a positive integer');
    const bootS1: Float64Array[] = Array.from({ length: k }, () => new Float64Array(resamples));
    const bootST: Float64Array[] = Array.from({ length: k }, () => new Float64Array(resamples));
    const idx = new Int32Array(n);
    const s1 = new Array<number>(k);
    const st = new Array<number>(k);
    for (let b = 0; b < resamples; b++) {
      for (let r = 0; r < n; r++) idx[r] = Math.min(n - 1, Math.floor(rng() * n));
      estimate(yA, yB, yAB, idx, s1, st);
      for (let i = 0; i < k; i++) {
        bootS1[i][b] = s1[i];
        bootST[i][b] = st[i];
      }
    }
    const lo = (1 - level) / 2;
    const hi = (1 + level) / 2;
    const interval = (xs: Float64Array): Interval => {
      const sorted = Array.from(xs).sort((a, c) => a - c);
      return { lo: quantileSorted(sorted, lo) ?? NaN, hi: quantileSorted(sorted, hi) ?? NaN };
    };
    S1ci = bootS1.map(interval);
    STci = bootST.map(interval);
  }

  return {
    names,
    n,
    mean: base.mean,
    variance: base.zero ? 0 : base.variance,
    zeroVariance: base.zero,
    S1,
    ST,
    S1ci,
    STci,
    resamples,
    level,
  };
}

/**
 * Sobol indices straight from a Saltelli design and its outputs (one per
 * design point, in design order): `splitSaltelli` then `sobolIndices` with the
 * design's factor names.
 */
export function sobolFromDesign(
  design: Pick<SaltelliDesign, 'n' | 'k' | 'blocks' | 'names'>,
  y: ArrayLike<number>,
  opts: Omit<SobolOptions, 'names'> = {},
): SobolResult {
  const { yA, yB, yAB } = splitSaltelli(design, y);
  return sobolIndices(yA, yB, yAB, { ...opts, names: design.names });
}

/** Options for `morrisIndices`. */
export interface MorrisOptions {
  /** rng for a bootstrap interval of mu* (resampling trajectories); omitted → no interval. */
  rng?: Rng;
  /** Number of bootstrap resamples (default 1000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/** Morris screening measures per factor. */
export interface MorrisResult {
  names: string[];
  /** Number of trajectories r (elementary effects per factor). */
  r: number;
  /** Mean elementary effect μ (Morris 1991). */
  mu: number[];
  /** Mean absolute elementary effect μ* (Campolongo, Cariboni & Saltelli 2007). */
  muStar: number[];
  /** Sample standard deviation σ of the elementary effects (n-1 form; NaN when r = 1). */
  sigma: number[];
  /** Bootstrap percentile interval of μ* per factor (null without rng). */
  muStarCi: Interval[] | null;
  /** Elementary effects, ee[i][t] for factor i in trajectory t. */
  ee: number[][];
}

/**
 * Morris (1991) screening measures from the outputs of a Morris design (see
 * `morris` in design.ts; y[row] for every design row, in design order): for
 * each trajectory and each step, the elementary effect of the factor changed
 * is EE = (y_{after} - y_{before}) / (±delta), delta in unit-range coordinates.
 * That is, effects are scaled by each factor's range: an EE is the output
 * change per full range of the factor (for a log factor, per full log-range;
 * for a `values` factor, per full span of its levels), so factors with
 * different units compare directly. Returns μ, μ* = mean |EE| (Campolongo,
 * Cariboni & Saltelli 2007, Environ. Model. Softw. 22:1509) and σ (sample sd).
 * With `opts.rng`, a percentile bootstrap interval of μ* from resampling the r
 * effects of each factor (one draw floor(rng()·r) per effect, factor by
 * factor, resample by resample).
 */
export function morrisIndices(
  design: Pick<MorrisDesign, 'r' | 'k' | 'delta' | 'names' | 'trajectories'>,
  y: ArrayLike<number>,
  opts: MorrisOptions = {},
): MorrisResult {
  const { r, k, delta, names, trajectories } = design;
  if (y.length !== r * (k + 1)) throw new RangeError(`morrisIndices: expected ${r * (k + 1)} outputs, got ${y.length}`);
  assertFiniteArray(y, 'morrisIndices y');
  const ee: number[][] = Array.from({ length: k }, () => new Array<number>(r));
  trajectories.forEach((traj, t) => {
    for (let j = 0; j < k; j++) {
      const i = traj.order[j];
      ee[i][t] = (y[traj.start + j + 1] - y[traj.start + j]) / (traj.sign[j] * delta);
    }
  });
  const mu = ee.map((e) => mean(e) ?? NaN);
  const muStar = ee.map((e) => mean(e, Math.abs) ?? NaN);
  const sigma = ee.map((e, i) => {
    if (r < 2) return NaN;
    let ss = 0;
    for (const x of e) ss += (x - mu[i]) ** 2;
    return Math.sqrt(ss / (r - 1));
  });
  let muStarCi: Interval[] | null = null;
  if (opts.rng) {
    const rng = opts.rng;
    const B = opts.resamples ?? 1000;
    const level = opts.level ?? 0.95;
    if (!Number.isInteger(B) || B < 1) throw new RangeError('morrisIndices: resamples must be a positive integer');
    if (!(level > 0 && level < 1)) throw new RangeError('morrisIndices: level must be in (0,1)');
    muStarCi = ee.map((e) => {
      const stats = new Array<number>(B);
      for (let b = 0; b < B; b++) {
        let s = 0;
        for (let t = 0; t < r; t++) s += Math.abs(e[Math.min(r - 1, Math.floor(rng() * r))]);
        stats[b] = s / r;
      }
      stats.sort((a, c) => a - c);
      return { lo: quantileSorted(stats, (1 - level) / 2) ?? NaN, hi: quantileSorted(stats, (1 + level) / 2) ?? NaN };
    });
  }
  return { names: [...names], r, mu, muStar, sigma, muStarCi, ee };
}
