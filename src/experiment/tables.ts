/**
 * Final sweep tables, computed from the journal in a fixed order (point, arm in declaration order, replication),
 * streamed point by point: runs.csv/.parquet, points.csv/.parquet, arms.csv, sensitivity.csv, manifest.json.
 * Memory: streaming accumulators (Welford) per arm and metric, plus per-point means when a Sobol or Morris analysis
 * needs them; each point is read twice from the journal (statistics replication by replication, then rows arm by arm).
 * Every file is written under a temporary name and renamed into place; manifest.json is written last.
 */
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { csvCell, formatNumber } from '../scenario/csv.ts';
import { stableJson } from '../output/write.ts';
import { VERSION } from '../version.ts';
import { RunningStats } from './stats.ts';
import { sobolFromDesign, morrisIndices } from './sensitivity.ts';
import { replicationSeed, type Plan } from './file.ts';
import { entryLine, type Entry, type JournalWriter } from './journal.ts';
import type { Progression, Scope } from './progression.ts';
import type { Level } from './design.ts';
import type { Value } from './metrics.ts';

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
  ], true);
  const writers = [runs, points];
  const notes: string[] = [];
  try {
    const sensitivity = whole && (plan.design.type === 'sobol' || plan.design.type === 'morris');
    const means: Float64Array[][] = sensitivity ? plan.arms.map(() => plan.metrics.map(() => new Float64Array(P).fill(NaN))) : [];
    const diffs: RunningStats[][] = plan.arms.map(() => plan.metrics.map(() => new RunningStats()));
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
        if (b >= 0) for (let a = 0; a < A; a++) {
          if (a === b) continue;
          for (let m = 0; m < M; m++) {
            const x = row[a][m], y = row[b][m];
            if (x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y)) diffs[a][m].push(x - y);
          }
        }
      }
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
          const s = st.n ? st.summary() : null;
          points.row([p, plan.arms[a].name, ...plan.points[p], plan.metrics[m].name, st.n,
            finite(s?.mean), finite(s?.sd), finite(s?.lo), finite(s?.hi)]);
          if (sensitivity && s) means[a][m][p] = s.mean;
        }
      }
    }
    runs.close();
    points.close();
    const files = [...runs.files, ...points.files];

    if (whole && A >= 2) {
      const t = new TableWriter(dir, 'arms', [
        { name: 'arm', type: 'STRING' }, { name: 'baseline', type: 'STRING' }, { name: 'metric', type: 'STRING' }, { name: 'n', type: 'INT32' },
        { name: 'mean_diff', type: 'DOUBLE' }, { name: 'sd_diff', type: 'DOUBLE' }, { name: 'ci_low', type: 'DOUBLE' }, { name: 'ci_high', type: 'DOUBLE' },
      ], false);
      writers.push(t);
      for (let a = 0; a < A; a++) {
        if (a === b) continue;
        for (let m = 0; m < M; m++) {
          const s = diffs[a][m].summary();
          t.row([plan.arms[a].name, plan.baseline, plan.metrics[m].name, s.n, finite(s.mean), finite(s.sd), finite(s.lo), finite(s.hi)]);
        }
      }
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
      ? { name: f.name, path: f.path, range: [f.min, f.max], ...(f.integer ? { integer: true } : {}), ...(f.log ? { log: true } : {}), ...(f.levels ? { levels: f.levels } : {}) }
      : { name: f.name, path: f.path, values: f.values })),
    arms: plan.arms,
    baseline: plan.baseline,
    design: plan.design,
    replications: plan.replications,
    adaptive: plan.adaptive ? { ...plan.adaptive, largestReplications: maxRep } : null,
    metrics: plan.metrics,
    seed: plan.seed,
    replicationSeeds: 'seed of replication r = first 4 bytes of sha256("hqsim-replication/<seed>/<r>"), big-endian, >>> 1; the same in every arm and design point',
    points: plan.points.length,
    runs,
    ...(scope.shard ? { shard: `${scope.shard.index + 1}/${scope.shard.count}` } : {}),
    notes,
    files,
    node: process.version,
  };
}
