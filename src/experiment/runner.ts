/**
 * Running sweeps: schedule design points x arms x replications on worker threads, journal every finished run,
 * resume from the journal, run one shard of a sweep, merge shards, and estimate contest win odds.
 *
 * Determinism: a run's inputs are (design point, arm, replication seed); the seed depends on the experiment
 * seed and the replication only (common random numbers). Final tables are computed from the journal in
 * (point, arm, replication) order, so worker count, completion order, interruptions and sharding do not
 * change a byte of runs, points, arms or sensitivity.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Piscina } from 'piscina';
import { writeAtomically, stableJson } from '../output/write.ts';
import { loadScenario } from '../scenario/load.ts';
import { suggest } from '../scenario/errors.ts';
import { planHash, pointOverrides, replicationSeed, type Plan } from './file.ts';
import { JournalReader, JournalWriter, RunIndex, scanJournal, entryLine, JournalError, type Entry } from './journal.ts';
import { Progression, Scope, type Shard } from './progression.ts';
import { writeTables, type TablesResult } from './tables.ts';
import { createProgress } from './progress.ts';
import { wilson } from './stats.ts';
import type { OddsOutcome, OddsTask, SweepTask, SweepTaskResult } from './worker.ts';
import { TERM_NAMES } from '../model/scoring.ts';
import { ruleFor } from '../model/contest.ts';

/** Bad use of a sweep directory or option (exit 2). */
export class SweepUsageError extends Error {}

export const STATE_DIR = '.sweep';
/**
 * Runs per sweep task: sized so that a task takes about TASK_MS in its worker (from the times of tasks
 * already done), between 1 and MAX_CHUNK. Small runs (a quickstart run is under a millisecond) then cost
 * one message and one journal write per ~50 ms of work instead of per run; long runs go one per task.
 * Task size never changes results: every run is keyed by (point, arm, replication).
 */
const TASK_MS = 50;
const MAX_CHUNK = 1000;

interface State { planHash: string; shard: string | null; complete: boolean }

export const shardLabel = (s: Shard | null) => (s ? `${s.index + 1}/${s.count}` : null);

function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function readJson<T>(path: string): T { return JSON.parse(readFileSync(path, 'utf8')) as T; }

export function defaultWorkers(): number { return Math.max(1, availableParallelism()); }

function makePool(workers: number, workerData: unknown): Piscina {
  return new Piscina({ filename: new URL('./worker.mjs', import.meta.url).href, minThreads: workers, maxThreads: workers, workerData, idleTimeout: 60_000 });
}

/** Run tasks through a pool with a bounded number in flight; `next` may return more work after completions. */
async function drive<U, R>(pool: Piscina, workers: number, next: () => U | undefined, toTask: (u: U) => unknown, done: (unit: U, res: R) => void): Promise<void> {
  const maxInflight = workers * 3;
  let inflight = 0;
  let failed: unknown = null;
  await new Promise<void>((resolveAll, rejectAll) => {
    const pump = () => {
      while (failed === null && inflight < maxInflight) {
        let u: U | undefined;
        let task: unknown;
        try { u = next(); if (u !== undefined) task = toTask(u); } catch (e) { failed = e; break; }
        if (u === undefined) break;
        inflight++;
        const unit = u;
        pool.run(task).then((res: R) => {
          inflight--;
          if (failed === null) { try { done(unit, res); } catch (e) { failed = e; } }
          pump();
        }, (e: unknown) => { inflight--; if (failed === null) failed = e; pump(); });
      }
      if (inflight === 0) { if (failed !== null) rejectAll(failed); else resolveAll(); }
    };
    pump();
  });
}

export interface SweepOptions {
  out: string;
  workers: number;
  resume?: boolean;
  force?: boolean;
  keepRuns?: boolean;
  quiet?: boolean;
  shard?: Shard | null;
  /** Seconds, for the manifest's wall time. */
  clock?: () => number;
}

export interface SweepResult extends TablesResult { dir: string; executed: number; resumed: number; seconds: number; runsPerSecond: number }

interface Unit { p: number; a: number; reps: number[] }

/** Cuts (point, arm) replication lists into tasks of the size the measured run time calls for. */
class Chunker {
  private msPerRun = 0;
  private runsTimed = 0;
  constructor(private readonly workers: number) {}
  /** Record a finished task of `runs` runs that took `ms` in its worker. */
  timed(runs: number, ms: number): void { this.msPerRun = (this.msPerRun * this.runsTimed + ms) / (this.runsTimed + runs); this.runsTimed += runs; }
  /** Runs for the next task out of `left` waiting in this list. */
  size(left: number): number {
    // Until a task has been timed, probe with single runs, one per worker.
    if (this.runsTimed === 0) return 1;
    const want = Math.round(TASK_MS / Math.max(this.msPerRun, 1e-3));
    // Keep every worker busy to the end of the list: no task larger than a share of what is left.
    const share = Math.ceil(left / (2 * this.workers));
    return Math.max(1, Math.min(MAX_CHUNK, want, share));
  }
}

export async function runSweep(plan: Plan, opts: SweepOptions): Promise<SweepResult> {
  const dir = resolve(opts.out);
  const shard = opts.shard ?? null;
  const clock = opts.clock ?? (() => performance.now() / 1000);
  const t0 = clock();
  const stateDir = join(dir, STATE_DIR);
  const statePath = join(stateDir, 'state.json');
  const journalPath = join(stateDir, 'journal.ndjson');
  const hash = planHash(plan);

  if (existsSync(dir)) {
    if (opts.force) rmSync(dir, { recursive: true, force: true });
    else if (opts.resume) {
      if (!existsSync(statePath)) throw new SweepUsageError(`${dir} exists but holds no sweep to resume; use --force to replace it, or another --out`);
      const st = readJson<State>(statePath);
      if (st.planHash !== hash) throw new SweepUsageError(`${dir} holds a sweep of a different plan (the experiment, its scenario or the --ci-width options changed); use --force to start over, or another --out`);
      if (st.shard !== shardLabel(shard)) throw new SweepUsageError(`${dir} holds ${st.shard ? `shard ${st.shard}` : 'a whole sweep'}, not ${shard ? `shard ${shardLabel(shard)}` : 'a whole sweep'}`);
    } else throw new SweepUsageError(`${dir} exists; use --resume to continue the sweep there, or --force to start over`);
  }
  if (!existsSync(statePath)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileAtomic(join(stateDir, 'plan.json'), stableJson(plan));
    writeFileAtomic(statePath, stableJson({ planHash: hash, shard: shardLabel(shard), complete: false } satisfies State));
  }

  const P = plan.points.length;
  const A = plan.arms.length;
  const scope = new Scope(plan, shard);
  const index = new RunIndex(A);
  const cap = plan.adaptive?.maxReplications ?? plan.replications;
  scanJournal(journalPath, (e, off, len) => {
    if (e.p >= P || e.a >= A || e.r >= cap || !scope.hasRep(e.p, e.r)) throw new JournalError(`${journalPath}: run (point ${e.p}, arm ${e.a}, replication ${e.r}) does not belong to this sweep`);
    index.add(e.p, e.a, e.r, 0, off, len);
  }, true);
  const resumed = index.count;

  const writer = new JournalWriter(journalPath);
  const reader = new JournalReader([journalPath]);
  const read = (p: number, a: number, r: number): Entry => {
    const at = index.get(p, a, r);
    if (!at) throw new JournalError(`run (point ${p}, arm ${a}, replication ${r}) is not in the journal`);
    return reader.read(at.file, at.off, at.len);
  };
  const prog = new Progression(plan, scope, index, read);
  let total = 0;
  for (let p = 0; p < P; p++) { prog.settle(p); total += scope.reps(p, prog.target[p]).length * A; }
  let done = resumed;

  const progress = createProgress(`${plan.name}${shard ? ` [shard ${shardLabel(shard)}]` : ''}`, { quiet: opts.quiet });
  const pending = new Int32Array(P);
  const grown: number[] = [];
  // Replications waiting to run, one list per (point, arm), cut into tasks as they are handed out.
  const buf: (Unit & { pos: number })[] = [];
  let cursor = 0;
  const chunker = new Chunker(opts.workers);
  const unitsFor = (p: number) => {
    for (let a = 0; a < A; a++) {
      const reps = scope.reps(p, prog.target[p]).filter((r) => !index.has(p, a, r));
      if (reps.length) buf.push({ p, a, reps, pos: 0 });
      pending[p] += reps.length;
    }
  };
  const next = (): Unit | undefined => {
    while (buf.length === 0) {
      if (grown.length) { unitsFor(grown.shift()!); continue; }
      if (cursor >= P) return undefined;
      unitsFor(cursor++);
    }
    const head = buf[0];
    const n = chunker.size(head.reps.length - head.pos);
    const unit = { p: head.p, a: head.a, reps: head.reps.slice(head.pos, head.pos + n) };
    head.pos += unit.reps.length;
    if (head.pos >= head.reps.length) buf.shift();
    return unit;
  };
  const toTask = (u: Unit): SweepTask => ({
    kind: 'sweep', scenario: plan.scenario.path, scenarioArm: plan.arms[u.a].scenarioArm, overrides: pointOverrides(plan, u.p, u.a), years: plan.years,
    seeds: u.reps.map((r) => replicationSeed(plan.seed, r)),
    ...(opts.keepRuns ? { keepDirs: u.reps.map((r) => join(dir, 'detail', `point-${u.p}`, plan.arms[u.a].name, `rep-${r}`)) } : {}),
  });
  const complete = (u: Unit, { values, ms }: SweepTaskResult) => {
    chunker.timed(u.reps.length, ms);
    const lines = u.reps.map((r, i) => entryLine({ p: u.p, a: u.a, r, v: values[i] }));
    let off = writer.append(lines.join(''));
    u.reps.forEach((r, i) => { index.add(u.p, u.a, r, 0, off, Buffer.byteLength(lines[i])); off += Buffer.byteLength(lines[i]); });
    done += u.reps.length;
    pending[u.p] -= u.reps.length;
    if (pending[u.p] === 0 && plan.adaptive) {
      const before = scope.reps(u.p, prog.target[u.p]).length;
      prog.settle(u.p);
      const after = scope.reps(u.p, prog.target[u.p]).length;
      if (after > before) { total += (after - before) * A; grown.push(u.p); }
    }
    progress.update(done, total);
  };

  let pool: Piscina | undefined;
  try {
    if (done < total) {
      progress.start(total, done);
      pool = makePool(opts.workers, { metrics: plan.metrics });
      const p = pool;
      await drive<Unit, SweepTaskResult>(p, opts.workers, next, toTask, complete)
        .finally(() => progress.stop());
    }
  } finally {
    writer.close();
    await pool?.destroy();
  }

  for (let p = 0; p < P; p++) {
    const miss = prog.settle(p);
    if (miss > 0) { reader.close(); throw new JournalError(`point ${p} still misses ${miss} runs after the sweep; run again with --resume`); }
  }
  const seconds = clock() - t0;
  let result: TablesResult;
  try {
    result = writeTables(plan, dir, scope, prog, (p, a, r) => (index.has(p, a, r) ? read(p, a, r) : undefined), { shard, wallTimeSeconds: seconds });
  } finally { reader.close(); }
  writeFileAtomic(statePath, stableJson({ planHash: hash, shard: shardLabel(shard), complete: true } satisfies State));
  const executed = done - resumed;
  return { ...result, dir, executed, resumed, seconds, runsPerSecond: seconds > 0 ? executed / seconds : 0 };
}

// ---------------------------------------------------------------------------
// Merge
// ---------------------------------------------------------------------------

export interface MergeResult extends TablesResult { dir: string; shards: number }

/** Combine finished shard directories into the directory a single-machine sweep would have written. */
export function mergeShards(dirs: string[], opts: { out?: string; force?: boolean } = {}): MergeResult {
  if (dirs.length === 0) throw new SweepUsageError('merge: give the shard directories');
  const shards = dirs.map((d) => {
    const dir = resolve(d);
    const statePath = join(dir, STATE_DIR, 'state.json');
    if (!existsSync(statePath)) throw new SweepUsageError(`${d}: not a sweep directory (no ${STATE_DIR}/state.json)`);
    const state = readJson<State>(statePath);
    const plan = readJson<Plan>(join(dir, STATE_DIR, 'plan.json'));
    if (!state.complete || !existsSync(join(dir, 'manifest.json'))) {
      throw new SweepUsageError(`${d}: ${state.shard ? `shard ${state.shard}` : 'the sweep'} is incomplete; finish it with \`hqsim sweep ... --shard ${state.shard ?? '?'} --out ${d} --resume\``);
    }
    if (!state.shard) throw new SweepUsageError(`${d}: holds a whole sweep, not a shard; nothing to merge`);
    const [i, n] = state.shard.split('/').map(Number);
    return { d, dir, state, plan, shard: { index: i - 1, count: n } as Shard };
  });
  const first = shards[0];
  for (const s of shards.slice(1)) {
    if (s.state.planHash !== first.state.planHash) {
      throw new SweepUsageError(`${s.d} and ${first.d} are shards of different sweeps (experiment "${s.plan.name}" ${s.plan.experiment.sha256.slice(0, 12)} vs "${first.plan.name}" ${first.plan.experiment.sha256.slice(0, 12)}, plan ${s.state.planHash.slice(0, 12)} vs ${first.state.planHash.slice(0, 12)})`);
    }
    if (s.shard.count !== first.shard.count) throw new SweepUsageError(`${s.d} is shard ${s.state.shard} but ${first.d} is shard ${first.state.shard}: different shard counts`);
  }
  const count = first.shard.count;
  const seen = new Map<number, string>();
  for (const s of shards) {
    if (seen.has(s.shard.index)) throw new SweepUsageError(`shard ${s.state.shard} is given twice (${seen.get(s.shard.index)} and ${s.d})`);
    seen.set(s.shard.index, s.d);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i)).map((i) => `${i + 1}/${count}`);
  if (missing.length) throw new SweepUsageError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}; merge needs all of them`);

  const plan = first.plan;
  const A = plan.arms.length;
  const P = plan.points.length;
  const index = new RunIndex(A);
  const paths = shards.map((s) => join(s.dir, STATE_DIR, 'journal.ndjson'));
  shards.forEach((s, f) => {
    const scope = new Scope(plan, s.shard);
    scanJournal(paths[f], (e, off, len) => {
      if (e.p >= P || e.a >= A || !scope.hasRep(e.p, e.r)) throw new SweepUsageError(`${s.d}: its journal holds run (point ${e.p}, arm ${e.a}, replication ${e.r}), which is not part of shard ${s.state.shard}`);
      index.add(e.p, e.a, e.r, f, off, len);
    }, false);
  });
  const reader = new JournalReader(paths);
  const read = (p: number, a: number, r: number): Entry => { const at = index.get(p, a, r)!; return reader.read(at.file, at.off, at.len); };
  const scope = new Scope(plan, null);
  const prog = new Progression(plan, scope, { has: (p: number, a: number, r: number) => index.has(p, a, r) } as RunIndex, read);
  try {
    for (let p = 0; p < P; p++) {
      const miss = prog.settle(p);
      if (miss > 0) {
        const owner = shards.find((s) => new Scope(plan, s.shard).hasRep(p, prog.target[p] - 1));
        throw new SweepUsageError(`point ${p} misses ${miss} run(s)${owner ? ` (shard ${owner.state.shard}, ${owner.d})` : ''}; the shards are incomplete`);
      }
    }
    const out = resolve(opts.out ?? join('results', plan.name));
    if (shards.some((s) => s.dir === out)) throw new SweepUsageError(`--out ${out} is one of the shard directories`);
    const result = writeAtomically(out, opts.force ?? false, (tmp) => {
      mkdirSync(join(tmp, STATE_DIR));
      writeFileSync(join(tmp, STATE_DIR, 'plan.json'), stableJson(plan));
      const journal = new JournalWriter(join(tmp, STATE_DIR, 'journal.ndjson'), Infinity);
      let r: TablesResult;
      try { r = writeTables(plan, tmp, scope, prog, (p, a, rr) => (index.has(p, a, rr) ? read(p, a, rr) : undefined), { shard: null, journalOut: journal }); } finally { journal.close(); }
      writeFileSync(join(tmp, STATE_DIR, 'state.json'), stableJson({ planHash: first.state.planHash, shard: null, complete: true } satisfies State));
      return r;
    });
    return { ...result, dir: out, shards: count };
  } finally { reader.close(); }
}

// ---------------------------------------------------------------------------
// Win odds of a contest
// ---------------------------------------------------------------------------

export interface OddsOptions { contest: string; runs: number; seed?: number; arm?: string; years?: number; workers: number; quiet?: boolean }

export interface OddsRow {
  city: string; wins: number; p: number; lo: number; hi: number; candidateRuns: number;
  /** when it won: how often each term decided it (largest winner - runner-up difference) */
  decisive: Record<string, number>; topDriver: string | null;
  /** mean of each utility term over the runs it stood in, and mean gap to the winner per term over the runs it lost */
  meanTerms: Record<string, number> | null;
  gapToWinner: Record<string, number> | null;
}

export interface OddsReport {
  scenario: string; arm: string | null; contest: string; org: string; year: number; rule: string;
  runs: number; decided: number; seeds: string;
  cities: OddsRow[];
  decisive: Record<string, number>;
}

export async function runOdds(file: string, opts: OddsOptions): Promise<OddsReport> {
  const sc = loadScenario(file, { arm: opts.arm, years: opts.years });
  const def = sc.contests.find((c) => c.id === opts.contest);
  if (!def) {
    const ids = sc.contests.map((c) => c.id);
    const s = suggest(opts.contest, ids);
    throw new SweepUsageError(`${file} has no contest "${opts.contest}"${s ? ` (did you mean "${s}"?)` : ''}; contests: ${ids.join(', ') || 'none'}`);
  }
  const seed = opts.seed ?? sc.seed;
  const chunk = Math.max(1, Math.min(16, Math.ceil(opts.runs / (opts.workers * 4))));
  let start = 0;
  const next = () => {
    if (start >= opts.runs) return undefined;
    const from = start;
    start = Math.min(opts.runs, start + chunk);
    return { from, to: start };
  };
  const toTask = (u: { from: number; to: number }): OddsTask => ({
    kind: 'odds', scenario: resolve(file), scenarioArm: opts.arm, overrides: {}, years: opts.years ?? null, contest: opts.contest,
    seeds: Array.from({ length: u.to - u.from }, (_, i) => replicationSeed(seed, u.from + i)),
  });
  const outcomes: OddsOutcome[] = new Array(opts.runs);
  const progress = createProgress(`odds ${opts.contest}`, { quiet: opts.quiet });
  let done = 0;
  const pool = makePool(opts.workers, {});
  progress.start(opts.runs, 0);
  try {
    await drive<{ from: number; to: number }, OddsOutcome[]>(pool, opts.workers, next, toTask, (u, res) => {
      res.forEach((o, i) => { outcomes[u.from + i] = o; });
      done += res.length;
      progress.update(done, opts.runs);
    });
  } finally { progress.stop(); await pool.destroy(); }

  // Tally in replication order (deterministic).
  const wins = new Map<string, number>();
  const cand = new Map<string, number>();
  const dec = new Map<string, Record<string, number>>();
  const decisive: Record<string, number> = {};
  const names = [...TERM_NAMES, 'utility'];
  const sums = new Map<string, { n: number; terms: number[]; lost: number; gap: number[] }>();
  let decided = 0;
  for (const o of outcomes) {
    const wt = o.winner ? o.terms[o.winner] : undefined;
    for (const [city, v] of Object.entries(o.terms)) {
      const s = sums.get(city) ?? { n: 0, terms: names.map(() => 0), lost: 0, gap: names.map(() => 0) };
      s.n++; v.forEach((x, i) => { s.terms[i] += x; });
      if (wt && city !== o.winner) { s.lost++; v.forEach((x, i) => { s.gap[i] += x - wt[i]; }); }
      sums.set(city, s);
    }
    for (const c of o.candidates) cand.set(c, (cand.get(c) ?? 0) + 1);
    if (!o.winner) continue;
    decided++;
    wins.set(o.winner, (wins.get(o.winner) ?? 0) + 1);
    const key = o.decisive ?? 'unopposed';
    const d = dec.get(o.winner) ?? {};
    d[key] = (d[key] ?? 0) + 1;
    dec.set(o.winner, d);
    decisive[key] = (decisive[key] ?? 0) + 1;
  }
  const cities = [...new Set([...cand.keys(), ...wins.keys()])].map((city): OddsRow => {
    const w = wins.get(city) ?? 0;
    const ci = wilson(w, decided);
    const d = dec.get(city) ?? {};
    const top = Object.entries(d).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    const s = sums.get(city);
    const mean = (xs: number[], n: number) => (n ? Object.fromEntries(names.map((k, i) => [k, xs[i] / n])) : null);
    return { city, wins: w, p: decided ? w / decided : NaN, lo: ci.lo, hi: ci.hi, candidateRuns: cand.get(city) ?? 0, decisive: d, topDriver: top ? top[0] : null,
      meanTerms: s ? mean(s.terms, s.n) : null, gapToWinner: s ? mean(s.gap, s.lost) : null };
  }).sort((x, y) => y.wins - x.wins || (x.city < y.city ? -1 : 1));
  return {
    scenario: sc.name, arm: opts.arm ?? null, contest: def.id, org: def.org, year: def.year, rule: ruleFor(def, sc.organizations.find((o) => o.id === def.org)?.kind ?? 'intergovernmental'),
    runs: opts.runs, decided, seeds: `replication seeds derived from seed ${seed}`, cities, decisive,
  };
}
