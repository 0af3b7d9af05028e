import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PairedRunningStats,
  RunningStats,
  Z95,
  erfc,
  incompleteBeta,
  lgamma,
  normalCdf,
  normalQuantile,
  pairedDifference,
  studentTCdf,
  studentTQuantile,
  summarize,
  tCritical,
  wilson,
} from '../../src/experiment/stats.ts';

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('special functions', () => {
  it('lgamma matches exact values', () => {
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lgamma(1)).toBeCloseTo(0, 13);
    expect(lgamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lgamma(0.1)).toBeCloseTo(2.252712651734206, 12);
  });

  it('erfc and the normal CDF match known values', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 12);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 14);
    // continuity across the series / continued-fraction switch at 2
    expect(erfc(2)).toBeCloseTo(0.004677734981047266, 16);
    const slope = (2 / Math.sqrt(Math.PI)) * Math.exp(-4); // -d erfc/dx at 2
    expect(Math.abs(erfc(2 - 1e-9) - erfc(2) - slope * 1e-9)).toBeLessThan(1e-15);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
  });

  it('incomplete beta matches closed forms', () => {
    // I_x(1, b) = 1 - (1-x)^b ; I_x(a, 1) = x^a
    expect(incompleteBeta(0.3, 1, 2.5)).toBeCloseTo(1 - 0.7 ** 2.5, 13);
    expect(incompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 13);
    expect(incompleteBeta(0.5, 3, 3)).toBeCloseTo(0.5, 13);
  });

  it('normal quantile matches known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(Z95, 13);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0.025)).toBeCloseTo(-Z95, 13);
  });
});

describe('Student t quantile', () => {
  it('matches the textbook table t(0.975, df)', () => {
    const table: [number, number][] = [
      [1, 12.7062],
      [2, 4.3027],
      [3, 3.1824],
      [5, 2.5706],
      [10, 2.2281],
      [30, 2.0423],
      [120, 1.9799],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 4);
  });

  it('matches high-precision reference values', () => {
    // reference values of the t quantile function to ≥ 12 significant digits
    const ref: [number, number, number][] = [
      [0.975, 1, 12.706204736174703],
      [0.975, 2, 4.302652729749464],
      [0.975, 10, 2.228138851986274],
      [0.975, 30, 2.042272456301238],
      [0.975, 100, 1.983971518523552],
      [0.995, 5, 4.032142983557536],
      [0.9995, 1, 636.6192487687],
    ];
    for (const [p, df, t] of ref) expect(close(studentTQuantile(p, df), t, 1e-9)).toBe(true);
  });

  it('tends to the normal quantile for large df', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.95996, 5);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959963984540054, 12);
    // continuous across the switch to the Cornish–Fisher series at df = 1e5
    expect(Math.abs(studentTQuantile(0.975, 1e5) - studentTQuantile(0.975, 1e5 - 1))).toBeLessThan(1e-8);
  });

  it('is symmetric and inverts the CDF (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }),
        fc.double({ min: 1, max: 5e4, noNaN: true }),
        (p, df) => {
          const t = studentTQuantile(p, df);
          expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThan(1e-10);
          expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 8);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects invalid arguments', () => {
    expect(() => studentTQuantile(1.5, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('summarize and pairedDifference', () => {
  it('reproduces a textbook CI', () => {
    // x = 2,4,4,4,5,5,7,9: mean 5, s² = 32/7, t(0.975,7) = 2.364624
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(tCritical(7)).toBeCloseTo(2.364624, 6);
    expect(s.ciHalfWidth).toBeCloseTo(2.364624252 * Math.sqrt(32 / 7 / 8), 6);
    expect(s.ciHalfWidth).toBeCloseTo(1.7875, 4);
    expect(s.lo).toBeCloseTo(5 - s.ciHalfWidth, 12);
  });

  it('handles tiny samples and rejects non-finite values', () => {
    expect(summarize([]).mean).toBeNaN();
    const one = summarize([3]);
    expect(one.mean).toBe(3);
    expect(one.ciHalfWidth).toBeNaN();
    expect(() => summarize([1, NaN])).toThrow(RangeError);
    expect(() => summarize([1, Infinity])).toThrow(RangeError);
  });

  it('paired difference gives the paired t interval', () => {
    const x = [10, 12, 9, 11, 13];
    const y = [9, 11, 9, 10, 11];
    const d = pairedDifference(x, y);
    expect(d.mean).toBeCloseTo(1, 12);
    expect(d.sd).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(d.ciHalfWidth).toBeCloseTo(2.776445105 * Math.sqrt(0.5 / 5), 8);
    expect(d.meanX).toBe(11);
    expect(d.meanY).toBe(10);
    expect(() => pairedDifference([1, 2], [1])).toThrow(RangeError);
  });
});

describe('wilson', () => {
  it('matches known values', () => {
    const a = wilson(0, 10);
    expect(a.lo).toBe(0);
    expect(a.hi).toBeCloseTo(0.2775, 4);
    const b = wilson(5, 10);
    expect(b.lo).toBeCloseTo(0.2366, 4);
    expect(b.hi).toBeCloseTo(0.7634, 4);
    const c = wilson(1, 10);
    expect(c.lo).toBeCloseTo(0.0179, 4);
    expect(c.hi).toBeCloseTo(0.4042, 4);
    const d = wilson(10, 10);
    expect(d.lo).toBeCloseTo(0.7225, 4);
    expect(d.hi).toBe(1);
    expect(wilson(0, 0)).toEqual({ p: NaN, lo: 0, hi: 1 });
  });

  it('contains p̂, stays in [0,1] and is symmetric (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.min(n, Math.floor(f * (n + 1)));
        const w = wilson(k, n);
        const m = wilson(n - k, n);
        expect(w.lo).toBeGreaterThanOrEqual(0);
        expect(w.hi).toBeLessThanOrEqual(1);
        expect(w.lo).toBeLessThanOrEqual(w.p);
        expect(w.hi).toBeGreaterThanOrEqual(w.p);
        expect(w.lo).toBeCloseTo(1 - m.hi, 12);
      }),
    );
  });

  it('rejects invalid counts', () => {
    expect(() => wilson(11, 10)).toThrow(RangeError);
    expect(() => wilson(1.5, 10)).toThrow(RangeError);
  });
});

describe('RunningStats', () => {
  const finiteArray = (min: number) =>
    fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { minLength: min, maxLength: 200 });

  it('equals batch statistics (property)', () => {
    fc.assert(
      fc.property(finiteArray(2), (xs) => {
        const rs = new RunningStats();
        for (const x of xs) rs.push(x);
        const s = summarize(xs);
        const scale = Math.max(1, ...xs.map(Math.abs));
        expect(rs.n).toBe(s.n);
        expect(Math.abs(rs.mean - s.mean)).toBeLessThanOrEqual(1e-9 * scale);
        expect(Math.abs(rs.sd - s.sd)).toBeLessThanOrEqual(1e-7 * scale);
        expect(Math.abs(rs.ciHalfWidth() - s.ciHalfWidth)).toBeLessThanOrEqual(1e-6 * scale);
        expect(rs.min).toBe(Math.min(...xs));
        expect(rs.max).toBe(Math.max(...xs));
      }),
    );
  });

  it('merging partial accumulators equals one pass (property)', () => {
    fc.assert(
      fc.property(finiteArray(0), finiteArray(0), (xs, ys) => {
        const a = new RunningStats();
        const b = new RunningStats();
        const all = new RunningStats();
        xs.forEach((x) => {
          a.push(x);
          all.push(x);
        });
        ys.forEach((y) => {
          b.push(y);
          all.push(y);
        });
        a.merge(b);
        const scale = Math.max(1, ...xs.map(Math.abs), ...ys.map(Math.abs));
        expect(a.n).toBe(all.n);
        if (all.n > 0) expect(Math.abs(a.mean - all.mean)).toBeLessThanOrEqual(1e-9 * scale);
        if (all.n > 1) expect(Math.abs(a.sd - all.sd)).toBeLessThanOrEqual(1e-7 * scale);
      }),
    );
  });

  it('aggregates 100,000 runs without storing them', () => {
    const rs = new RunningStats();
    const n = 100_000;
    for (let i = 1; i <= n; i++) rs.push(1e9 + i); // large offset: Welford stays accurate
    expect(rs.mean).toBeCloseTo(1e9 + (n + 1) / 2, 4);
    expect(rs.variance / ((n * (n + 1)) / 12)).toBeCloseTo(1, 9);
    expect(rs.ciHalfWidth()).toBeCloseTo(tCritical(n - 1) * Math.sqrt((n + 1) / 12), 4);
  });

  it('is empty-safe and rejects non-finite values', () => {
    const rs = new RunningStats();
    expect(rs.n).toBe(0);
    expect(rs.mean).toBeNaN();
    expect(rs.push(2).sd).toBeNaN();
    expect(() => rs.push(NaN)).toThrow(RangeError);
  });

  it('paired variant equals pairedDifference (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }),
            fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }),
          ),
          { minLength: 2, maxLength: 100 },
        ),
        (pairs) => {
          const ps = new PairedRunningStats();
          for (const [x, y] of pairs) ps.push(x, y);
          const ref = pairedDifference(
            pairs.map((p) => p[0]),
            pairs.map((p) => p[1]),
          );
          const s = ps.summary();
          expect(ps.n).toBe(ref.n);
          expect(ps.meanDiff).toBeCloseTo(ref.mean, 8);
          expect(ps.sdDiff).toBeCloseTo(ref.sd, 6);
          expect(ps.ciHalfWidth()).toBeCloseTo(ref.ciHalfWidth, 6);
          expect(s.meanX).toBeCloseTo(ref.meanX, 8);
          expect(s.meanY).toBeCloseTo(ref.meanY, 8);
        },
      ),
    );
  });
});
