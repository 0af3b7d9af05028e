/**
 * Parameter uncertainty in every answer: each replication draws the estimated coefficients from the calibration's
 * posterior (a normal on the transformed coordinates, the Laplace approximation of `hqsim calibrate`). The draw
 * depends only on the replication seed, so that the arms of a policy contrast see the same coefficients in the
 * same replication (common random numbers) and the contrast's interval includes model uncertainty, paired.
 * Coefficients the scenario sets itself (its parameters: block, an arm, a sweep factor) are never drawn.
 * Pure apart from `readPosterior`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import seedrandom from 'seedrandom';
import { getPath, resolveParams, type ParamOverrides, type Params } from '../model/params.ts';
import { normal } from '../model/rng.ts';
import { overridesOf, mergeOverrides, type Coordinate } from './space.ts';
import { cholesky } from './laplace.ts';
import { BUNDLED_CALIBRATION } from '../scenario/paths.ts';

export type PosteriorCoordinate = Pick<Coordinate, 'path' | 'transform' | 'base' | 'companions' | 'rest'>;
export interface Posterior { coordinates: PosteriorCoordinate[]; mean: number[]; covariance: number[][] }

/** The posterior of a calibration file (default: the bundled calibration of the defaults). */
export function readPosterior(file: string = BUNDLED_CALIBRATION): Posterior {
  let doc: { uncertainty?: Posterior } | null;
  try { doc = parse(readFileSync(file, 'utf8')) as { uncertainty?: Posterior } | null; } catch (e) {
    throw new Error(`${file}: cannot read a calibration: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const u = doc?.uncertainty;
  const n = u?.coordinates?.length ?? 0;
  if (!u || !n || !Array.isArray(u.mean) || u.mean.length !== n || !Array.isArray(u.covariance) || u.covariance.length !== n || u.covariance.some((r) => !Array.isArray(r) || r.length !== n)) {
    throw new Error(`${file}: not a calibration file with an uncertainty: block (coordinates, mean, covariance); write one with hqsim calibrate`);
  }
  return u;
}

/** Paths a coordinate moves. */
const pathsOf = (c: PosteriorCoordinate) => [c.path, ...(c.base ? [c.base] : []), ...(c.companions ?? []), ...(c.rest ?? [])];

/**
 * The coefficients of replication `seed`: a draw from the posterior for every coordinate none of whose paths
 * `own` (the scenario's own coefficients) sets; `own` on top.
 */
export function drawOverrides(post: Posterior, seed: number, own: ParamOverrides = {}): ParamOverrides {
  const r = seedrandom.alea(`hqsim-parameters/${seed}`) as () => number;
  const z = post.mean.map(() => normal(r));
  const L = cholesky(post.covariance);
  const theta = post.mean.map((m, i) => m + L[i].reduce((s, l, j) => s + l * z[j], 0));
  const free = post.coordinates.map((c) => !pathsOf(c).some((p) => getPath(own, p) !== undefined));
  const space = post.coordinates.filter((_, i) => free[i]).map((c) => ({ ...c, priorSd: 1, label: c.path }));
  const drawn = overridesOf(space, theta.filter((_, i) => free[i]));
  return mergeOverrides(drawn, own);
}

export function drawParams(post: Posterior, seed: number, own: ParamOverrides = {}): Params {
  return resolveParams(drawOverrides(post, seed, own));
}
