/**
 * Hands replications to the page's workers. What is shown is two series, the current settings and the
 * baseline, each a list of replications 0..total-1 of one variant. Work goes out in small batches sized to
 * about BATCH_MS of a worker's time, so that a change of settings stops the old series within one batch (the
 * batches already running finish and are kept: a series is identified by its content, so moving a control back
 * shows its replications at once). Results depend only on (variant, replication): the number of workers and the
 * order in which batches finish change when figures appear, never what they show.
 */
import type { RepOutcome, Variant } from './replicate.ts';
import type { Reply, Request } from './protocol.ts';

/** Target duration of one batch in a worker, ms. */
export const BATCH_MS = 40;
export const MAX_BATCH = 32;
/** Series kept (finished or not) so that returning to a setting costs nothing. */
export const KEEP_SERIES = 24;

export interface SeriesSpec { variant: Variant; focal: string }

export class Series {
  readonly results: (RepOutcome | undefined)[];
  /** Replications handed out so far (0..next-1). */
  next = 0;
  received = 0;
  problems: string[] | null = null;
  private ms = 0;
  private timed = 0;
  constructor(readonly key: string, readonly spec: SeriesSpec, readonly total: number) { this.results = new Array(total); }
  get complete(): boolean { return this.received >= this.total; }
  get exhausted(): boolean { return this.next >= this.total || this.problems !== null; }
  /** Number of replications 0, 1, 2, ... all received. */
  get prefix(): number { let n = 0; while (n < this.total && this.results[n]) n++; return n; }
  /** Mean worker time of one replication so far, ms (NaN before the first batch). */
  get msPerRun(): number { return this.timed ? this.ms / this.timed : NaN; }
  batchSize(): number {
    if (this.timed === 0) return 1;
    return Math.max(1, Math.min(MAX_BATCH, Math.round(BATCH_MS / Math.max(this.ms / this.timed, 0.05))));
  }
  record(outcomes: RepOutcome[], ms: number): void {
    for (const o of outcomes) if (!this.results[o.r]) { this.results[o.r] = o; this.received++; }
    this.ms += ms; this.timed += outcomes.length;
  }
}

export const seriesKey = (s: SeriesSpec) => JSON.stringify([s.variant.file, s.variant.arm, s.variant.overrides, s.focal]);

interface Inflight { worker: number; series?: Series; reps?: number[]; summary?: { key: string; cb: (r: Reply) => void } }

export class Scheduler {
  current: Series | null = null;
  baseline: Series | null = null;
  private readonly busy: boolean[];
  private readonly inflight = new Map<number, Inflight>();
  private readonly series = new Map<string, Series>();
  private job = 0;
  private summaryWanted: { key: string; req: Omit<Request & { type: 'summary' }, 'job'>; cb: (r: Reply) => void } | null = null;
  private readonly summaries = new Map<string, Reply>();

  constructor(readonly workers: number, readonly total: number, private readonly post: (worker: number, req: Request) => void, private readonly changed: (s: Series) => void) {
    this.busy = new Array(workers).fill(false);
  }

  private seriesFor(spec: SeriesSpec): Series {
    const key = seriesKey(spec);
    let s = this.series.get(key);
    if (s) { this.series.delete(key); this.series.set(key, s); return s; }
    s = new Series(key, spec, this.total);
    this.series.set(key, s);
    for (const [k, old] of this.series) {
      if (this.series.size <= KEEP_SERIES) break;
      if (old !== s && old !== this.current && old !== this.baseline) this.series.delete(k);
    }
    return s;
  }

  /** Show these settings (and the baseline, unless it is the same series); stale series get no more work. */
  show(current: SeriesSpec, baseline: SeriesSpec | null): void {
    this.current = this.seriesFor(current);
    const b = baseline ? this.seriesFor(baseline) : null;
    this.baseline = b === this.current ? null : b;
    this.summaryWanted = null;
    this.pump();
  }

  /** Ask for one run's summary.json of a variant; answered at once when already known. */
  summary(variant: Variant, seed: number, label: string | null, cb: (r: Reply) => void): void {
    const key = JSON.stringify([variant.file, variant.arm, variant.overrides, seed, label]);
    const known = this.summaries.get(key);
    if (known) { cb(known); return; }
    this.summaryWanted = { key, req: { type: 'summary', variant, seed, label }, cb };
    this.pump();
  }

  /** A worker's reply. */
  receive(worker: number, reply: Reply): void {
    const f = this.inflight.get(reply.job);
    if (!f) return;
    this.inflight.delete(reply.job);
    this.busy[worker] = false;
    if (f.summary) {
      if (reply.type === 'summary') this.summaries.set(f.summary.key, reply);
      f.summary.cb(reply);
    } else if (f.series) {
      if (reply.type === 'run') f.series.record(reply.outcomes, reply.ms);
      else if (reply.type === 'error') f.series.problems = reply.problems;
      if (f.series === this.current || f.series === this.baseline) this.changed(f.series);
    }
    this.pump();
  }

  /** The series that gets the next batch: the one of the two shown with fewer replications handed out. */
  private pick(): Series | null {
    const c = this.current && !this.current.exhausted ? this.current : null;
    const b = this.baseline && !this.baseline.exhausted ? this.baseline : null;
    if (c && b) return b.next < c.next ? b : c;
    return c ?? b;
  }

  private pump(): void {
    for (let w = 0; w < this.workers; w++) {
      if (this.busy[w]) continue;
      // The summary waits until the current series has its first figures.
      const cur = this.current;
      if (this.summaryWanted && (!cur || cur.received > 0 || cur.exhausted)) {
        const s = this.summaryWanted;
        this.summaryWanted = null;
        this.send(w, { ...s.req, job: 0 }, { worker: w, summary: { key: s.key, cb: s.cb } });
        continue;
      }
      const s = this.pick();
      if (!s) break;
      const n = Math.min(s.batchSize(), s.total - s.next);
      const reps = Array.from({ length: n }, (_, i) => s.next + i);
      s.next += n;
      this.send(w, { type: 'run', job: 0, variant: s.spec.variant, focal: s.spec.focal, reps }, { worker: w, series: s, reps });
    }
  }

  private send(w: number, req: Request, f: Inflight): void {
    const job = ++this.job;
    this.busy[w] = true;
    this.inflight.set(job, f);
    this.post(w, { ...req, job });
  }

  /** Whether every worker is idle (nothing running or waiting). */
  get idle(): boolean { return this.busy.every((b) => !b); }
}
