/**
 * Which runs a sweep (or one shard of it) consists of, and how far each design point has to go.
 * Without adaptive replication every point has `replications` runs per arm. With it, a point's target grows
 * in steps decided only by the values of its own replications 0..n-1 (read back from the journal in
 * replication order), so the set of runs is the same whatever the worker count, completion order or sharding.
 */
import { summarize } from './stats.ts';
import type { Plan } from './file.ts';
import type { Entry, RunIndex } from './journal.ts';

/** Shard index is 0-based here (the command line shows 1-based `i/n`). */
export interface Shard { index: number; count: number }

export class Scope {
  constructor(readonly plan: Plan, readonly shard: Shard | null) {}
  /** Adaptive sweeps are sharded by point (a point's stopping rule needs all its runs); others by (point, replication). */
  get byPoint(): boolean { return this.plan.adaptive !== null; }
  hasPoint(p: number): boolean {
    if (!this.shard) return true;
    if (this.byPoint) return p % this.shard.count === this.shard.index;
    return true;
  }
  hasRep(p: number, r: number): boolean {
    if (!this.shard) return true;
    if (this.byPoint) return p % this.shard.count === this.shard.index;
    return (p * this.plan.replications + r) % this.shard.count === this.shard.index;
  }
  /** Replications of point p below n that belong to this scope. */
  reps(p: number, n: number): number[] {
    const out: number[] = [];
    if (!this.hasPoint(p)) return out;
    for (let r = 0; r < n; r++) if (this.hasRep(p, r)) out.push(r);
    return out;
  }
}

export class Progression {
  readonly target: Int32Array;
  readonly metricIndex: number;
  constructor(readonly plan: Plan, readonly scope: Scope, readonly index: RunIndex, private read: (p: number, a: number, r: number) => Entry) {
    this.target = new Int32Array(plan.points.length).fill(plan.replications);
    this.metricIndex = plan.adaptive ? plan.metrics.findIndex((m) => m.name === plan.adaptive!.metric) : -1;
  }

  missing(p: number): number {
    let n = 0;
    for (const r of this.scope.reps(p, this.target[p])) for (let a = 0; a < this.plan.arms.length; a++) if (!this.index.has(p, a, r)) n++;
    return n;
  }

  /**
   * Advance point p's target as far as the finished runs allow (adaptive only). Returns the number of runs
   * still missing at the current target; 0 means the point is final.
   */
  settle(p: number): number {
    for (;;) {
      const miss = this.missing(p);
      if (miss > 0 || !this.plan.adaptive || !this.scope.hasPoint(p)) return miss;
      const next = this.nextTarget(p);
      if (next <= this.target[p]) return 0;
      this.target[p] = next;
    }
  }

  /** Half-widths per arm of the adaptive metric over replications 0..n-1 (NaN when fewer than 2 values). */
  halfWidths(p: number): number[] {
    const n = this.target[p];
    return this.plan.arms.map((_, a) => {
      const xs: number[] = [];
      for (let r = 0; r < n; r++) { const v = this.read(p, a, r).v[this.metricIndex]; if (v !== null) xs.push(v); }
      return xs.length >= 2 ? summarize(xs).ciHalfWidth : NaN;
    });
  }

  nextTarget(p: number): number {
    const ad = this.plan.adaptive!;
    const n = this.target[p];
    if (n >= ad.maxReplications) return n;
    const hw = Math.max(...this.halfWidths(p).map((h) => (Number.isNaN(h) ? Infinity : h)));
    if (hw < ad.ciWidth) return n;
    // Half-width shrinks like 1/sqrt(n): aim at the n that would reach the target, at most doubling per step.
    const want = Number.isFinite(hw) ? Math.ceil(n * (hw / ad.ciWidth) ** 2) : 2 * n;
    return Math.min(ad.maxReplications, Math.max(n + 1, Math.min(2 * n, want)));
  }
}
