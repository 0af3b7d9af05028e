/**
 * Fuzzing the loaders through the command line's own entry point: thousands of generated scenario and
 * experiment files (valid documents with values, keys and override paths replaced by hostile ones, then
 * edited as text) go through `hqsim validate` and, for a share of them, `hqsim run`. Every one must end with
 * exit 0 or 2; on 2 every problem is located in a file, nothing is printed as a stack or internal error, and
 * nothing is written. Object.prototype stays clean. A fixed seed makes every run of the test the same; a small
 * sample also goes through the real command in child processes.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { city, org } from '../helpers.ts';
import { expectCleanFailure, hqsim, pool, tempDir } from './helpers.ts';

const SEED = 1717;
let tmp: string;
const savedEnv = { ...process.env };
beforeAll(() => {
  tmp = tempDir('fuzz');
  // Keep accepted inputs cheap to run: the limits themselves are under test here.
  process.env.HQSIM_MAX_WORK = '2e7';
  process.env.HQSIM_MAX_ORGANIZATIONS = '5000';
  process.env.HQSIM_MAX_CITIES = '500';
});
afterAll(() => { process.env = savedEnv; });

type Obj = Record<string, unknown>;

const BASE_SCENARIO: Obj = {
  name: 'fz', start: 2000, years: 3, seed: 1,
  cities: [city('alpha'), city('beta', { budgetMusd: 5, levers: { freeOffices: 0.5, leadershipMusd: { climate: 1 } } }), 'bonn'],
  organizations: [org('o1', 'alpha'), org('o2', null, { founded: 2001 }), 'unfccc'],
  events: [{ year: 2001, type: 'securityShock', city: 'alpha', size: 0.2 }, { year: 2002, type: 'budgetChange', city: 'beta', factor: 2 }],
  contests: [{ id: 'c1', org: 'o2', year: 2001, candidates: ['alpha', 'beta'], rule: 'vote', members: 10 }],
  parameters: { choice: { temperature: 0.2 }, foundings: { rate: 0.5 } },
  population: { cities: 2, organizations: 5 },
  arms: { a: { 'cities.alpha.levers.freeOffices': 1 }, b: { 'contests.c1.members': 12 } },
};

const baseExperiment = (scenario: string): Obj => ({
  name: 'fzx', scenario, years: 2, seed: 3,
  factors: [{ name: 'f1', path: 'cities.alpha.budgetMusd', range: [0, 4] }, { path: 'cities.beta.strategy', values: ['fixed', 'rising'] }],
  arms: { base: {}, cash: { overrides: { 'cities.beta.levers.freeOffices': 1 } } },
  design: { type: 'grid', levels: 2 }, replications: 2,
  metrics: ['relocations', { name: 'alpha_orgs', summary: 'byCity.alpha.hostedOrgs' }, { cityYear: { city: 'beta', column: 'hosted_orgs', aggregate: 'sum' } }],
});

/** Every path to a value in a plain object tree. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e308, -1e308, 1e9, 1e7, 2 ** 31, -1, 0, 0.5, 20.5, 1e-300, '', '__proto__', 'constructor', '=1+1', '\u001b[2J', 'a\nb', 'x'.repeat(5000), true, null, [], {}),
  fc.constantFrom({ __proto__: { polluted: 1 } }, JSON.parse('{"__proto__": {"polluted": 1}}'), { constructor: { prototype: { polluted: 1 } } }),
  fc.integer({ min: -10, max: 3000 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 20 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 5 }),
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
);
const nastyKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'yaers', 'cities', 'x'.repeat(300), 'a\u001bb'), fc.string({ maxLength: 12 }));
const nastyPath = fc.oneof(
  fc.constantFrom('__proto__.polluted', 'constructor.prototype.polluted', 'cities.__proto__.x', 'cities.alpha.prototype', 'cities.alpha.levers.freeOffices', 'contests.c1.members', 'cities.5.name', 'organizations.o1.staff', 'parameters.choice.temperature', 'population.organizations'),
  fc.array(fc.oneof(fc.constantFrom('cities', 'alpha', 'levers', '0', '__proto__', 'toString'), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 4 }).map((p) => p.join('.')),
);

type Edit = { kind: 'set'; at: number; value: unknown } | { kind: 'delete'; at: number } | { kind: 'addKey'; at: number; key: string; value: unknown } | { kind: 'override'; path: string; value: unknown };
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: nasty }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('addKey' as const), at: fc.nat(), key: nastyKey, value: nasty }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('override' as const), path: nastyPath, value: nasty }) },
);
type TextEdit = { kind: 'cut' | 'insert' | 'dupLine' | 'truncate'; at: number; len: number; text: string };
const textEditArb: fc.Arbitrary<TextEdit> = fc.record({
  kind: fc.constantFrom('cut', 'insert', 'dupLine', 'truncate'), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }),
  text: fc.oneof(fc.constantFrom(':', '[', '{', '- ', '\n', '"', "'", '#', '&a', '*a', '!!js/function', '<<: *a', '? ', '|', '\t', '\u0000', '%YAML 1.1\n---'), fc.string({ maxLength: 6 })),
});

function applyEdits(doc: Obj, edits: Edit[]): Obj {
  const d = structuredClone(doc);
  for (const e of edits) {
    if (e.kind === 'override') {
      const arms = (d.arms && typeof d.arms === 'object' && !Array.isArray(d.arms) ? d.arms : (d.arms = {})) as Obj;
      const arm = (arms.a && typeof arms.a === 'object' ? arms.a : (arms.a = {})) as Obj;
      Object.defineProperty(arm, e.path, { value: e.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const all = paths(d).filter((p) => p.length > 0);
    if (!all.length) continue;
    const p = all[e.at % all.length];
    let parent: unknown = d;
    for (const k of p.slice(0, -1)) parent = (parent as Obj)[k as string];
    const last = p[p.length - 1];
    if (!parent || typeof parent !== 'object') continue;
    const o = parent as Obj;
    if (e.kind === 'set') Object.defineProperty(o, String(last), { value: structuredClone(e.value), enumerable: true, writable: true, configurable: true });
    else if (e.kind === 'delete') { if (Array.isArray(o)) o.splice(Number(last), 1); else delete o[last as string]; }
    else if (o[last as string] && typeof o[last as string] === 'object' && !Array.isArray(o[last as string])) {
      Object.defineProperty(o[last as string] as Obj, e.key, { value: structuredClone(e.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return d;
}

function applyText(text: string, edits: TextEdit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length ? e.at % t.length : 0;
    if (e.kind === 'cut') t = t.slice(0, at) + t.slice(at + e.len);
    else if (e.kind === 'insert') t = t.slice(0, at) + e.text + t.slice(at);
    else if (e.kind === 'truncate') t = t.slice(0, at);
    else { const lines = t.split('\n'); const i = at % Math.max(1, lines.length); lines.splice(i, 0, lines[i] ?? ''); t = lines.join('\n'); }
  }
  return t;
}

const inputArb = (base: Obj) => fc.record({
  edits: fc.array(editArb, { minLength: 1, maxLength: 4 }),
  text: fc.option(fc.array(textEditArb, { minLength: 1, maxLength: 3 }), { freq: 3 }),
  json: fc.boolean(),
}).map(({ edits, text, json }) => {
  const doc = applyEdits(base, edits);
  let s: string;
  try { s = json ? JSON.stringify(doc, null, 1) : stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }); } catch { s = JSON.stringify(doc); }
  return text ? applyText(s, text) : s;
});

/** Run the command line in this process, capturing both streams. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const o = process.stdout.write.bind(process.stdout), e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try { return { code: await main(args), out, err }; } finally { process.stdout.write = o; process.stderr.write = e; }
}

const PROBLEM = /^(?<file>.+?)(?<at>:\d+:\d+)?: (?<path>\S.*?): .+/;

/** Exit 0 or 2; on 2 every line is a located problem, the count, or one hqsim: line; never a stack. */
function checkOutcome(r: { code: number; out: string; err: string }, file: string, what: string): void {
  const ctx = `${what}\n--- stderr:\n${r.err.slice(0, 3000)}`;
  expect([0, 2], ctx).toContain(r.code);
  expect(r.err, ctx).not.toMatch(/internal error|\n\s+at |\u001b|Warning/);
  if (r.code === 0) return;
  const lines = r.err.trimEnd().split('\n');
  const problems = lines.filter((l) => !/^\d+ problems? found$/.test(l) && !l.startsWith('hqsim: '));
  for (const l of problems) {
    const m = PROBLEM.exec(l);
    expect(m, `not a located problem: ${l}\n${ctx}`).not.toBeNull();
    // Located: a line and column, or at least the field it is about (a file that cannot be read names only itself).
    expect(m!.groups!.at !== undefined || m!.groups!.path !== '(file)' || /cannot read/.test(l), `${l}\n${ctx}`).toBe(true);
  }
  expect(problems.length > 0 || lines.some((l) => l.startsWith('hqsim: ')), ctx).toBe(true);
  void file;
}

describe('fuzzing the loaders', { timeout: 600_000 }, () => {
  it('3,000 generated scenarios through validate (the valid ones and every 20th other also through run): exit 0 or 2, located problems, nothing written on 2', async () => {
    const inputs = fc.sample(inputArb(BASE_SCENARIO), { numRuns: 3000, seed: SEED });
    let ok = 0, bad = 0, ran = 0;
    for (const [i, text] of inputs.entries()) {
      const file = join(tmp, `s${i}.${i % 2 ? 'yaml' : 'json'}`);
      writeFileSync(file, text);
      const r = await cli(['validate', file]);
      checkOutcome(r, file, `input ${i}: ${text.slice(0, 2000)}`);
      if (r.code === 0) ok++; else bad++;
      if (r.code === 0 || i % 20 === 0) {
        const out = join(tmp, `out-${i}`);
        const run = await cli(['run', file, '--out', out, '--years', '2', '--quiet', ...(r.code === 0 && text.includes('arms') ? ['--arm', 'a'] : [])]);
        checkOutcome(run, file, `run of input ${i}: ${text.slice(0, 2000)}`);
        if (run.code === 2) expect(existsSync(out), `input ${i} wrote ${out} and failed`).toBe(false);
        else { expect(existsSync(join(out, 'manifest.json'))).toBe(true); ran++; }
      }
      expect(Object.keys(Object.prototype), `input ${i} polluted Object.prototype`).toEqual([]);
    }
    expect(readdirSync(tmp).filter((n) => n.includes('.partial-') || n.endsWith('.previous'))).toEqual([]);
    // The generator must reach both sides: inputs accepted, inputs refused, and runs done.
    expect(ok).toBeGreaterThan(100);
    expect(bad).toBeGreaterThan(1000);
    expect(ran).toBeGreaterThan(100);
  });

  it('600 generated experiments through validate: exit 0 or 2 and located problems', async () => {
    const scenario = join(tmp, 'base.yaml');
    writeFileSync(scenario, stringify(BASE_SCENARIO));
    const inputs = fc.sample(inputArb(baseExperiment('base.yaml')), { numRuns: 600, seed: SEED + 1 });
    let ok = 0;
    for (const [i, text] of inputs.entries()) {
      const file = join(tmp, `e${i}.sweep.${i % 2 ? 'yaml' : 'json'}`);
      writeFileSync(file, text);
      const r = await cli(['validate', file]);
      checkOutcome(r, file, `experiment ${i}: ${text.slice(0, 2000)}`);
      if (r.code === 0) ok++;
      expect(Object.keys(Object.prototype)).toEqual([]);
    }
    expect(ok).toBeGreaterThan(20);
  });

  it('a sample through the real command in child processes: the same outcomes', async () => {
    const inputs = fc.sample(inputArb(BASE_SCENARIO), { numRuns: 8, seed: SEED + 2 });
    const results = await pool(2, inputs.map((text, i) => async () => {
      const file = join(tmp, `c${i}.yaml`);
      writeFileSync(file, text);
      const out = join(tmp, `c-out-${i}`);
      const r = await hqsim(['run', file, '--out', out, '--years', '2', '--quiet'], { env: { HQSIM_MAX_WORK: '2e7', HQSIM_MAX_ORGANIZATIONS: '5000', HQSIM_MAX_CITIES: '500' } });
      return { r, out, text };
    }));
    let failed = 0;
    for (const { r, out, text } of results) {
      if (r.code === 0) { expect(existsSync(join(out, 'manifest.json'))).toBe(true); continue; }
      failed++;
      expectCleanFailure(r);
      expect(existsSync(out), text).toBe(false);
    }
    expect(failed).toBeGreaterThan(0);
  });
});
