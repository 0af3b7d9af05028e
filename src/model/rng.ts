/**
 * Random streams keyed by purpose, agent and year (common random numbers).
 * Each (seed, purpose, agent, year) names its own Alea stream, so the draws one organization receives do not
 * depend on how many draws any other agent consumed, nor on which other agents exist. This is what makes two
 * policy arms comparable run by run.
 *
 * The generator is Alea with Mash seeding (J. Baagoe, 2010), the algorithm of seedrandom's `alea`: a stream
 * named `key` here returns exactly the numbers `seedrandom.alea(key)` returns (test/model/hazard.test.ts
 * holds the two equal). It is implemented here, without closures or per-character allocation, because a run
 * names thousands of streams (one per organization, per contest member, per vote shock) and seeding
 * dominated small runs: the hashing below is the same arithmetic on plain local numbers.
 */

export type Purpose = 'org' | 'contest' | 'vote' | 'campaign' | 'member' | 'tiebreak' | 'founding' | 'population';

export interface Stream { (): number }

/** 2^-32 */
const FRAC = 2.3283064365386963e-10;

/** Mash's step: mix one character code into the state n. */
function mashChar(n: number, code: number): number {
  n += code;
  let h = 0.02519603282416938 * n;
  n = h >>> 0;
  h -= n;
  h *= n;
  n = h >>> 0;
  h -= n;
  return n + h * 0x100000000; // 2^32
}

function mashString(n: number, data: string): number {
  for (let i = 0; i < data.length; i++) n = mashChar(n, data.charCodeAt(i));
  return n;
}

/** Mash: hash `data` into the running state `n` (both as in Alea's seeding); `MASH[0]` carries n between calls. */
const MASH = new Float64Array(1);
function mash(data: string): number {
  const n = mashString(MASH[0], data);
  MASH[0] = n;
  return (n >>> 0) * FRAC;
}

/** The generator state before the key is mixed in (Mash of three spaces from its initial state): a constant. */
const START = (() => {
  MASH[0] = 0xefc8249d;
  const s = [mash(' '), mash(' '), mash(' ')];
  return { s0: s[0], s1: s[1], s2: s[2], n: MASH[0] };
})();

/**
 * Seed row `row` of an Alea state array (s0, s1, s2, c per row) as a stream named `key` starts.
 * Rows let the yearly pass keep every organization's stream as four numbers in one typed array.
 */
export function seedRow(state: Float64Array, row: number, key: string): void {
  MASH[0] = START.n;
  let s0 = START.s0 - mash(key); if (s0 < 0) s0 += 1;
  let s1 = START.s1 - mash(key); if (s1 < 0) s1 += 1;
  let s2 = START.s2 - mash(key); if (s2 < 0) s2 += 1;
  const b = 4 * row;
  state[b] = s0; state[b + 1] = s1; state[b + 2] = s2; state[b + 3] = 1;
}

/** Fill `out` with the next `out.length` uniforms in [0, 1) of a row's stream, advancing it. */
export function drawRow(state: Float64Array, row: number, out: Float64Array): void {
  const b = 4 * row;
  let s0 = state[b], s1 = state[b + 1], s2 = state[b + 2], c = state[b + 3];
  for (let k = 0; k < out.length; k++) {
    // Alea's step: multiply-with-carry on 32-bit fractions.
    const t = 2091639 * s0 + c * FRAC;
    s0 = s1; s1 = s2;
    c = t | 0;
    s2 = t - c;
    out[k] = s2;
  }
  state[b] = s0; state[b + 1] = s1; state[b + 2] = s2; state[b + 3] = c;
}

/** A stream as a function: each call returns the next uniform. */
function streamOf(key: string): Stream {
  const st = new Float64Array(4);
  const one = new Float64Array(1);
  seedRow(st, 0, key);
  return () => { drawRow(st, 0, one); return one[0]; };
}

/**
 * The first uniform of a stream whose name left Mash in state `n` after its first pass: only s0 (and the
 * initial carry 1) enter the first draw, so the second and third passes of seeding are not needed.
 */
function firstUniform(n: number): number {
  let s0 = START.s0 - (n >>> 0) * FRAC; if (s0 < 0) s0 += 1;
  const t = 2091639 * s0 + FRAC;
  return t - (t | 0);
}

/**
 * First uniforms of many streams whose names share a prefix, without building the names: the prefix is hashed
 * once, and each name's remaining parts are hashed as they would appear in the string (integers as their
 * decimal digits). `key(...)` then `uniform()` equals `Streams.uniform` of the same full name. Used for the
 * vote taste shocks, of which a contest draws one per member, round and candidate.
 */
export class KeyedUniform {
  private n: number;
  constructor(private readonly start: number) { this.n = start; }
  /** Begin a name: back to the state after the prefix. */
  begin(): this { this.n = this.start; return this; }
  /** The hashing state so far (to resume a longer prefix with `from`, hashing it once). */
  state(): number { return this.n; }
  /** Resume from a state `state()` returned. */
  from(n: number): this { this.n = n; return this; }
  str(s: string): this { this.n = mashString(this.n, s); return this; }
  char(c: string): this { this.n = mashChar(this.n, c.charCodeAt(0)); return this; }
  /** An integer, as `${x}` writes it. */
  int(x: number): this {
    if (!Number.isInteger(x) || Math.abs(x) >= 1e9) return this.str(String(x));
    if (x < 0) { this.n = mashChar(this.n, 45); x = -x; } // '-'
    let d = 1;
    while (d * 10 <= x) d *= 10;
    for (; d >= 1; d /= 10) { const q = Math.floor(x / d); this.n = mashChar(this.n, 48 + q); x -= q * d; }
    return this;
  }
  /** The first uniform of the stream whose whole name has now been hashed. */
  uniform(): number { return firstUniform(this.n); }
}

export class Streams {
  constructor(readonly seed: number) {}

  /** A fresh stream for one purpose, agent and year. */
  stream(purpose: Purpose, agent: string, year: number, extra = ''): Stream {
    return streamOf(this.key(purpose, agent, year, extra));
  }

  /** The name of that stream (for `seedRow`). */
  key(purpose: Purpose, agent: string, year: number, extra = ''): string {
    return `${this.seed}/${purpose}/${agent}/${year}/${extra}`;
  }

  /** First uniforms of streams named `${seed}/${purpose}/${agentPrefix}...` (see KeyedUniform). */
  keyed(purpose: Purpose, agentPrefix: string): KeyedUniform {
    return new KeyedUniform(mashString(START.n, `${this.seed}/${purpose}/${agentPrefix}`));
  }

  /** The first uniform draw in [0, 1) of a keyed stream. */
  uniform(purpose: Purpose, agent: string, year: number, extra = ''): number {
    return firstUniform(mashString(START.n, this.key(purpose, agent, year, extra)));
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

