/**
 * Final sweep tables, computed from the journal in a fixed order (point, arm in declaration order, replication),
 * streamed point by point: runs.csv/.parquet, points.csv/.parquet, arms.csv, sensitivity.csv, manifest.json.
 * Memory: streaming accumulators (Welford) per arm and metric (pooled, and per level of each factor with few levels),
 * plus per-point means when a Sobol or Morris analysis needs them, and the per-point rows of arms.csv (one small row
 * per point x arm x metric, written after the pooled rows); each point is read twice from the journal (statistics
 * replication by replication, then rows arm by arm).
 * Every file is written under a temporary name and renamed into place; manifest.json is written last.
 */
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { csvCell, formatNumber } from '../scenario/csv.ts';
import { stableJson } from '../output/write.ts';
import { VERSION } from '../version.ts';
import { ArmPairStats, RunningStats, meanInterval, type MeanInterval, type MetricScale } from './stats.ts';
import { sobolFromDesign, morrisIndices } from './sensitivity.ts';
import { metricScale, replicationSeed, type Plan } from './file.ts';
import { entryLine, type Entry, type JournalWriter } from './journal.ts';
import type { Progression, Scope } from './progression.ts';
import type { Level } from './design.ts';
import type { Value } from './metrics.ts';
import { uncertaintyRecord } from './posterior.ts';

type ColType = 'INT32' | 'DOUBLE' | 'STRING' | 'BOOLEAN';
interface Col { name: string; type: ColType }

const ROW_GROUP = 10_000;

/** Rounded exactly as the CSV shows it, so CSV and Parquet carry the same numbers. */
const round = (x: number) => (Number.isInteger(x) ? x : Number(formatNumber(x)));
const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

class TableWriter {
  private csvFd: number;
  private csvBuf: string[] = [];
  private csvSize = 0;
  private pq?: ParquetWriter;
  private cols: unknown[][];
  private rows = 0;
  readonly files: string[] = [];
  private tmp: string[] = [];

  constructor(private dir: string, base: string, private columns: Col[], parquet: boolean) {
    const csvTmp = join(dir, `.${base}.csv.tmp`);
    this.csvFd = openSync(csvTmp, 'w');
    this.tmp.push(csvTmp);
    this.files.push(`${base}.csv`);
    this.line(columns.map((c) => c.name));
    this.cols = columns.map(() => []);
    if (parquet) {
      const pqTmp = join(dir, `.${base}.parquet.tmp`);
      this.tmp.push(pqTmp);
      this.files.push(`${base}.parquet`);
      this.pq = new ParquetWriter({
        writer: fileWriter(pqTmp),
        schema: [{ name: 'root', num_children: columns.length }, ...columns.map((c) => ({
          name: c.name, repetition_type: 'OPTIONAL' as const,
          ...(c.type === 'STRING' ? { type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const } : { type: c.type }),
        }))],
        createdBy: `hqsim ${VERSION}`,
      });
    }
  }

  private line(cells: unknown[]): void {
    const s = cells.map(csvCell).join(',') + '\n';
    this.csvBuf.push(s);
    this.csvSize += s.length;
    if (this.csvSize > 1 << 20) this.flushCsv();
  }
  private flushCsv(): void {
    if (this.csvBuf.length) writeSync(this.csvFd, this.csvBuf.join(''));
    this.csvBuf = []; this.csvSize = 0;
  }

  /** Cells: numbers (rounded like the CSV), strings, booleans, or null for empty. */
  row(cells: (Level | null)[]): void {
    const norm = cells.map((c, i) => {
      if (c === null) return null;
      const t = this.columns[i].type;
      if (t === 'STRING') return String(c);
      if (t === 'BOOLEAN') return Boolean(c);
      return typeof c === 'number' ? (Number.isFinite(c) ? round(c) : null) : Number(c);
    });
    this.line(norm);
    if (this.pq) {
      norm.forEach((c, i) => this.cols[i].push(c));
      if (++this.rows >= ROW_GROUP) this.flushParquet();
    }
  }
  private flushParquet(): void {
    if (!this.pq || this.rows === 0) return;
    this.pq.write({ columnData: this.columns.map((c, i) => ({ name: c.name, data: this.cols[i] as never })), rowGroupSize: ROW_GROUP });
    this.cols = this.columns.map(() => []);
    this.rows = 0;
  }
  close(): void {
    this.flushCsv();
    closeSync(this.csvFd);
    if (this.pq) { this.flushParquet(); this.pq.finish(); }
    this.tmp.forEach((t, i) => renameSync(t, join(this.dir, this.files[i])));
  }
  abort(): void { try { closeSync(this.csvFd); } catch { /* closed */ } for (const t of this.tmp) rmSync(t, { force: true }); }
}

function factorType(plan: Plan, j: number): ColType {
  const f = plan.factors[j];
  if (f.kind === 'range') return f.integer ? 'INT32' : 'DOUBLE';
  if (f.values.every((v) => typeof v === 'number')) return f.values.every((v) => Number.isInteger(v)) ? 'INT32' : 'DOUBLE';
  if (f.values.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  return 'STRING';
}

export interface TablesMeta {
  shard: { index: number; count: number } | null;
  wallTimeSeconds?: number;
  /** When merging: a journal that receives every run, in table order. */
  journalOut?: JournalWriter;
}

export interface TablesResult { runs: number; files: string[]; notes: string[] }

export class IncompleteError extends Error {}

/** Write every table of a finished sweep (or shard) into `dir`. */
export function writeTables(plan: Plan, dir: string, scope: Scope, prog: Progression, read: (p: number, a: number, r: number) => Entry | undefined, meta: TablesMeta): TablesResult {
  const A = plan.arms.length;
  const M = plan.metrics.length;
  const P = plan.points.length;
  const whole = scope.shard === null;
  const b = plan.arms.findIndex((a) => a.name === plan.baseline);
  const factorCols: Col[] = plan.factors.map((f, j) => ({ name: f.name, type: factorType(plan, j) }));
  const runs = new TableWriter(dir, 'runs', [
    { name: 'point', type: 'INT32' }, { name: 'arm', type: 'STRING' }, { name: 'replication', type: 'INT32' }, { name: 'seed', type: 'INT32' },
    ...factorCols, ...plan.metrics.map((m) => ({ name: m.name, type: 'DOUBLE' as const })),
  ], true);
  const points = new TableWriter(dir, 'points', [
    { name: 'point', type: 'INT32' }, { name: 'arm', type: 'STRING' }, ...factorCols, { name: 'metric', type: 'STRING' },
    { name: 'n', type: 'INT32' }, { name: 'mean', type: 'DOUBLE' }, { name: 'sd', type: 'DOUBLE' }, { name: 'ci_low', type: 'DOUBLE' }, { name: 'ci_high', type: 'DOUBLE' },
    { name: 'interval', type: 'STRING' }, { name: 'flags', type: 'STRING' },
  ], true);
  const writers = [runs, points];
  const notes: string[] = [];
  try {
    const sensitivity = whole && (plan.design.type === 'sobol' || plan.design.type === 'morris');
    const means: Float64Array[][] = sensitivity ? plan.arms.map(() => plan.metrics.map(() => new Float64Array(P).fill(NaN))) : [];
    const scales = plan.metrics.map(metricScale);
    const arms = new ArmTables(plan, b);
    const overall = plan.metrics.map(() => new RunningStats());
    const seeds = new Map<number, number>();
    const seedOf = (r: number) => { let s = seeds.get(r); if (s === undefined) { s = replicationSeed(plan.seed, r); if (seeds.size < 1_000_000) seeds.set(r, s); } return s; };
    let count = 0;
    for (let p = 0; p < P; p++) {
      const reps = scope.reps(p, prog.target[p]);
      if (reps.length === 0) continue;
      // Pass 1, replication by replication: per-point statistics and paired differences, O(arms x metrics) memory.
      const stats: RunningStats[][] = plan.arms.map(() => plan.metrics.map(() => new RunningStats()));
      const row: Value[][] = new Array(A);
      for (const r of reps) {
        for (let a = 0; a < A; a++) {
          const e = read(p, a, r);
          if (!e) throw new IncompleteError(`run (point ${p}, arm ${plan.arms[a].name}, replication ${r}) is missing`);
          if (e.v.length !== M) throw new IncompleteError(`run (point ${p}, arm ${plan.arms[a].name}, replication ${r}) has ${e.v.length} metric values, expected ${M}`);
          row[a] = e.v;
          for (let m = 0; m < M; m++) if (e.v[m] !== null && Number.isFinite(e.v[m])) stats[a][m].push(e.v[m]!);
        }
        if (whole && A >= 2 && b >= 0) arms.push(p, row);
      }
      if (whole && A >= 2 && b >= 0) arms.endPoint(p, scales);
      // Pass 2, arm by arm: the runs rows in table order.
      for (let a = 0; a < A; a++) {
        for (const r of reps) {
          const e = read(p, a, r)!;
          meta.journalOut?.append(entryLine(e));
          runs.row([p, plan.arms[a].name, r, seedOf(r), ...plan.points[p], ...e.v.map(finite)]);
          count++;
        }
        for (let m = 0; m < M; m++) {
          const st = stats[a][m];
          const s = meanInterval(st, scales[m]);
          points.row([p, plan.arms[a].name, ...plan.points[p], plan.metrics[m].name, st.n,
            finite(s.mean), finite(s.sd), finite(s.lo), finite(s.hi), s.method, s.flags.join(' ')]);
          if (sensitivity && st.n) means[a][m][p] = s.mean;
          overall[m].merge(st);
        }
      }
    }
    runs.close();
    points.close();
    const files = [...runs.files, ...points.files];

    plan.metrics.forEach((m, i) => {
      const o = overall[i];
      if (o.n >= 2 && o.min === o.max) notes.push(`metric ${m.name} never varies: ${formatNumber(o.min)} in every run (flagged "constant" in points.csv and arms.csv)`);
    });
    if (plan.cost?.added) notes.push(`metric ${plan.cost.metric} added: the spending of ${plan.cost.city}, the city the arms change, for the spending-adjusted comparison in arms.csv`);

    if (whole && A >= 2 && b >= 0) {
      const t = new TableWriter(dir, 'arms', ARMS_COLUMNS, false);
      writers.push(t);
      arms.write(t, scales);
      t.close();
      files.push(...t.files);
    }

    if (sensitivity) {
      const t = new TableWriter(dir, 'sensitivity', [
        { name: 'method', type: 'STRING' }, { name: 'arm', type: 'STRING' }, { name: 'metric', type: 'STRING' }, { name: 'factor', type: 'STRING' },
        { name: 'index', type: 'STRING' }, { name: 'value', type: 'DOUBLE' }, { name: 'ci_low', type: 'DOUBLE' }, { name: 'ci_high', type: 'DOUBLE' },
      ], false);
      writers.push(t);
      const names = plan.factors.map((f) => f.name);
      for (let a = 0; a < A; a++) {
        for (let m = 0; m < M; m++) {
          const y = means[a][m];
          const gap = y.findIndex((v) => Number.isNaN(v));
          const arm = plan.arms[a].name, metric = plan.metrics[m].name;
          if (gap >= 0) { notes.push(`sensitivity of ${metric} (arm ${arm}) left out: point ${gap} has no value`); continue; }
          const rng = seedrandom.alea(`hqsim-bootstrap/${plan.seed}/${arm}/${metric}`) as () => number;
          const opts = plan.bootstrap > 0 ? { rng, resamples: plan.bootstrap } : {};
          if (plan.design.type === 'sobol') {
            const s = sobolFromDesign({ ...plan.sobol!, names }, y, opts);
            names.forEach((f, i) => {
              t.row(['sobol', arm, metric, f, 'S1', finite(s.S1[i]), finite(s.S1ci?.[i].lo), finite(s.S1ci?.[i].hi)]);
              t.row(['sobol', arm, metric, f, 'ST', finite(s.ST[i]), finite(s.STci?.[i].lo), finite(s.STci?.[i].hi)]);
            });
          } else {
            const mo = morrisIndices({ ...plan.morris!, names }, y, opts);
            names.forEach((f, i) => {
              t.row(['morris', arm, metric, f, 'mu', finite(mo.mu[i]), null, null]);
              t.row(['morris', arm, metric, f, 'mu_star', finite(mo.muStar[i]), finite(mo.muStarCi?.[i].lo), finite(mo.muStarCi?.[i].hi)]);
              t.row(['morris', arm, metric, f, 'sigma', finite(mo.sigma[i]), null, null]);
            });
          }
        }
      }
      t.close();
      files.push(...t.files);
    }

    files.push('manifest.json');
    const manifest = manifestOf(plan, count, scope, files, notes, prog);
    if (meta.wallTimeSeconds !== undefined) manifest.wallTimeSeconds = Math.round(meta.wallTimeSeconds * 1000) / 1000;
    const tmp = join(dir, '.manifest.json.tmp');
    writeFileSync(tmp, stableJson(manifest));
    renameSync(tmp, join(dir, 'manifest.json'));
    return { runs: count, files, notes };
  } catch (e) {
    for (const w of writers) w.abort();
    throw e;
  }
}

const ARMS_COLUMNS: Col[] = [
  { name: 'arm', type: 'STRING' }, { name: 'baseline', type: 'STRING' }, { name: 'metric', type: 'STRING' }, { name: 'by', type: 'STRING' }, { name: 'level', type: 'STRING' },
  { name: 'n', type: 'INT32' }, { name: 'mean_diff', type: 'DOUBLE' }, { name: 'sd_diff', type: 'DOUBLE' }, { name: 'ci_low', type: 'DOUBLE' }, { name: 'ci_high', type: 'DOUBLE' },
  { name: 'interval', type: 'STRING' }, { name: 'flags', type: 'STRING' }, { name: 'arm_mean', type: 'DOUBLE' }, { name: 'baseline_mean', type: 'DOUBLE' },
  { name: 'arm_spend_musd', type: 'DOUBLE' }, { name: 'baseline_spend_musd', type: 'DOUBLE' }, { name: 'spend_diff_musd', type: 'DOUBLE' },
  { name: 'diff_per_musd', type: 'DOUBLE' }, { name: 'per_musd_ci_low', type: 'DOUBLE' }, { name: 'per_musd_ci_high', type: 'DOUBLE' },
];

/** Factors with at most this many distinct levels get arm differences per level in arms.csv. */
export const MAX_LEVELS_BY_FACTOR = 12;

/**
 * Paired arm-versus-baseline differences, pooled, per level of each factor with few levels, and per design point,
 * with each arm's spending (the plan's cost metric) and the outcome difference per USD m of spending difference.
 */
class ArmTables {
  private readonly A: number;
  private readonly M: number;
  private readonly cost: number;
  /** Factors broken down by level: factor index, its levels (as text) in order, and the level index of each point. */
  private readonly byFactor: { j: number; levels: string[]; index: Map<string, number> }[] = [];
  private readonly pooled: ArmPairStats[][];
  private readonly perLevel: ArmPairStats[][][][];
  private current: ArmPairStats[][] | null = null;
  /** Buffered per-point rows by arm and metric (they follow the pooled and per-level rows in arms.csv). */
  private readonly pointRows: (Level | null)[][][][];

  constructor(private readonly plan: Plan, private readonly b: number) {
    this.A = plan.arms.length;
    this.M = plan.metrics.length;
    this.cost = plan.cost ? plan.metrics.findIndex((m) => m.name === plan.cost!.metric) : -1;
    const grid = () => plan.arms.map(() => plan.metrics.map(() => new ArmPairStats()));
    plan.factors.forEach((_, j) => {
      const seen: Level[] = [];
      const keys = new Set<string>();
      for (const pt of plan.points) { const k = String(pt[j]); if (!keys.has(k)) { keys.add(k); seen.push(pt[j]); } if (keys.size > MAX_LEVELS_BY_FACTOR) break; }
      if (keys.size < 2 || keys.size > MAX_LEVELS_BY_FACTOR) return;
      if (seen.every((v) => typeof v === 'number')) seen.sort((x, y) => (x as number) - (y as number));
      const levels = seen.map(String);
      this.byFactor.push({ j, levels, index: new Map(levels.map((l, i) => [l, i])) });
    });
    this.pooled = grid();
    this.perLevel = this.byFactor.map((f) => f.levels.map(grid));
    this.pointRows = plan.arms.map(() => plan.metrics.map(() => []));
  }

  /** One replication of point p: every arm's metric values. */
  push(p: number, row: Value[][]): void {
    const { b, A, M } = this;
    this.current ??= this.plan.arms.map(() => this.plan.metrics.map(() => new ArmPairStats()));
    const targets = this.byFactor.map((f, i) => this.perLevel[i][f.index.get(String(this.plan.points[p][f.j]))!]);
    const cy = this.cost >= 0 ? row[b][this.cost] : null;
    for (let a = 0; a < A; a++) {
      if (a === b) continue;
      const cx = this.cost >= 0 ? row[a][this.cost] : null;
      for (let m = 0; m < M; m++) {
        const x = row[a][m], y = row[b][m];
        if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) continue;
        this.pooled[a][m].push(x, y, cx, cy);
        this.current[a][m].push(x, y, cx, cy);
        for (const t of targets) t[a][m].push(x, y, cx, cy);
      }
    }
  }

  /** Close point p: its differences become buffered rows. */
  endPoint(p: number, scales: MetricScale[]): void {
    if (!this.current) return;
    for (let a = 0; a < this.A; a++) {
      if (a === this.b) continue;
      for (let m = 0; m < this.M; m++) this.pointRows[a][m].push(this.row(a, m, 'point', String(p), this.current[a][m], scales[m]));
    }
    this.current = null;
  }

  private row(a: number, m: number, by: string, level: string, s: ArmPairStats, scale: MetricScale): (Level | null)[] {
    const iv: MeanInterval = s.interval(scale);
    const flags = [...iv.flags];
    let spend: (number | null)[] = [null, null, null, null, null, null];
    if (this.cost >= 0 && s.costX.n > 0) {
      // Outcome difference per USD m of spending difference (Fieller interval); none for the cost metric itself,
      // and no interval when the outcome difference never varies (its zero spread would make the interval a point).
      const r = m !== this.cost && s.perCost.n >= 2 ? s.perCost.ratio() : null;
      const bounded = r !== null && Number.isFinite(r.lo) && !iv.flags.includes('constant');
      if (r && Number.isFinite(r.est) && !Number.isFinite(r.lo) && !iv.flags.includes('constant')) flags.push('ratio_unbounded');
      spend = [s.costX.mean, s.costY.mean, s.perCost.meanB, r ? r.est : null, bounded ? r.lo : null, bounded ? r.hi : null];
    }
    const p = this.plan;
    return [p.arms[a].name, p.baseline, p.metrics[m].name, by, level, iv.n, finite(iv.mean), finite(iv.sd), finite(iv.lo), finite(iv.hi),
      iv.method, flags.join(' '), finite(s.x.mean), finite(s.y.mean), ...spend.map(finite)];
  }

  write(t: TableWriter, scales: MetricScale[]): void {
    for (let a = 0; a < this.A; a++) {
      if (a === this.b) continue;
      for (let m = 0; m < this.M; m++) {
        t.row(this.row(a, m, 'all', '', this.pooled[a][m], scales[m]));
        this.byFactor.forEach((f, i) => f.levels.forEach((l, k) => {
          const s = this.perLevel[i][k][a][m];
          if (s.diff.n) t.row(this.row(a, m, this.plan.factors[f.j].name, l, s, scales[m]));
        }));
        if (this.plan.points.length > 1) for (const r of this.pointRows[a][m]) t.row(r);
      }
    }
  }
}

export function manifestOf(plan: Plan, runs: number, scope: Scope, files: string[], notes: string[], prog: Progression): Record<string, unknown> {
  let maxRep = 0;
  if (plan.adaptive) for (let p = 0; p < plan.points.length; p++) if (scope.hasPoint(p)) maxRep = Math.max(maxRep, prog.target[p]);
  return {
    kind: 'sweep',
    hqsim: VERSION,
    name: plan.name,
    description: plan.description,
    experiment: plan.experiment,
    scenario: { file: plan.scenario.file, name: plan.scenario.name, inputs: plan.scenario.inputs },
    years: plan.years,
    factors: plan.factors.map((f) => (f.kind === 'range'
      ? { name: f.name, path: f.path, ...(f.role ? { role: f.role } : {}), range: [f.min, f.max], ...(f.integer ? { integer: true } : {}), ...(f.log ? { log: true } : {}), ...(f.levels ? { levels: f.levels } : {}) }
      : { name: f.name, path: f.path, ...(f.role ? { role: f.role } : {}), values: f.values })),
    arms: plan.arms,
    baseline: plan.baseline,
    design: plan.design,
    replications: plan.replications,
    adaptive: plan.adaptive ? { ...plan.adaptive, largestReplications: maxRep } : null,
    metrics: plan.metrics,
    ...(plan.cost ? { cost: plan.cost } : {}),
    seed: plan.seed,
    replicationSeeds: 'seed of replication r = first 4 bytes of sha256("hqsim-replication/<seed>/<r>"), big-endian, >>> 1; the same in every arm and design point',
    parameterUncertainty: uncertaintyRecord(plan.parameterUncertainty),
    points: plan.points.length,
    runs,
    ...(scope.shard ? { shard: `${scope.shard.index + 1}/${scope.shard.count}` } : {}),
    notes,
    files,
    node: process.version,
  };
}
