/**
 * The page's Web Worker: loads the scenario with the page's settings through the CLI's loader and runs
 * replications with the CLI's engine (bundled for the browser, see bundle.ts). Loaded variants are cached, so a
 * run of many small batches parses the scenario once.
 */
import './jitless.ts';
import type { Scenario } from '../scenario/load.ts';
import { ScenarioError, formatProblem } from '../scenario/errors.ts';
import { loadVariant, runReplication, runSummary, type Variant } from './replicate.ts';
import type { Reply, Request } from './protocol.ts';

// The worker global, declared here rather than through the WebWorker library (which would clash with Node's types).
declare const self: { onmessage: ((e: { data: Request }) => void) | null; postMessage(m: Reply): void };

const CACHE = 8;
const cache = new Map<string, Scenario>();

function variantScenario(v: Variant): Scenario {
  const key = JSON.stringify([v.file, v.arm, v.overrides]);
  let sc = cache.get(key);
  if (sc) { cache.delete(key); cache.set(key, sc); return sc; }
  sc = loadVariant(v);
  cache.set(key, sc);
  if (cache.size > CACHE) cache.delete(cache.keys().next().value!);
  return sc;
}

function handle(m: Request): Reply {
  try {
    const sc = variantScenario(m.variant);
    // Timed after loading: the time of the runs alone sizes the next batches.
    const t0 = performance.now();
    if (m.type === 'summary') return { type: 'summary', job: m.job, json: runSummary(sc, m.seed, m.label), ms: performance.now() - t0 };
    const outcomes = m.reps.map((r) => runReplication(sc, r, m.focal));
    return { type: 'run', job: m.job, outcomes, ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof ScenarioError) return { type: 'error', job: m.job, problems: e.problems.map(formatProblem) };
    return { type: 'error', job: m.job, problems: [`internal error: ${(e as Error).stack ?? String(e)}`] };
  }
}

self.onmessage = (e) => self.postMessage(handle(e.data));
