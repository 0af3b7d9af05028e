/**
 * Reading the calibration of a sweep or odds with parameter uncertainty: once, in the main thread, so that a bad
 * file fails before anything runs; identified by the sha256 of its text; handed to the workers whole (it is a few
 * coordinates, a mean and a covariance).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parsePosterior } from '../calibrate/uncertainty.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { BUNDLED_CALIBRATION } from '../scenario/paths.ts';
import type { ParameterUncertainty } from './posterior.ts';

/**
 * Read and check the calibration at `path` (the bundled one when `path` is true); `shown` is how results name it.
 * Throws ScenarioError naming the calibration file, line and field of every problem.
 */
export function loadParameterUncertainty(path: string | true, shown?: string): ParameterUncertainty {
  const file = path === true ? BUNDLED_CALIBRATION : path;
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? (path === true ? 'no such file (this hqsim has no bundled calibration yet; give a calibration file written by hqsim calibrate)' : 'no such file')
      : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new ScenarioError([{ file, path: '', message: `cannot read a calibration: ${why}` }]);
  }
  const posterior = parsePosterior(text, file);
  return {
    file: path === true ? 'seeds/calibration.yaml' : shown ?? file,
    ...(path === true ? { bundled: true as const } : {}),
    sha256: createHash('sha256').update(text).digest('hex'),
    posterior,
  };
}

