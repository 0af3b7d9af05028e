/**
 * Running sweeps: schedule design points x arms x replications on worker threads, journal every finished run,
 * resume from the journal, run one shard of a sweep, merge shards, and estimate contest win odds.
 *
 * Determinism: a run's inputs are (design point, arm, replication seed); the seed depends on the experiment
 * seed and the replication only (common random numbers). Final tables are computed from the journal in
 * (point, arm, replication) order, so worker count, completion order, interruptions and sharding do not
 * change a byte of runs, points, arms or sensitivity.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Piscina } from 'piscina';
import { abandonDirectory, discardPrevious, inspectTarget, recoverTarget, writeAtomically } from '../output/replace.ts';
import { loadScenario } from '../scenario/load.ts';
import { suggest, type Problem } from '../scenario/errors.ts';
import { overLimit, formatCount } from '../limits/index.ts';
import { VERSION } from '../version.ts';
import { planHash, pointOverrides, replicationSeed, type Plan } from './file.ts';
import { JournalReader, JournalWriter, RunIndex, scanJournal, dropDamaged, entryLine, JournalDamageError, JournalError, type Entry } from './journal.ts';
import { STATE_DIR, createSweepDir, journalPath as journalOf, planPath as planOf, planText, readPlan, readState, stateText, statePath as stateOf, writeFileAtomic } from './state.ts';
import { Progression, Scope, type Shard } from './progression.ts';
import { writeTables, type TablesResult } from './tables.ts';
import { createProgress } from './progress.ts';
import { wilson } from './stats.ts';
import type { OddsOutcome, OddsTask, PoolData, SweepTask, SweepTaskResult, TaskFailure } from './worker.ts';
import { loadParameterUncertainty } from './calibration.ts';
import { calibrationName, uncertaintyRecord, type UncertaintyRecord } from './posterior.ts';
import { TERM_NAMES } from '../model/scoring.ts';
import { ruleFor } from '../model/contest.ts';

/** Bad use of a sweep directory or option (exit 2). */
export class SweepUsageError extends Error {}

/** A design point (with an arm) that the scenario rejects, found while running (exit 2). */
export class SweepPointError extends Error {}

export { STATE_DIR };
/**
 * Runs per sweep task: sized so that a task takes about TASK_MS in its worker (from the times of tasks
 * already done), between 1 and MAX_CHUNK. Small runs (a quickstart run is under a millisecond) then cost
 * one message and one journal write per ~50 ms of work instead of per run; long runs go one per task.
 * Task size never changes results: every run is keyed by (point, arm, replication).
 */
const TASK_MS = 50;
const MAX_CHUNK = 1000;

export const shardLabel = (s: Shard | null) => (s ? `${s.index + 1}/${s.count}` : null);

/** A failure reported by a worker, as the error the command line reports. */
function taskError(f: TaskFailure, plan: Plan | null, p: number, a: number, whatWasWritten: string): Error {
  if (f.kind === 'system') return Object.assign(new Error(f.message), { code: f.code, syscall: f.syscall, path: f.path });
  const where = plan
    ? `design point ${p}${plan.factors.length ? ` (${plan.factors.map((x, j) => `${x.name} = ${JSON.stringify(plan.points[p][j])}`).join(', ')})` : ''}${plan.arms.length > 1 || plan.arms[a].name !== 'base' ? ` in arm "${plan.arms[a].name}"` : ''}`
    : 'the scenario';
  const why = f.problems.slice(0, 3).map((x: Problem) => `${x.path || x.file}: ${x.message}`).join('; ');
  return new SweepPointError(`${where} does not give a valid scenario: ${why}; change the factor ranges or arms so that every point is valid (${whatWasWritten})`);
}

export function defaultWorkers(): number { return Math.max(1, availableParallelism()); }

function makePool(workers: number, workerData: PoolData): Piscina {
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
  /** With resume: drop damaged journal lines (kept in journal.damaged.ndjson) and rebuild a damaged state. */
  repair?: boolean;
  force?: boolean;
  keepRuns?: boolean;
  quiet?: boolean;
  shard?: Shard | null;
  /** Seconds, for the manifest's wall time. */
  clock?: () => number;
}

export interface SweepResult extends TablesResult { dir: string; executed: number; resumed: number; seconds: number; runsPerSecond: number; recovered: string[] }

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
  const statePath = stateOf(dir);
  const journalPath = journalOf(dir);
  const hash = planHash(plan);
  const label = shardLabel(shard);
  const workersProblem = overLimit('workers', opts.workers);
  if (workersProblem) throw new SweepUsageError(`--workers: ${workersProblem}`);

  // Finish what a stopped command left, then open, create or replace the directory.
  const recovered = recoverTarget(dir);
  const target = inspectTarget(dir);
  let created = false;
  if (target.kind === 'refused') throw new SweepUsageError(`${dir} ${target.reason}`);
  if (target.kind === 'result' && !opts.force) {
    if (target.what === 'run') throw new SweepUsageError(`${dir} holds the result of hqsim run, not a sweep; use --force to replace it, or another --out`);
    if (!opts.resume) throw new SweepUsageError(`${dir} exists; use --resume to continue the sweep there, or --force to start over`);
    recovered.push(...openSweepDir(dir, plan, hash, label, opts.repair ?? false));
  } else {
    createSweepDir(dir, plan, hash, label, target);
    created = true;
  }
  if (opts.keepRuns) cleanDetail(join(dir, 'detail'));

  const P = plan.points.length;
  const A = plan.arms.length;
  const M = plan.metrics.length;
  const scope = new Scope(plan, shard);
  const cap = plan.adaptive?.maxReplications ?? plan.replications;
  let index = new RunIndex(A);
  const scan = () => {
    index = new RunIndex(A);
    return scanJournal(journalPath, (e, off, len) => {
      if (e.p >= P || e.a >= A || e.r >= cap || !scope.hasRep(e.p, e.r)) return `run (point ${e.p}, arm ${e.a}, replication ${e.r}) does not belong to this sweep${shard ? ` (shard ${label})` : ''}`;
      if (e.v.length !== M) return `${e.v.length} metric values where the sweep has ${M}`;
      if (!index.add(e.p, e.a, e.r, 0, off, len)) return `run (point ${e.p}, arm ${e.a}, replication ${e.r}) is already on an earlier line`;
    }, true);
  };
  let scanned = scan();
  if (scanned.damaged.length) {
    const intact = scanned.lines - scanned.damaged.length;
    if (!opts.repair) throw new JournalDamageError(journalPath, scanned.damaged, scanned.lines, `to keep the ${formatCount(intact)} intact run${intact === 1 ? '' : 's'} and do the damaged ones again, add --repair`);
    dropDamaged(journalPath, scanned.damaged);
    recovered.push(`moved ${scanned.damaged.length} damaged journal line${scanned.damaged.length === 1 ? '' : 's'} to ${STATE_DIR}/journal.damaged.ndjson; ${scanned.damaged.length === 1 ? 'its run is' : 'their runs are'} done again`);
    scanned = scan();
    if (scanned.damaged.length) throw new JournalDamageError(journalPath, scanned.damaged, scanned.lines, 'the repair did not take: start over with --force');
  }
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
  const complete = (u: Unit, res: SweepTaskResult) => {
    if ('failure' in res) {
      throw taskError(res.failure, plan, u.p, u.a, created
        ? 'nothing was written'
        : `the runs done so far stay in ${join(dir, STATE_DIR)}`);
    }
    const { values, ms } = res;
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
      pool = makePool(opts.workers, { metrics: plan.metrics, ...(plan.parameterUncertainty ? { posterior: plan.parameterUncertainty.posterior } : {}) });
      const p = pool;
      await drive<Unit, SweepTaskResult>(p, opts.workers, next, toTask, complete)
        .finally(() => progress.stop());
    }
  } catch (e) {
    try { writer.close(); } catch { /* the first error is the one to report */ }
    reader.close();
    await pool?.destroy();
    // A design point the scenario rejects: the experiment must change, so a sweep this command created is
    // removed (and a result it was replacing is put back).
    if (e instanceof SweepPointError && created) {
      abandonDirectory(dir);
      if (target.kind === 'empty') mkdirSync(dir); // a directory the user made stays, empty
    }
    throw e;
  }
  writer.close();
  await pool?.destroy();

  for (let p = 0; p < P; p++) {
    const miss = prog.settle(p);
    if (miss > 0) { reader.close(); throw new JournalError(`point ${p} still misses ${miss} runs after the sweep; run again with --resume`); }
  }
  const seconds = clock() - t0;
  let result: TablesResult;
  try {
    result = writeTables(plan, dir, scope, prog, (p, a, r) => (index.has(p, a, r) ? read(p, a, r) : undefined), { shard, wallTimeSeconds: seconds });
  } finally { reader.close(); }
  writeFileAtomic(statePath, stateText({ planHash: hash, shard: label, complete: true }));
  discardPrevious(dir);
  const executed = done - resumed;
  return { ...result, dir, executed, resumed, seconds, runsPerSecond: seconds > 0 ? executed / seconds : 0, recovered };
}

/**
 * Open an existing sweep directory for --resume: its state must be intact and of this plan (content of the
 * experiment, scenario and seed files, options, hqsim version), and plan.json must match. A state.json that a
 * stop while starting left missing is rebuilt; a damaged one (or plan.json) is rebuilt only with `repair`.
 * Returns notes on what was rebuilt.
 */
function openSweepDir(dir: string, plan: Plan, hash: string, label: string | null, repair: boolean): string[] {
  const statePath = stateOf(dir), planPath = planOf(dir);
  const st = readState(statePath);
  const rebuild = (why: string) => {
    mkdirSync(join(dir, STATE_DIR), { recursive: true });
    writeFileAtomic(planPath, planText(plan));
    writeFileAtomic(statePath, stateText({ planHash: hash, shard: label, complete: false }));
    return [`rebuilt ${STATE_DIR}/state.json: ${why}`];
  };
  const planMatches = () => readPlan(planPath, hash, VERSION) !== undefined;
  const journalEmpty = () => !existsSync(journalOf(dir)) || statSync(journalOf(dir)).size === 0;
  if ('missing' in st) {
    if (planMatches() || (!existsSync(planPath) && journalEmpty())) return rebuild('the sweep was stopped while starting');
    throw new SweepUsageError(`${dir} holds no sweep state (${STATE_DIR}/state.json) and its plan is not this experiment's; use --force to start over, or another --out`);
  }
  if ('damaged' in st) {
    if (!repair) throw new SweepUsageError(`${statePath} is damaged: ${st.damaged}; to rebuild it (when ${STATE_DIR}/plan.json is this experiment's) and keep the journal, add --repair`);
    if (!planMatches()) throw new SweepUsageError(`${statePath} is damaged and ${planPath} is not this experiment's plan, so the journal cannot be trusted; start over with --force`);
    return rebuild('it was damaged');
  }
  const s = st.state;
  if (s.planHash !== hash) {
    const was = uncertaintyOf(planPath);
    const now = plan.parameterUncertainty;
    if (was !== undefined && (was?.sha256 ?? null) !== (now?.sha256 ?? null)) {
      const say = (u: { file: string; bundled?: true; sha256: string } | null) => (u ? `on (calibration ${calibrationName(u)}, sha256 ${u.sha256.slice(0, 12)})` : 'off');
      throw new SweepUsageError(`${dir} holds a sweep run with parameter uncertainty ${say(was)}; this command has it ${say(now ?? null)}: a sweep cannot mix runs with and without it, or of two calibrations; run as before to resume, or use --force to start over, or another --out`);
    }
    throw new SweepUsageError(`${dir} holds a sweep of a different plan (the experiment, its scenario or seed files, the --ci-width options, the parameter uncertainty${s.hqsim !== VERSION ? `, or the hqsim version: ${s.hqsim}, this is ${VERSION}` : ' or the hqsim version'} changed); use --force to start over, or another --out`);
  }
  if (s.shard !== label) throw new SweepUsageError(`${dir} holds ${s.shard ? `shard ${s.shard}` : 'a whole sweep'}, not ${label ? `shard ${label}` : 'a whole sweep'}`);
  if (!planMatches()) {
    if (!repair) throw new SweepUsageError(`${planPath} is damaged (it no longer matches the plan hash in state.json); to rewrite it from the experiment, add --repair`);
    writeFileAtomic(planPath, planText(plan));
    return [`rewrote ${STATE_DIR}/plan.json, which was damaged`];
  }
  return [];
}

/** The parameter uncertainty recorded in a sweep's plan.json: null when off, undefined when the file is unreadable. */
function uncertaintyOf(planPath: string): { file: string; bundled?: true; sha256: string } | null | undefined {
  try {
    const p = JSON.parse(readFileSync(planPath, 'utf8')) as Plan;
    return p && typeof p === 'object' ? p.parameterUncertainty ?? null : undefined;
  } catch { return undefined; }
}

/** Remove what runs stopped by a kill left under detail/ (partial and replaced run directories). */
function cleanDetail(detail: string): void {
  if (!existsSync(detail)) return;
  const stale = /^\.rep-\d+\.(partial-|previous$|trash-)/;
  for (const point of readdirSync(detail)) {
    const pd = join(detail, point);
    if (!statSync(pd).isDirectory()) continue;
    for (const arm of readdirSync(pd)) {
      const ad = join(pd, arm);
      if (!statSync(ad).isDirectory()) continue;
      for (const name of readdirSync(ad)) if (stale.test(name)) rmSync(join(ad, name), { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------
// Merge
// ---------------------------------------------------------------------------

export interface MergeResult extends TablesResult { dir: string; shards: number; recovered: string[] }

/** Combine finished shard directories into the directory a single-machine sweep would have written. */
export function mergeShards(dirs: string[], opts: { out?: string; force?: boolean } = {}): MergeResult {
  if (dirs.length === 0) throw new SweepUsageError('merge: give the shard directories');
  const shards = dirs.map((d) => {
    const dir = resolve(d);
    const statePath = stateOf(dir);
    const st = readState(statePath);
    if ('missing' in st) throw new SweepUsageError(`${d}: not a sweep directory (no ${STATE_DIR}/state.json)`);
    // The remedy needs the plan; a damaged state leaves only plan.json to name the experiment.
    if ('damaged' in st) throw new SweepUsageError(`${statePath} is damaged: ${st.damaged}; repair the shard with \`hqsim sweep <experiment> --shard i/n --out ${d} --resume --repair\`, then merge again`);
    const state = st.state;
    const plan = readPlan(planOf(dir), state.planHash, state.hqsim);
    if (!plan) throw new SweepUsageError(`${planOf(dir)} is damaged (it does not match the plan hash in state.json); repair the shard with \`hqsim sweep <experiment> --shard ${state.shard ?? '?'} --out ${d} --resume --repair\`, then merge again`);
    if (!state.complete || !existsSync(join(dir, 'manifest.json'))) {
      throw new SweepUsageError(`${d}: ${state.shard ? `shard ${state.shard}` : 'the sweep'} is incomplete; finish it with \`hqsim sweep ${plan.experiment.file} --shard ${state.shard ?? '?'} --out ${d} --resume\``);
    }
    if (!state.shard) throw new SweepUsageError(`${d}: holds a whole sweep, not a shard; nothing to merge`);
    if (state.hqsim !== VERSION) throw new SweepUsageError(`${d}: shard ${state.shard} was run with hqsim ${state.hqsim}; this is hqsim ${VERSION}: merge with the version that ran the shards`);
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
  const M = plan.metrics.length;
  const paths = shards.map((s) => journalOf(s.dir));
  shards.forEach((s, f) => {
    const scope = new Scope(plan, s.shard);
    const { damaged, lines } = scanJournal(paths[f], (e, off, len) => {
      if (e.p >= P || e.a >= A || !scope.hasRep(e.p, e.r)) return `run (point ${e.p}, arm ${e.a}, replication ${e.r}) is not part of shard ${s.state.shard}`;
      if (e.v.length !== M) return `${e.v.length} metric values where the sweep has ${M}`;
      if (!index.add(e.p, e.a, e.r, f, off, len)) return `run (point ${e.p}, arm ${e.a}, replication ${e.r}) is already on an earlier line`;
    }, false);
    if (damaged.length) throw new JournalDamageError(paths[f], damaged, lines, `repair the shard with \`hqsim sweep ${plan.experiment.file} --shard ${s.state.shard} --out ${s.d} --resume --repair\`, then merge again`);
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
    const recovered: string[] = [];
    const result = writeAtomically(out, opts.force ?? false, (tmp) => {
      mkdirSync(join(tmp, STATE_DIR));
      writeFileSync(planOf(tmp), planText(plan));
      const journal = new JournalWriter(journalOf(tmp), Infinity);
      let r: TablesResult;
      try { r = writeTables(plan, tmp, scope, prog, (p, a, rr) => (index.has(p, a, rr) ? read(p, a, rr) : undefined), { shard: null, journalOut: journal }); } finally { journal.close(); }
      writeFileSync(stateOf(tmp), stateText({ planHash: first.state.planHash, shard: null, complete: true, hqsim: first.state.hqsim }));
      return r;
    }, { note: (n) => recovered.push(n) });
    return { ...result, dir: out, shards: count, recovered };
  } finally { reader.close(); }
}

// ---------------------------------------------------------------------------
// Win odds of a contest
// ---------------------------------------------------------------------------

export interface OddsOptions {
  contest: string; runs: number; seed?: number; arm?: string; years?: number; workers: number; quiet?: boolean;
  /** Draw every replication's coefficients from a calibration: true for the bundled one, or its file. */
  parameterUncertainty?: true | string;
}

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
  /** The calibration every replication drew its coefficients from (see uncertaintyRecord), null when none. */
  parameterUncertainty: UncertaintyRecord | null;
  cities: OddsRow[];
  decisive: Record<string, number>;
}

export async function runOdds(file: string, opts: OddsOptions): Promise<OddsReport> {
  const runsProblem = overLimit('oddsRuns', opts.runs) ?? overLimit('workers', opts.workers);
  if (runsProblem) throw new SweepUsageError(runsProblem);
  const sc = loadScenario(file, { arm: opts.arm, years: opts.years });
  // Read and checked before any worker starts: a bad calibration ends the command with nothing run.
  const pu = opts.parameterUncertainty === undefined ? undefined : loadParameterUncertainty(opts.parameterUncertainty);
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
  const pool = makePool(opts.workers, pu ? { posterior: pu.posterior } : {});
  progress.start(opts.runs, 0);
  try {
    await drive<{ from: number; to: number }, OddsOutcome[] | { failure: TaskFailure }>(pool, opts.workers, next, toTask, (u, res) => {
      if ('failure' in res) throw taskError(res.failure, null, 0, 0, 'nothing was written');
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
    runs: opts.runs, decided, seeds: `replication seeds derived from seed ${seed}`, parameterUncertainty: uncertaintyRecord(pu), cities, decisive,
  };
}
