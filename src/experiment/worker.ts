/**
 * What a worker thread does: load a scenario variant (cached per arm and design point), simulate it for a
 * list of replication seeds, and return only the metric values (sweeps) or the contest outcome (odds).
 * Payloads are small: a scenario path, an arm, overrides and seeds. With parameter uncertainty, the pool's
 * workerData carries the calibration's posterior, and each replication runs with the coefficients its seed draws.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { loadScenario, type Scenario } from '../scenario/load.ts';
import { ScenarioError, type Problem } from '../scenario/errors.ts';
import { isSystemError, withPath } from '../output/system-errors.ts';
import { simulate, type EventRecord, type Recorder, type Summary } from '../model/engine.ts';
import { CsvRecorder, stableJson, writeAtomically, writeJson } from '../output/write.ts';
import { manifestOf } from '../index.ts';
import { TERM_NAMES } from '../model/scoring.ts';
import { MetricRecorder, type Value } from './metrics.ts';
import type { MetricSpec } from './file.ts';
import type { Posterior } from '../calibrate/uncertainty.ts';

/** What the pool gives every worker: the metrics of a sweep, the posterior when parameters are drawn. */
export interface PoolData { metrics?: MetricSpec[]; posterior?: Posterior }

const pool = (workerData ?? {}) as PoolData;
/** The draw, imported only by workers that draw (it brings in the linear algebra). */
const drawParams = pool.posterior ? (await import('../calibrate/uncertainty.ts')).drawParams : undefined;

/**
 * The scenario replication `seed` runs: with a posterior, the coefficients the scenario does not set itself are
 * those `seed` draws (the same in every arm and design point); without, the scenario as loaded.
 */
function replicationScenario(sc: Scenario, seed: number): Scenario {
  return pool.posterior && drawParams ? { ...sc, params: drawParams(pool.posterior, seed, sc.paramOverrides) } : sc;
}

export interface Variant { scenario: string; scenarioArm?: string; overrides: Record<string, unknown>; years: number | null }

export interface SweepTask extends Variant {
  kind: 'sweep';
  seeds: number[];
  /** With --keep-runs: one result directory per seed. */
  keepDirs?: string[];
}

export interface OddsTask extends Variant { kind: 'odds'; contest: string; seeds: number[] }

export interface OddsOutcome {
  winner: string | null;
  runnerUp: string | null;
  decisive: string | null;
  candidates: string[];
  /** each candidate's utility terms (TERM_NAMES order) then its utility, as the decision saw them */
  terms: Record<string, number[]>;
}

const CACHE_SIZE = 32;
const cache = new Map<string, Scenario>();

export function variantScenario(v: Variant): Scenario {
  const key = JSON.stringify([v.scenario, v.scenarioArm ?? null, v.years, v.overrides]);
  let sc = cache.get(key);
  if (sc) { cache.delete(key); cache.set(key, sc); return sc; }
  sc = loadScenario(v.scenario, { arm: v.scenarioArm, overrides: v.overrides, years: v.years ?? undefined });
  cache.set(key, sc);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return sc;
}

export function runSweepTask(t: SweepTask, metrics: MetricSpec[]): Value[][] {
  const sc = variantScenario(t);
  return t.seeds.map((seed, i) => {
    const dir = t.keepDirs?.[i];
    if (!dir) {
      const rec = new MetricRecorder(metrics);
      return rec.values(simulate(replicationScenario(sc, seed), { seed, recorder: rec }));
    }
    return writeAtomically(dir, true, (tmp) => {
      const csv = new CsvRecorder(tmp);
      const rec = new MetricRecorder(metrics, csv);
      const run = replicationScenario(sc, seed);
      let summary: Summary;
      try { summary = simulate(run, { seed, recorder: rec }); } finally { csv.close(); }
      writeJson(join(tmp, 'summary.json'), summary);
      const manifest = stableJson(manifestOf(run, seed, sc.years));
      withPath(join(tmp, 'manifest.json'), () => writeFileSync(join(tmp, 'manifest.json'), manifest));
      return rec.values(summary);
    }, { recover: false });
  });
}

/**
 * The term of the utility (a driver, the offer, the cluster, the moving cost, the stay bonus, geographic balance)
 * that favoured the winner over the runner-up most: the largest (winner term - runner-up term).
 */
export function decisiveTerm(e: EventRecord): string | null {
  if (!e.chosen || !e.runnerUp) return null;
  let best: string | null = null;
  let bestV = -Infinity;
  for (const t of TERM_NAMES) {
    const v = e.chosen.terms[t] - e.runnerUp.terms[t];
    if (v > bestV) { bestV = v; best = t; }
  }
  return best;
}

export function runOddsTask(t: OddsTask): OddsOutcome[] {
  const sc = variantScenario(t);
  return t.seeds.map((seed) => {
    const out: OddsOutcome = { winner: null, runnerUp: null, decisive: null, candidates: [], terms: {} };
    const cands = new Set<string>();
    let ids: string[] = [];
    const rec: Recorder = {
      begin: (info) => { ids = info.cities; },
      wants: { events: ['contest_result'], orgYears: false, cityYears: [], decisions: false },
      contest: (c) => {
        if (c.id !== t.contest) return;
        for (const x of c.outcome.candidates) {
          const balance = x.balance;
          cands.add(ids[x.city]);
          out.terms[ids[x.city]] = [...TERM_NAMES.map((n) => (n === 'balance' ? balance : x.eval.terms[n])), x.eval.utility + balance];
        }
      },
      event: (e) => {
        if (e.contest !== t.contest) return;
        if (e.type === 'contest_result' && out.winner === null) {
          out.winner = e.chosen?.id ?? e.city ?? null;
          out.runnerUp = e.runnerUp?.id ?? null;
          out.decisive = decisiveTerm(e);
          if (out.winner) cands.add(out.winner);
          if (out.runnerUp) cands.add(out.runnerUp);
        }
      },
      cityYear() {},
      orgYear() {},
    };
    simulate(replicationScenario(sc, seed), { seed, recorder: rec });
    out.candidates = [...cands].sort();
    return out;
  });
}

/**
 * What a task could not do, as data (errors lose their kind between threads): a design point the scenario
 * rejects, or a failure of the machine (a full disk under --keep-runs). Anything else is a bug and is thrown.
 */
export type TaskFailure =
  | { kind: 'scenario'; problems: Problem[] }
  | { kind: 'system'; code: string; syscall?: string; path?: string; message: string };

/** A sweep task's metric values per seed, and the milliseconds it took (to size later tasks; never in results). */
export type SweepTaskResult = { values: Value[][]; ms: number } | { failure: TaskFailure };

/** Piscina task entry (see worker.mjs). */
export function runTask(t: SweepTask | OddsTask): SweepTaskResult | OddsOutcome[] | { failure: TaskFailure } {
  try {
    if (t.kind === 'odds') return runOddsTask(t);
    const t0 = performance.now();
    const values = runSweepTask(t, pool.metrics ?? []);
    return { values, ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof ScenarioError) return { failure: { kind: 'scenario', problems: e.problems } };
    if (isSystemError(e)) return { failure: { kind: 'system', code: e.code, syscall: e.syscall, path: e.path, message: e.message } };
    throw e;
  }
}
