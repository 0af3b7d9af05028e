/**
 * Scenario loading: file -> parsed document -> overrides (arms, sweep points) -> validated, complete scenario.
 * Every problem is collected with its file, line, column and field path; nothing is thrown half-way.
 */
import { createHash } from 'node:crypto';
import { dirname, resolve, relative } from 'node:path';
import { z } from 'zod';
import {
  ScenarioFileSchema, CitySchema, OrgSchema, CITY_ATTRIBUTES, type CityDef, type OrgDef, type EventDef, type ContestDef,
  type ScenarioFile,
} from './schema.ts';
import { resolveParams, WEIGHT_GROUPS, getPath, type Params, type ParamOverrides } from '../model/params.ts';
import { parseCsv } from './csv.ts';
import { ScenarioError, suggest, type Problem } from './errors.ts';
import { locate, pathString, readDocument, schemaKeys, zodProblems } from './locate.ts';
import { InputFileError, readInputFile } from '../limits/index.ts';
import { scenarioLimitProblems } from '../limits/scenario.ts';

import { BUNDLED_HISTORY, BUNDLED_SEEDS } from './paths.ts';
import { HISTORY_ATTRIBUTES, parseCityHistory } from './history.ts';
export { PACKAGE_ROOT, BUNDLED_SEEDS } from './paths.ts';

export interface Scenario {
  name: string;
  description: string;
  file: string;
  /** sha256 of the scenario file and of every seed file read, in that order. */
  inputs: { file: string; sha256: string }[];
  arm?: string;
  overrides: Record<string, unknown>;
  /** the coefficients the scenario sets itself (its parameters: block, after arms and overrides) */
  paramOverrides: ParamOverrides;
  start: number;
  years: number;
  seed: number;
  params: Params;
  cities: CityDef[];
  organizations: OrgDef[];
  events: EventDef[];
  contests: ContestDef[];
  population: { cities: number; organizations: number; domains?: string[] };
  arms: string[];
}

export interface LoadOptions {
  /** Name of an arm declared in the scenario's `arms:` block. */
  arm?: string;
  /** Extra path -> value overrides (applied after the arm), e.g. from a sweep design point. */
  overrides?: Record<string, unknown>;
  /** Replace the seed / number of years (command-line flags). */
  seed?: number;
  years?: number;
}

const CITY_DEFAULTS: Partial<CityDef> = {
  hostedIos: 0, focusDomains: [], budgetMusd: 0, strategy: 'fixed', levers: {}, schedule: [], offers: [],
};
const ORG_DEFAULTS: Partial<OrgDef> = { veto: 0, region: 'global' };

/** Every key the format knows, for "did you mean" hints. */
let vocabulary: Set<string> | undefined;
const knownKeys = () => (vocabulary ??= schemaKeys(ScenarioFileSchema));

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Path segments that would reach JavaScript's object machinery rather than the scenario. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Set a value at a dotted path in a raw scenario object; list segments are matched by element id. `trail`, when
 * given, receives the path as keys and list indices (where problems with the value will be reported).
 */
export function setPath(raw: Record<string, unknown>, path: string, value: unknown, trail: (string | number)[] = []): string | undefined {
  const parts = path.split('.');
  const bad = parts.find((k) => FORBIDDEN_SEGMENTS.has(k));
  if (bad !== undefined) return `"${bad}" cannot be part of a path`;
  let cur: unknown = raw;
  for (let i = 0; i < parts.length; i++) {
    const k = parts[i];
    const last = i === parts.length - 1;
    trail.push(k);
    if (Array.isArray(cur)) {
      let idx = /^\d+$/.test(k) ? Number(k) : cur.findIndex((e) => e === k || (typeof e === 'object' && e !== null && (e as { id?: unknown }).id === k));
      if (idx < 0 || idx >= cur.length) {
        if (/^\d+$/.test(k)) return `no element ${k} in ${parts.slice(0, i).join('.')}`;
        cur.push({ id: k }); idx = cur.length - 1;
      }
      trail[trail.length - 1] = idx;
      if (typeof cur[idx] === 'string') cur[idx] = { id: cur[idx] };
      if (last) { cur[idx] = value; return undefined; }
      cur = cur[idx];
    } else if (typeof cur === 'object' && cur !== null) {
      const o = cur as Record<string, unknown>;
      if (last) { o[k] = value; return undefined; }
      if (!Object.hasOwn(o, k) || o[k] === undefined || o[k] === null) o[k] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      cur = o[k];
    } else return `cannot set ${path}: ${parts.slice(0, i).join('.')} is not an object or list`;
  }
  return undefined;
}

const CITY_COLUMNS: Record<string, string> = {
  office_cost: 'officeCost', living_cost: 'livingCost', national_support: 'nationalSupport', hosted_ios: 'hostedIos', focus_domains: 'focusDomains',
};
const ORG_COLUMNS: Record<string, string> = { budget_musd: 'budgetMusd', local_share: 'localShare' };
const NUMERIC_CITY = new Set<string>([...CITY_ATTRIBUTES, 'hostedIos', 'lat', 'lon', 'budgetMusd']);
const NUMERIC_ORG = new Set(['founded', 'staff', 'budgetMusd', 'localShare', 'veto']);
const IGNORED = new Set(['type_reason', 'profile_reason', 'default_budget_basis']);
/** The default attraction budget of a seed city (seeds/README.md), used when the scenario sets `seeds.defaultBudgets`. */
const DEFAULT_BUDGET = 'default_budget_musd';

interface SeedRow { line: number; columns: string[]; value: Record<string, unknown>; defaultBudget?: number }

function readSeeds(file: string, kind: 'city' | 'org', problems: Problem[], inputs: Scenario['inputs']): Map<string, SeedRow> {
  const rows = new Map<string, SeedRow>();
  let text: string;
  try { text = readInputFile(file); } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    problems.push({ file, path: '', message: `cannot read seed file: ${e.reason}` });
    return rows;
  }
  inputs.push({ file, sha256: sha256(text) });
  const table = parseCsv(text);
  const map = kind === 'city' ? CITY_COLUMNS : ORG_COLUMNS;
  const numeric = kind === 'city' ? NUMERIC_CITY : NUMERIC_ORG;
  const cols = table.header.map((h) => map[h] ?? h);
  for (const r of table.rows) {
    const v: Record<string, unknown> = {};
    const w: Record<string, number> = {};
    let defaultBudget: number | undefined;
    r.cells.forEach((cell, i) => {
      const h = table.header[i];
      const key = cols[i];
      if (h === undefined || IGNORED.has(h)) return;
      const s = cell.trim();
      if (s === '') return;
      if (kind === 'city' && h === DEFAULT_BUDGET) { defaultBudget = Number(s); return; }
      if (kind === 'org' && h.startsWith('w_')) { w[h.slice(2)] = Number(s); return; }
      if (key === 'focusDomains') v[key] = s.split(';').map((d) => d.trim()).filter(Boolean);
      else if (numeric.has(key)) v[key] = Number(s);
      else v[key] = s;
    });
    if (Object.keys(w).length) v.weights = w;
    if (r.cells.length !== table.header.length) {
      problems.push({ file, line: r.line, col: 1, path: '', message: `row has ${r.cells.length} fields, header has ${table.header.length}` });
    }
    if (typeof v.id === 'string') {
      if (rows.has(v.id)) problems.push({ file, line: r.line, col: 1, path: 'id', message: `duplicate id "${v.id}" (first on line ${rows.get(v.id)!.line})` });
      else rows.set(v.id, { line: r.line, columns: cols, value: v, ...(defaultBudget !== undefined ? { defaultBudget } : {}) });
    }
  }
  return rows;
}

function nearest(id: string, ids: Iterable<string>): string {
  const s = suggest(id, ids);
  return s ? ` (did you mean "${s}"?)` : '';
}

/** Load, override and validate a scenario file. Throws ScenarioError with every problem found. */
export function loadScenario(file: string, opts: LoadOptions = {}): Scenario {
  let text: string;
  try { text = readInputFile(file); } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw new ScenarioError([{ file, path: '', message: `cannot read scenario: ${e.reason}` }]);
  }
  return parseScenario(text, file, opts);
}

export function parseScenario(text: string, file: string, opts: LoadOptions = {}): Scenario {
  const { src, raw: rawObj } = readDocument(text, file, 'a scenario (name:, start:, years:, cities:, ...)');
  const problems: Problem[] = [];
  const where = (path: (string | number)[], key?: string): Problem => ({ file, ...locate(src, path, key), path: '', message: '' });

  // Overrides: the arm's, then the caller's (sweep points). They act on the raw document so that
  // validation sees the final values, and located errors still point at the nearest original node.
  const overrides: Record<string, unknown> = {};
  // Where each override of the scenario's arm landed, so that problems it causes are reported at the arm's key.
  const armTrails: { key: string; at: string }[] = [];
  // Own properties only, defined rather than assigned: an override named "__proto__" stays a key (setPath refuses it).
  const take = (from: object) => { for (const [k, v] of Object.entries(from)) Object.defineProperty(overrides, k, { value: v, enumerable: true, writable: true, configurable: true }); };
  if (opts.arm !== undefined) {
    const arms = (rawObj.arms && typeof rawObj.arms === 'object' ? rawObj.arms : {}) as Record<string, unknown>;
    if (!Object.hasOwn(arms, opts.arm)) {
      throw new ScenarioError([{ ...where(['arms']), path: 'arms', message: `no arm "${opts.arm}"${nearest(opts.arm, Object.keys(arms))}; arms: ${Object.keys(arms).join(', ') || 'none'}` }]);
    }
    const arm = arms[opts.arm];
    if (arm !== null && typeof arm === 'object') take(arm); // anything else is reported by the schema
  }
  const armKeys = new Set(opts.arm !== undefined ? Object.keys(overrides) : []);
  take(opts.overrides ?? {});
  for (const [path, value] of Object.entries(overrides)) {
    const trail: (string | number)[] = [];
    const err = setPath(rawObj, path, structuredClone(value), trail);
    if (err) problems.push(opts.arm !== undefined && armKeys.has(path) && !(opts.overrides && path in opts.overrides)
      ? { file, ...locate(src, ['arms', opts.arm], path), path: `arms.${opts.arm}.${path}`, message: `arm "${opts.arm}": ${err}` }
      : { file, path, message: `override: ${err}` });
    else if (armKeys.has(path) && !(opts.overrides && path in opts.overrides)) armTrails.push({ key: path, at: pathString(trail) });
  }
  /** A problem caused by an override of the scenario's arm, moved to that override's key in the arms block. */
  const inArm = (p: Problem): Problem => {
    if (opts.arm === undefined || !p.path) return p;
    const hit = armTrails.find((t) => p.path === t.at || p.path.startsWith(`${t.at}.`) || p.path.startsWith(`${t.at}[`)
      || t.at.startsWith(`${p.path}.`) || t.at.startsWith(`${p.path}[`));
    if (!hit) return p;
    return { file, ...locate(src, ['arms', opts.arm], hit.key), path: `arms.${opts.arm}.${hit.key}`, message: `arm "${opts.arm}": ${p.path}: ${p.message}` };
  };
  const fail: () => never = () => { throw new ScenarioError(problems.map(inArm)); };
  if (opts.seed !== undefined) rawObj.seed = opts.seed;
  if (opts.years !== undefined) rawObj.years = opts.years;

  const parsed = ScenarioFileSchema.safeParse(rawObj, { reportInput: true });
  if (!parsed.success) {
    problems.push(...zodProblems(src, parsed.error.issues, knownKeys()));
    fail();
  }
  const sf: ScenarioFile = parsed.data;
  const inputs: Scenario['inputs'] = [{ file, sha256: sha256(text) }];
  const baseDir = dirname(resolve(file));

  // Seeds are read only when the scenario refers to them.
  const needsCitySeeds = sf.seeds?.includeAllCities || sf.cities.some((c) => typeof c === 'string' || !('name' in c));
  const needsOrgSeeds = sf.seeds?.includeAllOrganizations || sf.organizations.some((o) => typeof o === 'string' || !('name' in o));
  const cityFile = sf.seeds?.cities ? resolve(baseDir, sf.seeds.cities) : BUNDLED_SEEDS.cities;
  const orgFile = sf.seeds?.organizations ? resolve(baseDir, sf.seeds.organizations) : BUNDLED_SEEDS.organizations;
  const displayName = (f: string) => { const r = relative(process.cwd(), f); return r.startsWith('..') ? f : r; };
  const citySeeds = needsCitySeeds ? readSeeds(cityFile, 'city', problems, inputs) : new Map<string, SeedRow>();
  // Opt-in: seed cities act by their type with the default attraction budget of the seed file (a scenario's own
  // fields still override both).
  if (sf.seeds?.defaultBudgets) {
    for (const row of citySeeds.values()) if (row.defaultBudget !== undefined) row.value = { ...row.value, budgetMusd: row.defaultBudget, strategy: row.value.type };
  }
  const orgSeeds = needsOrgSeeds ? readSeeds(orgFile, 'org', problems, inputs) : new Map<string, SeedRow>();

  const merge = <T>(kind: 'cities' | 'organizations', entries: ScenarioFile['cities'] | ScenarioFile['organizations'],
    seeds: Map<string, SeedRow>, seedFile: string, includeAll: boolean | undefined, defaults: Record<string, unknown>,
    schema: z.ZodType<T>): T[] => {
    const out: T[] = [];
    const listed = new Map<string, { entry: Record<string, unknown>; index: number }>();
    entries.forEach((e, index) => {
      const entry = typeof e === 'string' ? { id: e } : (e as Record<string, unknown>);
      const id = entry.id as string;
      if (listed.has(id)) {
        problems.push({ ...where([kind, index]), path: `${kind}[${index}].id`, message: `duplicate id "${id}" (also ${kind}[${listed.get(id)!.index}])` });
        return;
      }
      listed.set(id, { entry, index });
    });
    const ids = includeAll ? [...new Set([...seeds.keys(), ...listed.keys()])] : [...listed.keys()];
    for (const id of ids) {
      const l = listed.get(id);
      const seed = seeds.get(id);
      const isComplete = l && 'name' in l.entry;
      if (!seed && l && !isComplete) {
        problems.push({ ...where([kind, l.index]), path: `${kind}[${l.index}]`, message: `"${id}" is not in ${displayName(seedFile)}${nearest(id, seeds.keys())}; give its full definition or a seed id` });
        continue;
      }
      const merged = { ...defaults, ...(seed?.value ?? {}), ...(l?.entry ?? {}) };
      const r = schema.safeParse(merged, { reportInput: true });
      if (r.success) { out.push(r.data); continue; }
      for (const is of r.error.issues) {
        const field = String(is.path[0] ?? '');
        const fromEntry = l && (field in l.entry || !seed);
        if (fromEntry || !seed) {
          const idx = l!.index;
          const entryPath: (string | number)[] = [kind, idx, ...is.path.filter((k): k is string | number => typeof k !== 'symbol')];
          const probs = zodProblems(src, [{ ...is, path: entryPath } as z.core.$ZodIssue], knownKeys());
          for (const p of probs) problems.push(is.code === 'invalid_type' && !(field in (l?.entry ?? {})) ? { ...p, message: `missing field "${field}"` } : p);
        } else {
          const col = seed.columns.indexOf(field);
          problems.push({ file: displayName(seedFile), line: seed.line, col: col >= 0 ? col + 1 : 1, path: `${id}.${pathString(is.path.filter((k): k is string | number => typeof k !== 'symbol'))}`,
            message: is.code === 'invalid_type' && merged[field as keyof typeof merged] === undefined ? `missing value "${field}"` : is.message });
        }
      }
    }
    return out;
  };

  const cities = merge('cities', sf.cities, citySeeds, cityFile, sf.seeds?.includeAllCities,
    { ...CITY_DEFAULTS, ...(sf.defaults?.city ?? {}) }, CitySchema);

  // Cities as they were: seed cities follow their dated history for the attributes the scenario does not set.
  if (sf.cityHistory !== false && citySeeds.size) {
    const histFile = sf.seeds?.history ? resolve(baseDir, sf.seeds.history) : BUNDLED_HISTORY;
    let text: string | undefined;
    try { text = readInputFile(histFile); } catch (e) {
      if (!(e instanceof InputFileError)) throw e;
      problems.push({ file: histFile, path: '', message: `cannot read city history: ${e.reason}` });
    }
    if (text !== undefined) {
      inputs.push({ file: histFile, sha256: sha256(text) });
      try {
        const hist = parseCityHistory(text, histFile, { cities: cityFile });
        const own = new Map<string, Set<string>>();
        for (const e of sf.cities) if (typeof e === 'object') own.set(e.id, new Set(Object.keys(e)));
        const defaulted = new Set(Object.keys(sf.defaults?.city ?? {}));
        for (const c of cities) {
          const series = citySeeds.has(c.id) ? hist.series.get(c.id) : undefined;
          if (!series) continue;
          const h: NonNullable<CityDef['history']> = { ...(c.history ?? {}) };
          for (const a of HISTORY_ATTRIBUTES) {
            const pts = series.get(a);
            if (!pts || !pts.length || h[a] || own.get(c.id)?.has(a) || defaulted.has(a)) continue;
            h[a] = [...pts.map((x) => [x.year, x.value] as [number, number]), [hist.presentYear, c[a]]];
          }
          if (Object.keys(h).length) c.history = h;
        }
      } catch (e) {
        if (e instanceof ScenarioError) problems.push(...e.problems); else throw e;
      }
    }
  }
  for (const c of cities) if (c.history) for (const pts of Object.values(c.history)) pts?.sort((a, b) => a[0] - b[0]);
  const organizations = merge('organizations', sf.organizations, orgSeeds, orgFile, sf.seeds?.includeAllOrganizations, ORG_DEFAULTS, OrgSchema);

  // A seed city's hosted_ios is the documented count of every organization it hosts; those the scenario models as
  // agents are not background, so they come off it (in each dated point, those founded by then), never below 0.
  {
    const ownKeys = new Map<string, Set<string>>();
    for (const e of sf.cities) if (typeof e === 'object') ownKeys.set(e.id, new Set(Object.keys(e)));
    const defaulted = 'hostedIos' in (sf.defaults?.city ?? {});
    const seated = new Map<string, number[]>();
    for (const o of organizations) if (o.seat !== null) (seated.get(o.seat) ?? seated.set(o.seat, []).get(o.seat)!).push(o.founded);
    for (const c of cities) {
      const f = seated.get(c.id);
      if (!f || !citySeeds.has(c.id) || defaulted || ownKeys.get(c.id)?.has('hostedIos')) continue;
      const by = (year: number) => f.filter((y) => y <= year).length;
      c.hostedIos = Math.max(0, c.hostedIos - f.length);
      if (c.history?.hostedIos) c.history.hostedIos = c.history.hostedIos.map(([y, v]) => [y, Math.max(0, v - by(y))] as [number, number]);
    }
  }

  // Cross-references and sums, reported at the referring field.
  const cityIds = new Set(cities.map((c) => c.id));
  const orgIds = new Set(organizations.map((o) => o.id));
  const at = (path: (string | number)[], message: string) => problems.push({ ...where(path), path: pathString(path), message });
  const idxOf = (kind: 'cities' | 'organizations', id: string) => {
    const list = kind === 'cities' ? sf.cities : sf.organizations;
    return list.findIndex((e) => (typeof e === 'string' ? e : e.id) === id);
  };
  const cityRef = (path: (string | number)[], id: string) => { if (!cityIds.has(id)) at(path, `unknown city "${id}"${nearest(id, cityIds)}`); };
  const orgRef = (path: (string | number)[], id: string) => { if (!orgIds.has(id)) at(path, `unknown organization "${id}"${nearest(id, orgIds)}`); };

  const contestOrgs = new Set(sf.contests.map((c) => c.org));
  for (const o of organizations) {
    const i = idxOf('organizations', o.id);
    const base: (string | number)[] = i >= 0 ? ['organizations', i] : ['organizations'];
    if (o.seat === null) {
      if (!contestOrgs.has(o.id)) at([...base, 'seat'], `organization "${o.id}" has no seat and no contest decides one`);
    } else if (!cityIds.has(o.seat)) at([...base, 'seat'], `seat "${o.seat}" of "${o.id}" is not a city of this scenario${nearest(o.seat, cityIds)}`);
    if (o.weights) {
      const s = o.weights.security + o.weights.resources + o.weights.operations + o.weights.values;
      if (Math.abs(s - 1) > 1e-6) at([...base, 'weights'], `driver weights of "${o.id}" sum to ${+s.toFixed(6)}, not 1`);
    }
  }
  for (const c of cities) {
    const i = idxOf('cities', c.id);
    const base: (string | number)[] = i >= 0 ? ['cities', i] : ['cities'];
    c.offers.forEach((of, j) => orgRef([...base, 'offers', j, 'org'], of.org));
    if (c.allocation) {
      const s = Object.values(c.allocation).reduce((x: number, y) => x + (y ?? 0), 0);
      if (Math.abs(s - 1) > 1e-6) at([...base, 'allocation'], `allocation shares sum to ${+s.toFixed(6)}, not 1`);
    }
    c.schedule.forEach((s, j) => { if (s.to !== undefined && s.to < s.from) at([...base, 'schedule', j, 'to'], `"to" (${s.to}) is before "from" (${s.from})`); });
  }
  sf.events.forEach((e, i) => {
    if (e.year < sf.start) at(['events', i, 'year'], `event year ${e.year} is before the first simulated year ${sf.start}`);
    if ('city' in e) cityRef(['events', i, 'city'], e.city);
    if ('org' in e) orgRef(['events', i, 'org'], e.org);
    if (e.type === 'hostWithdrawal') e.orgs?.forEach((o, j) => orgRef(['events', i, 'orgs', j], o));
    if (e.type === 'budgetChange' && (e.factor === undefined) === (e.budgetMusd === undefined)) at(['events', i], 'budgetChange needs exactly one of "factor" or "budgetMusd"');
  });
  const contestIds = new Map<string, number>();
  sf.contests.forEach((c, i) => {
    if (contestIds.has(c.id)) at(['contests', i, 'id'], `duplicate contest id "${c.id}" (also contests[${contestIds.get(c.id)}])`);
    contestIds.set(c.id, i);
    orgRef(['contests', i, 'org'], c.org);
    c.candidates?.forEach((id, j) => cityRef(['contests', i, 'candidates', j], id));
    for (const id of Object.keys(c.bids ?? {})) {
      cityRef(['contests', i, 'bids', id], id);
      if (c.candidates && !c.candidates.includes(id)) at(['contests', i, 'bids', id], `bid from "${id}", which is not among the candidates`);
    }
    const o = organizations.find((x) => x.id === c.org);
    if (o && c.year < o.founded) at(['contests', i, 'year'], `contest in ${c.year}, before "${o.id}" is founded (${o.founded})`);
    // A contest after the horizon simply does not happen (runs may be shortened with --years); one before the start is a mistake.
    if (c.year < sf.start) at(['contests', i, 'year'], `contest year ${c.year} is before the first simulated year ${sf.start}`);
  });

  const paramOverrides = (sf.parameters ?? {}) as ParamOverrides;
  const params = resolveParams(paramOverrides);
  for (const group of WEIGHT_GROUPS) {
    if (!group.some((k) => getPath(paramOverrides, k) !== undefined)) continue;
    const s = group.reduce((acc, k) => acc + (getPath(params, k) as number), 0);
    if (Math.abs(s - 1) > 1e-6) {
      const parent = group[0].split('.').slice(0, -1).join('.');
      const path = ['parameters', ...group.find((k) => getPath(paramOverrides, k) !== undefined)!.split('.')];
      at(path, `weights ${parent}.{${group.map((k) => k.split('.').pop()).join(', ')}} sum to ${+s.toFixed(6)}, not 1`);
    }
  }
  if (params.choice.nestScale > params.choice.temperature) {
    at(['parameters', 'choice', 'nestScale'], `nestScale (${params.choice.nestScale}) must not exceed temperature (${params.choice.temperature})`);
  }
  if (params.stages.matureAge <= params.stages.foundingYears) at(['parameters', 'stages', 'matureAge'], 'matureAge must exceed foundingYears');
  for (const l of scenarioLimitProblems({ cities: cities.length, organizations: organizations.length, population: sf.population, years: sf.years, foundingRate: params.foundings.rate, contests: sf.contests })) at(l.path, l.message);

  if (problems.length) fail();
  return {
    name: sf.name,
    description: sf.description ?? '',
    file,
    inputs,
    arm: opts.arm,
    overrides,
    paramOverrides,
    start: sf.start,
    years: sf.years,
    seed: sf.seed,
    params,
    cities: cities.sort((a, b) => cmp(a.id, b.id)),
    organizations: organizations.sort((a, b) => cmp(a.id, b.id)),
    events: sf.events,
    contests: sf.contests,
    population: sf.population ?? { cities: 0, organizations: 0 },
    arms: Object.keys(sf.arms ?? {}).sort(cmp),
  };
}

/** Code-unit string order: locale-independent, so sorted outputs are the same on every machine. */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
