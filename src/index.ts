/**
 * hqsim library API: load a scenario, run it, get typed in-memory results or write a result directory.
 *
 *   import { loadScenario, runScenario } from 'hqsim';
 *   const sc = loadScenario('scenarios/quickstart.yaml');
 *   const res = runScenario(sc, { seed: 7 });
 *   res.summary.byCity.bonn.hostedOrgs;
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, parseScenario, type Scenario, type LoadOptions } from './scenario/load.ts';
import { simulate, type CityYearRecord, type DecisionRecord, type EventRecord, type OrgYearRecord, type Recorder, type Summary } from './model/engine.ts';
import { CsvRecorder, stableJson, writeAtomically, writeJson } from './output/write.ts';
import { withPath } from './output/system-errors.ts';
import { VERSION } from './version.ts';

export { loadScenario, parseScenario, simulate, VERSION };
export type { Scenario, LoadOptions, Summary, EventRecord, DecisionRecord, CityYearRecord, OrgYearRecord, Recorder };
export { ScenarioError, formatProblem, type Problem } from './scenario/errors.ts';
export { PARAM_SPECS, paramEntries, resolveParams, type Params } from './model/params.ts';

export interface RunResult {
  summary: Summary;
  domains: string[];
  events: EventRecord[];
  /** every candidate of every decision, term by term */
  decisions: DecisionRecord[];
  cityYears: CityYearRecord[];
  orgYears: OrgYearRecord[];
}

export interface RunOptions {
  seed?: number;
  years?: number;
  /** Skip collecting org_year rows (the largest table) when only the rest is needed. */
  orgYears?: boolean;
}

/** Run a scenario and keep every record in memory. */
export function runScenario(sc: Scenario, opts: RunOptions = {}): RunResult {
  const res: RunResult = { summary: undefined as unknown as Summary, domains: [], events: [], decisions: [], cityYears: [], orgYears: [] };
  const keepOrgYears = opts.orgYears !== false;
  const recorder: Recorder = {
    begin: (info) => { res.domains = info.domains; },
    event: (e) => res.events.push(e),
    decision: (d) => res.decisions.push(d),
    cityYear: (r) => res.cityYears.push(r),
    orgYear: (r) => { if (keepOrgYears) res.orgYears.push(r); },
  };
  res.summary = simulate(sc, { recorder, seed: opts.seed, years: opts.years });
  return res;
}

export interface Manifest {
  hqsim: string;
  scenario: string;
  arm: string | null;
  inputs: Scenario['inputs'];
  overrides: Record<string, unknown>;
  seed: number;
  start: number;
  years: number;
  node: string;
  parameters: Scenario['params'];
  wallTimeSeconds?: number;
  files: string[];
}

export function manifestOf(sc: Scenario, seed: number, years: number): Manifest {
  return {
    hqsim: VERSION, scenario: sc.name, arm: sc.arm ?? null, inputs: sc.inputs, overrides: sc.overrides, seed, start: sc.start, years,
    node: process.version, parameters: sc.params,
    files: ['manifest.json', 'summary.json', 'events.csv', 'decisions.csv', 'city_year.csv', 'org_year.csv'],
  };
}

/**
 * Run a scenario straight into a result directory (streamed, atomic): manifest.json, summary.json,
 * events.csv, city_year.csv, org_year.csv. `clock` supplies wall time for the manifest (left out when absent).
 */
export function runToDirectory(sc: Scenario, dir: string, opts: { seed?: number; years?: number; force?: boolean; clock?: () => number } = {}): Summary {
  const seed = opts.seed ?? sc.seed;
  const years = opts.years ?? sc.years;
  return writeAtomically(dir, opts.force ?? false, (tmp) => {
    const t0 = opts.clock?.();
    const rec = new CsvRecorder(tmp);
    let summary: Summary;
    try { summary = simulate(sc, { recorder: rec, seed, years }); } finally { rec.close(); }
    writeJson(join(tmp, 'summary.json'), summary);
    const manifest = manifestOf(sc, seed, years);
    if (t0 !== undefined) manifest.wallTimeSeconds = Math.round((opts.clock!() - t0) * 1000) / 1e6;
    const text = stableJson(manifest);
    withPath(join(tmp, 'manifest.json'), () => writeFileSync(join(tmp, 'manifest.json'), text));
    return summary;
  });
}
