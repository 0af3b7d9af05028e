/**
 * What the sandbox's controls amount to: dotted-path overrides of the scenario, the same mechanism as a
 * scenario's `arms:` block. A setting is exported as an arm (YAML) and carried in a permalink (URL fragment);
 * both give back exactly the overrides the page ran.
 */

export type Value = number | string | boolean | null | Value[] | { [k: string]: Value };

export interface SandboxState {
  /** The city whose policy the controls set. */
  focal: string;
  /** An arm of the scenario the settings start from (null: the scenario as written). */
  arm: string | null;
  /** path -> value, in the order they were first set (the order they are applied). */
  set: Record<string, Value>;
  /** Seed of the single run whose summary the page shows (as `hqsim run --seed`). */
  seed: number;
  /** Name of the arm the settings are exported as. */
  name: string;
}

export const PERMALINK_VERSION = '1';

/** The overrides a run applies: the starting arm's, then the settings (later paths win, as in parseScenario). */
export function mergedOverrides(armOverrides: Record<string, Value> | undefined, set: Record<string, Value>): Record<string, Value> {
  return { ...(armOverrides ?? {}), ...set };
}

/**
 * The overrides of the exported arm: the starting arm's, then the settings. Pasted into the scenario as one arm,
 * they make `hqsim run --arm <name>` load what the page loads with `{ arm, overrides: settings }`.
 */
export function exportedOverrides(state: Pick<SandboxState, 'arm' | 'set'>, armOverrides: Record<string, Record<string, Value>>): Record<string, Value> {
  return mergedOverrides(state.arm === null ? undefined : armOverrides[state.arm], state.set);
}

/**
 * Set or clear one setting. A setting changed again keeps its place (the order of first setting is the order of
 * application); clearing (undefined) also clears every setting below the path.
 */
export function withSetting(set: Record<string, Value>, path: string, value: Value | undefined): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(set)) {
    if (value === undefined && (k === path || k.startsWith(path + '.'))) continue;
    out[k] = k === path ? value! : v;
  }
  if (value !== undefined) out[path] = value;
  return out;
}

/** Ids and dotted paths of a scenario: lowercase letters, digits, _ and . (so they are plain YAML keys). */
const PLAIN_KEY = /^[A-Za-z0-9_$][A-Za-z0-9_.$-]*$/;

/** A value as YAML: JSON is YAML's flow style, so numbers and strings read back exactly as written. */
function yamlValue(v: Value): string {
  return JSON.stringify(v);
}

/**
 * The settings as an arm to paste into the scenario file:
 *   arms:
 *     sandbox:
 *       cities.bonn.budgetMusd: 25
 */
export function armYaml(name: string, overrides: Record<string, Value>, withHeader = true): string {
  const key = (k: string) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k));
  const entries = Object.entries(overrides);
  const body = entries.length ? entries.map(([k, v]) => `    ${key(k)}: ${yamlValue(v)}`).join('\n') : '    {}';
  const head = withHeader ? 'arms:\n' : '';
  return `${head}  ${key(name)}:${entries.length ? '\n' + body : ' {}'}\n`;
}

/** The command that runs the same settings from the command line (after the arm is pasted into the file). */
export function cliCommand(file: string, arm: string | null, seed: number, scenarioSeed: number): string {
  const q = (s: string) => (/^[A-Za-z0-9_./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return `npx hqsim run ${q(file)}${arm ? ` --arm ${q(arm)}` : ''}${seed !== scenarioSeed ? ` --seed ${seed}` : ''}`;
}

/** The arm a CLI run needs for these settings: none, the starting arm, or the exported one. */
export function runArm(state: Pick<SandboxState, 'arm' | 'set' | 'name'>): string | null {
  return Object.keys(state.set).length ? state.name : state.arm;
}

/** The URL fragment (without '#') that restores a state. Readable: `focal=bonn&set.cities.bonn.budgetMusd=25`. */
export function encodeState(s: SandboxState, scenarioId: string): string {
  const p = new URLSearchParams();
  p.set('v', PERMALINK_VERSION);
  p.set('scenario', scenarioId);
  p.set('focal', s.focal);
  if (s.arm !== null) p.set('arm', s.arm);
  p.set('seed', String(s.seed));
  p.set('name', s.name);
  for (const [k, v] of Object.entries(s.set)) p.append('set.' + k, JSON.stringify(v));
  return p.toString();
}

export interface Decoded { state: Partial<SandboxState>; scenarioId: string | null; problems: string[] }

/** Read a fragment written by encodeState; what cannot be read is reported, not guessed. */
export function decodeState(fragment: string): Decoded {
  const p = new URLSearchParams(fragment.replace(/^#/, ''));
  const problems: string[] = [];
  const state: Partial<SandboxState> = {};
  const v = p.get('v');
  if (v !== null && v !== PERMALINK_VERSION) problems.push(`permalink version ${v} is not ${PERMALINK_VERSION}; settings may not be read right`);
  const focal = p.get('focal');
  if (focal) state.focal = focal;
  if (p.has('arm')) state.arm = p.get('arm');
  const seed = p.get('seed');
  if (seed !== null) {
    if (/^\d+$/.test(seed) && Number(seed) <= 2 ** 32 - 1) state.seed = Number(seed);
    else problems.push(`seed "${seed}" is not a whole number from 0 to 4294967295`);
  }
  const name = p.get('name');
  if (name) state.name = name;
  const set: Record<string, Value> = {};
  let any = false;
  for (const [k, raw] of p) {
    if (!k.startsWith('set.')) continue;
    any = true;
    try { set[k.slice(4)] = JSON.parse(raw) as Value; } catch { problems.push(`setting ${k.slice(4)}: "${raw}" is not a value`); }
  }
  if (any) state.set = set;
  return { state, scenarioId: p.get('scenario'), problems };
}

export interface CityView {
  id: string;
  name: string;
  budgetMusd: number;
  strategy: string;
  levers: Record<string, Value>;
  bid: Record<string, Value> | null;
  schedule: number;
  focusDomains: string[];
}

export interface ContestView {
  id: string;
  org: string;
  orgName: string;
  year: number;
  rule: string;
  candidates: string[] | null;
  bids: Record<string, Record<string, Value>>;
}

/** A scenario as resolved for one starting arm: what the controls show before anything is set. */
export interface VariantView {
  years: number;
  cities: CityView[];
  contests: ContestView[];
}

function walk(v: Value | undefined, parts: string[]): Value | undefined {
  let cur: Value | undefined = v;
  for (const k of parts) {
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, Value>)[k];
  }
  return cur;
}

/** The value a path has in a resolved variant (undefined: not set, e.g. a lever the city does not use). */
export function valueAt(view: VariantView, path: string): Value | undefined {
  const parts = path.split('.');
  if (parts[0] === 'years' && parts.length === 1) return view.years;
  if (parts[0] === 'cities') {
    const c = view.cities.find((x) => x.id === parts[1]);
    return c ? walk(c as unknown as Value, parts.slice(2)) : undefined;
  }
  if (parts[0] === 'contests') {
    const c = view.contests.find((x) => x.id === parts[1]);
    return c ? walk(c as unknown as Value, parts.slice(2)) : undefined;
  }
  return undefined;
}

/** The value in effect: the setting if there is one (or one above it), else the resolved scenario's. */
export function effectiveValue(view: VariantView, set: Record<string, Value>, path: string): Value | undefined {
  if (path in set) return set[path];
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const above = parts.slice(0, i).join('.');
    if (above in set) return walk(set[above], parts.slice(i));
  }
  return valueAt(view, path);
}

/** The city whose policy a scenario sets in most detail (levers, standing offers, scripted bids): the default focal city. */
export function defaultFocal(view: VariantView): string {
  let best = view.cities[0]?.id ?? '';
  let bestScore = -1;
  for (const c of view.cities) {
    const bids = view.contests.filter((k) => k.bids[c.id]).length;
    const score = Object.keys(c.levers).length + (c.bid ? Object.keys(c.bid).length : 0) + 2 * bids + (c.budgetMusd > 0 ? 1 : 0);
    if (score > bestScore) { best = c.id; bestScore = score; }
  }
  return best;
}

/** Whether a city may bid in a contest (an open contest, or one that lists it among the candidates). */
export function canBid(c: ContestView, city: string): boolean {
  return c.candidates === null || c.candidates.includes(city);
}
