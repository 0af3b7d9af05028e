/**
 * The units of work of a calibration, each a pure function of its arguments: one contest predicted under one
 * parameter set, or one run of a scenario that measures pattern targets. They run in this thread or in worker
 * threads (worker.ts), with the same results.
 */
import type { ParamOverrides } from '../model/params.ts';
import { resolveParams } from '../model/params.ts';
import { loadContests } from '../backtest/contests.ts';
import { buildReplay, predict, type Prediction, type Replay } from '../backtest/replay.ts';
import { bonnMoments, worldMoments } from './moments.ts';

export type Task =
  | { kind: 'predict'; file: string; cities?: string; index: number; overrides: ParamOverrides; runs: number; seed: number }
  | { kind: 'world'; overrides: ParamOverrides; seed: number }
  | { kind: 'bonn'; overrides: ParamOverrides; seed: number };

export type TaskResult = Prediction | ReturnType<typeof worldMoments> | ReturnType<typeof bonnMoments>;

/** Replays of each contest file, built once per thread. */
const replays = new Map<string, Replay[]>();
export function replaysOf(file: string, cities?: string): Replay[] {
  const key = `${file}\0${cities ?? ''}`;
  let r = replays.get(key);
  if (!r) { r = loadContests(file, { cities }).contests.map(buildReplay); replays.set(key, r); }
  return r;
}

export function runTask(t: Task): TaskResult {
  if (t.kind === 'predict') return predict(replaysOf(t.file, t.cities)[t.index], resolveParams(t.overrides), t.runs, t.seed);
  if (t.kind === 'world') return worldMoments(t.overrides, t.seed);
  return bonnMoments(t.overrides, t.seed);
}
