/** Benchmark worlds: synthetic populations at three sizes (organizations x cities x years), and the scaling ladder. */
import { parseScenario, type Scenario } from '../scenario/load.ts';

export interface BenchCase { name: string; orgs: number; cities: number; years: number; reviewShare?: number }

export const CASES: BenchCase[] = [
  { name: 'S', orgs: 200, cities: 30, years: 30 },
  { name: 'M', orgs: 5000, cities: 300, years: 50 },
  { name: 'L', orgs: 40000, cities: 1000, years: 100, reviewShare: 0.05 },
];

/**
 * Sizes for `--case scaling`: S, M and L plus intermediate worlds. Organizations and cities vary partly
 * independently (L-sized organizations with fewer cities and the reverse), so that memory can be fitted as
 * intercept + bytes per organization x organizations + bytes per city x cities.
 */
export const SCALING: BenchCase[] = [
  CASES[0],
  CASES[1],
  { name: 'X10k-500', orgs: 10000, cities: 500, years: 100, reviewShare: 0.05 },
  { name: 'X20k-1000', orgs: 20000, cities: 1000, years: 100, reviewShare: 0.05 },
  { name: 'X40k-300', orgs: 40000, cities: 300, years: 100, reviewShare: 0.05 },
  { name: 'X10k-1000', orgs: 10000, cities: 1000, years: 100, reviewShare: 0.05 },
  CASES[2],
];

/**
 * A synthetic world. With `reviewShare`, the base review hazard is set so that at least that share of
 * organizations reviews its seat each year (anchoring off, so the share is exact before other causes).
 */
export function benchScenario(c: BenchCase, seed = 1): Scenario {
  const parameters: Record<string, unknown> = {};
  if (c.reviewShare) {
    parameters.review = { baseHazard: -Math.log(1 - c.reviewShare) };
    parameters.anchor = { ageWeight: 0, localWeight: 0 };
  }
  const doc = { name: `bench-${c.name}`, start: 2000, years: c.years, seed, population: { cities: c.cities, organizations: c.orgs }, parameters };
  return parseScenario(JSON.stringify(doc), `bench-${c.name}.json`);
}
