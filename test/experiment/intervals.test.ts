/** Honest intervals: Wilson, Newcombe (unpaired and paired), bounded t, constant and few-replication flags, Fieller ratios. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ArmPairStats, CoRunningStats, MIN_REPLICATIONS, RunningStats, UNBOUNDED, fiellerRatio, meanInterval, newcombePaired, newcombeUnpaired,
  tCritical, wilson,
} from '../../src/experiment/stats.ts';

const BINARY = { binary: true, lo: 0, hi: 1 };
const COUNT = { binary: false, lo: 0, hi: Infinity };
const stats = (xs: number[]) => xs.reduce((s, x) => s.push(x), new RunningStats());

describe('Newcombe intervals for differences of proportions', () => {
  it('unpaired: the published values of Newcombe (1998a), method 10', () => {
    const cases: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.8090],
      [5, 56, 0, 29, -0.0381, 0.1926],
    ];
    for (const [k1, n1, k2, n2, lo, hi] of cases) {
      const r = newcombeUnpaired(k1, n1, k2, n2);
      expect(r.lo).toBeCloseTo(lo, 4);
      expect(r.hi).toBeCloseTo(hi, 4);
    }
  });

  it('paired: Newcombe (1998b) example (a), 36/12/2/0 pairs, method 10', () => {
    const r = newcombePaired(36, 12, 2, 0);
    expect(r.est).toBeCloseTo(0.2, 12);
    expect(r.lo).toBeCloseTo(0.0569, 4);
    expect(r.hi).toBeCloseTo(0.3404, 4);
  });

  it('paired with uncorrelated pairs (phi = 0) equals the square-and-add of the two Wilson intervals', () => {
    // both = 10, onlyX = 10, onlyY = 10, neither = 10: phi = (100 - 100) / ... = 0
    const p = newcombePaired(10, 10, 10, 10);
    const u = newcombeUnpaired(20, 40, 20, 40);
    expect(p.lo).toBeCloseTo(u.lo, 12);
    expect(p.hi).toBeCloseTo(u.hi, 12);
  });

  it('positively correlated pairs give a narrower interval than independent samples', () => {
    const p = newcombePaired(30, 6, 2, 30);
    const u = newcombeUnpaired(36, 68, 32, 68);
    expect(p.hi - p.lo).toBeLessThan(u.hi - u.lo);
  });

  it('property: every interval of a difference of proportions lies in [-1, 1] and holds its estimate', () => {
    fc.assert(fc.property(fc.nat(60), fc.nat(60), fc.nat(60), fc.nat(60), (a, b, c, d) => {
      fc.pre(a + b + c + d > 0);
      for (const r of [newcombePaired(a, b, c, d), newcombeUnpaired(a + b, a + b + c + d, a + c, a + b + c + d)]) {
        expect(r.lo).toBeGreaterThanOrEqual(-1);
        expect(r.hi).toBeLessThanOrEqual(1);
        expect(r.lo).toBeLessThanOrEqual(r.est + 1e-12);
        expect(r.hi).toBeGreaterThanOrEqual(r.est - 1e-12);
      }
    }), { numRuns: 2000 });
  });
});

describe('intervals of a metric mean', () => {
  it('property: no interval for a 0/1 metric leaves [0, 1], whatever the sample (means and paired differences)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 80 }), (pairs) => {
      const xs = pairs.map(([x]) => (x ? 1 : 0));
      const m = meanInterval(stats(xs), BINARY);
      expect(m.method).toBe('wilson');
      expect(m.lo).toBeGreaterThanOrEqual(0);
      expect(m.hi).toBeLessThanOrEqual(1);
      expect(m.lo).toBeLessThanOrEqual(m.mean + 1e-12);
      expect(m.hi).toBeGreaterThanOrEqual(m.mean - 1e-12);
      const acc = new ArmPairStats();
      for (const [x, y] of pairs) acc.push(x ? 1 : 0, y ? 1 : 0, null, null);
      const d = acc.interval(BINARY);
      expect(d.method).toBe('newcombe');
      expect(d.lo).toBeGreaterThanOrEqual(-1);
      expect(d.hi).toBeLessThanOrEqual(1);
    }), { numRuns: 1000 });
  });

  it('a 0/1 mean is the Wilson interval of its successes', () => {
    const m = meanInterval(stats([1, 0, 0, 1, 1, 1, 0, 1, 1, 1]), BINARY);
    const w = wilson(7, 10);
    expect(m.lo).toBeCloseTo(w.lo, 6);
    expect(m.hi).toBeCloseTo(w.hi, 6);
  });

  it('a count mean is cut at zero: no negative lower bound for a non-negative metric', () => {
    const xs = [0, 0, 0, 0, 9];
    const raw = stats(xs).summary();
    expect(raw.lo).toBeLessThan(0);
    const m = meanInterval(stats(xs), COUNT);
    expect(m.lo).toBe(0);
    expect(m.hi).toBeCloseTo(raw.hi, 12);
    expect(m.method).toBe('t');
  });

  it('property: a non-negative metric never gets a negative bound', () => {
    fc.assert(fc.property(fc.array(fc.nat(50), { minLength: 2, maxLength: 30 }), (xs) => {
      const m = meanInterval(stats(xs), COUNT);
      if (m.method) expect(m.lo).toBeGreaterThanOrEqual(0);
    }));
  });

  it('flags a metric that never varies and gives it no t interval', () => {
    const m = meanInterval(stats([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]), COUNT);
    expect(m.flags).toContain('constant');
    expect(Number.isNaN(m.lo) && Number.isNaN(m.hi)).toBe(true);
    expect(m.method).toBe('');
    // A 0/1 metric that never varies still has a Wilson interval (all 12 lost: 0 to 0.24), and the flag.
    const b = meanInterval(stats(new Array(12).fill(0)), BINARY);
    expect(b.flags).toEqual(['constant']);
    expect(b.lo).toBe(0);
    expect(b.hi).toBeCloseTo(wilson(0, 12).hi, 6);
    // A varying metric is not flagged.
    expect(meanInterval(stats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), COUNT).flags).toEqual([]);
  });

  it(`flags a t interval from fewer than ${MIN_REPLICATIONS} values`, () => {
    expect(meanInterval(stats([1, 5]), COUNT).flags).toEqual(['few']);
    expect(meanInterval(stats([1, 5, 2, 3, 4, 4, 4, 2, 1, 1]), COUNT).flags).toEqual([]);
    expect(meanInterval(stats([1, 5]), UNBOUNDED).lo).toBeLessThan(0);
  });

  it('paired differences of a constant metric are flagged, not given a zero-width interval', () => {
    const acc = new ArmPairStats();
    for (let i = 0; i < 20; i++) acc.push(4 + (i % 3), 4 + (i % 3), null, null);
    const d = acc.interval(COUNT);
    expect(d.mean).toBe(0);
    expect(d.flags).toEqual(['constant']);
    expect(Number.isNaN(d.lo)).toBe(true);
  });
});

describe('ratios: outcome difference per USD m', () => {
  it('co-moments match the direct formulas', () => {
    const a = [1, 4, 2, 8, 5], b = [2, 3, 3, 9, 4];
    const c = new CoRunningStats();
    a.forEach((x, i) => c.push(x, b[i]));
    const ma = 4, mb = 4.2;
    const cov = a.reduce((s, x, i) => s + (x - ma) * (b[i] - mb), 0) / 4;
    expect(c.meanA).toBeCloseTo(ma, 12);
    expect(c.cov).toBeCloseTo(cov, 12);
    expect(c.varB).toBeCloseTo(b.reduce((s, x) => s + (x - mb) ** 2, 0) / 4, 12);
  });

  it('Fieller: a denominator far from zero gives the delta-method interval approximately, containing the estimate', () => {
    const r = fiellerRatio(10, 100, 4, 1, 0, 400);
    const se = Math.sqrt(4 / 400) / 100;
    const t = tCritical(399);
    expect(r.est).toBeCloseTo(0.1, 12);
    expect(r.lo).toBeCloseTo(0.1 - t * se, 3);
    expect(r.hi).toBeCloseTo(0.1 + t * se, 3);
  });

  it('Fieller: a denominator indistinguishable from zero leaves the ratio unbounded', () => {
    const r = fiellerRatio(5, 0.1, 1, 4, 0, 20);
    expect(r.lo).toBe(-Infinity);
    expect(r.hi).toBe(Infinity);
  });

  it('property: a bounded Fieller interval holds the estimate', () => {
    fc.assert(fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 1, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }),
      fc.double({ min: 0.01, max: 10, noNaN: true }), fc.integer({ min: 2, max: 500 }), (ma, mb, va, vb, n) => {
        const r = fiellerRatio(ma, mb, va, vb, 0, n);
        if (Number.isFinite(r.lo)) {
          expect(r.lo).toBeLessThanOrEqual(r.est + 1e-9 * Math.max(1, Math.abs(r.est)));
          expect(r.hi).toBeGreaterThanOrEqual(r.est - 1e-9 * Math.max(1, Math.abs(r.est)));
        }
      }));
  });
});
