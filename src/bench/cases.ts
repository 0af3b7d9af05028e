/** Benchmark worlds: synthetic populations at three sizes (organizations x cities x years). */
import { parseScenario, type Scenario } from '../scenario/load.ts';

export interface BenchCase { name: string; orgs: number; cities: number; years: number; reviewShare?: number }

export const CASES: BenchCase[] = [
  { name: 'S', orgs: 200, cities: 30, years: 30 },
  { name: 'M', orgs: 5000, cities: 300, years: 50 },
  { name: 'L', orgs: 40000, cities: 1000, years: 100, reviewShare: 0.05 },
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
