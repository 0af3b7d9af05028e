/**
 * PRIM, the patient rule induction method (Friedman and Fisher 1999, Statistics and Computing 9:123-143), for
 * scenario discovery (Bryant and Lempert 2010, Technological Forecasting and Social Change 77:34-49): find a box
 * (a range per input) in which the cases of interest are dense.
 *
 * Peeling: from the box holding every row, repeatedly cut off a slice of about `peelAlpha` of the rows at the low
 * or high end of one numeric input (or drop one value of a categorical input), choosing the cut that leaves the
 * highest share of cases in the box, until the box holds less than `massMin` of the rows or only cases. Every box
 * of this peeling trajectory is kept, with its coverage (share of all cases inside) and density (share of rows
 * inside that are cases). Pasting then widens the last box by slices of `pasteAlpha` as long as density grows.
 *
 * Inputs with few distinct values (grid levels) are peeled a whole level at a time when a quantile cut would remove
 * nothing. Everything is deterministic: ties are broken by input order, then low before high.
 */
import { incompleteBeta } from '../experiment/stats.ts';

/** One input column: numeric values, or categorical codes (0..levels.length - 1) with their names. */
export type Column =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; codes: Int32Array; levels: string[] };

/** A box: numeric limits (inclusive) or the allowed categories, per column. */
export type Limit = { kind: 'numeric'; lo: number; hi: number } | { kind: 'categorical'; allowed: boolean[] };
export type Box = Limit[];

export interface BoxStats { n: number; cases: number; coverage: number; density: number; mass: number; restricted: number }

export interface PrimOptions { peelAlpha?: number; pasteAlpha?: number; massMin?: number }
export interface PrimResult {
  /** Boxes in peeling order (the first holds everything); the last may be a pasted box. */
  boxes: Box[];
  stats: BoxStats[];
  /** Index of the pasted box in `boxes`, when pasting widened the last peeled box. */
  pasted: number | null;
  /** The box that holds every row (the inputs' observed ranges). */
  full: Box;
}

export const PRIM_DEFAULTS = { peelAlpha: 0.05, pasteAlpha: 0.05, massMin: 0.05 };

function inLimit(c: Column, l: Limit, i: number): boolean {
  if (l.kind === 'numeric') { const v = (c as { values: Float64Array }).values[i]; return v >= l.lo && v <= l.hi; }
  return l.allowed[(c as { codes: Int32Array }).codes[i]];
}

/** Rows inside the box, in row order (skipping column `skip`, to measure the box without one restriction). */
export function rowsIn(cols: Column[], box: Box, n: number, skip = -1): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let j = 0; j < cols.length && ok; j++) if (j !== skip) ok = inLimit(cols[j], box[j], i);
    if (ok) out.push(i);
  }
  return Int32Array.from(out);
}

function sameLimit(a: Limit, b: Limit): boolean {
  if (a.kind === 'numeric' && b.kind === 'numeric') return a.lo === b.lo && a.hi === b.hi;
  if (a.kind === 'categorical' && b.kind === 'categorical') return a.allowed.every((x, k) => x === b.allowed[k]);
  return false;
}

export function restrictedCount(box: Box, full: Box): number {
  let r = 0;
  for (let j = 0; j < box.length; j++) if (!sameLimit(box[j], full[j])) r++;
  return r;
}

function statsOf(rows: Int32Array, y: Uint8Array, totalCases: number, n: number, box: Box, full: Box): BoxStats {
  let cases = 0;
  for (const i of rows) cases += y[i];
  return { n: rows.length, cases, coverage: totalCases ? cases / totalCases : 0, density: rows.length ? cases / rows.length : 0, mass: rows.length / n, restricted: restrictedCount(box, full) };
}

interface Candidate { box: Box; rows: Int32Array; cases: number }

/** Peels of one numeric column: a low and a high cut removing about alpha of the rows (at least one distinct value). */
function numericPeels(c: Extract<Column, { kind: 'numeric' }>, j: number, box: Box, rows: Int32Array, alpha: number): Box[] {
  const l = box[j] as Extract<Limit, { kind: 'numeric' }>;
  const vals = Float64Array.from(rows, (i) => c.values[i]).sort();
  const m = vals.length;
  if (m < 2 || vals[0] === vals[m - 1]) return [];
  const k = Math.max(1, Math.ceil(alpha * m));
  const out: Box[] = [];
  // Low cut: keep values >= vals[k]; if that removes nothing, drop the lowest value entirely.
  let lo = vals[Math.min(k, m - 1)];
  if (lo === vals[0]) { let q = 0; while (q < m && vals[q] === vals[0]) q++; lo = vals[q]; }
  if (lo > l.lo || lo > vals[0]) out.push(box.map((x, q) => (q === j ? { kind: 'numeric', lo, hi: l.hi } : x)));
  let hi = vals[Math.max(m - 1 - k, 0)];
  if (hi === vals[m - 1]) { let q = m - 1; while (q >= 0 && vals[q] === vals[m - 1]) q--; hi = vals[q]; }
  if (hi < l.hi || hi < vals[m - 1]) out.push(box.map((x, q) => (q === j ? { kind: 'numeric', lo: l.lo, hi } : x)));
  return out;
}

function categoricalPeels(c: Extract<Column, { kind: 'categorical' }>, j: number, box: Box, rows: Int32Array): Box[] {
  const l = box[j] as Extract<Limit, { kind: 'categorical' }>;
  const present = new Set<number>();
  for (const i of rows) present.add(c.codes[i]);
  if (present.size < 2) return [];
  return [...present].sort((a, b) => a - b).map((code) => box.map((x, q) => (q === j ? { kind: 'categorical', allowed: l.allowed.map((v, k) => v && k !== code) } : x)));
}

/** The rows of `rows` inside `box`; when `only` is given, the rows are known to satisfy every other column. */
function evaluate(cols: Column[], y: Uint8Array, rows: Int32Array, box: Box, only = -1): Candidate {
  const kept: number[] = [];
  let cases = 0;
  for (const i of rows) {
    let ok = true;
    if (only >= 0) ok = inLimit(cols[only], box[only], i);
    else for (let j = 0; j < cols.length && ok; j++) ok = inLimit(cols[j], box[j], i);
    if (ok) { kept.push(i); cases += y[i]; }
  }
  return { box, rows: Int32Array.from(kept), cases };
}

/** The full box (observed ranges and categories) of the columns. */
export function fullBox(cols: Column[]): Box {
  return cols.map((c) => {
    if (c.kind === 'categorical') return { kind: 'categorical', allowed: c.levels.map(() => true) };
    let lo = Infinity, hi = -Infinity;
    for (const v of c.values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    return { kind: 'numeric', lo, hi };
  });
}

/** Run PRIM on columns `cols` (n rows each) and 0/1 outcomes y (1 = a case of interest). */
export function prim(cols: Column[], y: Uint8Array, opts: PrimOptions = {}): PrimResult {
  const { peelAlpha, pasteAlpha, massMin } = { ...PRIM_DEFAULTS, ...opts };
  const n = y.length;
  let total = 0;
  for (const v of y) total += v;
  const full = fullBox(cols);
  let box = full;
  let rows: Int32Array = Int32Array.from({ length: n }, (_, i) => i);
  let cases = total;
  const boxes: Box[] = [box];
  const stats: BoxStats[] = [statsOf(rows, y, total, n, box, full)];
  while (rows.length > 0 && cases < rows.length) {
    let best: Candidate | null = null;
    cols.forEach((c, j) => {
      const peels = c.kind === 'numeric' ? numericPeels(c, j, box, rows, peelAlpha) : categoricalPeels(c, j, box, rows);
      for (const b of peels) {
        const cand = evaluate(cols, y, rows, b, j);
        if (cand.rows.length === 0 || cand.rows.length / n < massMin) continue;
        const d = cand.cases / cand.rows.length;
        const bd = best ? best.cases / best.rows.length : -1;
        if (d > bd + 1e-12 || (Math.abs(d - bd) <= 1e-12 && best && cand.rows.length > best.rows.length)) best = cand;
      }
    });
    if (!best) break;
    const chosen: Candidate = best;
    box = chosen.box; rows = chosen.rows; cases = chosen.cases;
    boxes.push(box);
    stats.push(statsOf(rows, y, total, n, box, full));
  }
  // Pasting: widen the last box while that raises its density.
  let pasted: number | null = null;
  let pbox = box, prows: Int32Array = rows, pcases = cases;
  for (;;) {
    let best: Candidate | null = null;
    const need = Math.max(1, Math.ceil(pasteAlpha * prows.length));
    cols.forEach((c, j) => {
      const others = rowsIn(cols, pbox, n, j);
      for (const b of pastes(c, j, pbox, full, others, need)) {
        const cand = evaluate(cols, y, others, b, j);
        const d = cand.cases / cand.rows.length, bd = best ? best.cases / best.rows.length : pcases / prows.length;
        if (cand.rows.length > prows.length && d > bd + 1e-12) best = cand;
      }
    });
    if (!best) break;
    const chosen: Candidate = best;
    pbox = chosen.box; prows = chosen.rows; pcases = chosen.cases;
    pasted = -1;
  }
  if (pasted !== null) {
    boxes.push(pbox);
    stats.push(statsOf(prows, y, total, n, pbox, full));
    pasted = boxes.length - 1;
  }
  return { boxes, stats, pasted, full };
}

/** Widenings of column j: take in about `need` more rows below or above the box (or one more category). */
function pastes(c: Column, j: number, box: Box, full: Box, others: Int32Array, need: number): Box[] {
  const l = box[j];
  if (c.kind === 'categorical') {
    const a = (l as Extract<Limit, { kind: 'categorical' }>).allowed;
    return a.flatMap((v, k) => (v ? [] : [box.map((x, q) => (q === j ? { kind: 'categorical' as const, allowed: a.map((w, r) => w || r === k) } : x))]));
  }
  const { lo, hi } = l as Extract<Limit, { kind: 'numeric' }>;
  const f = full[j] as Extract<Limit, { kind: 'numeric' }>;
  const below = Float64Array.from([...others].map((i) => c.values[i]).filter((v) => v < lo)).sort().reverse();
  const above = Float64Array.from([...others].map((i) => c.values[i]).filter((v) => v > hi)).sort();
  const out: Box[] = [];
  if (lo > f.lo && below.length) out.push(box.map((x, q) => (q === j ? { kind: 'numeric', lo: below[Math.min(need, below.length) - 1], hi } : x)));
  if (hi < f.hi && above.length) out.push(box.map((x, q) => (q === j ? { kind: 'numeric', lo, hi: above[Math.min(need, above.length) - 1] } : x)));
  return out;
}

/**
 * The quasi-p-value of each restricted input of a box (as in the EMA Workbench's PRIM): the one-sided binomial
 * probability of at least the box's cases among its rows if they were drawn at the density of the box without
 * that restriction. Small values say the restriction matters; they are not p-values in the strict sense, since
 * the box was chosen on the same data.
 */
export function quasiP(cols: Column[], y: Uint8Array, box: Box, full: Box): (number | null)[] {
  const n = y.length;
  const inside = rowsIn(cols, box, n);
  let k = 0;
  for (const i of inside) k += y[i];
  return cols.map((_, j) => {
    if (sameLimit(box[j], full[j])) return null;
    const wider = rowsIn(cols, box, n, j);
    let kw = 0;
    for (const i of wider) kw += y[i];
    return binomialUpper(k, inside.length, wider.length ? kw / wider.length : 0);
  });
}

/** P(X >= k) for X ~ Binomial(n, p), via the regularized incomplete beta function I_p(k, n - k + 1). */
export function binomialUpper(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return incompleteBeta(p, k, n - k + 1);
}

/** The default box of a trajectory: the largest F1 score of coverage and density (ties: the earlier box). */
export function chooseBox(stats: BoxStats[]): number {
  let best = 0, bestF = -1;
  stats.forEach((s, i) => {
    const f = s.coverage + s.density > 0 ? (2 * s.coverage * s.density) / (s.coverage + s.density) : 0;
    if (f > bestF + 1e-12) { best = i; bestF = f; }
  });
  return best;
}
