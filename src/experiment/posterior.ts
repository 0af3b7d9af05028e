/**
 * Parameter uncertainty in sweeps and odds: the calibration a plan draws its coefficients from, and how results
 * name it. Pure and light (the command line imports it at start); reading a calibration is calibration.ts.
 */
import type { Posterior } from '../calibrate/uncertainty.ts';

export interface ParameterUncertainty {
  /** the calibration file as the results name it (relative to the experiment file, or as given) */
  file: string;
  /** the calibration bundled with hqsim (seeds/calibration.yaml) */
  bundled?: true;
  /** sha256 of the file's text: what identifies the draws (never the path) */
  sha256: string;
  posterior: Posterior;
}

/** What a manifest or a JSON report records of it. */
export interface UncertaintyRecord {
  calibration: string;
  bundled?: true;
  sha256: string;
  /** the coefficients the calibration can draw */
  coefficients: string[];
  draws: string;
}

export function uncertaintyRecord(u: ParameterUncertainty | undefined | null): UncertaintyRecord | null {
  if (!u) return null;
  return {
    calibration: u.file,
    ...(u.bundled ? { bundled: true as const } : {}),
    sha256: u.sha256,
    coefficients: u.posterior.coordinates.map((c) => c.path),
    draws: 'replication r draws these coefficients from the calibration\'s posterior (a normal on their transformed scale), seeded by its replication seed only: the same draw in every arm and design point; a coefficient the scenario, an arm or a factor sets is not drawn',
  };
}

/** How text names the calibration. */
export const calibrationName = (u: { file: string; bundled?: true }) => `${u.file}${u.bundled ? ', bundled with hqsim' : ''}`;

/** The line that tells a reader of text output what its intervals include. */
export const uncertaintyLine = (r: Pick<UncertaintyRecord, 'calibration' | 'bundled'>) =>
  `intervals include parameter uncertainty (calibration ${calibrationName({ file: r.calibration, bundled: r.bundled })})`;
