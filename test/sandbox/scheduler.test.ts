/** Scheduling replications on workers: stale work stops, results do not depend on workers or completion order. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATCH_MS, Scheduler, seriesKey, type SeriesSpec } from '../../src/sandbox/scheduler.ts';
import type { RepOutcome } from '../../src/sandbox/replicate.ts';
import type { Reply, Request, RunRequest } from '../../src/sandbox/protocol.ts';

const spec = (budget: number): SeriesSpec => ({ variant: { file: 's.yaml', arm: null, overrides: budget ? { 'cities.a.budgetMusd': budget } : {} }, focal: 'a' });
/** A deterministic stand-in for a replication: a function of (variant, r) only. */
const outcome = (req: RunRequest, r: number): RepOutcome => ({
  r, seed: r, hosted: [r % 3, (r * 7) % 5], spendMusd: Number(req.variant.overrides['cities.a.budgetMusd'] ?? 0) + r, won: r % 2, contests: [],
});

/** A pool of fake workers whose replies are delivered in an order chosen by `pick`. */
function harness(workers: number, total: number, msPerRun = 5) {
  const queue: { w: number; req: Request }[] = [];
  const sent: Request[] = [];
  const sched = new Scheduler(workers, total, (w, req) => { queue.push({ w, req }); sent.push(req); }, () => undefined);
  const deliver = (i: number) => {
    const [{ w, req }] = queue.splice(i, 1);
    let reply: Reply;
    if (req.type === 'run') reply = { type: 'run', job: req.job, outcomes: req.reps.map((r) => outcome(req, r)), ms: msPerRun * req.reps.length };
    else reply = { type: 'summary', job: req.job, json: `summary ${req.seed}`, ms: 1 };
    sched.receive(w, reply);
  };
  return { sched, queue, sent, deliver };
}

describe('scheduler', () => {
  it('gives every replication once, and the same results whatever the worker count and completion order (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 60 }), fc.array(fc.nat(), { maxLength: 400 }), (workers, total, order) => {
      const h = harness(workers, total);
      h.sched.show(spec(5), spec(0));
      let k = 0;
      while (h.queue.length) h.deliver(order[k++ % Math.max(order.length, 1)] % h.queue.length);
      const cur = h.sched.current!, base = h.sched.baseline!;
      expect(cur.complete && base.complete).toBe(true);
      expect(cur.prefix).toBe(total);
      const reps = h.sent.filter((r): r is RunRequest => r.type === 'run' && seriesKey({ variant: r.variant, focal: r.focal }) === cur.key).flatMap((r) => r.reps);
      expect(reps.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
      for (let r = 0; r < total; r++) expect(cur.results[r]).toEqual(outcome({ type: 'run', job: 0, variant: spec(5).variant, focal: 'a', reps: [] }, r));
      expect(h.sched.idle).toBe(true);
    }));
  });

  it('stops handing out work for settings that are no longer shown, keeps what arrives, and reuses it on return', () => {
    const h = harness(2, 100);
    h.sched.show(spec(5), null);
    h.deliver(0); h.deliver(0);
    const first = h.sched.current!;
    expect(first.received).toBeGreaterThan(0);
    // A change of settings while two batches run: they finish, but no new batch of the old series goes out.
    h.sched.show(spec(9), null);
    const before = h.sent.length;
    while (h.queue.length) h.deliver(0);
    const later = h.sent.slice(before).filter((r): r is RunRequest => r.type === 'run');
    expect(later.every((r) => r.variant.overrides['cities.a.budgetMusd'] === 9)).toBe(true);
    expect(h.sched.current!.complete).toBe(true);
    // Back to the first settings: its replications are there, and it continues where it stopped.
    const had = first.received, stoppedAt = first.next;
    h.sched.show(spec(5), null);
    expect(h.sched.current).toBe(first);
    expect(first.received).toBe(had);
    const next = h.queue.filter((q) => q.req.type === 'run').map((q) => (q.req as RunRequest).reps[0]);
    expect(Math.min(...next)).toBe(stoppedAt);
    expect(had).toBe(stoppedAt);
  });

  it('sizes batches to about BATCH_MS of work, starting with single runs', () => {
    const h = harness(1, 1000, 2);
    h.sched.show(spec(1), null);
    expect((h.queue[0].req as RunRequest).reps).toEqual([0]);
    h.deliver(0);
    expect((h.queue[0].req as RunRequest).reps.length).toBe(BATCH_MS / 2);
  });

  it('interleaves the baseline with the settings, and runs the summary once the first figures are in', () => {
    const h = harness(2, 50);
    h.sched.show(spec(3), spec(0));
    const got: string[] = [];
    h.sched.summary(spec(3).variant, 7, 'sandbox', (r) => got.push(r.type === 'summary' ? r.json : 'error'));
    const firstTwo = h.queue.map((q) => q.req);
    expect(firstTwo.map((r) => r.type)).toEqual(['run', 'run']);
    expect(new Set(firstTwo.map((r) => JSON.stringify((r as RunRequest).variant.overrides))).size).toBe(2);
    h.deliver(0);
    expect(h.queue.some((q) => q.req.type === 'summary')).toBe(true);
    while (h.queue.length) h.deliver(0);
    expect(got).toEqual(['summary 7']);
    // Asked again: answered from memory, no new work.
    const n = h.sent.length;
    h.sched.summary(spec(3).variant, 7, 'sandbox', (r) => got.push(r.type === 'summary' ? r.json : 'error'));
    expect(got).toEqual(['summary 7', 'summary 7']);
    expect(h.sent.length).toBe(n);
  });

  it('stops a series whose settings do not validate and keeps the problems', () => {
    const queue: { w: number; req: Request }[] = [];
    const sched = new Scheduler(1, 10, (w, req) => queue.push({ w, req }), () => undefined);
    sched.show(spec(-1), null);
    const { req } = queue.shift()!;
    sched.receive(0, { type: 'error', job: req.job, problems: ['s.yaml:3:1: cities[0].budgetMusd: Too small'] });
    expect(sched.current!.problems).toEqual(['s.yaml:3:1: cities[0].budgetMusd: Too small']);
    expect(queue).toEqual([]);
    expect(sched.idle).toBe(true);
  });
});
