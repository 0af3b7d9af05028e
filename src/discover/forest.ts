/**
 * Feature scoring: permutation importance of a random forest of regression trees (Breiman 2001, Machine Learning
 * 45:5-32), measured on each tree's out-of-bag rows. Importance of input j = mean over trees of the increase in
 * out-of-bag mean squared error when input j is shuffled among those rows, divided by the outcome's variance
 * (so 0.3 means: without this input the forest explains 30% less of the variance). Unlike impurity-based scores
 * (the EMA Workbench's extra-trees default), permutation importance is not biased towards inputs with many values.
 *
 * Deterministic: bootstrap samples, candidate inputs and shuffles come from one seeded stream (seedrandom's Alea).
 */
import seedrandom from 'seedrandom';

export interface ForestOptions { trees?: number; minLeaf?: number; maxDepth?: number; mtry?: number; sampleSize?: number; seed: string }
/** `sampleSize`: rows drawn (with replacement) per tree, at most; large sweeps are subsampled to keep the forest fast. */
export const FOREST_DEFAULTS = { trees: 100, minLeaf: 5, maxDepth: 24, sampleSize: 4000 };
if (FOREST_DEFAULTS.sampleSize >= 2 ** 22) throw new Error('sampleSize must stay below 2^22 (sort keys)');

/** A regression tree in flat arrays: internal nodes split on feature < threshold (left) else right. */
interface Tree { feature: Int32Array; threshold: Float64Array; left: Int32Array; right: Int32Array; value: Float64Array }

export interface FeatureScores {
  /** Per input, in column order: increase in out-of-bag MSE when shuffled, as a share of the outcome's variance. */
  importance: number[];
  /** Importance as a share of the total positive importance (sums to 1 unless nothing matters). */
  share: number[];
  /** Out-of-bag R² of the forest: how much of the outcome's variance the inputs explain at all. */
  oobR2: number;
  trees: number;
}

type Rng = () => number;

/** Each column as ranks (ties share a rank), so node samples sort as packed integer keys with a native sort. */
function ranksOf(col: Float64Array): Float64Array {
  const order = Array.from(col.keys()).sort((a, b) => col[a] - col[b] || a - b);
  const r = new Float64Array(col.length);
  for (let q = 1; q < order.length; q++) r[order[q]] = col[order[q]] === col[order[q - 1]] ? r[order[q - 1]] : q;
  return r;
}
const SLOT = 2 ** 22;

function grow(X: Float64Array[], ranks: Float64Array[], y: Float64Array, rows: number[], o: { minLeaf: number; maxDepth: number; mtry: number }, rng: Rng): Tree {
  const feature: number[] = [], threshold: number[] = [], left: number[] = [], right: number[] = [], value: number[] = [];
  const k = X.length;
  const node = (idx: number[], depth: number): number => {
    const id = feature.length;
    feature.push(-1); threshold.push(0); left.push(-1); right.push(-1);
    let sum = 0;
    for (const i of idx) sum += y[i];
    value.push(sum / idx.length);
    if (idx.length < 2 * o.minLeaf || depth >= o.maxDepth) return id;
    // Candidate inputs: mtry of k, drawn without replacement (partial Fisher-Yates).
    const order = Array.from({ length: k }, (_, j) => j);
    for (let q = 0; q < o.mtry; q++) { const r = q + Math.floor(rng() * (k - q)); [order[q], order[r]] = [order[r], order[q]]; }
    let bestGain = 1e-12, bestF = -1, bestT = 0;
    const total = sum, m = idx.length;
    let sq = 0;
    for (const i of idx) sq += y[i] * y[i];
    const sse = sq - (total * total) / m;
    if (sse <= 1e-12) return id;
    const keys = new Float64Array(m);
    const sorted = new Array<number>(m);
    for (let q = 0; q < o.mtry; q++) {
      const f = order[q], col = X[f], rank = ranks[f];
      // Sort the node's rows by the input: key = rank x 2^22 + position in the node (exact in a double).
      for (let p = 0; p < m; p++) keys[p] = rank[idx[p]] * SLOT + p;
      keys.sort();
      for (let p = 0; p < m; p++) sorted[p] = idx[keys[p] % SLOT];
      let ls = 0;
      for (let p = 0; p < m - 1; p++) {
        ls += y[sorted[p]];
        const nl = p + 1;
        if (nl < o.minLeaf || m - nl < o.minLeaf) continue;
        const a = col[sorted[p]], b = col[sorted[p + 1]];
        if (a === b) continue;
        // SSE reduction = ls^2/nl + rs^2/nr - total^2/m
        const rs = total - ls;
        const gain = (ls * ls) / nl + (rs * rs) / (m - nl) - (total * total) / m;
        if (gain > bestGain) { bestGain = gain; bestF = f; bestT = (a + b) / 2; }
      }
    }
    if (bestF < 0) return id;
    const L: number[] = [], R: number[] = [];
    for (const i of idx) (X[bestF][i] < bestT ? L : R).push(i);
    feature[id] = bestF; threshold[id] = bestT;
    const l = node(L, depth + 1);
    const r = node(R, depth + 1);
    left[id] = l; right[id] = r;
    return id;
  };
  node(rows, 0);
  return { feature: Int32Array.from(feature), threshold: Float64Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right), value: Float64Array.from(value) };
}

function predict(t: Tree, X: Float64Array[], i: number, permuted = -1, perm: Float64Array | null = null): number {
  let n = 0;
  while (t.feature[n] >= 0) {
    const f = t.feature[n];
    const v = f === permuted ? perm![i] : X[f][i];
    n = v < t.threshold[n] ? t.left[n] : t.right[n];
  }
  return t.value[n];
}

/** Permutation importance of each column of X (k columns of n rows) for outcome y. */
export function featureScores(X: Float64Array[], y: Float64Array, opts: ForestOptions): FeatureScores {
  const n = y.length, k = X.length;
  const o = { ...FOREST_DEFAULTS, mtry: Math.max(1, Math.floor(k / 3)), ...opts };
  const rng = seedrandom.alea(opts.seed) as Rng;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= n;
  let variance = 0;
  for (const v of y) variance += (v - mean) ** 2;
  variance /= n;
  const inc = new Float64Array(k);
  const ranks = X.map(ranksOf);
  const oobSum = new Float64Array(n), oobCount = new Int32Array(n);
  let counted = 0;
  for (let t = 0; t < o.trees; t++) {
    const inBag = new Uint8Array(n);
    const size = Math.min(n, o.sampleSize);
    const rows: number[] = new Array(size);
    for (let q = 0; q < size; q++) { const i = Math.floor(rng() * n); rows[q] = i; inBag[i] = 1; }
    const tree = grow(X, ranks, y, rows, o, rng);
    const oob: number[] = [];
    for (let i = 0; i < n; i++) if (!inBag[i]) oob.push(i);
    if (oob.length < 2) continue;
    let base = 0;
    for (const i of oob) { const p = predict(tree, X, i); base += (y[i] - p) ** 2; oobSum[i] += p; oobCount[i]++; }
    base /= oob.length;
    const perm = new Float64Array(n);
    for (let j = 0; j < k; j++) {
      // Shuffle column j among the out-of-bag rows (Fisher-Yates on their values).
      const vals = oob.map((i) => X[j][i]);
      for (let q = vals.length - 1; q > 0; q--) { const r = Math.floor(rng() * (q + 1)); [vals[q], vals[r]] = [vals[r], vals[q]]; }
      oob.forEach((i, q) => { perm[i] = vals[q]; });
      let e = 0;
      for (const i of oob) e += (y[i] - predict(tree, X, i, j, perm)) ** 2;
      inc[j] += e / oob.length - base;
    }
    counted++;
  }
  const importance = Array.from(inc, (v) => (counted && variance > 0 ? v / counted / variance : 0));
  const pos = importance.reduce((s, v) => s + Math.max(0, v), 0);
  const share = importance.map((v) => (pos > 0 ? Math.max(0, v) / pos : 0));
  let sse = 0, m = 0;
  for (let i = 0; i < n; i++) if (oobCount[i]) { sse += (y[i] - oobSum[i] / oobCount[i]) ** 2; m++; }
  const oobR2 = m && variance > 0 ? 1 - sse / m / variance : 0;
  return { importance, share, oobR2, trees: o.trees };
}
