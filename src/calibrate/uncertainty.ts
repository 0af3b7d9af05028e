/**
 * Parameter uncertainty in every answer: each replication draws the estimated coefficients from the calibration's
 * posterior (a normal on the transformed coordinates, the Laplace approximation of `hqsim calibrate`). The draw
 * depends only on the replication seed, so that the arms of a policy contrast see the same coefficients in the
 * same replication (common random numbers) and the contrast's interval includes model uncertainty, paired.
 * Coefficients the scenario sets itself (its parameters: block, an arm, a sweep factor) are never drawn.
 * Pure apart from `readPosterior`.
 */
import { readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { z } from 'zod';
import { getPath, paramEntries, resolveParams, type ParamOverrides, type Params } from '../model/params.ts';
import { normal } from '../model/rng.ts';
import { coordinatePaths, overridesOf, mergeOverrides, type Coordinate } from './space.ts';
import { cholesky } from './laplace.ts';
import { BUNDLED_CALIBRATION } from '../scenario/paths.ts';
import { ScenarioError, suggest, type Problem } from '../scenario/errors.ts';
import { locate, pathString, readYaml, zodProblems } from '../scenario/locate.ts';

export type PosteriorCoordinate = Pick<Coordinate, 'path' | 'transform' | 'base' | 'companions' | 'rest'>;
export interface Posterior { coordinates: PosteriorCoordinate[]; mean: number[]; covariance: number[][] }

const CoordinateSchema = z.object({
  path: z.string().min(1),
  transform: z.enum(['log', 'logit', 'logratio']),
  base: z.string().min(1).optional(),
  companions: z.array(z.string().min(1)).optional(),
  rest: z.array(z.string().min(1)).optional(),
});
/** The block's parts, each checked on its own so that one pass reports the problems of all of them. */
const PARTS = { coordinates: z.array(z.unknown()).min(1), mean: z.array(z.number()), covariance: z.array(z.array(z.number())) };
const VOCABULARY = ['coordinates', 'mean', 'covariance', 'path', 'transform', 'base', 'companions', 'rest'];

/** The posterior of a calibration file (default: the bundled calibration of the defaults). */
export function readPosterior(file: string = BUNDLED_CALIBRATION): Posterior {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new ScenarioError([{ file, path: '', message: `cannot read a calibration: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` }]);
  }
  return parsePosterior(text, file);
}

/**
 * The `uncertainty:` block of a calibration file's text, checked whole: its shape, that every path is a
 * coefficient of the model, and that the covariance is square, symmetric and positive definite. Throws
 * ScenarioError naming the file, line and field of every problem.
 */
export function parsePosterior(text: string, file: string): Posterior {
  const { src, raw } = readYaml(text, file);
  const doc = raw as { uncertainty?: unknown } | null;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || doc.uncertainty === undefined) {
    throw new ScenarioError([{ file, line: 1, col: 1, path: 'uncertainty', message: 'not a calibration file with an uncertainty: block (coordinates, mean, covariance); write one with hqsim calibrate' }]);
  }
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push({ file, ...locate(src, ['uncertainty', ...path]), path: pathString(['uncertainty', ...path]), message });
  const check = <T>(schema: z.ZodType<T>, value: unknown, path: (string | number)[]): T | undefined => {
    const r = schema.safeParse(value);
    if (!r.success) problems.push(...zodProblems(src, r.error.issues.map((i) => ({ ...i, path: ['uncertainty', ...path, ...i.path] })), VOCABULARY));
    return r.success ? r.data : undefined;
  };
  const block = doc.uncertainty as Record<string, unknown> | null;
  if (!block || typeof block !== 'object' || Array.isArray(block)) {
    throw new ScenarioError([{ file, ...locate(src, ['uncertainty']), path: 'uncertainty', message: 'must be a mapping with coordinates, mean and covariance' }]);
  }
  const list = check(PARTS.coordinates, block.coordinates, ['coordinates']);
  const mean = check(PARTS.mean, block.mean, ['mean']);
  const covariance = check(PARTS.covariance, block.covariance, ['covariance']);
  const coordinates = (list ?? []).map((c, i) => check(CoordinateSchema, c, ['coordinates', i]));
  const defaults = resolveParams();
  const known = paramEntries().map(([p]) => p);
  const seen = new Map<string, number>();
  coordinates.forEach((c, i) => {
    if (!c) return;
    const named: [(string | number)[], string][] = [[['path'], c.path], ...(c.base ? [[['base'], c.base]] as [string[], string][] : []),
      ...(c.companions ?? []).map((p, j) => [['companions', j], p] as [(string | number)[], string]), ...(c.rest ?? []).map((p, j) => [['rest', j], p] as [(string | number)[], string])];
    for (const [where, p] of named) {
      if (typeof getPath(defaults, p) !== 'number') { const s = suggest(p, known); at(['coordinates', i, ...where], `"${p}" is not a coefficient of the model${s ? ` (did you mean "${s}"?)` : ''}`); }
    }
    if (seen.has(c.path)) at(['coordinates', i, 'path'], `"${c.path}" is also the path of coordinates[${seen.get(c.path)}]`);
    else seen.set(c.path, i);
    if (c.transform === 'logratio' && !c.base) at(['coordinates', i], 'a logratio coordinate needs "base", the weight it is measured against');
  });
  const n = list?.length ?? 0;
  if (list && mean && mean.length !== n) at(['mean'], `${mean.length} values for ${n} coordinates`);
  if (list && covariance) {
    if (covariance.length !== n) at(['covariance'], `${covariance.length} rows for ${n} coordinates`);
    covariance.forEach((row, i) => { if (row.length !== n) at(['covariance', i], `${row.length} values for ${n} coordinates`); });
  }
  if (!list || !mean || !covariance || coordinates.some((c) => !c)) throw new ScenarioError(problems);
  const u: Posterior = { coordinates: coordinates as PosteriorCoordinate[], mean, covariance };
  if (!problems.length) {
    const scale = Math.max(...u.covariance.map((row, i) => Math.abs(row[i])), Number.MIN_VALUE);
    const asym = u.covariance.flatMap((row, i) => row.map((v, j) => [i, j, Math.abs(v - u.covariance[j][i])] as const)).find(([i, j, d]) => j > i && d > 1e-9 * scale);
    if (asym) at(['covariance', asym[0], asym[1]], `the covariance is not symmetric: [${asym[0]}][${asym[1]}] = ${u.covariance[asym[0]][asym[1]]}, [${asym[1]}][${asym[0]}] = ${u.covariance[asym[1]][asym[0]]}`);
    else { try { cholesky(u.covariance); } catch { at(['covariance'], 'the covariance is not positive definite'); } }
  }
  if (problems.length) throw new ScenarioError(problems);
  return u;
}

/** The lower Cholesky factor of each posterior's covariance, computed once (every replication draws from it). */
const factors = new WeakMap<Posterior, number[][]>();


/**
 * The coefficients of replication `seed`: a draw from the posterior for every coordinate none of whose paths
 * `own` (the scenario's own coefficients) sets; `own` on top.
 */
export function drawOverrides(post: Posterior, seed: number, own: ParamOverrides = {}): ParamOverrides {
  const r = seedrandom.alea(`hqsim-parameters/${seed}`) as () => number;
  const z = post.mean.map(() => normal(r));
  let L = factors.get(post);
  if (!L) factors.set(post, (L = cholesky(post.covariance)));
  const theta = post.mean.map((m, i) => m + L[i].reduce((s, l, j) => s + l * z[j], 0));
  const free = post.coordinates.map((c) => !coordinatePaths(c).some((p) => getPath(own, p) !== undefined));
  const space = post.coordinates.filter((_, i) => free[i]).map((c) => ({ ...c, priorSd: 1, label: c.path }));
  const drawn = overridesOf(space, theta.filter((_, i) => free[i]));
  return mergeOverrides(drawn, own);
}

export function drawParams(post: Posterior, seed: number, own: ParamOverrides = {}): Params {
  return resolveParams(drawOverrides(post, seed, own));
}
