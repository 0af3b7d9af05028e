/**
 * A worker thread of `hqsim advise`: it opens one Session (its slice of the replications, kept as snapshots) and
 * answers the main thread's requests about it until it is terminated.
 */
import { parentPort } from 'node:worker_threads';
import { openSession, type SessionSpec } from './pool.ts';
import type { Session } from './session.ts';

let session: Session | null = null;

parentPort!.on('message', (m: { id: number; op: string; args: unknown[] }) => {
  try {
    let value: unknown;
    if (m.op === 'open') { session = openSession(m.args[0] as SessionSpec); value = session.size; } else {
      if (!session) throw new Error('advise worker: no session open');
      const f = (session as unknown as Record<string, (...a: unknown[]) => unknown>)[m.op];
      if (typeof f !== 'function') throw new Error(`advise worker: unknown request ${m.op}`);
      value = f.apply(session, m.args);
    }
    parentPort!.postMessage({ id: m.id, ok: true, value });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, ok: false, error: (e as Error).stack ?? String(e) });
  }
});
