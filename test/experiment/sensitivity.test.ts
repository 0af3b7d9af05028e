import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { type Factor, type Point, morris, saltelli, splitSaltelli } from '../../src/experiment/design.ts';
import { morrisIndices, sobolFromDesign, sobolIndices } from '../../src/experiment/sensitivity.ts';

const rngOf = (seed: number | string) => seedrandom.alea(String(seed));
const num = (p: Point, k: string) => p[k] as number;

// Ishigami & Homma (1990) test function, a = 7, b = 0.1, x_i ~ U(-π, π).
const A = 7;
const B = 0.1;
const ishigami = (p: Point) =>
  Math.sin(num(p, 'x1')) + A * Math.sin(num(p, 'x2')) ** 2 + B * num(p, 'x3') ** 4 * Math.sin(num(p, 'x1'));
const ishigamiFactors: Factor[] = ['x1', 'x2', 'x3'].map((name) => ({ name, kind: 'range', min: -Math.PI, max: Math.PI }));

// Analytic partial variances (Sobol' & Levitan 1999; Saltelli et al. 2008 §4.4).
const pi4 = Math.PI ** 4;
const pi8 = Math.PI ** 8;
const V1 = 0.5 * (1 + (B * pi4) / 5) ** 2;
const V2 = A ** 2 / 8;
const V13 = (8 * B ** 2 * pi8) / 225;
const V = A ** 2 / 8 + (B * pi4) / 5 + (B ** 2 * pi8) / 18 + 0.5;
const S1_TRUE = [V1 / V, V2 / V, 0];
const ST_TRUE = [(V1 + V13) / V, V2 / V, V13 / V];

describe('Sobol indices', () => {
  it('analytic Ishigami values are the published ones', () => {
    expect(S1_TRUE.map((x) => Number(x.toFixed(4)))).toEqual([0.3139, 0.4424, 0]);
    expect(ST_TRUE.map((x) => Number(x.toFixed(4)))).toEqual([0.5576, 0.4424, 0.2437]);
    expect(V1 + V2 + V13).toBeCloseTo(V, 12);
  });

  it('recovers Ishigami S1 and ST within sampling error (N = 2^13)', () => {
    const design = saltelli(ishigamiFactors, 2 ** 13);
    const y = design.points.map(ishigami);
    const res = sobolFromDesign(design, y, { rng: rngOf('boot'), resamples: 200 });
    expect(res.names).toEqual(['x1', 'x2', 'x3']);
    expect(res.zeroVariance).toBe(false);
    expect(res.variance).toBeCloseTo(V, 1);
    for (let i = 0; i < 3; i++) {
      // S1 and ST differ by 0.24 for x1 and x3: swapping estimators fails here
      expect(Math.abs(res.S1[i] - S1_TRUE[i])).toBeLessThan(0.02);
      expect(Math.abs(res.ST[i] - ST_TRUE[i])).toBeLessThan(0.02);
      // the bootstrap intervals cover the truth and are not absurdly wide
      const s1 = res.S1ci![i];
      const st = res.STci![i];
      expect(s1.lo).toBeLessThanOrEqual(S1_TRUE[i]);
      expect(s1.hi).toBeGreaterThanOrEqual(S1_TRUE[i]);
      expect(st.lo).toBeLessThanOrEqual(ST_TRUE[i]);
      expect(st.hi).toBeGreaterThanOrEqual(ST_TRUE[i]);
      expect(s1.hi - s1.lo).toBeLessThan(0.1);
      expect(st.hi - st.lo).toBeLessThan(0.1);
      expect(s1.lo).toBeLessThanOrEqual(res.S1[i]);
      expect(s1.hi).toBeGreaterThanOrEqual(res.S1[i]);
    }
  });

  it('recovers S1 = ST = c_i² / Σ c² for an additive linear model', () => {
    const c = [4, 2, 1, 0];
    const factors: Factor[] = c.map((_, i) => ({ name: `x${i}`, kind: 'range', min: 0, max: 1 }));
    const design = saltelli(factors, 2 ** 12);
    const y = design.points.map((p) => c.reduce((s, ci, i) => s + ci * num(p, `x${i}`), 0));
    const res = sobolFromDesign(design, y);
    const total = c.reduce((s, ci) => s + ci * ci, 0);
    c.forEach((ci, i) => {
      expect(res.S1[i]).toBeCloseTo((ci * ci) / total, 2);
      expect(res.ST[i]).toBeCloseTo((ci * ci) / total, 2);
    });
    expect(res.S1ci).toBeNull();
    expect(res.resamples).toBe(0);
  });

  it('handles zero output variance without NaN', () => {
    const design = saltelli(ishigamiFactors, 64);
    const y = design.points.map(() => 0.1);
    const { yA, yB, yAB } = splitSaltelli(design, y);
    const res = sobolIndices(yA, yB, yAB, { rng: rngOf(1), resamples: 50, names: design.names });
    expect(res.zeroVariance).toBe(true);
    expect(res.variance).toBe(0);
    expect(res.S1).toEqual([0, 0, 0]);
    expect(res.ST).toEqual([0, 0, 0]);
    expect(res.S1ci).toEqual([0, 1, 2].map(() => ({ lo: 0, hi: 0 })));
    expect(res.STci).toEqual([0, 1, 2].map(() => ({ lo: 0, hi: 0 })));
    expect(JSON.stringify(res)).not.toContain('null');
  });

  it('is deterministic for a given bootstrap seed', () => {
    const design = saltelli(ishigamiFactors, 256);
    const y = design.points.map(ishigami);
    const a = sobolFromDesign(design, y, { rng: rngOf(9), resamples: 100 });
    const b = sobolFromDesign(design, y, { rng: rngOf(9), resamples: 100 });
    const c = sobolFromDesign(design, y, { rng: rngOf(10), resamples: 100 });
    expect(a).toEqual(b);
    expect(a.S1).toEqual(c.S1);
    expect(a.S1ci).not.toEqual(c.S1ci);
  });

  it('rejects mismatched or non-finite outputs', () => {
    expect(() => sobolIndices([1, 2], [1], [[1, 2]])).toThrow(RangeError);
    expect(() => sobolIndices([1, 2], [1, 2], [[1]])).toThrow(RangeError);
    expect(() => sobolIndices([1, NaN], [1, 2], [[1, 2]])).toThrow(RangeError);
    expect(() => splitSaltelli(saltelli(ishigamiFactors, 4), [1, 2, 3])).toThrow(RangeError);
  });
});

describe('Morris elementary effects', () => {
  it('gives exact effects scaled by range for a linear model', () => {
    const factors: Factor[] = [
      { name: 'a', kind: 'range', min: 0, max: 1 },
      { name: 'b', kind: 'range', min: 0, max: 4 },
      { name: 'c', kind: 'range', min: -1, max: 1 },
      { name: 'd', kind: 'range', min: 10, max: 20 },
    ];
    const coef = { a: 10, b: 5, c: 0, d: -1 };
    const design = morris(factors, 12, 4, rngOf('lin'));
    const y = design.points.map((p) => coef.a * num(p, 'a') + coef.b * num(p, 'b') + coef.c * num(p, 'c') + coef.d * num(p, 'd'));
    const res = morrisIndices(design, y);
    const expected = [10 * 1, 5 * 4, 0 * 2, -1 * 10]; // coefficient × range
    expected.forEach((e, i) => {
      expect(res.mu[i]).toBeCloseTo(e, 9);
      expect(res.muStar[i]).toBeCloseTo(Math.abs(e), 9);
      expect(res.sigma[i]).toBeCloseTo(0, 9);
      expect(res.ee[i]).toHaveLength(12);
    });
  });

  it('ranks the factors of the Sobol g-function by importance', () => {
    // g(x) = Π (|4x_i - 2| + a_i)/(1 + a_i): smaller a_i = more important
    const a = [0, 1, 4.5, 9, 99, 99, 99, 99];
    const factors: Factor[] = a.map((_, i) => ({ name: `x${i}`, kind: 'range', min: 0, max: 1 }));
    const design = morris(factors, 40, 4, rngOf('g'));
    const y = design.points.map((p) => a.reduce((prod, ai, i) => prod * ((Math.abs(4 * num(p, `x${i}`) - 2) + ai) / (1 + ai)), 1));
    const res = morrisIndices(design, y, { rng: rngOf('ci'), resamples: 200 });
    const ms = res.muStar;
    expect(ms[0]).toBeGreaterThan(ms[1]);
    expect(ms[1]).toBeGreaterThan(ms[2]);
    expect(ms[2]).toBeGreaterThan(ms[3]);
    const unimportant = Math.max(...ms.slice(4));
    expect(ms[3]).toBeGreaterThan(2 * unimportant);
    // |mu| ≤ mu*, sigma large for the interacting, non-monotone x0
    ms.forEach((m, i) => expect(Math.abs(res.mu[i])).toBeLessThanOrEqual(m + 1e-12));
    expect(res.sigma[0]).toBeGreaterThan(res.sigma[4]);
    res.muStarCi!.forEach((ci, i) => {
      expect(ci.lo).toBeLessThanOrEqual(ms[i]);
      expect(ci.hi).toBeGreaterThanOrEqual(ms[i]);
    });
  });

  it('reports NaN sigma for a single trajectory and validates lengths', () => {
    const design = morris([{ name: 'a', kind: 'range', min: 0, max: 1 }], 1, 4, rngOf(1));
    const res = morrisIndices(design, [0, 1]);
    expect(res.sigma[0]).toBeNaN();
    expect(Math.abs(res.mu[0])).toBeCloseTo(1 / design.delta, 12);
    expect(() => morrisIndices(design, [0])).toThrow(RangeError);
  });
});
