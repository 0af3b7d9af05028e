/** PRIM and feature scoring on synthetic data with a known answer. */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { binomialUpper, chooseBox, prim, quasiP, type Column } from '../../src/discover/prim.ts';
import { featureScores } from '../../src/discover/forest.ts';

/** n rows of k uniform inputs on [0, 1]; cases inside the planted box x0 in [0.2, 0.6], x1 in [0.3, 0.8], with label noise. */
function planted(n: number, k: number, noise: number, seed: string) {
  const rng = seedrandom.alea(seed) as () => number;
  const X = Array.from({ length: k }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) X[j][i] = rng();
    const inside = X[0][i] >= 0.2 && X[0][i] <= 0.6 && X[1][i] >= 0.3 && X[1][i] <= 0.8;
    y[i] = (rng() < noise ? !inside : inside) ? 1 : 0;
  }
  const cols: Column[] = X.map((values, j) => ({ name: `x${j}`, kind: 'numeric', values }));
  return { X, y, cols };
}

describe('PRIM', () => {
  // Stated tolerance: each limit of the planted box within 0.05 (one peel of 5% at the box's mass), other inputs unrestricted.
  const TOL = 0.05;
  for (const [noise, seed] of [[0, 'clean'], [0.05, 'noisy']] as const) {
    it(`recovers a planted box in 5 inputs (label noise ${noise}) within ${TOL}`, () => {
      const { y, cols } = planted(4000, 5, noise, seed);
      const r = prim(cols, y);
      const i = chooseBox(r.stats);
      const box = r.boxes[i];
      const lim = (j: number) => box[j] as { lo: number; hi: number };
      expect(lim(0).lo).toBeGreaterThan(0.2 - TOL); expect(lim(0).lo).toBeLessThan(0.2 + TOL);
      expect(lim(0).hi).toBeGreaterThan(0.6 - TOL); expect(lim(0).hi).toBeLessThan(0.6 + TOL);
      expect(lim(1).lo).toBeGreaterThan(0.3 - TOL); expect(lim(1).lo).toBeLessThan(0.3 + TOL);
      expect(lim(1).hi).toBeGreaterThan(0.8 - TOL); expect(lim(1).hi).toBeLessThan(0.8 + TOL);
      const s = r.stats[i];
      expect(s.restricted).toBe(2);
      expect(s.density).toBeGreaterThan(noise ? 0.85 : 0.97);
      expect(s.coverage).toBeGreaterThan(noise ? 0.8 : 0.9);
      // Quasi-p-values: tiny for the two planted inputs, none for the others (unrestricted).
      const p = quasiP(cols, y, box, r.full);
      expect(p[0]!).toBeLessThan(1e-6);
      expect(p[1]!).toBeLessThan(1e-6);
      expect(p.slice(2)).toEqual([null, null, null]);
    });
  }

  it('the trajectory starts with every row; boxes nest (coverage and mass fall) and density ends far above the base rate', () => {
    const { y, cols } = planted(2000, 3, 0.05, 'traj');
    const r = prim(cols, y);
    expect(r.stats[0]).toMatchObject({ n: 2000, coverage: 1, mass: 1, restricted: 0 });
    const peeled = r.pasted === null ? r.stats : r.stats.slice(0, -1);
    for (let i = 1; i < peeled.length; i++) {
      expect(peeled[i].coverage).toBeLessThanOrEqual(peeled[i - 1].coverage + 1e-12);
      expect(peeled[i].mass).toBeLessThan(peeled[i - 1].mass);
      expect(peeled[i].mass).toBeGreaterThanOrEqual(0.05);
    }
    expect(peeled[peeled.length - 1].density).toBeGreaterThan(2 * r.stats[0].density);
  });

  it('peels categorical inputs one value at a time and grid inputs a level at a time', () => {
    const n = 1200;
    const codes = new Int32Array(n), grid = new Float64Array(n), y = new Uint8Array(n);
    for (let i = 0; i < n; i++) { codes[i] = i % 3; grid[i] = [5, 10, 20, 40][Math.floor(i / 3) % 4]; y[i] = codes[i] === 1 && grid[i] >= 20 ? 1 : 0; }
    const cols: Column[] = [{ name: 'strategy', kind: 'categorical', codes, levels: ['rising', 'node', 'specialized'] }, { name: 'budget', kind: 'numeric', values: grid }];
    const r = prim(cols, y);
    const i = chooseBox(r.stats);
    expect(r.stats[i]).toMatchObject({ density: 1, coverage: 1 });
    expect(r.boxes[i][0]).toEqual({ kind: 'categorical', allowed: [false, true, false] });
    expect(r.boxes[i][1]).toEqual({ kind: 'numeric', lo: 20, hi: 40 });
  });

  it('is deterministic', () => {
    const { y, cols } = planted(1000, 4, 0.1, 'det');
    expect(JSON.stringify(prim(cols, y))).toBe(JSON.stringify(prim(cols, y)));
  });

  it('binomial upper tail matches direct sums', () => {
    const direct = (k: number, n: number, p: number) => {
      let s = 0, c = 1;
      for (let i = 0; i <= n; i++) { if (i > 0) c = (c * (n - i + 1)) / i; if (i >= k) s += c * p ** i * (1 - p) ** (n - i); }
      return s;
    };
    for (const [k, n, p] of [[3, 10, 0.2], [7, 10, 0.5], [0, 5, 0.3], [15, 20, 0.9], [1, 1, 0.4]]) expect(binomialUpper(k, n, p)).toBeCloseTo(direct(k, n, p), 10);
  });
});

describe('feature scoring', () => {
  it('ranks the inputs that drive the outcome first and gives noise inputs next to nothing', () => {
    const rng = seedrandom.alea('forest') as () => number;
    const n = 1500, k = 5;
    const X = Array.from({ length: k }, () => new Float64Array(n));
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) X[j][i] = rng();
      y[i] = 4 * X[0][i] + 2 * (X[1][i] > 0.5 ? 1 : 0) + 0.2 * (rng() - 0.5);
    }
    const s = featureScores(X, y, { seed: 'test', trees: 60 });
    expect(s.oobR2).toBeGreaterThan(0.9);
    expect(s.importance[0]).toBeGreaterThan(s.importance[1]);
    expect(s.importance[1]).toBeGreaterThan(0.2);
    for (const j of [2, 3, 4]) expect(s.importance[j]).toBeLessThan(0.02);
    expect(s.share.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Same seed, same scores.
    expect(featureScores(X, y, { seed: 'test', trees: 60 })).toEqual(s);
  });
});
