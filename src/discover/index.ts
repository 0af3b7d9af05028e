/**
 * `hqsim discover <sweep-dir> --metric M (--above X | --below X)`: scenario discovery on a finished sweep.
 * Reads manifest.json and runs.csv, runs PRIM over the sampled inputs (uncertainties and plain factors) for the
 * runs of one arm where the metric is above (or below) the threshold, tests each restriction of the chosen box,
 * scores every input's influence on every metric with a random forest, and writes the result as JSON into
 * `<sweep-dir>/discover/` (atomically), where `hqsim report` finds it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../scenario/csv.ts';
import { suggest } from '../scenario/errors.ts';
import { stableJson } from '../output/write.ts';
import { VERSION } from '../version.ts';
import { chooseBox, prim, PRIM_DEFAULTS, quasiP, type Box, type Column } from './prim.ts';
import { featureScores, FOREST_DEFAULTS } from './forest.ts';

/** Bad input to discover (exit 2). */
export class DiscoverError extends Error {}

export interface DiscoverOptions {
  metric: string;
  above?: number;
  below?: number;
  arm?: string;
  /** Index of a box of the peeling trajectory (default: the largest F1 of coverage and density). */
  box?: number;
  peelAlpha?: number;
  pasteAlpha?: number;
  massMin?: number;
  trees?: number;
}

interface ManifestFactor { name: string; path?: string; role?: string; range?: number[]; values?: unknown[] }
interface SweepInput { name: string; role: 'uncertainty' | 'lever' | 'factor'; kind: 'numeric' | 'categorical'; levels?: string[] }

export type LimitOut =
  | { factor: string; kind: 'range'; lo: number; hi: number; min: number; max: number; quasiP: number | null }
  | { factor: string; kind: 'values'; values: string[]; all: string[]; quasiP: number | null };

export interface DiscoverResult {
  kind: 'discover';
  hqsim: string;
  sweep: string;
  arm: string;
  metric: string;
  case: { above: number } | { below: number };
  rows: number;
  cases: number;
  missing: number;
  inputs: { prim: string[]; scored: string[] };
  options: { peelAlpha: number; pasteAlpha: number; massMin: number; trees: number; seed: string };
  trajectory: { box: number; n: number; cases: number; coverage: number; density: number; mass: number; restricted: number; pasted?: true }[];
  chosen: number;
  choice: string;
  box: { n: number; cases: number; coverage: number; density: number; mass: number; limits: LimitOut[]; unrestricted: string[] };
  scores: { metric: string; oobR2: number; inputs: { factor: string; importance: number; share: number }[] }[];
  skipped: string[];
  file: string;
}

function readJson(file: string): Record<string, unknown> {
  try { return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>; } catch (e) {
    throw new DiscoverError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing (is this a sweep result directory?)' : `cannot be read (${(e as Error).message})`}`);
  }
}

const hint = (w: string, options: string[]) => { const s = suggest(w, options); return s ? ` (did you mean "${s}"?)` : ''; };
const nameOf = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' ? String((v as { name?: unknown }).name) : '');

/** The file name a discovery is written to, under `<dir>/discover/`. */
export function discoverFileName(arm: string, metric: string, c: { above: number } | { below: number }): string {
  const [side, x] = 'above' in c ? ['above', c.above] : ['below', c.below];
  return `${metric}-${side}-${String(x).replace(/[^0-9A-Za-z.+-]/g, '_')}-${arm}.json`;
}

/** Run a discovery on the sweep in `dir` and write it to `dir/discover/`. */
export function discover(dir: string, o: DiscoverOptions): DiscoverResult {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DiscoverError(`${dir}: no such result directory`);
  const manifest = readJson(join(dir, 'manifest.json'));
  if (manifest.kind !== 'sweep') throw new DiscoverError(`${join(dir, 'manifest.json')}: not a sweep (discover works on the result directory of hqsim sweep)`);
  if (typeof manifest.shard === 'string') throw new DiscoverError(`${dir} holds shard ${manifest.shard} of a sweep: merge the shards first (hqsim merge)`);
  if ((o.above === undefined) === (o.below === undefined)) throw new DiscoverError('give exactly one of --above X or --below X: the runs of interest are those where the metric is above (or below) X');
  const metrics = (Array.isArray(manifest.metrics) ? manifest.metrics : []).map(nameOf);
  if (!metrics.includes(o.metric)) throw new DiscoverError(`no metric "${o.metric}" in this sweep${hint(o.metric, metrics)}; metrics: ${metrics.join(', ')}`);
  const arms = (Array.isArray(manifest.arms) ? manifest.arms : []).map(nameOf);
  const arm = o.arm ?? (typeof manifest.baseline === 'string' ? manifest.baseline : arms[0]);
  if (!arms.includes(arm)) throw new DiscoverError(`no arm "${o.arm}" in this sweep${hint(arm, arms)}; arms: ${arms.join(', ')}`);
  const factors = (Array.isArray(manifest.factors) ? manifest.factors : []) as ManifestFactor[];
  const inputs: SweepInput[] = factors.map((f) => {
    const numeric = Array.isArray(f.range) || (Array.isArray(f.values) && f.values.every((v) => typeof v === 'number'));
    return { name: f.name, role: f.role === 'lever' ? 'lever' : f.role === 'uncertainty' ? 'uncertainty' : 'factor', kind: numeric ? 'numeric' : 'categorical',
      ...(numeric ? {} : { levels: (f.values ?? []).map(String) }) };
  });
  const primInputs = inputs.filter((f) => f.role !== 'lever');
  if (primInputs.length === 0) throw new DiscoverError('the sweep has no sampled inputs (factors or uncertainties): PRIM needs inputs that vary across design points');

  // runs.csv: the rows of the arm.
  const runsFile = join(dir, 'runs.csv');
  let text: string;
  try { text = readFileSync(runsFile, 'utf8'); } catch { throw new DiscoverError(`${runsFile}: missing (the sweep did not finish; resume it first)`); }
  const t = parseCsv(text);
  const col = (name: string) => { const k = t.header.indexOf(name); if (k < 0) throw new DiscoverError(`${runsFile}: no column "${name}"`); return k; };
  const armCol = col('arm'), yCol = col(o.metric);
  const fCols = inputs.map((f) => col(f.name));
  const mCols = metrics.map(col);
  const rows = t.rows.filter((r) => r.cells[armCol] === arm);
  const withY = rows.filter((r) => r.cells[yCol] !== '');
  const missing = rows.length - withY.length;
  const n = withY.length;
  if (n === 0) throw new DiscoverError(`no run of arm "${arm}" has a value of ${o.metric}`);
  const threshold = (o.above ?? o.below)!;
  const y = Uint8Array.from(withY, (r) => { const v = Number(r.cells[yCol]); return (o.above !== undefined ? v > threshold : v < threshold) ? 1 : 0; });
  const cases = y.reduce((s, v) => s + v, 0);
  const what = `${o.metric} ${o.above !== undefined ? 'above' : 'below'} ${threshold}`;
  if (cases === 0) throw new DiscoverError(`no run of arm "${arm}" has ${what}: nothing to discover (see points.csv for the metric's values)`);
  if (cases === n) throw new DiscoverError(`every run of arm "${arm}" has ${what}: nothing to tell apart`);

  const column = (f: SweepInput, k: number, list: typeof withY): Column => {
    const cells = list.map((r) => r.cells[fCols[k]]);
    if (f.kind === 'numeric') return { name: f.name, kind: 'numeric', values: Float64Array.from(cells, Number) };
    const levels = [...(f.levels ?? [])];
    for (const c of cells) if (!levels.includes(c)) levels.push(c);
    return { name: f.name, kind: 'categorical', codes: Int32Array.from(cells, (c) => levels.indexOf(c)), levels };
  };
  const cols = primInputs.map((f) => column(f, inputs.indexOf(f), withY));
  const opts = { peelAlpha: o.peelAlpha ?? PRIM_DEFAULTS.peelAlpha, pasteAlpha: o.pasteAlpha ?? PRIM_DEFAULTS.pasteAlpha, massMin: o.massMin ?? PRIM_DEFAULTS.massMin };
  const r = prim(cols, y, opts);
  let chosen = chooseBox(r.stats);
  let choice = 'the box with the largest F1 score (harmonic mean) of coverage and density';
  if (o.box !== undefined) {
    if (!(o.box >= 0 && o.box < r.boxes.length)) throw new DiscoverError(`--box ${o.box}: the peeling trajectory has boxes 0 to ${r.boxes.length - 1}`);
    chosen = o.box; choice = 'chosen with --box';
  }
  const box: Box = r.boxes[chosen];
  const ps = quasiP(cols, y, box, r.full);
  const limits: LimitOut[] = [];
  const unrestricted: string[] = [];
  cols.forEach((c, j) => {
    const l = box[j], f = r.full[j];
    if (ps[j] === null) { unrestricted.push(c.name); return; }
    if (l.kind === 'numeric' && f.kind === 'numeric') limits.push({ factor: c.name, kind: 'range', lo: l.lo, hi: l.hi, min: f.lo, max: f.hi, quasiP: ps[j] });
    else if (l.kind === 'categorical' && c.kind === 'categorical') limits.push({ factor: c.name, kind: 'values', values: c.levels.filter((_, k) => l.allowed[k]), all: c.levels, quasiP: ps[j] });
  });

  // Feature scores: every input (levers too) for every metric that varies in this arm; of a yearly series
  // (a cityYear metric without year or aggregate), only its last year.
  const series = new Map<string, string>();
  for (const m of (Array.isArray(manifest.metrics) ? manifest.metrics : []) as { name?: string; kind?: string; city?: string; column?: string; year?: number }[]) {
    if (m && m.kind === 'cityYear' && m.year !== undefined && typeof m.name === 'string' && m.name.endsWith(`_${m.year}`)) series.set(m.name, `${m.city}/${m.column}/${m.name.slice(0, -String(m.year).length - 1)}`);
  }
  const seriesSize = new Map<string, number>();
  for (const k of series.values()) seriesSize.set(k, (seriesSize.get(k) ?? 0) + 1);
  const lastOfSeries = new Map<string, string>();
  for (const [name, k] of series) if ((seriesSize.get(k) ?? 0) >= 3) lastOfSeries.set(k, name);
  const seedBase = `hqsim-discover/${typeof manifest.seed === 'number' ? manifest.seed : 0}/${arm}`;
  const trees = o.trees ?? FOREST_DEFAULTS.trees;
  const scores: DiscoverResult['scores'] = [];
  const skipped: string[] = [];
  metrics.forEach((m, q) => {
    const k = series.get(m);
    if (k !== undefined && (seriesSize.get(k) ?? 0) >= 3 && lastOfSeries.get(k) !== m) return;
    const have = rows.filter((row) => row.cells[mCols[q]] !== '');
    const yy = Float64Array.from(have, (row) => Number(row.cells[mCols[q]]));
    if (yy.length < 10 || yy.every((v) => v === yy[0])) { skipped.push(m); return; }
    const X = inputs.map((f, k) => { const c = column(f, k, have); return c.kind === 'numeric' ? c.values : Float64Array.from(c.codes); });
    const s = featureScores(X, yy, { seed: `${seedBase}/${m}`, trees });
    scores.push({ metric: m, oobR2: s.oobR2, inputs: inputs.map((f, k) => ({ factor: f.name, importance: s.importance[k], share: s.share[k] })) });
  });

  const c = o.above !== undefined ? { above: o.above } : { below: o.below! };
  const file = discoverFileName(arm, o.metric, c);
  const st = r.stats[chosen];
  const result: DiscoverResult = {
    kind: 'discover', hqsim: VERSION, sweep: typeof manifest.name === 'string' ? manifest.name : '', arm, metric: o.metric, case: c,
    rows: n, cases, missing,
    inputs: { prim: primInputs.map((f) => f.name), scored: inputs.map((f) => f.name) },
    options: { ...opts, trees, seed: seedBase },
    trajectory: r.stats.map((s, i) => ({ box: i, n: s.n, cases: s.cases, coverage: s.coverage, density: s.density, mass: s.mass, restricted: s.restricted, ...(i === r.pasted ? { pasted: true as const } : {}) })),
    chosen, choice,
    box: { n: st.n, cases: st.cases, coverage: st.coverage, density: st.density, mass: st.mass, limits, unrestricted },
    scores, skipped, file: `discover/${file}`,
  };
  const out = join(dir, 'discover');
  mkdirSync(out, { recursive: true });
  const tmp = join(out, `.${file}.partial-${process.pid}`);
  writeFileSync(tmp, discoverJson(result));
  renameSync(tmp, join(out, file));
  return result;
}

/**
 * The result as stable JSON: numbers rounded like the CSV files (6 decimals), except quasi-p-values, which keep three
 * significant digits (1e-13 must not become 0).
 */
export function discoverJson(r: DiscoverResult): string {
  const ps = new Map<string, number>();
  const marked = { ...r, box: { ...r.box, limits: r.box.limits.map((l, i) => { if (l.quasiP === null) return l; const k = `@quasiP${i}`; ps.set(k, l.quasiP); return { ...l, quasiP: k }; }) } };
  const text = stableJson(marked);
  return text.replace(/"(@quasiP\d+)"/g, (_m, k: string) => String(Number(ps.get(k)!.toPrecision(3))));
}

const f3 = (x: number) => x.toFixed(3);
const num = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));
const pfmt = (p: number | null) => (p === null ? '-' : p < 1e-4 ? p.toExponential(1) : p.toPrecision(2));

/** The human-readable report of a discovery. */
export function formatDiscover(r: DiscoverResult, dir: string): string {
  const side = 'above' in r.case ? `above ${r.case.above}` : `below ${r.case.below}`;
  const L: string[] = [];
  L.push(`hqsim discover ${r.sweep}, arm ${r.arm}: ${r.metric} ${side} in ${r.cases} of ${r.rows} runs (${(100 * r.cases / r.rows).toFixed(1)}%)${r.missing ? `; ${r.missing} runs without a value left out` : ''}`);
  L.push(`  PRIM over ${r.inputs.prim.join(', ')}: peeling trajectory (${r.trajectory.length} boxes; coverage = share of the cases inside, density = share of the runs inside that are cases)`);
  L.push('    box  coverage  density   mass  restricted');
  // At most 16 rows: evenly spaced, always the first, the chosen and the last box.
  const T = r.trajectory.length;
  const step = Math.max(1, Math.ceil(T / 14));
  const shownRows = r.trajectory.filter((s) => s.box % step === 0 || s.box === r.chosen || s.box === T - 1);
  for (const s of shownRows) {
    L.push(`    ${String(s.box).padStart(3)}  ${f3(s.coverage).padStart(8)}  ${f3(s.density).padStart(7)}  ${f3(s.mass).padStart(5)}  ${String(s.restricted).padStart(10)}${s.pasted ? '  (pasted)' : ''}${s.box === r.chosen ? '  <- chosen' : ''}`);
  }
  if (shownRows.length < T) L.push(`    (every ${step}th box shown; all ${T} in the JSON file)`);
  const b = r.box;
  L.push(`  box ${r.chosen} (${r.choice}): ${b.cases} of its ${b.n} runs are cases (density ${f3(b.density)}); it holds ${b.cases} of the ${r.cases} cases (coverage ${f3(b.coverage)})`);
  const w = Math.max(6, ...b.limits.map((l) => l.factor.length));
  for (const l of b.limits) {
    const lim = l.kind === 'range' ? `${num(l.lo)} to ${num(l.hi)} (of ${num(l.min)} to ${num(l.max)})` : `${l.values.join(', ')} (of ${l.all.join(', ')})`;
    L.push(`    ${l.factor.padEnd(w)}  ${lim}   quasi-p ${pfmt(l.quasiP)}`);
  }
  if (b.unrestricted.length) L.push(`    unrestricted: ${b.unrestricted.join(', ')}`);
  L.push(`  feature scores (increase in out-of-bag error of a ${r.options.trees}-tree random forest when the input is shuffled, share of the metric's variance):`);
  for (const s of r.scores) {
    const top = [...s.inputs].sort((a, c) => c.importance - a.importance || (a.factor < c.factor ? -1 : 1));
    L.push(`    ${s.metric} (out-of-bag R² ${s.oobR2.toFixed(2)}): ${top.map((x) => `${x.factor} ${x.importance.toFixed(2)}`).join(', ')}`);
  }
  if (r.skipped.length) L.push(`    not scored (no variation or under 10 values): ${r.skipped.join(', ')}`);
  L.push(`  written: ${join(dir, r.file)}`);
  return L.join('\n');
}
