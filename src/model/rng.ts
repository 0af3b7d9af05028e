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
    return seedrandom.alea(this.key(purpose, agent, year, extra)) as Stream;
  }

  /** The name of that stream (for `seedRow`). */
  key(purpose: Purpose, agent: string, year: number, extra = ''): string {
    return `${this.seed}/${purpose}/${agent}/${year}/${extra}`;
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

/**
 * Alea streams kept as plain numbers in a state array (s0, s1, s2, c per row) instead of one closure each:
 * the yearly pass draws a block for every organization, and a typed array is far cheaper to keep and to step
 * than 40,000 closures. `seedRow` starts a row exactly where seedrandom's `alea(key)` starts; `drawRow`
 * returns the same numbers, in the same order, as calling that stream (test/model/rng.test.ts).
 */
export function seedRow(state: Float64Array, row: number, key: string): void {
  const s = seedrandom.alea(key, { state: true }).state();
  const b = 4 * row;
  state[b] = s.s0; state[b + 1] = s.s1; state[b + 2] = s.s2; state[b + 3] = s.c;
}

/** Fill `out` with the next `out.length` uniforms of a row's stream, advancing it. */
export function drawRow(state: Float64Array, row: number, out: Float64Array): void {
  const b = 4 * row;
  let s0 = state[b], s1 = state[b + 1], s2 = state[b + 2], c = state[b + 3];
  for (let k = 0; k < out.length; k++) {
    // Alea's step: a multiply-with-carry on 32-bit fractions (2^-32 = 2.3283064365386963e-10).
    const t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1; s1 = s2;
    c = t | 0;
    s2 = t - c;
    out[k] = s2;
  }
  state[b] = s0; state[b + 1] = s1; state[b + 2] = s2; state[b + 3] = c;
}
