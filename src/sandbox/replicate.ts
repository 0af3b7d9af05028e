/**
 * One replication as the sandbox needs it: the scenario loaded with the page's overrides by the CLI's loader,
 * run by the CLI's engine with the seed `hqsim odds` and `hqsim sweep` give replication r (common random
 * numbers), reduced to what the page draws. Runs in the page's Web Workers and, in tests, in Node.
 */
import { loadScenario, type Scenario } from '../scenario/load.ts';
import { simulate, type EventRecord, type Recorder, type Summary } from '../model/engine.ts';
import { replicationSeed } from '../experiment/seeds.ts';
import { stableJson } from '../output/json.ts';

export interface Variant {
  /** Scenario file (as the CLI was given it). */
  file: string;
  /** Arm of the scenario applied first (null: none). */
  arm: string | null;
  /** Further path -> value overrides, applied after the arm. */
  overrides: Record<string, unknown>;
}

/** One side of a contest decision: who, and every numeric term the decision record carries. */
export interface Side { id: string; terms: Record<string, number> }

export interface ContestOutcome {
  id: string;
  /** Cities that took part (bidders, voted-on cities, the winner and runner-up). */
  candidates: string[];
  winner: Side | null;
  runnerUp: Side | null;
  /** Weights of the deciding organization (weight x score gap = a driver's share of the margin). */
  weights: Record<string, number> | null;
}

export interface RepOutcome {
  r: number;
  seed: number;
  /** The focal city's hosted organizations at the end of each simulated year. */
  hosted: number[];
  /** The focal city's spending over the run, USD m. */
  spendMusd: number;
  /** Organizations the focal city won: arrivals plus foundings at its seat. */
  won: number;
  /** The scenario's declared contests that were held, in the order they were decided. */
  contests: ContestOutcome[];
}

/** Every number of a decision record, nested objects flattened to a.b; the city index (an internal number) left out. */
export function numericTerms(rec: object | undefined | null): Record<string, number> {
  const out: Record<string, number> = {};
  const visit = (o: object, prefix: string, depth: number) => {
    for (const [k, v] of Object.entries(o)) {
      if (prefix === '' && (k === 'city' || k === 'id')) continue;
      if (typeof v === 'number') out[prefix + k] = v;
      else if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && depth < 3) visit(v, `${prefix}${k}.`, depth + 1);
    }
  };
  if (rec) visit(rec, '', 0);
  return out;
}

/** Load a variant exactly as `hqsim run <file> --arm <arm>` does, with the overrides applied after the arm. */
export function loadVariant(v: Variant): Scenario {
  return loadScenario(v.file, { arm: v.arm ?? undefined, overrides: v.overrides });
}

/** Replication r of a variant: the seed is `replicationSeed(scenario seed, r)`, as in `hqsim odds` and `hqsim sweep`. */
export function runReplication(sc: Scenario, r: number, focal: string): RepOutcome {
  const seed = replicationSeed(sc.seed, r);
  const declared = new Set(sc.contests.map((c) => c.id));
  const hosted = new Array<number>(sc.years).fill(0);
  const contests: ContestOutcome[] = [];
  const cands = new Map<string, Set<string>>();
  const addCand = (contest: string, city: string | undefined) => {
    if (!city) return;
    let s = cands.get(contest);
    if (!s) cands.set(contest, (s = new Set()));
    s.add(city);
  };
  const rec: Recorder = {
    wants: { events: ['bid', 'vote_round', 'contest_result'], orgYears: false, cityYears: [focal] },
    event: (e: EventRecord) => {
      if (!e.contest || !declared.has(e.contest)) return;
      if (e.type === 'bid') addCand(e.contest, e.city);
      else if (e.type === 'vote_round' && e.detail) {
        // 'city:votes' tokens; skips the round's kind ('sounding', 'points')
        for (const part of e.detail.split(';')[0].split(' ')) if (part.includes(':')) addCand(e.contest, part.split(':')[0]);
      }
      else if (e.type === 'contest_result') {
        const winner = e.chosen ? { id: e.chosen.id, terms: numericTerms(e.chosen) } : e.city ? { id: e.city, terms: {} } : null;
        const runnerUp = e.runnerUp ? { id: e.runnerUp.id, terms: numericTerms(e.runnerUp) } : null;
        addCand(e.contest, winner?.id);
        addCand(e.contest, runnerUp?.id);
        contests.push({ id: e.contest, candidates: [], winner, runnerUp, weights: e.weights ? numericTerms(e.weights) : null });
      }
    },
    cityYear: (c) => { if (c.city === focal) hosted[c.year - sc.start] = c.hostedOrgs; },
    orgYear() {},
  };
  const summary = simulate(sc, { seed, recorder: rec });
  for (const c of contests) c.candidates = [...(cands.get(c.id) ?? [])].sort();
  const f = summary.byCity[focal];
  return { r, seed, hosted, spendMusd: f?.spendMusd ?? 0, won: f ? f.arrivals + f.foundingsWon : 0, contests };
}

/**
 * The summary.json of one run, byte for byte as `hqsim run` writes it: the run is labelled with the arm the CLI
 * would be given (`label`), which is the only thing a summary says about where its overrides came from.
 */
export function runSummary(sc: Scenario, seed: number, label: string | null): string {
  const labelled: Scenario = { ...sc, arm: label ?? undefined };
  const summary: Summary = simulate(labelled, { seed });
  return stableJson(summary);
}
