/** The numerical parts of the calibration: Nelder-Mead, the Laplace approximation, the coordinates of coefficients. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nelderMead } from '../../src/calibrate/nelder-mead.ts';
import { cholesky, hessian, laplaceFromHessian } from '../../src/calibrate/laplace.ts';
import { CONTEST_SPACE, DYNAMIC_SPACE, overridesOf, thetaOf, valuesOf } from '../../src/calibrate/space.ts';
import { resolveParams, getPath, WEIGHT_GROUPS } from '../../src/model/params.ts';

describe('Nelder-Mead', () => {
  it('finds the minimum of the Rosenbrock function', async () => {
    const f = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    const r = await nelderMead(f, [-1.2, 1], { step: 0.5, maxEvals: 2000, fTol: 1e-12, xTol: 1e-8 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });
  it('works in twelve dimensions (Gao-Han coefficients) and never ends worse than it started', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 }), async (c) => {
      const f = (x: number[]) => x.reduce((s, v, i) => s + (i + 1) * (v - c[i]) ** 2, 0);
      const x0 = c.map(() => 0);
      const r = await nelderMead(f, x0, { step: 1, maxEvals: 6000, fTol: 1e-10, xTol: 1e-6 });
      expect(r.f).toBeLessThanOrEqual(f(x0));
      expect(r.f).toBeLessThan(1e-4);
    }), { numRuns: 5 });
  });
  it('is deterministic: the same path, evaluation for evaluation', async () => {
    const seen: string[][] = [[], []];
    for (const k of [0, 1]) await nelderMead((x) => { seen[k].push(x.join()); return Math.abs(x[0] - 0.3) + (x[1] + 2) ** 2; }, [0, 0], { step: 0.7, maxEvals: 80, fTol: 0, xTol: 0 });
    expect(seen[0]).toEqual(seen[1]);
  });
});

describe('Laplace approximation', () => {
  it('recovers the covariance of a quadratic log posterior', async () => {
    const A = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]];
    const g = async (x: number[]) => 0.5 * x.reduce((s, xi, i) => s + xi * x.reduce((t, xj, j) => t + A[i][j] * xj, 0), 0);
    const { H } = await hessian(g, [0, 0, 0], 0.3);
    H.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(A[i][j], 8)));
    const l = laplaceFromHessian(H, [0.01, 0.01, 0.01]);
    // covariance times A is the identity
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(l.covariance[i].reduce((s, c, k) => s + c * A[k][j], 0)).toBeCloseTo(i === j ? 1 : 0, 8);
  });
  it('gives a direction the data leave flat the prior\'s curvature, and flags it', () => {
    const l = laplaceFromHessian([[4, 0], [0, -0.5]], [1, 1]);
    expect(l.sd[0]).toBeCloseTo(0.5, 10);
    expect(l.sd[1]).toBeCloseTo(1, 10);
    expect(l.priorRatio[1]).toBeCloseTo(1, 10);
    expect(l.priorRatio[0]).toBeLessThan(0.7);
  });
  it('factors a covariance (L L^T = covariance)', () => {
    const c = [[2, 0.3], [0.3, 1]];
    const L = cholesky(c);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(L[i][0] * L[j][0] + L[i][1] * L[j][1]).toBeCloseTo(c[i][j], 12);
  });
});

describe('coordinates of the estimated coefficients', () => {
  const spaces = [CONTEST_SPACE, DYNAMIC_SPACE];
  it('coordinates round-trip through overrides', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1 }), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 12, maxLength: 12 }), (k, d) => {
      const space = spaces[k];
      const mean = thetaOf(space, resolveParams());
      const theta = mean.map((m, i) => m + d[i]);
      const back = thetaOf(space, resolveParams(overridesOf(space, theta)));
      back.forEach((b, i) => expect(b).toBeCloseTo(theta[i], 9));
    }));
  });
  it('moved coefficients keep every weight group summing to 1 and the nest scale below the temperature', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 12, maxLength: 12 }), (d) => {
      const mean = thetaOf(CONTEST_SPACE, resolveParams());
      const p = resolveParams(overridesOf(CONTEST_SPACE, mean.map((m, i) => m + d[i])));
      for (const g of WEIGHT_GROUPS) expect(g.reduce((s, k) => s + (getPath(p, k) as number), 0)).toBeCloseTo(1, 9);
      expect(p.choice.nestScale).toBeLessThanOrEqual(p.choice.temperature + 1e-12);
      const v = valuesOf(CONTEST_SPACE, mean.map((m, i) => m + d[i]));
      expect(v['choice.temperature']).toBeCloseTo(p.choice.temperature, 12);
    }));
  });
});
