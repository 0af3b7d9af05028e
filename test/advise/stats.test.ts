/** Intervals of hqsim advise: Wilson for a win probability, Newcombe for the paired change an offer makes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newcombePaired, pairedEffect, varies, winInterval } from '../../src/advise/stats.ts';
import { wilson, Z95 } from '../../src/experiment/stats.ts';

describe('winInterval', () => {
  it('is the Wilson interval and flags a metric that never varies', () => {
    const w = winInterval(12, 40);
    const ref = wilson(12, 40, Z95);
    expect(w.estimate).toBeCloseTo(0.3, 12);
    expect(w.low).toBeCloseTo(ref.lo, 12);
    expect(w.high).toBeCloseTo(ref.hi, 12);
    expect(w.varies).toBe(true);
    expect(winInterval(0, 50)).toMatchObject({ estimate: 0, low: 0, varies: false });
    expect(winInterval(50, 50)).toMatchObject({ estimate: 1, high: 1, varies: false });
    expect(winInterval(0, 50).high).toBeGreaterThan(0.05);
  });
});

describe('newcombePaired', () => {
  it('stays within [-1, 1], contains the estimate, and is symmetric under swapping the two', () => {
    fc.assert(fc.property(fc.nat(60), fc.nat(60), fc.nat(60), fc.nat(60), (a, b, c, d) => {
      fc.pre(a + b + c + d > 0);
      const x = newcombePaired(a, b, c, d);
      expect(x.low).toBeGreaterThanOrEqual(-1);
      expect(x.high).toBeLessThanOrEqual(1);
      expect(x.low).toBeLessThanOrEqual(x.estimate + 1e-12);
      expect(x.high).toBeGreaterThanOrEqual(x.estimate - 1e-12);
      expect(x.estimate).toBeCloseTo((b - c) / (a + b + c + d), 12);
      const y = newcombePaired(a, c, b, d);
      expect(y.low).toBeCloseTo(-x.high, 12);
      expect(y.high).toBeCloseTo(-x.low, 12);
    }));
  });

  it('covers the true difference about 95% of the time (simulated paired binary data)', () => {
    // A deterministic generator (LCG) so the test does not depend on global randomness.
    let s = 12345;
    const rnd = () => { s = (1103515245 * s + 12345) % 2147483648; return s / 2147483648; };
    for (const [p1, p2, rho] of [[0.5, 0.3, 0.5], [0.1, 0.05, 0.2], [0.8, 0.8, 0.7]] as const) {
      // joint probabilities of (1,1), (1,0), (0,1), (0,0) with correlation rho
      const p11 = p1 * p2 + rho * Math.sqrt(p1 * (1 - p1) * p2 * (1 - p2));
      const cells = [p11, p1 - p11, p2 - p11, 1 - p1 - p2 + p11];
      let covered = 0;
      const trials = 2000, n = 80;
      for (let t = 0; t < trials; t++) {
        const k = [0, 0, 0, 0];
        for (let i = 0; i < n; i++) { let u = rnd(), j = 0; while (j < 3 && u >= cells[j]) { u -= cells[j]; j++; } k[j]++; }
        const x = newcombePaired(k[0], k[1], k[2], k[3]);
        if (x.low <= p1 - p2 && p1 - p2 <= x.high) covered++;
      }
      expect(covered / trials).toBeGreaterThan(0.93);
      expect(covered / trials).toBeLessThan(0.985);
    }
  });

  it('pairedEffect counts the four kinds of pairs', () => {
    const e = pairedEffect([1, 1, 0, 0, 1], [1, 0, 1, 0, 0]);
    expect(e.estimate).toBeCloseTo((2 - 1) / 5, 12);
    expect(e.varies).toBe(true);
    expect(pairedEffect([0, 0, 0], [0, 0, 0])).toMatchObject({ estimate: 0, varies: false });
  });

  it('varies flags constant metrics', () => {
    expect(varies([0.2, 0.2, 0.2])).toBe(false);
    expect(varies([0.2, 0.3])).toBe(true);
  });
});
