/**
 * Nelder-Mead minimisation (Nelder and Mead 1965) with the dimension-adapted coefficients of Gao and Han (2012):
 * reflection 1, expansion 1 + 2/n, contraction 0.75 - 1/(2n), shrink 1 - 1/n, which keep the method making progress
 * in ten or more dimensions. Derivative-free, so it suits a simulated objective; deterministic, so that a run that
 * replays cached evaluations retraces the same path (how `hqsim calibrate` resumes).
 */

export interface NelderMeadOptions {
  /** initial simplex: x0 and x0 + step * e_i */
  step: number;
  /** stop after this many evaluations of f */
  maxEvals: number;
  /** stop when the simplex's values span less than this and its vertices lie within xTol of the best */
  fTol: number;
  xTol: number;
  /** called after every iteration */
  onIteration?: (best: { x: number[]; f: number }, evals: number) => void;
}

export interface NelderMeadResult { x: number[]; f: number; evals: number; converged: boolean }

export async function nelderMead(f: (x: number[]) => number | Promise<number>, x0: number[], o: NelderMeadOptions): Promise<NelderMeadResult> {
  const n = x0.length;
  const a = 1, g = 1 + 2 / n, c = 0.75 - 1 / (2 * n), s = 1 - 1 / n;
  let evals = 0;
  const F = async (x: number[]) => { evals++; const y = await f(x); return Number.isFinite(y) ? y : Infinity; };
  let pts: { x: number[]; f: number }[] = [{ x: x0.slice(), f: await F(x0) }];
  for (let i = 0; i < n; i++) { const x = x0.slice(); x[i] += o.step; pts.push({ x, f: await F(x) }); }
  const order = () => pts.sort((p, q) => p.f - q.f);
  const comb = (x: number[], y: number[], t: number) => x.map((xi, i) => xi + t * (y[i] - xi));
  let converged = false;
  order();
  while (evals < o.maxEvals) {
    const best = pts[0], worst = pts[n], second = pts[n - 1];
    const spread = worst.f - best.f;
    const size = Math.max(...pts.slice(1).map((p) => Math.max(...p.x.map((v, i) => Math.abs(v - best.x[i])))));
    if (spread <= o.fTol && size <= o.xTol) { converged = true; break; }
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] += pts[k].x[i] / n;
    const xr = comb(centroid, worst.x, -a);
    const fr = await F(xr);
    if (fr < best.f) {
      const xe = comb(centroid, worst.x, -a * g);
      const fe = await F(xe);
      pts[n] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
    } else if (fr < second.f) {
      pts[n] = { x: xr, f: fr };
    } else {
      // contract outside (toward the reflected point) or inside (toward the worst)
      const outside = fr < worst.f;
      const xc = outside ? comb(centroid, worst.x, -a * c) : comb(centroid, worst.x, c);
      const fc = await F(xc);
      if (fc < (outside ? fr : worst.f)) pts[n] = { x: xc, f: fc };
      else {
        const shrunk = [best];
        for (const p of pts.slice(1)) { const x = comb(best.x, p.x, s); shrunk.push({ x, f: await F(x) }); }
        pts = shrunk;
      }
    }
    order();
    o.onIteration?.(pts[0], evals);
  }
  return { x: pts[0].x, f: pts[0].f, evals, converged };
}
