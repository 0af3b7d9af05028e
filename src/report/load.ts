/**
 * Read and check the files of a result directory (a run or a sweep) before anything is drawn.
 * Problems are returned as values naming the file and what is wrong; the CLI prints them and exits 2.
 */
import { TERM_COLS } from '../output/tables.ts';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../scenario/csv.ts';

export interface ReportProblem { file: string; problem: string }
export type Loaded<T> = { ok: true; value: T } | { ok: false; problem: ReportProblem };

/** One CSV table: its header and rows keyed by column; numbers already parsed for the columns asked for. */
export interface Table<R> { file: string; header: string[]; rows: R[] }

type Row = Record<string, string | number | null>;

class Fail extends Error { constructor(public file: string, public problem: string) { super(`${file}: ${problem}`); } }

function readText(dir: string, name: string): string {
  const file = join(dir, name);
  if (!existsSync(file)) throw new Fail(file, 'missing (the result directory is incomplete; rerun the command that wrote it)');
  try {
    if (!statSync(file).isFile()) throw new Fail(file, 'is not a file');
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof Fail) throw e;
    throw new Fail(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function readJsonObject(dir: string, name: string): Record<string, unknown> {
  const file = join(dir, name);
  const text = readText(dir, name);
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) { throw new Fail(file, `is not valid JSON (${(e as Error).message})`); }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Fail(file, 'must hold a JSON object');
  return v as Record<string, unknown>;
}

/**
 * Parse a CSV file, require `required` columns, and parse `numeric` columns as finite numbers
 * (empty cells become null unless the column is in `nonEmpty`).
 */
function readCsv(dir: string, name: string, required: string[], numeric: string[], nonEmpty: string[] = []): Table<Row> {
  const file = join(dir, name);
  const text = readText(dir, name);
  if (text.trim() === '') throw new Fail(file, 'is empty (expected a header line and rows)');
  if ((text.match(/"/g)?.length ?? 0) % 2 === 1) throw new Fail(file, 'has an unterminated quoted field');
  const t = parseCsv(text);
  const missing = required.filter((c) => !t.header.includes(c));
  if (missing.length) throw new Fail(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (header: ${t.header.slice(0, 8).join(',')}${t.header.length > 8 ? ',...' : ''})`);
  const num = new Set(numeric.filter((c) => t.header.includes(c)));
  const need = new Set(nonEmpty);
  const rows: Row[] = [];
  for (const r of t.rows) {
    if (r.cells.length !== t.header.length) throw new Fail(file, `line ${r.line}: ${r.cells.length} fields where the header has ${t.header.length}`);
    const row: Row = {};
    t.header.forEach((h, i) => {
      const s = r.cells[i];
      if (s === '') {
        if (need.has(h)) throw new Fail(file, `line ${r.line}: column "${h}" is empty`);
        row[h] = null;
      } else if (num.has(h)) {
        const x = Number(s);
        if (!Number.isFinite(x)) throw new Fail(file, `line ${r.line}: column "${h}" is not a number ("${s.length > 40 ? s.slice(0, 40) + '...' : s}")`);
        row[h] = x;
      } else row[h] = s;
    });
    rows.push(row);
  }
  return { file, header: t.header, rows };
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

export const DRIVERS = ['security', 'resources', 'operations', 'values'] as const;
export type Driver = (typeof DRIVERS)[number];
/** The terms of a decision's utility in events.csv (utility units; they add up to `utility`). */
export const TERMS: readonly string[] = TERM_COLS;
const EVAL_COLS = [...TERMS, 'utility'];
export type EvalCol = string;

/** Spending levers as they appear in city_year.csv (`spend_<lever>_musd`), with display names. */
export const LEVERS: { col: string; label: string }[] = [
  { col: 'commitments', label: 'contest commitments' },
  { col: 'free_offices', label: 'free offices' },
  { col: 'tax_exemption', label: 'tax exemption' },
  { col: 'subsidy', label: 'operating subsidy' },
  { col: 'grants', label: 'relocation grants' },
  { col: 'one_off', label: 'one-off payments' },
  { col: 'schools', label: 'schools' },
  { col: 'security', label: 'security' },
  { col: 'leadership', label: 'issue leadership' },
];

export interface EventRow {
  year: number; type: string; org: string | null; city: string | null; from: string | null; to: string | null;
  contest: string | null; round: number | null; value: number | null; probability: number | null; detail: string | null;
  chosen: string | null; runner_up: string | null;
  chosenEval: Record<EvalCol, number | null>; runnerUpEval: Record<EvalCol, number | null>;
  weights: Record<Driver, number | null>;
}

export interface CityYearRow {
  year: number; city: string; hosted_orgs: number; hosted_staff: number; spend_total_musd: number;
  spend: Record<string, number>;
  orgsByDomain: Record<string, number>;
}

export interface OrgYearRow { year: number; org: string; seat: string | null; staff: number | null }

export interface RunSummary {
  scenario: string; arm: string | null; seed: number; firstYear: number; lastYear: number;
  cities: number; organizations: number; relocations: number; foundings: number; reviews: number; vetoes: number; contests: number;
  concentration: { hhiOrgs: number; hhiStaff: number; top5ShareOrgs: number; top5: { city: string; orgs: number }[] };
  byCity: Record<string, { hostedOrgs: number; hostedStaff: number; arrivals: number; departures: number; foundingsWon: number;
    contestsWon: number; spendMusd: number; staffYearsHosted: number; costPerOrgWonMusd: number | null; costPerStaffYearMusd: number | null }>;
}

export interface RunData {
  kind: 'run';
  dir: string;
  manifest: Record<string, unknown>;
  summary: RunSummary;
  domains: string[];
  events: EventRow[];
  cityYears: CityYearRow[];
  orgYears: OrgYearRow[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkSummary(file: string, s: Record<string, unknown>): RunSummary {
  const needNum = ['seed', 'firstYear', 'lastYear', 'cities', 'organizations', 'relocations', 'foundings', 'reviews', 'vetoes', 'contests'];
  for (const k of needNum) if (!isNum(s[k])) throw new Fail(file, `field "${k}" must be a number`);
  if (typeof s.scenario !== 'string') throw new Fail(file, 'field "scenario" must be a string');
  const c = s.concentration as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object' || !isNum(c.hhiOrgs) || !isNum(c.hhiStaff) || !isNum(c.top5ShareOrgs)) {
    throw new Fail(file, 'field "concentration" must hold numbers hhiOrgs, hhiStaff and top5ShareOrgs');
  }
  if (!s.byCity || typeof s.byCity !== 'object' || Array.isArray(s.byCity)) throw new Fail(file, 'field "byCity" must be an object keyed by city');
  for (const [id, v] of Object.entries(s.byCity as Record<string, Record<string, unknown>>)) {
    for (const k of ['hostedOrgs', 'hostedStaff', 'arrivals', 'departures', 'foundingsWon', 'contestsWon', 'spendMusd']) {
      if (!v || !isNum(v[k])) throw new Fail(file, `byCity.${id}.${k} must be a number`);
    }
  }
  return { arm: null, ...s } as unknown as RunSummary;
}

function loadRunData(dir: string, manifest: Record<string, unknown>): RunData {
  const summary = checkSummary(join(dir, 'summary.json'), readJsonObject(dir, 'summary.json'));

  const evalCols = (p: string) => EVAL_COLS.map((c) => `${p}_${c}`);
  const wCols = DRIVERS.map((d) => `weight_${d}`);
  const evNum = ['year', 'round', 'value', 'probability', ...evalCols('chosen'), ...evalCols('runner_up'), ...wCols];
  const ev = readCsv(dir, 'events.csv', ['year', 'type', 'org', 'city', 'from', 'to', 'contest', 'round', 'value', 'probability', 'detail',
    'chosen', 'runner_up', ...evalCols('chosen'), ...evalCols('runner_up')], evNum, ['year', 'type']);
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const numOrNull = (v: unknown) => (typeof v === 'number' ? v : null);
  const events: EventRow[] = ev.rows.map((r) => ({
    year: r.year as number, type: String(r.type), org: str(r.org), city: str(r.city), from: str(r.from), to: str(r.to),
    contest: str(r.contest), round: numOrNull(r.round), value: numOrNull(r.value), probability: numOrNull(r.probability), detail: str(r.detail),
    chosen: str(r.chosen), runner_up: str(r.runner_up),
    chosenEval: Object.fromEntries(EVAL_COLS.map((c) => [c, numOrNull(r[`chosen_${c}`])])) as Record<EvalCol, number | null>,
    runnerUpEval: Object.fromEntries(EVAL_COLS.map((c) => [c, numOrNull(r[`runner_up_${c}`])])) as Record<EvalCol, number | null>,
    weights: Object.fromEntries(DRIVERS.map((d) => [d, numOrNull(r[`weight_${d}`])])) as Record<Driver, number | null>,
  }));

  const cyHead = ['year', 'city', 'hosted_orgs', 'hosted_staff', 'spend_total_musd', ...LEVERS.map((l) => `spend_${l.col}_musd`)];
  const cyFile = join(dir, 'city_year.csv');
  const headerLine = readText(dir, 'city_year.csv').split(/\r?\n/, 1)[0];
  const domains = headerLine.split(',').filter((h) => h.startsWith('orgs_')).map((h) => h.slice(5));
  const cy = readCsv(dir, 'city_year.csv', cyHead, [...cyHead.filter((c) => c !== 'city'), ...domains.map((d) => `orgs_${d}`)], cyHead);
  const cityYears: CityYearRow[] = cy.rows.map((r) => ({
    year: r.year as number, city: String(r.city), hosted_orgs: r.hosted_orgs as number, hosted_staff: r.hosted_staff as number,
    spend_total_musd: r.spend_total_musd as number,
    spend: Object.fromEntries(LEVERS.map((l) => [l.col, r[`spend_${l.col}_musd`] as number])),
    orgsByDomain: Object.fromEntries(domains.map((d) => [d, (r[`orgs_${d}`] as number | null) ?? 0])),
  }));
  if (cityYears.length === 0) throw new Fail(cyFile, 'has no rows (the run recorded no city-years)');

  const oy = readCsv(dir, 'org_year.csv', ['year', 'org', 'seat', 'staff'], ['year', 'staff'], ['year', 'org']);
  const orgYears: OrgYearRow[] = oy.rows.map((r) => ({ year: r.year as number, org: String(r.org), seat: str(r.seat), staff: numOrNull(r.staff) }));

  return { kind: 'run', dir, manifest, summary, domains, events, cityYears, orgYears };
}

// ---------------------------------------------------------------------------------------------
// Sweeps
// ---------------------------------------------------------------------------------------------

export interface SweepFactor { name: string; path?: string; [k: string]: unknown }
export interface SweepManifest {
  kind: 'sweep';
  experiment: string; scenario: string; factors: SweepFactor[]; arms: string[]; baseline: string | null;
  design: { type: string; [k: string]: unknown }; replications: number | null; metrics: string[]; seed: number | null; runs: number | null;
  hqsim?: string;
  raw: Record<string, unknown>;
}

export type Value = string | number | null;
export interface RunsRow { point: number; arm: string; replication: number | null; seed: number | null; factors: Record<string, Value>; metrics: Record<string, number | null> }
export interface PointRow { point: number; arm: string; factors: Record<string, Value>; metric: string; n: number; mean: number | null; sd: number | null; ci_low: number | null; ci_high: number | null; flags: string }
/** A row of arms.csv; `by` is "all" (pooled), a factor name (per level) or "point" (per design point). */
export interface ArmRow {
  arm: string; baseline: string; metric: string; by: string; level: string; n: number; mean_diff: number | null; sd_diff: number | null; ci_low: number | null; ci_high: number | null;
  interval: string; flags: string; arm_spend_musd: number | null; baseline_spend_musd: number | null; spend_diff_musd: number | null;
  diff_per_musd: number | null; per_musd_ci_low: number | null; per_musd_ci_high: number | null;
}
/** A discovery written by hqsim discover (discover/*.json), as far as the report reads it. */
export interface DiscoverData {
  file: string; arm: string; metric: string; case: { above?: number; below?: number }; rows: number; cases: number; chosen: number; choice: string;
  trajectory: { box: number; coverage: number; density: number; mass: number; restricted: number; pasted?: boolean }[];
  box: { n: number; cases: number; coverage: number; density: number; limits: ({ factor: string; kind: 'range'; lo: number; hi: number; min: number; max: number; quasiP: number | null }
    | { factor: string; kind: 'values'; values: string[]; all: string[]; quasiP: number | null })[]; unrestricted: string[] };
  scores: { metric: string; oobR2: number; inputs: { factor: string; importance: number; share: number }[] }[];
  options: { trees: number };
}
export interface SensRow { method: string; arm: string; metric: string; factor: string; index: string; value: number | null; ci_low: number | null; ci_high: number | null }

export interface SweepData {
  kind: 'sweep';
  dir: string;
  manifest: SweepManifest;
  runs: RunsRow[];
  points: PointRow[];
  arms: ArmRow[];
  sensitivity: SensRow[];
  discover: DiscoverData[];
}

const nameOf = (v: unknown): string | null => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : null);

function checkSweepManifest(file: string, m: Record<string, unknown>): SweepManifest {
  if (!Array.isArray(m.factors) || m.factors.length === 0) throw new Fail(file, 'field "factors" must be a non-empty list of {name, path, ...}');
  const factors = m.factors.map((f, i) => {
    if (!f || typeof f !== 'object' || typeof (f as SweepFactor).name !== 'string') throw new Fail(file, `factors[${i}] must be an object with a "name"`);
    return f as SweepFactor;
  });
  if (!Array.isArray(m.metrics) || m.metrics.length === 0) throw new Fail(file, 'field "metrics" must be a non-empty list of metric names');
  const metrics = m.metrics.map((x, i) => { const n = nameOf(x); if (n === null) throw new Fail(file, `metrics[${i}] must be a name`); return n; });
  const arms = Array.isArray(m.arms) ? m.arms.map((x, i) => { const n = nameOf(x); if (n === null) throw new Fail(file, `arms[${i}] must be a name`); return n; }) : [];
  const design = m.design as { type?: unknown } | undefined;
  if (!design || typeof design !== 'object' || typeof design.type !== 'string') throw new Fail(file, 'field "design" must be an object with a "type" (grid, lhs, sobol or morris)');
  return {
    kind: 'sweep', raw: m,
    experiment: typeof m.name === 'string' ? m.name : typeof m.experiment === 'string' ? m.experiment : 'experiment',
    scenario: typeof m.scenario === 'string' ? m.scenario : nameOf(m.scenario) ?? '',
    factors, metrics, arms, baseline: nameOf(m.baseline),
    design: design as SweepManifest['design'],
    replications: isNum(m.replications) ? m.replications : null, seed: isNum(m.seed) ? m.seed : null,
    runs: isNum(m.runs) ? m.runs : Array.isArray(m.runs) ? m.runs.length : null,
    hqsim: typeof m.hqsim === 'string' ? m.hqsim : undefined,
  };
}

/** A cell of a factor column: a number when it reads as one, else the text (levels may be names or booleans). */
const level = (v: string | number | null): Value => (v === null ? null : typeof v === 'number' ? v : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

function loadSweepData(dir: string, manifest: Record<string, unknown>): SweepData {
  const m = checkSweepManifest(join(dir, 'manifest.json'), manifest);
  const fnames = m.factors.map((f) => f.name);

  const runsT = readCsv(dir, 'runs.csv', ['point', 'arm', 'replication', 'seed', ...fnames, ...m.metrics], ['point', 'replication', 'seed', ...m.metrics], ['point']);
  const runs: RunsRow[] = runsT.rows.map((r) => ({
    point: r.point as number, arm: String(r.arm ?? ''), replication: r.replication as number | null, seed: r.seed as number | null,
    factors: Object.fromEntries(fnames.map((f) => [f, level(r[f])])),
    metrics: Object.fromEntries(m.metrics.map((k) => [k, r[k] as number | null])),
  }));

  const stat = ['n', 'mean', 'sd', 'ci_low', 'ci_high'];
  const pts = readCsv(dir, 'points.csv', ['point', 'arm', ...fnames, 'metric', ...stat], ['point', ...stat], ['point', 'metric', 'n']);
  const points: PointRow[] = pts.rows.map((r) => ({
    point: r.point as number, arm: String(r.arm ?? ''), factors: Object.fromEntries(fnames.map((f) => [f, level(r[f])])), metric: String(r.metric),
    n: r.n as number, mean: r.mean as number | null, sd: r.sd as number | null, ci_low: r.ci_low as number | null, ci_high: r.ci_high as number | null,
    flags: r.flags === null || r.flags === undefined ? '' : String(r.flags),
  }));
  const unknownMetric = points.find((p) => !m.metrics.includes(p.metric));
  if (unknownMetric) throw new Fail(pts.file, `metric "${unknownMetric.metric}" is not listed in manifest.json metrics`);

  // The manifest's file list, when present, says which optional tables exist (a shard of a sweep has no arms.csv).
  const listed = Array.isArray(manifest.files) ? new Set(manifest.files.map(String)) : null;
  const expect = (name: string, fallback: boolean) => (listed ? listed.has(name) : fallback || existsSync(join(dir, name)));
  let arms: ArmRow[] = [];
  if (expect('arms.csv', m.arms.length > 1)) {
    const spend = ['arm_spend_musd', 'baseline_spend_musd', 'spend_diff_musd', 'diff_per_musd', 'per_musd_ci_low', 'per_musd_ci_high'] as const;
    const a = readCsv(dir, 'arms.csv', ['arm', 'baseline', 'metric', 'n', 'mean_diff', 'sd_diff', 'ci_low', 'ci_high'],
      ['n', 'mean_diff', 'sd_diff', 'ci_low', 'ci_high', ...spend], ['arm', 'baseline', 'metric', 'n']);
    const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    const numOf = (v: unknown) => (typeof v === 'number' ? v : null);
    // Tables of older versions have only pooled rows and no `by` column.
    arms = a.rows.map((r) => ({ arm: String(r.arm), baseline: String(r.baseline), metric: String(r.metric), by: text(r.by) || 'all', level: text(r.level), n: r.n as number,
      mean_diff: r.mean_diff as number | null, sd_diff: r.sd_diff as number | null, ci_low: r.ci_low as number | null, ci_high: r.ci_high as number | null,
      interval: text(r.interval), flags: text(r.flags), ...Object.fromEntries(spend.map((k) => [k, numOf(r[k])])) } as ArmRow));
  }

  let sensitivity: SensRow[] = [];
  if (expect('sensitivity.csv', m.design.type === 'sobol' || m.design.type === 'morris')) {
    const s = readCsv(dir, 'sensitivity.csv', ['method', 'metric', 'factor', 'index', 'value', 'ci_low', 'ci_high'], ['value', 'ci_low', 'ci_high'],
      ['method', 'metric', 'factor', 'index']);
    sensitivity = s.rows.map((r) => ({ method: String(r.method), arm: String(r.arm ?? ''), metric: String(r.metric), factor: String(r.factor), index: String(r.index),
      value: r.value as number | null, ci_low: r.ci_low as number | null, ci_high: r.ci_high as number | null }));
  }
  return { kind: 'sweep', dir, manifest: m, runs, points, arms, sensitivity, discover: loadDiscoveries(dir, m.metrics) };
}

/** The discoveries of `hqsim discover` in `dir/discover/`, by file name; a file that does not fit is a problem. */
function loadDiscoveries(dir: string, metrics: string[]): DiscoverData[] {
  const sub = join(dir, 'discover');
  if (!existsSync(sub) || !statSync(sub).isDirectory()) return [];
  const out: DiscoverData[] = [];
  for (const name of readdirSync(sub).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort()) {
    const file = join(sub, name);
    const j = readJsonObject(sub, name) as unknown as DiscoverData & { kind?: unknown };
    const ok = j.kind === 'discover' && typeof j.metric === 'string' && Array.isArray(j.trajectory) && j.box && Array.isArray(j.box.limits)
      && Array.isArray(j.scores) && typeof j.chosen === 'number' && j.trajectory.every((t) => isNum(t.coverage) && isNum(t.density));
    if (!ok) throw new Fail(file, 'is not a discovery written by hqsim discover (kind, metric, trajectory, box, scores)');
    if (!metrics.includes(j.metric)) throw new Fail(file, `metric "${j.metric}" is not a metric of this sweep`);
    out.push({ ...j, file: `discover/${name}` });
  }
  return out;
}

/** Load a result directory: a run (manifest without `kind`, or kind "run") or a sweep (kind "sweep"). */
export function loadResults(dir: string): Loaded<RunData | SweepData> {
  try {
    if (!existsSync(dir)) throw new Fail(dir, 'no such directory');
    if (!statSync(dir).isDirectory()) throw new Fail(dir, 'is not a directory (give the result directory that holds manifest.json)');
    const manifest = readJsonObject(dir, 'manifest.json');
    const kind = manifest.kind;
    if (kind === undefined || kind === 'run') return { ok: true, value: loadRunData(dir, manifest) };
    if (kind === 'sweep') return { ok: true, value: loadSweepData(dir, manifest) };
    throw new Fail(join(dir, 'manifest.json'), `unknown kind ${JSON.stringify(kind)} (expected "run" or "sweep")`);
  } catch (e) {
    if (e instanceof Fail) return { ok: false, problem: { file: e.file, problem: e.problem } };
    throw e;
  }
}
