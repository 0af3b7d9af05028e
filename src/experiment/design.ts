/**
 * Experiment designs over factors: full factorial grids, Latin hypercubes,
 * Saltelli (Sobol-sequence) designs for variance-based sensitivity analysis,
 * and Morris elementary-effects trajectories.
 *
 * Every function is pure. Randomness comes only from a caller-supplied
 * `rng: () => number` (uniform on [0, 1)), consumed in the order documented on
 * each function, so that the same rng seed gives the same design.
 *
 * Two maps take a unit coordinate u to a factor value:
 * - quantile map (`fromUnit`, used by sampling designs: LHS, Saltelli), for
 *   u in [0, 1): ranges uniformly (log-uniformly when `log`); integer ranges
 *   give each integer in [min, max] probability 1/(max-min+1) (integer log
 *   ranges: the log-uniform value rounded to the nearest integer); `values`
 *   factors give each of their L levels probability 1/L (level floor(u·L)).
 * - grid map (`fromGrid`, used by fullGrid and Morris), for u in [0, 1]:
 *   ranges linearly (geometrically when `log`), integer ranges rounded to the
 *   nearest integer, `values` factors to the nearest of L levels placed at
 *   j/(L-1).
 */

/** A value a factor can take. */
export type Level = number | string | boolean;

/** A continuous (or integer) factor on [min, max]. */
export interface RangeFactor {
  name: string;
  kind: 'range';
  min: number;
  max: number;
  /** Integer-valued factor (min and max must be integers). */
  integer?: boolean;
  /** Log scale (min must be > 0). */
  log?: boolean;
}

/** A factor with an explicit list of levels, in order. */
export interface ValuesFactor {
  name: string;
  kind: 'values';
  values: Level[];
}

/** An experimental factor: a numeric range or an explicit list of levels. */
export type Factor = RangeFactor | ValuesFactor;

/** One design point: factor name -> value. */
export type Point = Record<string, Level>;

/** Uniform random numbers on [0, 1). */
export type Rng = () => number;

// ---------------------------------------------------------------------------
// Factors
// ---------------------------------------------------------------------------

/** Throws a RangeError describing the first invalid factor (empty or duplicate name, bad range, empty values). */
export function validateFactors(factors: readonly Factor[]): void {
  const seen = new Set<string>();
  factors.forEach((f, i) => {
    const where = `factor ${i} (${JSON.stringify(f?.name)})`;
    if (typeof f.name !== 'string' || f.name === '') throw new RangeError(`${where}: name must be a non-empty string`);
    if (seen.has(f.name)) throw new RangeError(`${where}: duplicate name`);
    seen.add(f.name);
    if (f.kind === 'range') {
      if (!Number.isFinite(f.min) || !Number.isFinite(f.max)) throw new RangeError(`${where}: min and max must be finite`);
      if (!(f.min < f.max)) throw new RangeError(`${where}: min must be < max`);
      if (f.log && !(f.min > 0)) throw new RangeError(`${where}: log range needs min > 0`);
      if (f.integer && (!Number.isInteger(f.min) || !Number.isInteger(f.max))) {
        throw new RangeError(`${where}: integer range needs integer min and max`);
      }
    } else if (f.kind === 'values') {
      if (!Array.isArray(f.values) || f.values.length === 0) throw new RangeError(`${where}: values must be non-empty`);
    } else {
      throw new RangeError(`${where}: unknown kind ${(f as { kind: unknown }).kind}`);
    }
  });
}

function continuous(f: RangeFactor, u: number): number {
  if (f.log) return Math.exp(Math.log(f.min) + u * (Math.log(f.max) - Math.log(f.min)));
  return f.min + u * (f.max - f.min);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Quantile map of a unit coordinate u ∈ [0, 1) to a factor value (inverse-CDF
 * of the factor's uniform / log-uniform / discrete-uniform distribution). See
 * the module comment.
 */
export function fromUnit(f: Factor, u: number): Level {
  if (f.kind === 'values') {
    const L = f.values.length;
    return f.values[clamp(Math.floor(u * L), 0, L - 1)];
  }
  if (f.integer) {
    if (f.log) return clamp(Math.round(continuous(f, u)), f.min, f.max);
    return clamp(f.min + Math.floor(u * (f.max - f.min + 1)), f.min, f.max);
  }
  const x = continuous(f, u);
  return u >= 1 ? f.max : clamp(x, f.min, f.max);
}

/**
 * Grid map of u ∈ [0, 1] to a factor value: linear (geometric when `log`),
 * integers rounded, `values` to the nearest of L levels at j/(L-1). See the
 * module comment.
 */
export function fromGrid(f: Factor, u: number): Level {
  if (f.kind === 'values') {
    const L = f.values.length;
    return f.values[L === 1 ? 0 : clamp(Math.round(u * (L - 1)), 0, L - 1)];
  }
  const x = u <= 0 ? f.min : u >= 1 ? f.max : clamp(continuous(f, u), f.min, f.max);
  return f.integer ? Math.round(x) : x;
}

function mapRows(factors: readonly Factor[], unit: number[][], map: (f: Factor, u: number) => Level): Point[] {
  return unit.map((row) => {
    const p: Point = {};
    factors.forEach((f, j) => {
      p[f.name] = map(f, row[j]);
    });
    return p;
  });
}

// ---------------------------------------------------------------------------
// Full factorial grid
// ---------------------------------------------------------------------------

/**
 * The levels fullGrid uses for one factor: for a range, `levels` evenly spaced
 * values including both ends (geometrically spaced when `log`; one level gives
 * the midpoint; integer ranges are rounded and duplicates dropped); for a
 * `values` factor, its values in order.
 */
export function gridLevels(f: Factor, levels: number): Level[] {
  if (f.kind === 'values') return [...f.values];
  if (!Number.isInteger(levels) || levels < 1) throw new RangeError(`levels for ${f.name} must be a positive integer, got ${levels}`);
  const out: Level[] = [];
  for (let j = 0; j < levels; j++) {
    const v = fromGrid(f, levels === 1 ? 0.5 : j / (levels - 1));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * Full factorial (Cartesian product) design. Ranges get `levelsPerRange`
 * levels (a number for all, or per factor name; see `gridLevels`). Order:
 * lexicographic in factor order with the LAST factor varying fastest (like
 * nested loops over the factors in order). Size = product of level counts.
 */
export function fullGrid(factors: readonly Factor[], levelsPerRange: number | Record<string, number>): Point[] {
  validateFactors(factors);
  const levels = factors.map((f) =>
    gridLevels(f, typeof levelsPerRange === 'number' ? levelsPerRange : (levelsPerRange[f.name] ?? NaN)),
  );
  const total = levels.reduce((acc, l) => acc * l.length, 1);
  const out: Point[] = [];
  const idx = new Array<number>(factors.length).fill(0);
  for (let c = 0; c < total; c++) {
    const p: Point = {};
    factors.forEach((f, j) => {
      p[f.name] = levels[j][idx[j]];
    });
    out.push(p);
    for (let j = factors.length - 1; j >= 0; j--) {
      idx[j] += 1;
      if (idx[j] < levels[j].length) break;
      idx[j] = 0;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Latin hypercube
// ---------------------------------------------------------------------------

/**
 * Latin hypercube sample on the unit cube (McKay, Beckman & Conover 1979):
 * n rows, k columns; in each column the n values fall one in each stratum
 * [i/n, (i+1)/n). rng draw order: for each column j = 0..k-1, a Fisher–Yates
 * shuffle of 0..n-1 (for i = n-1 down to 1, one draw picks floor(rng()·(i+1)))
 * then n jitter draws, row 0 first: u[i][j] = (perm[i] + rng())/n.
 */
export function latinHypercubeUnit(k: number, n: number, rng: Rng): number[][] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`latinHypercube: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`latinHypercube: k must be a non-negative integer`);
  const unit: number[][] = Array.from({ length: n }, () => new Array<number>(k));
  for (let j = 0; j < k; j++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const r = Math.min(i, Math.floor(rng() * (i + 1)));
      const t = perm[i];
      perm[i] = perm[r];
      perm[r] = t;
    }
    for (let i = 0; i < n; i++) {
      let u = (perm[i] + rng()) / n;
      // Guard against rng() returning 1 or rounding up into the next stratum.
      while (Math.floor(u * n) > perm[i]) u -= Number.EPSILON * Math.max(u, 1 / n);
      unit[i][j] = u;
    }
  }
  return unit;
}

/**
 * Latin hypercube design (McKay, Beckman & Conover 1979) over the factors:
 * `latinHypercubeUnit(k, n, rng)` mapped column-wise by the quantile map
 * `fromUnit`. Rows are in sample order (not sorted).
 */
export function latinHypercube(factors: readonly Factor[], n: number, rng: Rng): Point[] {
  validateFactors(factors);
  return mapRows(factors, latinHypercubeUnit(factors.length, n, rng), fromUnit);
}

// ---------------------------------------------------------------------------
// Sobol low-discrepancy sequence
// ---------------------------------------------------------------------------

/*
 * Direction numbers of Joe & Kuo (2008), file new-joe-kuo-6.21201, dimensions
 * 2..64, one row per dimension as `s a m_1 ... m_s` (s: degree of the primitive
 * polynomial, a: its inner coefficients as bits, m_i: initial direction
 * integers). Dimension 1 is the van der Corput sequence and needs none.
 * Source: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
 * two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635–2654;
 * the direction-number data are Copyright (c) 2008 Frances Y. Kuo and Stephen
 * Joe, distributed under a BSD-style licence that permits redistribution with
 * this notice.
 */
const JOE_KUO =
  '1 0 1|2 1 1 3|3 1 1 3 1|3 2 1 1 1|4 1 1 1 3 3|4 4 1 3 5 13|5 2 1 1 5 5 17|5 4 1 1 5 5 5|' +
  '5 7 1 1 7 11 19|5 11 1 1 5 1 1|5 13 1 1 1 3 11|5 14 1 3 5 5 31|6 1 1 3 3 9 7 49|' +
  '6 13 1 1 1 15 21 21|6 16 1 3 1 13 27 49|6 19 1 1 1 15 7 5|6 22 1 3 1 15 13 25|' +
  '6 25 1 1 5 5 19 61|7 1 1 3 7 11 23 15 103|7 4 1 3 7 13 13 15 69|7 7 1 1 3 13 7 35 63|' +
  '7 8 1 3 5 9 1 25 53|7 14 1 3 1 13 9 35 107|7 19 1 3 1 5 27 61 31|7 21 1 1 5 11 19 41 61|' +
  '7 28 1 3 5 3 3 13 69|7 31 1 1 7 13 1 19 1|7 32 1 3 7 5 13 19 59|7 37 1 1 3 9 25 29 41|' +
  '7 41 1 3 5 13 23 1 55|7 42 1 3 7 3 13 59 17|7 50 1 3 1 3 5 53 69|7 55 1 1 5 5 23 33 13|' +
  '7 56 1 1 7 7 1 61 123|7 59 1 1 7 9 13 61 49|7 62 1 3 3 5 3 55 33|8 14 1 3 1 15 31 13 49 245|' +
  '8 21 1 3 5 15 31 59 63 97|8 22 1 3 1 11 11 11 77 249|8 38 1 3 1 11 27 43 71 9|' +
  '8 47 1 1 7 15 21 11 81 45|8 49 1 3 7 3 25 31 65 79|8 50 1 3 1 1 19 11 3 205|' +
  '8 52 1 1 5 9 19 21 29 157|8 56 1 3 7 11 1 33 89 185|8 67 1 3 3 3 15 9 79 71|' +
  '8 70 1 3 7 11 15 39 119 27|8 84 1 1 3 1 11 31 97 225|8 97 1 1 1 3 23 43 57 177|' +
  '8 103 1 3 7 7 17 17 37 71|8 115 1 3 1 5 27 63 123 213|8 122 1 1 3 5 11 43 53 133|' +
  '9 8 1 3 5 5 29 17 47 173 479|9 13 1 3 3 11 3 1 109 9 69|9 16 1 1 1 5 17 39 23 5 343|' +
  '9 22 1 3 1 5 25 15 31 103 499|9 25 1 1 1 11 11 17 63 105 183|9 44 1 1 5 11 9 29 97 231 363|' +
  '9 47 1 1 5 15 19 45 41 7 383|9 52 1 3 7 7 31 19 83 137 221|9 55 1 1 1 3 23 15 111 223 83|' +
  '9 59 1 1 5 13 31 15 55 25 161|9 62 1 1 3 13 25 47 39 87 257';

/** One parsed Joe–Kuo row: polynomial degree s, coefficient bits a, initial m_1..m_s. */
export interface DirectionRow {
  s: number;
  a: number;
  m: number[];
}

/** The Joe–Kuo rows for dimensions 2..SOBOL_MAX_DIMENSIONS (index 0 is dimension 2). */
export const JOE_KUO_ROWS: readonly DirectionRow[] = Object.freeze(
  JOE_KUO.split('|').map((row) => {
    const [s, a, ...m] = row.split(' ').map(Number);
    return Object.freeze({ s, a, m: Object.freeze(m) as number[] });
  }),
);

/** Number of dimensions the built-in Sobol generator supports. */
export const SOBOL_MAX_DIMENSIONS = JOE_KUO_ROWS.length + 1;

const BITS = 32;

/** 32 direction numbers V_1..V_32 per dimension, scaled so V_j = m_j · 2^(32-j). */
const DIRECTIONS: readonly Uint32Array[] = (() => {
  const all: Uint32Array[] = [];
  const first = new Uint32Array(BITS);
  for (let j = 0; j < BITS; j++) first[j] = (1 << (BITS - 1 - j)) >>> 0;
  all.push(first);
  for (const { s, a, m } of JOE_KUO_ROWS) {
    const v = new Uint32Array(BITS);
    for (let j = 0; j < BITS; j++) {
      if (j < s) {
        v[j] = (m[j] << (BITS - 1 - j)) >>> 0;
      } else {
        // Bratley & Fox (1988) recurrence as stated by Joe & Kuo.
        let x = v[j - s] ^ (v[j - s] >>> s);
        for (let q = 1; q < s; q++) if ((a >>> (s - 1 - q)) & 1) x ^= v[j - q];
        v[j] = x >>> 0;
      }
    }
    all.push(v);
  }
  return all;
})();

/**
 * The first `n` points of the d-dimensional Sobol (1967) sequence in [0, 1)^d,
 * with Joe & Kuo (2008) direction numbers, generated in Gray-code order
 * (Antonov & Saleev 1979) as in Joe & Kuo's reference implementation, after
 * skipping the first `skip` points (default 1: the all-zero point). With
 * skip = 0 the first 2^m points are a (t, m, d)-net, one point in each dyadic
 * interval of length 2^-m per dimension. 32-bit resolution; d ≤ SOBOL_MAX_DIMENSIONS.
 */
export function sobolSequence(n: number, d: number, skip = 1): number[][] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sobolSequence: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1 || d > SOBOL_MAX_DIMENSIONS) {
    throw new RangeError(`sobolSequence: d must be in 1..${SOBOL_MAX_DIMENSIONS}, got ${d}`);
  }
  if (!Number.isInteger(skip) || skip < 0) throw new RangeError(`sobolSequence: skip must be a non-negative integer`);
  if (skip + n > 2 ** 31) throw new RangeError(`sobolSequence: at most 2^31 points`);
  const x = new Uint32Array(d);
  // Start directly at index `skip`: X_i = XOR of V_j over the set bits j of gray(i).
  const gray = (skip ^ (skip >>> 1)) >>> 0;
  for (let j = 0; j < d; j++) {
    let acc = 0;
    for (let b = 0; b < BITS; b++) if ((gray >>> b) & 1) acc ^= DIRECTIONS[j][b];
    x[j] = acc >>> 0;
  }
  const out: number[][] = [];
  const scale = 2 ** -BITS;
  for (let i = skip; i < skip + n; i++) {
    const row = new Array<number>(d);
    for (let j = 0; j < d; j++) row[j] = x[j] * scale;
    out.push(row);
    // Next Gray-code point: flip direction number c = index of the lowest zero bit of i.
    let c = 0;
    let t = i;
    while (t & 1) {
      t >>>= 1;
      c++;
    }
    if (c < BITS) for (let j = 0; j < d; j++) x[j] = (x[j] ^ DIRECTIONS[j][c]) >>> 0;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Saltelli design
// ---------------------------------------------------------------------------

/** A Saltelli design and the block structure `sobolIndices` needs. */
export interface SaltelliDesign {
  /** N·(k+2) points in block order: A (rows 0..N-1), B (N..2N-1), then AB_0, ..., AB_{k-1} (rows (2+i)N..(3+i)N-1). */
  points: Point[];
  /** The same rows as unit coordinates (before mapping to factor values). */
  unit: number[][];
  /** Base sample size N. */
  n: number;
  /** Number of factors k. */
  k: number;
  /** Factor names in column order. */
  names: string[];
  /** Row offsets: A at 0, B at n, AB_i at (2+i)·n; each block has n rows. */
  blocks: { A: number; B: number; AB: number[] };
}

/**
 * Saltelli (2010) sampling design for first-order and total Sobol indices
 * (Saltelli et al., Comput. Phys. Commun. 181:259–270, 2010). Base matrices A
 * and B (N × k) are the first and last k coordinates of the first N points of
 * a 2k-dimensional Sobol sequence (Joe–Kuo directions, skipping `skip` points,
 * default 1); AB_i is A with column i taken from B. Unit coordinates are mapped
 * with the quantile map `fromUnit`. Use a power of two for N. Deterministic
 * (no rng). Requires 2k ≤ SOBOL_MAX_DIMENSIONS.
 */
export function saltelli(factors: readonly Factor[], n: number, opts: { skip?: number } = {}): SaltelliDesign {
  validateFactors(factors);
  const k = factors.length;
  if (k < 1) throw new RangeError('saltelli: need at least one factor');
  if (2 * k > SOBOL_MAX_DIMENSIONS) throw new RangeError(`saltelli: at most ${SOBOL_MAX_DIMENSIONS / 2} factors`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`saltelli: n must be a positive integer, got ${n}`);
  const seq = sobolSequence(n, 2 * k, opts.skip ?? 1);
  const A = seq.map((row) => row.slice(0, k));
  const B = seq.map((row) => row.slice(k, 2 * k));
  const unit: number[][] = [...A.map((r) => [...r]), ...B.map((r) => [...r])];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < n; j++) {
      const row = [...A[j]];
      row[i] = B[j][i];
      unit.push(row);
    }
  }
  return {
    points: mapRows(factors, unit, fromUnit),
    unit,
    n,
    k,
    names: factors.map((f) => f.name),
    blocks: { A: 0, B: n, AB: Array.from({ length: k }, (_, i) => (2 + i) * n) },
  };
}

/** Splits model outputs (one per Saltelli design point, in design order) into yA, yB and yAB[i]. */
export function splitSaltelli(
  design: Pick<SaltelliDesign, 'n' | 'k' | 'blocks'>,
  y: ArrayLike<number>,
): { yA: number[]; yB: number[]; yAB: number[][] } {
  const { n, k, blocks } = design;
  if (y.length !== n * (k + 2)) throw new RangeError(`splitSaltelli: expected ${n * (k + 2)} outputs, got ${y.length}`);
  const arr = Array.from(y);
  return {
    yA: arr.slice(blocks.A, blocks.A + n),
    yB: arr.slice(blocks.B, blocks.B + n),
    yAB: blocks.AB.map((o) => arr.slice(o, o + n)),
  };
}

// ---------------------------------------------------------------------------
// Morris design
// ---------------------------------------------------------------------------

/** One Morris trajectory: rows [start, start+k] of the design. */
export interface MorrisTrajectory {
  /** Row index of the trajectory's first point. */
  start: number;
  /** order[j] = index of the factor changed between rows start+j and start+j+1. */
  order: number[];
  /** sign[j] = +1 if that factor increased by delta, -1 if it decreased. */
  sign: number[];
}

/** A Morris design: r trajectories of k+1 points each. */
export interface MorrisDesign {
  /** r·(k+1) points, trajectory by trajectory. */
  points: Point[];
  /** The same rows as grid coordinates in {0, 1/(p-1), ..., 1}^k. */
  unit: number[][];
  r: number;
  k: number;
  /** Number of grid levels p. */
  levels: number;
  /** Step in unit coordinates, p / (2(p-1)). */
  delta: number;
  names: string[];
  trajectories: MorrisTrajectory[];
}

/**
 * Morris (1991) elementary-effects design (Technometrics 33:161–174): r random
 * one-at-a-time trajectories of k+1 points on the p-level grid {0, 1/(p-1), …, 1}^k
 * with step delta = p/(2(p-1)) (p even). Each trajectory is Morris's
 * B* = (J x* + (delta/2)[(2B - J)D* + J])P*: a random base point x* with every
 * coordinate among the p/2 levels ≤ 1 - delta, random directions D* and a
 * random factor order P*. Grid coordinates map to factor values with `fromGrid`.
 * rng draw order per trajectory: for each factor i = 0..k-1, one draw for the
 * base level (floor(rng()·p/2)) then one for the direction (rng() < 0.5 → up);
 * then a Fisher–Yates shuffle of the factor order (i = k-1 down to 1).
 */
export function morris(factors: readonly Factor[], r: number, levels: number, rng: Rng): MorrisDesign {
  validateFactors(factors);
  const k = factors.length;
  if (k < 1) throw new RangeError('morris: need at least one factor');
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`morris: r must be a positive integer, got ${r}`);
  if (!Number.isInteger(levels) || levels < 2 || levels % 2 !== 0) {
    throw new RangeError(`morris: levels must be an even integer ≥ 2, got ${levels}`);
  }
  const p = levels;
  const deltaSteps = p / 2; // delta in grid steps of 1/(p-1)
  const delta = p / (2 * (p - 1));
  const unit: number[][] = [];
  const trajectories: MorrisTrajectory[] = [];
  for (let t = 0; t < r; t++) {
    const pos = new Array<number>(k); // grid index 0..p-1 of the current point
    const dir = new Array<number>(k);
    for (let i = 0; i < k; i++) {
      const base = Math.min(p / 2 - 1, Math.floor(rng() * (p / 2)));
      const up = rng() < 0.5;
      dir[i] = up ? 1 : -1;
      pos[i] = up ? base : base + deltaSteps;
    }
    const order = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(rng() * (i + 1)));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    const start = unit.length;
    unit.push(pos.map((g) => g / (p - 1)));
    for (const i of order) {
      pos[i] += dir[i] * deltaSteps;
      unit.push(pos.map((g) => g / (p - 1)));
    }
    trajectories.push({ start, order, sign: order.map((i) => dir[i]) });
  }
  return {
    points: mapRows(factors, unit, fromGrid),
    unit,
    r,
    k,
    levels: p,
    delta,
    names: factors.map((f) => f.name),
    trajectories,
  };
}
