/**
 * The two estimation stages of `hqsim calibrate`, shared by `hqsim backtest --loo` and the parameter-recovery test.
 *
 * Stage 1 (what decides a seat): maximum a posteriori estimate of the coordinates of CONTEST_SPACE from the
 * documented contests, by simulated likelihood with common random numbers (likelihood.ts) and weak priors
 * (space.ts), minimised by Nelder-Mead from the prior mean.
 * Stage 2 (how often organizations move): the coordinates of DYNAMIC_SPACE by the method of simulated moments
 * (moments.ts), the stage-1 estimates held fixed, with the same priors.
 * Each stage's uncertainty is the Laplace approximation at its estimate (laplace.ts).
 * Every evaluation goes through a cache keyed by stage and exact coordinates: Nelder-Mead is deterministic, so a
 * run that starts again with the evaluations of an interrupted one retraces its path at no cost (resuming).
 */
import { resolveParams, type ParamOverrides } from '../model/params.ts';
import type { Prediction } from '../backtest/replay.ts';
import { CONTEST_SPACE, DYNAMIC_SPACE, logPrior, overridesOf, thetaOf, type Coordinate } from './space.ts';
import { nelderMead } from './nelder-mead.ts';
import { hessian, laplaceFromHessian, type Laplace } from './laplace.ts';
import { contestNll } from './likelihood.ts';
import { momentLoss, moments, type Target, TARGETS } from './moments.ts';
import type { TaskRunner } from './pool.ts';
import type { bonnMoments, worldMoments } from './moments.ts';

/** Observed outcomes of the contests of a file: for each contest used, its index, winner counts and ballot counts. */
export interface ContestData {
  file: string;
  cities?: string;
  items: { index: number; id: string; wins: number[]; rounds: { match: number; miss: number } }[];
}

export interface FitSettings {
  /** replications per vote contest in an evaluation (common random numbers: the same seeds for every parameter set) */
  runs: number;
  seed: number;
  /** evaluation budget of Nelder-Mead, stage 1 and stage 2 */
  maxEvals: number;
  dynamicMaxEvals: number;
  /** central-difference step of the Hessians, on the transformed scale */
  hessianStep: number;
}

export const DEFAULT_FIT: FitSettings = { runs: 32, seed: 1, maxEvals: 400, dynamicMaxEvals: 60, hessianStep: 0.3 };

/** Seeds of the pattern-target runs (each target pools them). */
export const MOMENT_SEEDS = [1, 2];

export interface Cache { get(key: string): number | undefined; set(key: string, v: number): void }
export const memoryCache = (): Cache => { const m = new Map<string, number>(); return { get: (k) => m.get(k), set: (k, v) => { m.set(k, v); } }; };

export type Progress = (stage: string, evals: number, budget: number, best: number) => void;

const keyOf = (stage: string, x: number[]) => `${stage}:${x.map((v) => v.toString(36)).join(',')}`;

export interface StageResult {
  space: Coordinate[];
  theta: number[];
  objective: number;
  evals: number;
  converged: boolean;
  laplace: Laplace | null;
}

/** The objective of stage 1 at coordinates theta: negative log posterior (up to a constant), and the predictions. */
export async function contestObjective(data: ContestData, runner: TaskRunner, s: FitSettings, theta: number[], mean: number[], base: ParamOverrides = {}): Promise<{ value: number; nll: number; predictions: Prediction[] }> {
  const overrides = overridesOf(CONTEST_SPACE, theta, base);
  const preds = (await runner.run(data.items.map((it) => ({ kind: 'predict' as const, file: data.file, cities: data.cities, index: it.index, overrides, runs: s.runs, seed: s.seed })))) as Prediction[];
  const nll = preds.reduce((acc, pr, i) => acc + contestNll(pr, data.items[i].wins, data.items[i].rounds), 0);
  return { value: nll - logPrior(CONTEST_SPACE, theta, mean), nll, predictions: preds };
}

async function minimise(stage: string, space: Coordinate[], f: (x: number[]) => Promise<number>, x0: number[], budget: number, step: number, hStep: number, cache: Cache, progress?: Progress, withLaplace = true): Promise<StageResult> {
  const g = async (x: number[]) => {
    const k = keyOf(stage, x);
    let v = cache.get(k);
    if (v === undefined) { v = await f(x); cache.set(k, v); }
    return v;
  };
  const r = await nelderMead(g, x0, { step, maxEvals: budget, fTol: 1e-3, xTol: 1e-2, onIteration: (b, e) => progress?.(stage, e, budget, b.f) });
  let laplace: Laplace | null = null;
  if (withLaplace) {
    const { H, evals } = await hessian(g, r.x, hStep, r.f);
    laplace = laplaceFromHessian(H, space.map((c) => 1 / c.priorSd ** 2), evals);
  }
  return { space, theta: r.x, objective: r.f, evals: r.evals, converged: r.converged, laplace };
}

/** Stage 1: estimate CONTEST_SPACE from contests (from the prior mean, i.e. the defaults under `base`). */
export async function fitContests(data: ContestData, runner: TaskRunner, s: FitSettings, cache: Cache, progress?: Progress, opts: { laplace?: boolean; base?: ParamOverrides; stage?: string } = {}): Promise<StageResult> {
  const base = opts.base ?? {};
  const mean = thetaOf(CONTEST_SPACE, resolveParams(base));
  const f = async (x: number[]) => (await contestObjective(data, runner, s, x, mean, base)).value;
  return minimise(opts.stage ?? 'contests', CONTEST_SPACE, f, mean, s.maxEvals, 0.7, s.hessianStep, cache, progress, opts.laplace ?? true);
}

export interface MomentFit { values: Record<string, number>; loss: number }

/** Simulated pattern targets under overrides `ov` (runs of both scenarios for every seed of MOMENT_SEEDS). */
export async function simulateMoments(ov: ParamOverrides, runner: TaskRunner, targets: Target[] = TARGETS): Promise<MomentFit> {
  const tasks = MOMENT_SEEDS.flatMap((seed) => [{ kind: 'world' as const, overrides: ov, seed }, { kind: 'bonn' as const, overrides: ov, seed }]);
  const res = await runner.run(tasks);
  const world = res.filter((_, i) => tasks[i].kind === 'world') as ReturnType<typeof worldMoments>[];
  const bonn = res.filter((_, i) => tasks[i].kind === 'bonn') as ReturnType<typeof bonnMoments>[];
  const values = moments(world, bonn);
  return { values, loss: momentLoss(values, targets) };
}

/** Stage 2: estimate DYNAMIC_SPACE from pattern targets, the stage-1 overrides `base` held fixed. */
export async function fitDynamics(base: ParamOverrides, runner: TaskRunner, s: FitSettings, cache: Cache, targets: Target[] = TARGETS, progress?: Progress): Promise<StageResult> {
  const mean = thetaOf(DYNAMIC_SPACE, resolveParams(base));
  const f = async (x: number[]) => (await simulateMoments(overridesOf(DYNAMIC_SPACE, x, base), runner, targets)).loss - logPrior(DYNAMIC_SPACE, x, mean);
  return minimise('dynamics', DYNAMIC_SPACE, f, mean, s.dynamicMaxEvals, 0.5, s.hessianStep, cache, progress);
}
