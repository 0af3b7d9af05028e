/**
 * Experiment files (`*.sweep.yaml`): parse, validate with located errors, and expand into a `Plan`:
 * a self-contained, JSON-serializable description of every design point, arm, replication seed and
 * metric of a sweep. The plan is what runs, resumes and merges agree on (its hash identifies a sweep).
 */
import { createHash } from 'node:crypto';
import { basename, dirname, resolve, relative, sep } from 'node:path';
import seedrandom from 'seedrandom';
import { z } from 'zod';
import { loadScenario, type Scenario } from '../scenario/load.ts';
import { ScenarioError, suggest, type Problem } from '../scenario/errors.ts';
import { locate, pathString, readDocument, zodProblems } from '../scenario/locate.ts';
import { simulate, type Summary } from '../model/engine.ts';
import { cityYearHeader } from '../output/tables.ts';
import { UNBOUNDED, type MetricScale } from './stats.ts';
import { fromGrid, fromUnit, fullGrid, gridLevels, latinHypercube, morris, saltelli, type Factor, type Level, type Point } from './design.ts';
import { InputFileError, LIMITS, readInputFile } from '../limits/index.ts';
import { designPointCount, experimentLimitProblems, runLimitProblems } from '../limits/experiment.ts';
import { VERSION } from '../version.ts';
import { loadParameterUncertainty } from './calibration.ts';
import type { ParameterUncertainty } from './posterior.ts';

// ---------------------------------------------------------------------------
// File format
// ---------------------------------------------------------------------------

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const Ident = z.string().regex(IDENT, 'must be an identifier: letters, digits and _, not starting with a digit').max(LIMITS.idLength.value);
const Scalar = z.union([z.number(), z.string(), z.boolean()]);

const FactorSchema = z.strictObject({
  name: Ident.optional().describe('column name in the outputs (default: the path with . replaced by _)'),
  path: z.string().min(1).describe('dotted path into the scenario; list elements by id, e.g. cities.shanghai.levers.freeOffices'),
  range: z.tuple([z.number(), z.number()]).optional().describe('[min, max] of a numeric factor'),
  values: z.array(Scalar).min(1).optional().describe('explicit levels, in order'),
  integer: z.boolean().optional().describe('integer-valued range'),
  log: z.boolean().optional().describe('log-scaled range (min > 0)'),
  levels: z.number().int().min(1).max(1000).optional().describe('grid levels of this range (default: design.levels; for levers under an lhs design, 3)'),
}).describe('an input that varies across design points: exactly one of range or values');

const ArmSchema = z.strictObject({
  description: z.string().optional().describe('free text, copied to the manifest'),
  scenarioArm: z.string().optional().describe('an arm declared in the scenario file, applied first'),
  overrides: z.record(z.string(), z.unknown()).optional().describe('path -> value overrides into the scenario'),
}).describe('a named policy variant, run with the same replication seeds as every other arm');

const DesignSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('grid').describe('full factorial grid'),
    levels: z.number().int().min(1).max(1000).default(3).describe('levels per range factor'),
  }),
  z.strictObject({
    type: z.literal('lhs').describe('Latin hypercube sample of the uncertainties (levers are crossed with it as a grid)'),
    points: z.number().int().min(1).max(10_000_000).describe('number of sampled points'),
  }),
  z.strictObject({
    type: z.literal('sobol').describe('Saltelli sampling for Sobol indices'),
    n: z.number().int().min(2).max(1 << 24).describe('base sample size (a power of two); n x (k + 2) points'),
    bootstrap: z.number().int().min(0).max(100_000).default(1000).describe('bootstrap resamples for the 95% intervals (0 = none)'),
  }),
  z.strictObject({
    type: z.literal('morris').describe('Morris elementary effects'),
    trajectories: z.number().int().min(2).max(1_000_000).describe('number of trajectories; trajectories x (k + 1) points'),
    levels: z.number().int().min(2).max(1000).refine((v) => v % 2 === 0, 'levels must be even').default(4).describe('grid levels (even)'),
    bootstrap: z.number().int().min(0).max(100_000).default(1000).describe('bootstrap resamples for the mu_star interval (0 = none)'),
  }),
]).describe('how design points are chosen');

const AGGREGATES = ['mean', 'sum', 'min', 'max', 'first', 'last'] as const;
const MetricObject = z.strictObject({
  name: Ident.optional().describe('column name (default derived from the source)'),
  summary: z.string().min(1).optional().describe('a summary.json field, dotted: relocations, concentration.hhiOrgs, byCity.bonn.hostedOrgs'),
  cityYear: z.strictObject({
    city: z.string().min(1).describe('city id'),
    column: z.string().min(1).describe('a city_year.csv column, e.g. hosted_orgs, spend_total_musd, orgs_climate'),
    year: z.number().int().optional().describe('one year; without year and aggregate: one metric per simulated year'),
    aggregate: z.enum(AGGREGATES).optional().describe('reduce the series over the years'),
  }).optional().describe('a city_year.csv column of one city'),
  contest: z.strictObject({
    id: z.string().min(1).describe('contest id of the scenario'),
    city: z.string().min(1).describe('city id'),
  }).optional().describe('1 if the city won the contest, else 0'),
}).describe('what to record from every run: exactly one of summary, cityYear or contest');
const MetricSchema = z.union([
  z.string().min(1).describe('a summary.json field, dotted (short for { summary: ... })'),
  MetricObject,
]).transform((v) => (typeof v === 'string' ? { summary: v } : v));

export const ExperimentFileSchema = z.strictObject({
  $schema: z.string().optional().describe('JSON Schema of this file, for editors (hqsim schema --experiment)'),
  name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'name: letters, digits, _ . - (it names the result directory)').max(LIMITS.nameLength.value).describe('experiment name; names results/<name>/'),
  description: z.string().optional().describe('free text, copied to the manifest'),
  scenario: z.string().min(1).describe('base scenario file, relative to this file'),
  years: z.number().int().min(1).max(1000).optional().describe('override the scenario\'s number of years'),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1).describe('experiment seed: replication seeds and random designs derive from it'),
  factors: z.array(FactorSchema).default([]).describe('inputs that vary across design points (treated as uncertainties by discover)'),
  uncertainties: z.array(FactorSchema).optional().describe('EMA Workbench vocabulary: inputs outside the policy maker\'s control, sampled by the design'),
  levers: z.array(FactorSchema).optional().describe('EMA Workbench vocabulary: policy inputs; every combination of their levels is run at every sampled point of the uncertainties'),
  arms: z.record(Ident, ArmSchema).optional().describe('named policy variants; default one arm "base"'),
  baseline: z.string().optional().describe('arm the others are compared with (default: the first)'),
  design: DesignSchema.default({ type: 'grid', levels: 3 }),
  replications: z.number().int().min(1).max(1_000_000).default(10).describe('runs per design point and arm'),
  metrics: z.array(MetricSchema).optional().describe('what to record from every run'),
  outcomes: z.array(MetricSchema).optional().describe('EMA Workbench vocabulary for metrics (both may be given; outcomes follow metrics)'),
  cost: Ident.optional().describe('the metric (USD m) that measures what an arm spends, for the spending-adjusted comparison in arms.csv (default: the spending of the one city the arms change)'),
  adaptive: z.strictObject({
    metric: z.string().optional().describe('metric whose 95% CI half-width is controlled (default: the first)'),
    ciWidth: z.number().positive().optional().describe('target half-width (the --ci-width flag overrides)'),
    maxReplications: z.number().int().min(2).max(1_000_000).optional().describe('cap (default 10 x replications)'),
  }).optional().describe('defaults for adaptive replication (--ci-width)'),
  parameterUncertainty: z.union([z.boolean(), z.string().min(1)]).optional().describe('draw the model coefficients of every replication from a calibration\'s uncertainty (true: the bundled seeds/calibration.yaml; or a calibration file written by hqsim calibrate, relative to this file), so that intervals include parameter uncertainty; the same draw in every arm and design point; --parameter-uncertainty overrides'),
}).describe('an hqsim experiment (*.sweep.yaml): design points x arms x replications of a scenario');
export type ExperimentFile = z.infer<typeof ExperimentFileSchema>;

// ---------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------

/** Role of a factor: declared under `uncertainties` or `levers` (EMA Workbench's vocabulary); absent for `factors`. */
export type FactorRole = 'uncertainty' | 'lever';

export type PlanFactor = {
  name: string; path: string; role?: FactorRole;
} & ({ kind: 'range'; min: number; max: number; integer?: boolean; log?: boolean; levels?: number } | { kind: 'values'; values: Level[] });

export interface PlanArm { name: string; description?: string; scenarioArm?: string; overrides: Record<string, unknown> }

export type MetricSpec =
  | { name: string; kind: 'summary'; path: string[] }
  | { name: string; kind: 'cityYear'; city: string; column: string; year?: number; aggregate?: (typeof AGGREGATES)[number] }
  | { name: string; kind: 'contest'; contest: string; city: string };

export interface Adaptive { metric: string; ciWidth: number; maxReplications: number }

export interface Plan {
  format: 1;
  name: string;
  description: string;
  experiment: { file: string; sha256: string };
  /**
   * Scenario file as written in the experiment (relative to it), its absolute path on this machine (for
   * workers; not part of the plan's identity) and the files read, relative to the experiment file.
   */
  scenario: { file: string; path: string; name: string; inputs: { file: string; sha256: string }[] };
  years: number | null;
  seed: number;
  factors: PlanFactor[];
  arms: PlanArm[];
  baseline: string;
  design: { type: 'grid' | 'lhs' | 'sobol' | 'morris'; points: number; [k: string]: unknown };
  /** Design points: factor values in factor order. */
  points: Level[][];
  sobol?: { n: number; k: number; blocks: { A: number; B: number; AB: number[] } };
  morris?: { r: number; k: number; delta: number; trajectories: { start: number; order: number[]; sign: number[] }[] };
  bootstrap: number;
  replications: number;
  adaptive: Adaptive | null;
  metrics: MetricSpec[];
  /**
   * The metric (USD m) that measures what an arm spends, for arms.csv's spending-adjusted comparison: declared
   * (`cost:`), or the spending of the one city the arms change (`city`), added as a metric when none measured it.
   */
  cost?: { metric: string; city?: string; added?: boolean };
  /** Every replication draws the coefficients the scenario does not set from this calibration's posterior. */
  parameterUncertainty?: ParameterUncertainty;
}

export interface PlanOptions {
  /** --ci-width etc. from the command line; they override the file's `adaptive:` block. */
  ciWidth?: number;
  ciMetric?: string;
  maxReplications?: number;
  /**
   * --parameter-uncertainty: true (the bundled calibration), a calibration file (relative to the working
   * directory) or false (off); overrides the file's `parameterUncertainty`.
   */
  parameterUncertainty?: boolean | string;
}

const RESERVED = new Set(['point', 'arm', 'replication', 'seed', 'baseline', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high', 'interval', 'flags', 'by', 'level']);

export { replicationSeed } from './seeds.ts';

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Stable JSON (sorted keys) for hashing plans. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * The identity of a sweep: the content of the experiment, scenario and seed files (their sha256), everything
 * the plan derives from them and the options, and the hqsim version, never a path. Resume and merge compare it,
 * so they work from any directory and machine, and refuse a sweep of other files, options or code.
 */
export function planHash(plan: Plan, version: string = VERSION): string {
  const { experiment, scenario, parameterUncertainty, ...rest } = plan;
  const identity = { ...rest, experiment: { sha256: experiment.sha256 }, scenario: { file: scenario.file, name: scenario.name, inputs: scenario.inputs.map((x) => x.sha256) },
    ...(parameterUncertainty ? { parameterUncertainty: { sha256: parameterUncertainty.sha256 } } : {}) };
  return sha256(canonical({ hqsim: version, plan: identity }));
}

/** `path` relative to the experiment file's directory, with / separators (as manifests record it). */
function fromExperiment(experimentFile: string, path: string): string {
  const r = relative(dirname(resolve(experimentFile)), resolve(path));
  return (r === '' ? basename(path) : r).split(sep).join('/');
}

const EXPERIMENT_KEYS = ['name', 'description', 'scenario', 'years', 'seed', 'factors', 'arms', 'baseline', 'design', 'replications', 'metrics',
  'adaptive', 'path', 'range', 'values', 'integer', 'log', 'levels', 'scenarioArm', 'overrides', 'type', 'points', 'n', 'bootstrap',
  'trajectories', 'summary', 'cityYear', 'contest', 'city', 'column', 'year', 'aggregate', 'id', 'metric', 'ciWidth', 'maxReplications',
  'uncertainties', 'levers', 'outcomes', 'cost', 'parameterUncertainty'];

/** Read, validate and expand an experiment file. Throws ScenarioError (located problems) on bad input. */
export function loadExperiment(file: string, opts: PlanOptions = {}): Plan {
  let text: string;
  try { text = readInputFile(file); } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw new ScenarioError([{ file, path: '', message: `cannot read experiment: ${e.reason}` }]);
  }
  const { src, raw } = readDocument(text, file, 'an experiment (name:, scenario:, factors:, design:, metrics:, ...)');
  const problems: Problem[] = [];
  const parsed = ExperimentFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ScenarioError(zodProblems(src, parsed.error.issues, EXPERIMENT_KEYS));
  const ex = parsed.data;
  const at = (path: (string | number)[], message: string, key?: string) =>
    problems.push({ file, ...locate(src, path, key), path: pathString(key ? [...path, key] : path), message });

  // Base scenario: must load on its own.
  const scenarioPath = resolve(dirname(resolve(file)), ex.scenario);
  let base: Scenario;
  try {
    base = loadScenario(scenarioPath, { years: ex.years });
  } catch (e) {
    if (e instanceof ScenarioError) {
      at(['scenario'], `the base scenario does not load: ${e.problems.length} problem(s), first: ${e.problems[0] ? formatShort(e.problems[0]) : ''}`);
      throw new ScenarioError([...problems, ...e.problems]);
    }
    throw e;
  }

  // Parameter uncertainty: the calibration is read and checked now, with everything else, before any run.
  let parameterUncertainty: ParameterUncertainty | undefined;
  const pu = opts.parameterUncertainty ?? ex.parameterUncertainty ?? false;
  if (pu !== false) {
    const fromFile = opts.parameterUncertainty === undefined;
    const path = pu === true ? true : fromFile ? resolve(dirname(resolve(file)), pu) : resolve(pu);
    try {
      // Named as the experiment wrote it, or relative to the experiment file (absolute when outside its folder).
      const shown = path === true ? undefined : fromFile ? (pu as string) : fromExperiment(file, path).startsWith('../') ? path : fromExperiment(file, path);
      parameterUncertainty = loadParameterUncertainty(path, shown);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      if (fromFile) at(['parameterUncertainty'], `the calibration does not load: ${e.problems.length} problem(s), first: ${e.problems[0] ? formatShort(e.problems[0]) : ''}`);
      problems.push(...e.problems);
    }
  }

  // Factors.
  const factors: PlanFactor[] = [];
  const names = new Map<string, string>();
  const claim = (name: string, what: string, path: (string | number)[]) => {
    if (RESERVED.has(name)) at(path, `"${name}" is a reserved column name; give another name`);
    else if (names.has(name)) at(path, `duplicate column name "${name}" (also ${names.get(name)})`);
    else names.set(name, what);
  };
  // Where each factor was declared: plain factors first, then uncertainties, then levers (the column order).
  const declared = [
    ...ex.factors.map((f, i) => ({ f, where: ['factors', i] as (string | number)[], role: undefined })),
    ...(ex.uncertainties ?? []).map((f, i) => ({ f, where: ['uncertainties', i] as (string | number)[], role: 'uncertainty' as const })),
    ...(ex.levers ?? []).map((f, i) => ({ f, where: ['levers', i] as (string | number)[], role: 'lever' as const })),
  ];
  const factorWhere: (string | number)[][] = [];
  for (const { f, where, role } of declared) {
    const name = f.name ?? f.path.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');
    claim(name, pathString(where), [...where, f.name ? 'name' : 'path']);
    if ((f.range === undefined) === (f.values === undefined)) { at(where, `${role === 'lever' ? 'a lever' : role === 'uncertainty' ? 'an uncertainty' : 'a factor'} needs exactly one of "range" or "values"`); continue; }
    const r = role ? { role } : {};
    if (f.range) {
      const [min, max] = f.range;
      if (!(min < max)) at([...where, 'range'], `range min (${min}) must be below max (${max})`);
      if (f.log && !(min > 0)) at([...where, 'range'], 'a log range needs min > 0');
      if (f.integer && (!Number.isInteger(min) || !Number.isInteger(max))) at([...where, 'range'], 'an integer range needs integer bounds');
      factors.push({ name, path: f.path, ...r, kind: 'range', min, max, ...(f.integer ? { integer: true } : {}), ...(f.log ? { log: true } : {}), ...(f.levels ? { levels: f.levels } : {}) });
    } else {
      if (f.integer || f.log || f.levels) at(where, '"integer", "log" and "levels" apply to ranges only');
      factors.push({ name, path: f.path, ...r, kind: 'values', values: f.values! });
    }
    factorWhere.push(where);
  }
  const sampled = factors.filter((f) => f.role !== 'lever');
  const leverFactors = factors.filter((f) => f.role === 'lever');

  // Arms.
  const armEntries = Object.entries(ex.arms ?? { base: {} });
  if (armEntries.length === 0) at(['arms'], 'declare at least one arm, or leave "arms" out');
  const arms: PlanArm[] = armEntries.map(([name, a]) => ({
    name, ...(a.description ? { description: a.description } : {}), ...(a.scenarioArm ? { scenarioArm: a.scenarioArm } : {}), overrides: a.overrides ?? {},
  }));
  const baseline = ex.baseline ?? arms[0]?.name ?? 'base';
  if (!arms.some((a) => a.name === baseline)) at(['baseline'], `no arm "${baseline}"${hint(baseline, arms.map((a) => a.name))}`);

  if (ex.design.type === 'sobol' && sampled.length < 1) at(['design'], 'a Sobol design needs at least one factor (or uncertainty)');
  if (ex.design.type === 'morris' && sampled.length < 1) at(['design'], 'a Morris design needs at least one factor (or uncertainty)');
  if (ex.design.type === 'lhs' && sampled.length < 1) at(['design'], 'a Latin hypercube needs at least one factor (or uncertainty) to sample');
  if ((ex.design.type === 'sobol' || ex.design.type === 'morris') && leverFactors.length) {
    at(['levers'], `a ${ex.design.type === 'sobol' ? 'Sobol' : 'Morris'} design analyses the sampled inputs only: give the levers as arms, or list them under "uncertainties" to include them in the analysis`);
  }
  if (ex.metrics === undefined && ex.outcomes === undefined) at([], 'give the metrics to record: "metrics" (or "outcomes")');
  if (ex.design.type === 'sobol' && 2 * factors.length > 64) at(['factors'], 'a Sobol design supports at most 32 factors');
  // Sizes before any work: the checks below load the scenario once per arm and factor value.
  const sizes = experimentLimitProblems(ex, factors, arms.length);
  for (const l of sizes) at(l.path, l.message);
  // Otherwise keep going: arms, factor ends and metrics are checked too, so that one pass reports every problem.
  if (arms.length === 0 || sizes.length) throw new ScenarioError(problems);

  // Every arm and both ends of every factor must give a valid scenario; errors point at the experiment entry.
  const trial = (overrides: Record<string, unknown>, arm: PlanArm, where: (string | number)[], what: string) => {
    try {
      return loadScenario(scenarioPath, { arm: arm.scenarioArm, overrides: { ...arm.overrides, ...overrides }, years: ex.years });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      at(where, `${what}: ${e.problems.map(formatShort).join('; ')}`);
      return undefined;
    }
  };
  const armScenarios = arms.map((a) => trial({}, a, ex.arms ? ['arms', a.name] : ['scenario'], `arm "${a.name}" does not give a valid scenario`));
  factors.forEach((f, i) => {
    // Both ends of a range and a value the design takes inside it, so that a range feeding a whole-number
    // field (members: 20.5) is reported here rather than failing in a worker.
    const inside = f.kind === 'range' ? interiorValue(f, ex.design) : undefined;
    const ends: Level[] = f.kind === 'range' ? [f.min, f.max, ...(inside === undefined ? [] : [inside])] : f.values;
    for (const v of ends) {
      if (trial({ [f.path]: v }, arms[0], [...factorWhere[i], 'path'], `${f.path} = ${JSON.stringify(v)} does not give a valid scenario`) === undefined) break;
    }
  });


  // Metrics, checked against a one-year dry run of the first arm (summary shape, city_year columns, contests).
  const probe = armScenarios[0] ?? base;
  let header: string[] = [];
  const summary: Summary = simulate(probe, { years: 1, recorder: { begin: (info) => { header = cityYearHeader(info.domains); }, event() {}, cityYear() {}, orgYear() {} } });
  const cityIds = Object.keys(summary.byCity);
  const contestIds = probe.contests.map((c) => c.id);
  const first = probe.start;
  const last = probe.start + probe.years - 1;
  const metrics: MetricSpec[] = [];
  const metricEntries = [...(ex.metrics ?? []).map((m, i) => ({ m, where: ['metrics', i] })), ...(ex.outcomes ?? []).map((m, i) => ({ m, where: ['outcomes', i] }))];
  metricEntries.forEach(({ m, where: w }) => {
    const where = w as (string | number)[];
    const i = pathString(where);
    const sources = [m.summary, m.cityYear, m.contest].filter((x) => x !== undefined).length;
    if (sources !== 1) { at(where, 'a metric needs exactly one of "summary", "cityYear" or "contest"'); return; }
    if (m.summary !== undefined) {
      const path = m.summary.split('.');
      let cur: unknown = summary;
      for (let k = 0; k < path.length; k++) {
        const o = cur as Record<string, unknown> | null;
        if (!o || typeof o !== 'object' || Array.isArray(o) || !(path[k] in o)) {
          const options = o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : [];
          at([...where, 'summary'], `no summary field "${path.slice(0, k + 1).join('.')}"${hint(path[k], options)}${options.length && options.length <= 12 ? `; fields here: ${options.join(', ')}` : ''}`);
          cur = undefined;
          break;
        }
        cur = o[path[k]];
      }
      if (cur !== undefined && typeof cur !== 'number' && cur !== null) { at(where, `summary field "${m.summary}" is not a number`); return; }
      if (cur === undefined) return;
      const name = m.name ?? m.summary.replace(/[^A-Za-z0-9_]/g, '_');
      claim(name, i, where);
      metrics.push({ name, kind: 'summary', path });
    } else if (m.cityYear) {
      const cy = m.cityYear;
      if (!cityIds.includes(cy.city)) { at([...where, 'cityYear', 'city'], `unknown city "${cy.city}"${hint(cy.city, cityIds)}`); return; }
      if (!header.includes(cy.column) || cy.column === 'year' || cy.column === 'city') { at([...where, 'cityYear', 'column'], `no city_year column "${cy.column}"${hint(cy.column, header)}`); return; }
      if (cy.year !== undefined && (cy.year < first || cy.year > last)) { at([...where, 'cityYear', 'year'], `year ${cy.year} is outside the simulated years ${first}-${last}`); return; }
      if (cy.year !== undefined && cy.aggregate) { at([...where, 'cityYear'], 'give "year" or "aggregate", not both'); return; }
      const stem = m.name ?? `${cy.city}_${cy.column}`;
      if (cy.year === undefined && !cy.aggregate) {
        for (let y = first; y <= last; y++) {
          claim(`${stem}_${y}`, i, where);
          metrics.push({ name: `${stem}_${y}`, kind: 'cityYear', city: cy.city, column: cy.column, year: y });
        }
      } else {
        const name = m.name ?? `${stem}_${cy.year ?? cy.aggregate}`;
        claim(name, i, where);
        metrics.push({ name, kind: 'cityYear', city: cy.city, column: cy.column, ...(cy.year !== undefined ? { year: cy.year } : { aggregate: cy.aggregate }) });
      }
    } else if (m.contest) {
      const c = m.contest;
      if (!contestIds.includes(c.id)) { at([...where, 'contest', 'id'], `unknown contest "${c.id}"${hint(c.id, contestIds)}`); return; }
      if (!cityIds.includes(c.city)) { at([...where, 'contest', 'city'], `unknown city "${c.city}"${hint(c.city, cityIds)}`); return; }
      const name = m.name ?? `${c.id}_${c.city}`;
      claim(name, i, where);
      metrics.push({ name, kind: 'contest', contest: c.id, city: c.city });
    }
  });
  if (problems.length) throw new ScenarioError(problems);

  // Spending: the declared cost metric, else the spending of the one city the arms change.
  let cost: Plan['cost'];
  if (ex.cost !== undefined) {
    if (metrics.some((m) => m.name === ex.cost)) cost = { metric: ex.cost };
    else { at(['cost'], `no metric "${ex.cost}"${hint(ex.cost, metrics.map((m) => m.name))}`); throw new ScenarioError(problems); }
  } else if (arms.length >= 2) {
    const touched = new Set<string>();
    for (const sc of armScenarios) for (const key of Object.keys(sc?.overrides ?? {})) {
      const parts = key.split('.');
      if (parts[0] === 'cities') touched.add(parts[1] ?? '*');
    }
    const city = touched.size === 1 ? [...touched][0] : undefined;
    if (city !== undefined && cityIds.includes(city)) {
      const found = metrics.find((m) => (m.kind === 'summary' && m.path.join('.') === `byCity.${city}.spendMusd`)
        || (m.kind === 'cityYear' && m.city === city && m.column === 'spend_total_musd' && m.aggregate === 'sum'));
      if (found) cost = { metric: found.name, city };
      else {
        let name = `${city}_spend_musd`;
        for (let k = 2; names.has(name) || RESERVED.has(name); k++) name = `${city}_spend_musd_${k}`;
        names.set(name, 'cost');
        metrics.push({ name, kind: 'summary', path: ['byCity', city, 'spendMusd'] });
        cost = { metric: name, city, added: true };
      }
    }
  }

  // Adaptive replication.
  let adaptive: Adaptive | null = null;
  const ciWidth = opts.ciWidth ?? ex.adaptive?.ciWidth;
  if (ciWidth !== undefined) {
    const metric = opts.ciMetric ?? ex.adaptive?.metric ?? metrics[0].name;
    if (!metrics.some((m) => m.name === metric)) {
      if (opts.ciMetric !== undefined) throw new PlanUsageError(`--ci-metric: no metric "${metric}"${hint(metric, metrics.map((m) => m.name))}`);
      at(['adaptive', 'metric'], `no metric "${metric}"${hint(metric, metrics.map((m) => m.name))}`);
      throw new ScenarioError(problems);
    }
    const maxReplications = opts.maxReplications ?? ex.adaptive?.maxReplications ?? Math.max(10 * ex.replications, 2);
    if (maxReplications < ex.replications) throw new PlanUsageError(`the replication cap (${maxReplications}) is below the initial replications (${ex.replications})`);
    adaptive = { metric, ciWidth, maxReplications };
  }
  for (const l of runLimitProblems(ex, designPointCount(ex, factors), arms.length, adaptive?.maxReplications ?? ex.replications, metrics.length)) at(l.path, l.message);
  if (problems.length) throw new ScenarioError(problems);

  // Design.
  const asDesign = (list: PlanFactor[]): Factor[] => list.map((f) => (f.kind === 'range'
    ? { name: f.name, kind: 'range', min: f.min, max: f.max, integer: f.integer, log: f.log }
    : { name: f.name, kind: 'values', values: f.values }));
  const designFactors = asDesign(sampled);
  const rng = seedrandom.alea(`hqsim-design/${ex.seed}`) as () => number;
  let points: Point[];
  let sobol: Plan['sobol'];
  let morrisMeta: Plan['morris'];
  let bootstrap = 0;
  const d = ex.design;
  const design: Plan['design'] = { ...d, points: 0 };
  if (d.type === 'grid') {
    const levels: Record<string, number> = {};
    for (const f of factors) levels[f.name] = f.kind === 'range' ? f.levels ?? d.levels : 1;
    points = fullGrid(asDesign(factors), levels);
  } else if (d.type === 'lhs') {
    points = latinHypercube(designFactors, d.points, rng);
    // Levers: every combination of their levels at every sampled point (EMA Workbench's policies x scenarios).
    if (leverFactors.length) {
      const levels: Record<string, number> = {};
      for (const f of leverFactors) levels[f.name] = f.kind === 'range' ? f.levels ?? 3 : 1;
      const combos = fullGrid(asDesign(leverFactors), levels);
      points = points.flatMap((u) => combos.map((l) => ({ ...u, ...l })));
    }
  } else if (d.type === 'sobol') {
    const s = saltelli(designFactors, d.n);
    points = s.points;
    sobol = { n: s.n, k: s.k, blocks: s.blocks };
    bootstrap = d.bootstrap;
  } else {
    const m = morris(designFactors, d.trajectories, d.levels, rng);
    points = m.points;
    morrisMeta = { r: m.r, k: m.k, delta: m.delta, trajectories: m.trajectories };
    bootstrap = d.bootstrap;
  }
  design.points = points.length;

  return {
    format: 1,
    name: ex.name,
    description: ex.description ?? '',
    experiment: { file: basename(file), sha256: sha256(text) },
    scenario: { file: ex.scenario, path: scenarioPath, name: base.name, inputs: base.inputs.map((x) => ({ file: fromExperiment(file, x.file), sha256: x.sha256 })) },
    years: ex.years ?? null,
    seed: ex.seed,
    factors,
    arms,
    baseline,
    design,
    points: points.map((p) => factors.map((f) => p[f.name])),
    ...(sobol ? { sobol } : {}),
    ...(morrisMeta ? { morris: morrisMeta } : {}),
    bootstrap,
    replications: ex.replications,
    adaptive,
    metrics,
    ...(cost ? { cost } : {}),
    ...(parameterUncertainty ? { parameterUncertainty } : {}),
  };
}

/** A value strictly inside a range factor that the design will use, if it uses one (the first inner grid level, else a generic inner point). */
function interiorValue(f: PlanFactor & { kind: 'range' }, design: ExperimentFile['design']): Level | undefined {
  const factor: Factor = { name: f.name, kind: 'range', min: f.min, max: f.max, integer: f.integer, log: f.log };
  let v: Level | undefined;
  if (design.type === 'grid') { const L = f.levels ?? design.levels; v = L >= 3 ? gridLevels(factor, L)[1] : undefined; }
  else if (design.type === 'morris') v = design.levels >= 3 ? fromGrid(factor, 1 / (design.levels - 1)) : undefined;
  else v = fromUnit(factor, 0.381966);
  return v === f.min || v === f.max ? undefined : v;
}

/** A command-line option that does not fit the experiment (exit 2, no file location). */
export class PlanUsageError extends Error {}

function hint(word: string, options: Iterable<string>): string {
  const s = suggest(word, options);
  return s ? ` (did you mean "${s}"?)` : '';
}

function formatShort(p: Problem): string {
  return `${p.path || p.file}: ${p.message}`;
}

const SHARE_SUMMARY = new Set(['hhiOrgs', 'hhiStaff', 'top5ShareOrgs']);
const COUNT_SUMMARY = new Set(['relocations', 'foundings', 'reviews', 'vetoes', 'contests', 'cities', 'organizations']);
const SHARE_COLUMN = /^(level_free_offices|level_tax_exemption|stock_.*|leadership_.*)$/;
const AMOUNT_COLUMN = /^(hosted_.*|budget_.*|spend_.*|level_subsidy_musd|level_grant_musd_per_staff|orgs_.*|staff_.*)$/;

/**
 * What is known of a metric's values before any run, for honest intervals: contests are 0/1; counts, staff and
 * money are never negative; concentration indices, lever levels and stocks lie in [0, 1] (their sums only
 * above 0). Fields not listed here are taken as unbounded.
 */
export function metricScale(m: MetricSpec): MetricScale {
  if (m.kind === 'contest') return { binary: true, lo: 0, hi: 1 };
  if (m.kind === 'summary') {
    const [head, ...rest] = m.path;
    if (head === 'concentration' && SHARE_SUMMARY.has(rest[0])) return { binary: false, lo: 0, hi: 1 };
    if (head === 'byCity' && rest.length === 2) return { binary: false, lo: 0, hi: Infinity };
    if (rest.length === 0 && COUNT_SUMMARY.has(head)) return { binary: false, lo: 0, hi: Infinity };
    return UNBOUNDED;
  }
  if (SHARE_COLUMN.test(m.column)) return { binary: false, lo: 0, hi: m.aggregate === 'sum' ? Infinity : 1 };
  if (AMOUNT_COLUMN.test(m.column)) return { binary: false, lo: 0, hi: Infinity };
  return UNBOUNDED;
}

/** Overrides for one design point of one arm (the arm's, then the factors'). */
export function pointOverrides(plan: Plan, point: number, arm: number): Record<string, unknown> {
  const o: Record<string, unknown> = { ...plan.arms[arm].overrides };
  plan.factors.forEach((f, j) => { o[f.path] = plan.points[point][j]; });
  return o;
}
