/**
 * Random streams keyed by purpose, agent and year (common random numbers).
 * Each (seed, purpose, agent, year) names its own seedrandom `alea` stream, so the draws one organization
 * receives do not depend on how many draws any other agent consumed, nor on which other agents exist.
 * This is what makes two policy arms comparable run by run.
 */
import seedrandom from 'seedrandom';

export type Purpose = 'org' | 'contest' | 'vote' | 'member' | 'tiebreak' | 'founding' | 'population';

export interface Stream { (): number }

export class Streams {
  constructor(readonly seed: number) {}

  /** A fresh stream for one purpose, agent and year. */
  stream(purpose: Purpose, agent: string, year: number, extra = ''): Stream {
    return seedrandom.alea(`${this.seed}/${purpose}/${agent}/${year}/${extra}`) as Stream;
  }

  /** The first uniform draw in [0, 1) of a keyed stream. */
  uniform(purpose: Purpose, agent: string, year: number, extra = ''): number {
    return this.stream(purpose, agent, year, extra)();
  }
}

/** Standard Gumbel draw from a uniform. */
export const gumbel = (u: number) => -Math.log(-Math.log(Math.min(Math.max(u, 1e-300), 1 - 1e-16)));

/** Standard normal via Box-Muller (two uniforms). */
export function normal(r: Stream): number {
  const u = Math.max(r(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** Poisson draw by inversion (small means) or normal approximation (large means). */
export function poisson(r: Stream, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
  let k = 0, p = Math.exp(-mean), c = p;
  const u = r();
  while (u > c && k < 1000) { k++; p *= mean / k; c += p; }
  return k;
}
