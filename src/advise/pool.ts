/**
 * Where the replications of `hqsim advise` live: in this thread (one worker), or spread over worker threads that
 * each keep the snapshots of their share of the replications for the whole search (the snapshots cannot move
 * between threads, so the workers are long-lived and stateful, unlike the task pool of sweeps and odds).
 * Results come back per replication and are put together in replication order, so they do not depend on the
 * number of workers.
 */
import { Worker } from 'node:worker_threads';
import type { Offer } from '../scenario/schema.ts';
import { loadScenario } from '../scenario/load.ts';
import { Session, type CandidateTerms, type OfferResult, type RepInfo, type Rivals } from './session.ts';
import type { LeverContext } from './levers.ts';

export interface SessionSpec { scenario: string; arm?: string; years?: number; contest: string; city: string; seeds: number[] }

export type Facts = ReturnType<Session['facts']>;

export interface Evaluator {
  readonly size: number;
  info(): Promise<RepInfo[]>;
  evaluate(offers: Offer[], rivals: Rivals): Promise<OfferResult[]>;
  candidates(offer: Offer, rivals: Rivals): Promise<CandidateTerms[][]>;
  silentRivals(): Promise<Record<string, number>>;
  levers(): Promise<LeverContext>;
  facts(): Promise<Facts>;
  close(): Promise<void>;
}

export function openSession(spec: SessionSpec): Session {
  const sc = loadScenario(spec.scenario, { arm: spec.arm, years: spec.years });
  return new Session(sc, spec.contest, spec.city, spec.seeds);
}

/** Every replication in this thread. */
export class LocalEvaluator implements Evaluator {
  private readonly s: Session;
  constructor(spec: SessionSpec) { this.s = openSession(spec); }
  get size() { return this.s.size; }
  async info() { return this.s.info(); }
  async evaluate(offers: Offer[], rivals: Rivals) { return this.s.evaluate(offers, rivals); }
  async candidates(offer: Offer, rivals: Rivals) { return this.s.candidates(offer, rivals); }
  async silentRivals() { return this.s.silentRivals(); }
  async levers() { return this.s.levers(); }
  async facts() { return this.s.facts(); }
  async close() {}
}

interface Pending { resolve: (v: unknown) => void; reject: (e: unknown) => void }

/** One worker thread holding a Session over a contiguous slice of the replications. */
class Remote {
  private readonly w: Worker;
  private next = 0;
  private readonly pending = new Map<number, Pending>();
  private failed: Error | null = null;
  constructor() {
    this.w = new Worker(new URL('./worker.mjs', import.meta.url));
    this.w.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value); else p.reject(new Error(m.error));
    });
    const fail = (e: Error) => { this.failed = e; for (const p of this.pending.values()) p.reject(e); this.pending.clear(); };
    this.w.on('error', fail);
    this.w.on('exit', (code) => { if (this.pending.size) fail(new Error(`advise worker exited with code ${code}`)); });
  }
  call<T>(op: string, args: unknown[] = []): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.w.postMessage({ id, op, args });
    });
  }
  async close() { await this.w.terminate(); }
}

function concat<T extends Float64Array | Uint8Array>(parts: T[]): T {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new (parts[0].constructor as { new (n: number): T })(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Replications spread over worker threads, a contiguous slice each (slice i holds seeds in order). */
export class ThreadEvaluator implements Evaluator {
  private constructor(private readonly remotes: Remote[], readonly size: number) {}

  static async open(spec: SessionSpec, workers: number): Promise<ThreadEvaluator> {
    const n = Math.max(1, Math.min(workers, spec.seeds.length));
    const per = Math.ceil(spec.seeds.length / n);
    const slices = Array.from({ length: n }, (_, i) => spec.seeds.slice(i * per, (i + 1) * per)).filter((s) => s.length);
    const remotes = slices.map(() => new Remote());
    const ev = new ThreadEvaluator(remotes, spec.seeds.length);
    try { await Promise.all(remotes.map((r, i) => r.call('open', [{ ...spec, seeds: slices[i] }]))); } catch (e) { await ev.close(); throw e; }
    return ev;
  }

  private all<T>(op: string, args: unknown[] = []): Promise<T[]> { return Promise.all(this.remotes.map((r) => r.call<T>(op, args))); }

  async info() { return (await this.all<RepInfo[]>('info')).flat(); }
  async evaluate(offers: Offer[], rivals: Rivals): Promise<OfferResult[]> {
    const parts = await this.all<OfferResult[]>('evaluate', [offers, rivals]);
    return offers.map((_, i) => ({ p: concat(parts.map((x) => x[i].p)), win: concat(parts.map((x) => x[i].win)), scaled: concat(parts.map((x) => x[i].scaled)) }));
  }
  async candidates(offer: Offer, rivals: Rivals) { return (await this.all<CandidateTerms[][]>('candidates', [offer, rivals])).flat(); }
  async silentRivals() {
    const out: Record<string, number> = {};
    for (const part of await this.all<Record<string, number>>('silentRivals')) for (const [k, v] of Object.entries(part)) out[k] = (out[k] ?? 0) + v;
    return Object.fromEntries(Object.entries(out).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
  async levers() { return this.remotes[0].call<LeverContext>('levers'); }
  async facts(): Promise<Facts> {
    const parts = await this.all<Facts>('facts');
    return { ...parts[0], candidates: [...new Set(parts.flatMap((p) => p.candidates))].sort() };
  }
  async close() { await Promise.all(this.remotes.map((r) => r.close())); }
}

/** An evaluator over `spec.seeds`: in this thread for one worker, else on worker threads. */
export async function openEvaluator(spec: SessionSpec, workers: number): Promise<Evaluator> {
  return workers <= 1 || spec.seeds.length < 2 ? new LocalEvaluator(spec) : ThreadEvaluator.open(spec, workers);
}
