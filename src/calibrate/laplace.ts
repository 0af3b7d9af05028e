/**
 * Uncertainty of an estimate by the Laplace approximation: the posterior is taken as normal around the maximum,
 * with covariance the inverse of the Hessian of the negative log posterior. The Hessian is measured by central
 * differences with a step that is wide on purpose (the objective is simulated: common random numbers make it
 * consistent across points, but it is flat in steps narrower than its sampling grain). Directions of negative or
 * vanishing curvature (noise, or data that say nothing) are given the curvature of the prior alone, so that the
 * reported interval of a coefficient the data cannot identify is its prior interval, and says so.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface Laplace {
  /** covariance of the coordinates (transformed scale) */
  covariance: number[][];
  /** standard deviation of each coordinate */
  sd: number[];
  /** posterior sd / prior sd per coordinate: near 1 when the data add nothing */
  priorRatio: number[];
  /** evaluations of the objective spent */
  evals: number;
}

/** Hessian of `g` at `x` by central differences with step `h` (2n^2 + 1 evaluations; `gx` = g(x) if known). */
export async function hessian(g: (x: number[]) => Promise<number>, x: number[], h: number, gx?: number): Promise<{ H: number[][]; evals: number }> {
  const n = x.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let evals = 0;
  const at = (d: [number, number][]) => { const y = x.slice(); for (const [i, s] of d) y[i] += s * h; evals++; return g(y); };
  const g0 = gx ?? (evals++, await g(x));
  for (let i = 0; i < n; i++) {
    H[i][i] = ((await at([[i, 1]])) - 2 * g0 + (await at([[i, -1]]))) / (h * h);
    for (let j = 0; j < i; j++) {
      const v = ((await at([[i, 1], [j, 1]])) - (await at([[i, 1], [j, -1]])) - (await at([[i, -1], [j, 1]])) + (await at([[i, -1], [j, -1]]))) / (4 * h * h);
      H[i][j] = v; H[j][i] = v;
    }
  }
  return { H, evals };
}

/**
 * Covariance from a Hessian `H` of the negative log posterior whose prior part has precisions `priorPrecision`
 * (diagonal). Eigen-directions whose curvature is below the smallest prior precision get that precision.
 */
export function laplaceFromHessian(H: number[][], priorPrecision: number[], evals = 0): Laplace {
  const n = H.length;
  const floor = Math.min(...priorPrecision);
  const e = new EigenvalueDecomposition(new Matrix(H), { assumeSymmetric: true });
  const V = e.eigenvectorMatrix;
  const lam = e.realEigenvalues.map((l) => Math.max(l, floor));
  const inv = Matrix.zeros(n, n);
  for (let k = 0; k < n; k++) {
    const v = V.getColumnVector(k);
    inv.add(v.mmul(v.transpose()).mul(1 / lam[k]));
  }
  const covariance = inv.to2DArray();
  const sd = covariance.map((row, i) => Math.sqrt(row[i]));
  return { covariance, sd, priorRatio: sd.map((s, i) => s * Math.sqrt(priorPrecision[i])), evals };
}

/** Lower Cholesky factor of a covariance (for drawing from the posterior). */
export function cholesky(cov: number[][]): number[][] {
  const c = new CholeskyDecomposition(new Matrix(cov));
  if (!c.isPositiveDefinite()) throw new Error('covariance is not positive definite');
  return c.lowerTriangularMatrix.to2DArray();
}
