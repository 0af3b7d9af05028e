/**
 * `hqsim calibrate`: estimates what decides a seat from documented contests (stage 1) and how often
 * organizations move from pattern targets (stage 2), each estimate with its uncertainty, and writes a
 * calibration file: the estimated coefficients as a `parameters:` block (usable by `--params` and in scenarios),
 * each with its 95% interval, the fit of every contest and target, and the posterior (mean and covariance of the
 * transformed coordinates) that `--parameter-uncertainty` draws from.
 *
 * Resuming: every evaluation is appended to `<out>.state.jsonl` as it is made. A run with the same inputs and
 * settings replays them (see fit.ts) and continues where the interrupted one stopped; other inputs start afresh.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { ScenarioError } from '../scenario/errors.ts';
import { readYaml, schemaKeys, zodProblems } from '../scenario/locate.ts';
import { ParametersSchema } from '../scenario/schema.ts';
import { VERSION } from '../version.ts';
import { sha256 } from '../experiment/file.ts';
import { writeFileAtomic } from '../experiment/state.ts';
import { BUNDLED_CONTESTS, loadContests, type Contest } from '../backtest/contests.ts';
import { resolveParams, getPath, type ParamOverrides } from '../model/params.ts';
import { CONTEST_SPACE, DYNAMIC_SPACE, PRIOR_VALUES, coordinatePaths, mergeOverrides, overridesOf, priorMean, valuesOf, type Coordinate } from './space.ts';
import { DEFAULT_FIT, contestObjective, fitContests, fitDynamics, simulateMoments, type Cache, type ContestData, type FitSettings, type Progress, type StageResult } from './fit.ts';
import { TARGETS, type Target } from './moments.ts';
import { taskRunner } from './pool.ts';
import type { Prediction } from '../backtest/replay.ts';

export interface CalibrateOptions extends FitSettings {
  contests: string;
  cities?: string;
  targets: Target[];
  /** skip stage 2 (pattern targets) */
  contestsOnly: boolean;
  workers: number;
  out: string;
  progress?: Progress;
  note?: (s: string) => void;
}

export interface Estimate {
  path: string; label: string; stage: 'contests' | 'dynamics';
  prior: number; value: number; low: number; high: number;
  /** posterior sd / prior sd on the transformed scale: near 1 when the data say little */
  priorRatio: number;
  identified: boolean;
}

export interface Calibration {
  hqsim: string;
  inputs: { contests: string; contestsSha256: string; targets: Target[] };
  settings: FitSettings & { contestsOnly: boolean };
  parameters: ParamOverrides;
  estimates: Estimate[];
  contests: { id: string; winner: string; pWinner: number; pWinnerAtPrior: number; roundsMatch: number | null }[];
  stage1: { negLogPosterior: number; negLogLik: number; negLogLikAtPrior: number; evals: number; converged: boolean };
  stage2: { loss: number; lossAtPrior: number; evals: number; converged: boolean; targets: (Target & { simulated: number; atPrior: number })[] } | null;
  uncertainty: { coordinates: Pick<Coordinate, 'path' | 'transform' | 'base' | 'companions' | 'rest'>[]; mean: number[]; covariance: number[][] };
}

/** A coordinate whose posterior sd is at least this share of its prior sd is reported as not identified by the data. */
export const IDENTIFIED_BELOW = 0.7;

export function contestData(file: string, contests: Contest[], cities?: string, keep: (i: number) => boolean = () => true): ContestData {
  return {
    file, cities,
    items: contests.flatMap((c, index) => (keep(index) ? [{
      index, id: c.id, wins: [...c.candidates, ...c.withdrawn.map((w) => w.city).filter((x) => !c.candidates.includes(x))].map((x) => (x === c.winner ? 1 : 0)),
      rounds: { match: (c.vote?.rounds.length ?? 0) > 0 ? 1 : 0, miss: 0 },
    }] : [])),
  };
}

/** The evaluation cache of a calibration, kept in `<out>.state.jsonl` (first line: what the evaluations depend on). */
function stateCache(path: string, identity: string, note: (s: string) => void): Cache {
  const m = new Map<string, number>();
  if (existsSync(path)) {
    const lines = readFileSync(path, 'utf8').split('\n');
    if (lines[0] === identity) {
      for (const l of lines.slice(1)) {
        try { const [k, v] = JSON.parse(l) as [string, number]; if (typeof k === 'string' && typeof v === 'number') m.set(k, v); } catch { /* a line cut short by an interruption */ }
      }
      note(`resuming: ${m.size} evaluations of an earlier run of the same calibration replayed from ${path}`);
    } else note(`${path} belongs to another calibration (other inputs or settings): starting afresh`);
  }
  if (!m.size) { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, identity + '\n'); }
  return { get: (k) => m.get(k), set: (k, v) => { m.set(k, v); appendFileSync(path, JSON.stringify([k, Number.isFinite(v) ? v : 1e300]) + '\n'); } };
}

const Z95 = 1.959963984540054;

function estimates(stage: 'contests' | 'dynamics', r: StageResult, base: ParamOverrides): Estimate[] {
  const at = (theta: number[]) => valuesOf(r.space, theta, base);
  const prior = valuesOf(r.space, priorMean(r.space), base);
  const value = at(r.theta);
  return r.space.map((c, i) => {
    const sd = r.laplace!.sd[i];
    const lo = r.theta.slice(), hi = r.theta.slice();
    lo[i] -= Z95 * sd; hi[i] += Z95 * sd;
    // a log-ratio or share moves its group; its own value is monotone in its coordinate
    const a = at(lo)[c.path], b = at(hi)[c.path];
    return { path: c.path, label: c.label, stage, prior: prior[c.path], value: value[c.path], low: Math.min(a, b), high: Math.max(a, b),
      priorRatio: r.laplace!.priorRatio[i], identified: r.laplace!.priorRatio[i] < IDENTIFIED_BELOW };
  });
}

/** Only the coefficients a space sets (with the ones that move with them), from full overrides. */
function touched(space: Coordinate[], ov: ParamOverrides): ParamOverrides {
  const p = resolveParams(ov);
  const out: ParamOverrides = {};
  for (const c of space) for (const path of coordinatePaths(c)) {
    const v = getPath(p, path) as number;
    const keys = path.split('.');
    let cur = out;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as ParamOverrides;
    cur[keys[keys.length - 1]] = v;
  }
  return out;
}

export async function calibrate(o: CalibrateOptions): Promise<Calibration> {
  const note = o.note ?? (() => {});
  const set = loadContests(o.contests, { cities: o.cities });
  const text = readFileSync(o.contests, 'utf8');
  const settings: FitSettings = { runs: o.runs, seed: o.seed, maxEvals: o.maxEvals, dynamicMaxEvals: o.dynamicMaxEvals, hessianStep: o.hessianStep };
  const identity = JSON.stringify({ hqsim: VERSION, base: 'source-based', contests: sha256(text), cities: o.cities ?? null, settings, targets: o.targets, contestsOnly: o.contestsOnly });
  const cache = stateCache(`${o.out}.state.jsonl`, identity, note);
  const runner = taskRunner(o.workers);
  try {
    const data = contestData(o.contests, set.contests, o.cities);
    // Every fit starts from, and holds outside its coordinates, the source-based values (PRIOR_VALUES), never the
    // current defaults: a calibration must not depend on the estimates an earlier calibration made defaults.
    const s1 = await fitContests(data, runner, settings, cache, o.progress, { base: PRIOR_VALUES });
    const mean1 = priorMean(CONTEST_SPACE);
    const at = await contestObjective(data, runner, settings, s1.theta, mean1, PRIOR_VALUES);
    const at0 = await contestObjective(data, runner, settings, mean1, mean1, PRIOR_VALUES);
    const ov1 = overridesOf(CONTEST_SPACE, s1.theta, PRIOR_VALUES); // PRIOR_VALUES with the estimates in place
    const est = estimates('contests', s1, PRIOR_VALUES);
    let stage2: Calibration['stage2'] = null;
    let ov = ov1;
    let s2: StageResult | null = null;
    if (!o.contestsOnly) {
      s2 = await fitDynamics(ov1, runner, settings, cache, o.targets, o.progress);
      ov = overridesOf(DYNAMIC_SPACE, s2.theta, ov1);
      est.push(...estimates('dynamics', s2, ov1));
      const fitM = await simulateMoments(ov, runner, o.targets), m0 = await simulateMoments(PRIOR_VALUES, runner, o.targets);
      stage2 = { loss: fitM.loss, lossAtPrior: m0.loss, evals: s2.evals, converged: s2.converged,
        targets: o.targets.map((t) => ({ ...t, simulated: fitM.values[t.id], atPrior: m0.values[t.id] })) };
    }
    const spaces = [CONTEST_SPACE, ...(s2 ? [DYNAMIC_SPACE] : [])];
    const dims = spaces.reduce((a, s) => a + s.length, 0);
    const cov = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
    const blocks = [s1, ...(s2 ? [s2] : [])];
    let off = 0;
    for (const b of blocks) { b.laplace!.covariance.forEach((row, i) => row.forEach((v, j) => { cov[off + i][off + j] = v; })); off += b.space.length; }
    const parameters = mergeOverrides(touched(CONTEST_SPACE, ov), s2 ? touched(DYNAMIC_SPACE, ov) : {});
    const winnerP = (pr: Prediction, c: Contest, i: number) => pr.p[data.items[i].wins.indexOf(1)] ?? 0;
    return {
      hqsim: VERSION,
      inputs: { contests: o.contests === BUNDLED_CONTESTS ? 'seeds/contests.yaml (bundled)' : o.contests, contestsSha256: sha256(text), targets: o.targets },
      settings: { ...settings, contestsOnly: o.contestsOnly },
      parameters,
      estimates: est,
      contests: set.contests.map((c, i) => ({ id: c.id, winner: c.winner, pWinner: winnerP(at.predictions[i], c, i), pWinnerAtPrior: winnerP(at0.predictions[i], c, i), roundsMatch: at.predictions[i].roundsMatch })),
      stage1: { negLogPosterior: s1.objective, negLogLik: at.nll, negLogLikAtPrior: at0.nll, evals: s1.evals, converged: s1.converged },
      stage2,
      uncertainty: {
        coordinates: spaces.flat().map((c) => ({ path: c.path, transform: c.transform, ...(c.base ? { base: c.base } : {}), ...(c.companions ? { companions: c.companions } : {}), ...(c.rest ? { rest: c.rest } : {}) })),
        mean: [...s1.theta, ...(s2 ? s2.theta : [])],
        covariance: cov,
      },
    };
  } finally {
    await runner.close();
  }
}

/** The calibration file: YAML, with a header saying what it is. */
export function calibrationText(c: Calibration): string {
  return `# hqsim calibration (hqsim ${c.hqsim}): estimated coefficients with 95% intervals, fit of every contest and target.\n`
    + '# Use it with --params (backtest), as a scenario\'s parameters: block, or with --parameter-uncertainty <file>.\n'
    + stringify(c, { lineWidth: 0 });
}

export function writeCalibration(path: string, c: Calibration): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, calibrationText(c));
}

/**
 * Parameter overrides from a file: a calibration file or any YAML/JSON with a `parameters:` block. Throws
 * ScenarioError naming the file, line and field of every problem.
 */
export function readParamsFile(file: string): ParamOverrides {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new ScenarioError([{ file, path: '', message: `cannot read parameters: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` }]);
  }
  const { src, raw } = readYaml(text, file);
  const doc = raw as { parameters?: unknown } | null;
  if (!doc || typeof doc !== 'object' || doc.parameters === undefined) throw new ScenarioError([{ file, line: 1, col: 1, path: 'parameters', message: 'no parameters: block (a calibration file or a YAML file with parameters: {...})' }]);
  const r = ParametersSchema.safeParse(doc.parameters);
  if (!r.success) throw new ScenarioError(zodProblems(src, r.error.issues.map((i) => ({ ...i, path: ['parameters', ...i.path] })), schemaKeys(ParametersSchema)));
  return r.data as ParamOverrides;
}

export { DEFAULT_FIT, TARGETS };
