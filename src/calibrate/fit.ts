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
import type { ParamOverrides } from '../model/params.ts';
import type { Prediction } from '../backtest/replay.ts';
import { CONTEST_SPACE, DYNAMIC_SPACE, logPrior, overridesOf, priorMean, type Coordinate } from './space.ts';
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

export const DEFAULT_FIT: FitSettings = { runs: 64, seed: 1, maxEvals: 400, dynamicMaxEvals: 100, hessianStep: 0.6 };

/** Seeds of the pattern-target runs (each target pools them). */
export const MOMENT_SEEDS = [1, 2];

/** Offset of the seeds that measure the curvature (see minimise). */
const FRESH_SEED = 1000;

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
export async function contestObjective(data: ContestData, runner: TaskRunner, s: FitSettings, theta: number[], mean: number[], base: ParamOverrides = {}, space: Coordinate[] = CONTEST_SPACE): Promise<{ value: number; nll: number; predictions: Prediction[] }> {
  const overrides = overridesOf(space, theta, base);
  const preds = (await runner.run(data.items.map((it) => ({ kind: 'predict' as const, file: data.file, cities: data.cities, index: it.index, overrides, runs: s.runs, seed: s.seed })))) as Prediction[];
  const nll = preds.reduce((acc, pr, i) => acc + contestNll(pr, data.items[i].wins, data.items[i].rounds), 0);
  return { value: nll - logPrior(space, theta, mean), nll, predictions: preds };
}

/**
 * Minimise `f` (its evaluations cached), then measure the curvature at the minimum with `fresh`: the same
 * objective simulated with other random numbers. A minimum found on simulated values tends to sit in a dip of
 * their simulation noise, whose curvature is sharper than the objective's; fresh draws do not share the dip.
 */
async function minimise(stage: string, space: Coordinate[], f: (x: number[]) => Promise<number>, fresh: (x: number[]) => Promise<number>, x0: number[], budget: number, step: number, hStep: number, cache: Cache, progress?: Progress, withLaplace = true): Promise<StageResult> {
  const cached = (tag: string, h: (x: number[]) => Promise<number>) => async (x: number[]) => {
    const k = keyOf(tag, x);
    let v = cache.get(k);
    if (v === undefined) { v = await h(x); cache.set(k, v); }
    return v;
  };
  const g = cached(stage, f), gh = cached(`${stage}, uncertainty`, fresh);
  const r = await nelderMead(g, x0, { step, maxEvals: budget, fTol: 1e-3, xTol: 1e-2, onIteration: (b, e) => progress?.(stage, e, budget, b.f) });
  let laplace: Laplace | null = null;
  if (withLaplace) {
    const n = r.x.length, total = 2 * n * n;
    let k = 0;
    const counted = async (x: number[]) => { const v = await gh(x); progress?.(`${stage}, uncertainty`, ++k, total, r.f); return v; };
    const { H, evals } = await hessian(counted, r.x, hStep);
    laplace = laplaceFromHessian(H, space.map((c) => 1 / c.priorSd ** 2), evals);
  }
  return { space, theta: r.x, objective: r.f, evals: r.evals, converged: r.converged, laplace };
}

/**
 * Stage 1: estimate `space` (default CONTEST_SPACE) from contests, from the prior mean (default: the
 * source-based values, PRIOR_VALUES); coefficients outside the space are those of `base`.
 */
export async function fitContests(data: ContestData, runner: TaskRunner, s: FitSettings, cache: Cache, progress?: Progress,
  opts: { laplace?: boolean; base?: ParamOverrides; stage?: string; space?: Coordinate[]; mean?: number[] } = {}): Promise<StageResult> {
  const base = opts.base ?? {}, space = opts.space ?? CONTEST_SPACE;
  const mean = opts.mean ?? priorMean(space);
  const f = async (x: number[]) => (await contestObjective(data, runner, s, x, mean, base, space)).value;
  const fresh = async (x: number[]) => (await contestObjective(data, runner, { ...s, seed: s.seed + FRESH_SEED }, x, mean, base, space)).value;
  return minimise(opts.stage ?? 'contests', space, f, fresh, mean, s.maxEvals, 0.7, s.hessianStep, cache, progress, opts.laplace ?? true);
}

export interface MomentFit { values: Record<string, number>; loss: number }

/** Simulated pattern targets under overrides `ov` (runs of both scenarios for every seed of MOMENT_SEEDS). */
export async function simulateMoments(ov: ParamOverrides, runner: TaskRunner, targets: Target[] = TARGETS, seeds = MOMENT_SEEDS): Promise<MomentFit> {
  const tasks = seeds.flatMap((seed) => [{ kind: 'world' as const, overrides: ov, seed }, { kind: 'bonn' as const, overrides: ov, seed }]);
  const res = await runner.run(tasks);
  const world = res.filter((_, i) => tasks[i].kind === 'world') as ReturnType<typeof worldMoments>[];
  const bonn = res.filter((_, i) => tasks[i].kind === 'bonn') as ReturnType<typeof bonnMoments>[];
  const values = moments(world, bonn);
  return { values, loss: momentLoss(values, targets) };
}

/** Stage 2: estimate DYNAMIC_SPACE from pattern targets, the stage-1 overrides `base` held fixed. */
export async function fitDynamics(base: ParamOverrides, runner: TaskRunner, s: FitSettings, cache: Cache, targets: Target[] = TARGETS, progress?: Progress): Promise<StageResult> {
  const mean = priorMean(DYNAMIC_SPACE);
  const f = async (x: number[]) => (await simulateMoments(overridesOf(DYNAMIC_SPACE, x, base), runner, targets)).loss - logPrior(DYNAMIC_SPACE, x, mean);
  const fresh = async (x: number[]) => (await simulateMoments(overridesOf(DYNAMIC_SPACE, x, base), runner, targets, MOMENT_SEEDS.map((k) => k + FRESH_SEED))).loss - logPrior(DYNAMIC_SPACE, x, mean);
  return minimise('dynamics', DYNAMIC_SPACE, f, fresh, mean, s.dynamicMaxEvals, 0.5, s.hessianStep, cache, progress);
}
