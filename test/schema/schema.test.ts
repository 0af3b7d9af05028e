/**
 * JSON Schemas printed by `hqsim schema` (scenarios) and `hqsim schema --experiment` (*.sweep.yaml): every bundled
 * file validates against them with a standard validator (ajv, draft 2020-12), they carry the validator's bounds,
 * every property has a description (editors show it), and they reject what hqsim rejects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ROOT, runCli } from '../helpers.ts';

type Schema = Record<string, unknown>;
let scenarioSchema: Schema;
let experimentSchema: Schema;

beforeAll(async () => {
  const a = await runCli(['schema']);
  const b = await runCli(['schema', '--experiment']);
  expect(a.code).toBe(0);
  expect(b.code).toBe(0);
  scenarioSchema = JSON.parse(a.stdout);
  experimentSchema = JSON.parse(b.stdout);
}, 60_000);

const ajv = () => new Ajv2020({ allErrors: true, strict: false });
const files = (suffix: (f: string) => boolean) => readdirSync(join(ROOT, 'scenarios')).filter(suffix).sort();
const load = (f: string) => parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8'));

/** Paths of properties (anywhere in the schema) that have no description. */
function undescribed(schema: unknown, path = '$'): string[] {
  const out: string[] = [];
  const walk = (s: unknown, p: string, named: boolean) => {
    if (!s || typeof s !== 'object') return;
    const o = s as Record<string, unknown>;
    if (named && typeof o.description !== 'string') out.push(p);
    if (o.properties) for (const [k, v] of Object.entries(o.properties as Record<string, unknown>)) walk(v, `${p}.${k}`, true);
    for (const k of ['items', 'additionalProperties', 'propertyNames']) if (o[k] && typeof o[k] === 'object') walk(o[k], `${p}[${k}]`, false);
    for (const k of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) if (Array.isArray(o[k])) (o[k] as unknown[]).forEach((x, i) => walk(x, `${p}<${k}${i}>`, false));
    for (const k of ['$defs', 'definitions']) if (o[k]) for (const [n, v] of Object.entries(o[k] as Record<string, unknown>)) walk(v, `${p}#${n}`, false);
  };
  walk(schema, path, false);
  return out;
}

describe('hqsim schema (scenarios)', () => {
  it('every bundled scenario validates', () => {
    const validate = ajv().compile(scenarioSchema);
    const list = files((f) => f.endsWith('.yaml') && !f.endsWith('.sweep.yaml'));
    expect(list.length).toBeGreaterThanOrEqual(7);
    for (const f of list) expect(validate(load(f)) ? [] : validate.errors, f).toEqual([]);
  });

  it('carries the bounds the loader enforces: [0, 1] attributes and shares, minimums', () => {
    const city = ((scenarioSchema.properties as Schema).cities as Schema).items as Schema;
    const obj = (city.anyOf as Schema[]).find((x) => x.type === 'object')!;
    const props = obj.properties as Record<string, Schema>;
    expect(props.safety).toMatchObject({ minimum: 0, maximum: 1 });
    expect(props.budgetMusd).toMatchObject({ minimum: 0 });
    const levers = (props.levers as Schema).properties as Record<string, Schema>;
    expect(levers.freeOffices).toMatchObject({ minimum: 0, maximum: 1 });
    expect(levers.schoolsShare).toMatchObject({ minimum: 0, maximum: 1 });
    const validate = ajv().compile(scenarioSchema);
    const bad = { name: 'x', start: 2000, years: 5, cities: [{ id: 'a', safety: 1.5, budgetMusd: -1 }] };
    expect(validate(bad)).toBe(false);
    expect(validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(expect.arrayContaining(['/cities/0/safety maximum', '/cities/0/budgetMusd minimum']));
  });

  it('describes every property', () => {
    expect(undescribed(scenarioSchema)).toEqual([]);
  });
});

describe('hqsim schema --experiment', () => {
  it('every bundled experiment file validates', () => {
    const validate = ajv().compile(experimentSchema);
    const list = files((f) => f.endsWith('.sweep.yaml'));
    expect(list.length).toBeGreaterThanOrEqual(8);
    for (const f of list) expect(validate(load(f)) ? [] : validate.errors, f).toEqual([]);
  });

  it('rejects what the loader rejects: unknown keys, bad designs, bad metric shapes', () => {
    const validate = ajv().compile(experimentSchema);
    const base = { name: 'x', scenario: 'quickstart.yaml', metrics: ['relocations'] };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, metrics: ['relocations', { name: 'a', summary: 'x', cityYer: {} }] })).toBe(false);
    expect(validate({ ...base, design: { type: 'sobol' } })).toBe(false);
    expect(validate({ ...base, replications: 0 })).toBe(false);
    expect(validate({ ...base, factors: [{ path: 'a.b', rnage: [0, 1] }] })).toBe(false);
    expect(validate({ ...base, uncertainties: [{ path: 'a.b', range: [0, 1] }], levers: [{ path: 'c', values: [1, 2] }], outcomes: ['foundings'] })).toBe(true);
  });

  it('describes every property', () => {
    expect(undescribed(experimentSchema)).toEqual([]);
  });
});
