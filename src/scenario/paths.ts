/** Where the package's bundled data lives (seed files, the dated city history, the documented contests). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUNDLED_SEEDS = { cities: resolve(PACKAGE_ROOT, 'seeds/cities.csv'), organizations: resolve(PACKAGE_ROOT, 'seeds/organizations.csv') };
export const BUNDLED_HISTORY = resolve(PACKAGE_ROOT, 'seeds/city_history.csv');
export const BUNDLED_CONTESTS = resolve(PACKAGE_ROOT, 'seeds/contests.yaml');
/** The bundled scenarios (the calibration runs two of them). */
export const BUNDLED_SCENARIOS_DIR = resolve(PACKAGE_ROOT, 'scenarios');
/** The calibration behind the default coefficients (hqsim calibrate; docs/validation.md): its posterior is what
 * --parameter-uncertainty draws from. */
export const BUNDLED_CALIBRATION = resolve(PACKAGE_ROOT, 'seeds/calibration.yaml');
