/** Settings as overrides: the exported arm and the permalink give back exactly what the page ran. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  armYaml, canBid, cliCommand, decodeState, defaultFocal, effectiveValue, encodeState, exportedOverrides, mergedOverrides, runArm, valueAt, withSetting,
  type SandboxState, type Value, type VariantView,
} from '../../src/sandbox/settings.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { ROOT } from '../helpers.ts';

const id = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const path = fc.array(id, { minLength: 1, maxLength: 5 }).map((p) => p.join('.'));
const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
  fc.integer(), fc.string(), fc.boolean(), fc.constant(null),
);
const value: fc.Arbitrary<Value> = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(id, scalar, { maxKeys: 3 }));
const overrides = fc.dictionary(path, value, { maxKeys: 8 });

describe('arm export', () => {
  it('reads back as the same overrides, in the same order (property)', () => {
    fc.assert(fc.property(id, overrides, (name, o) => {
      const doc = parse(armYaml(name, o)) as { arms: Record<string, Record<string, Value>> };
      expect(doc.arms[name] ?? {}).toEqual(o);
      expect(Object.keys(doc.arms[name] ?? {})).toEqual(Object.keys(o));
    }));
  });

  it('pasted into a scenario, gives the loader the same overrides as the page passes it', () => {
    const file = join(ROOT, 'scenarios/quickstart.yaml');
    const text = readFileSync(file, 'utf8');
    const set = { 'cities.bonn.budgetMusd': 35.5, 'cities.bonn.levers.targets': ['climate'], 'contests.fund_seat_2012.bids.bonn.term': 12, 'cities.toronto.strategy': 'rising', years: 30 };
    const viaArm = parseScenario(text + '\n' + armYaml('sandbox', set), file, { arm: 'sandbox' });
    const viaOverrides = parseScenario(text, file, { overrides: set });
    expect(viaArm.overrides).toEqual(viaOverrides.overrides);
    expect({ ...viaArm, arm: undefined, arms: [], inputs: [] }).toEqual({ ...viaOverrides, arm: undefined, arms: [], inputs: [] });
    expect(viaArm.cities.find((c) => c.id === 'bonn')!.budgetMusd).toBe(35.5);
    expect(viaArm.years).toBe(30);
  });

  it('starting from an arm of the scenario, exports that arm and the settings as one arm', () => {
    const file = join(ROOT, 'scenarios/shanghai-strategies.yaml');
    const text = readFileSync(file, 'utf8');
    const base = parseScenario(text, file);
    const armOverrides = Object.fromEntries(base.arms.map((a) => [a, parseScenario(text, file, { arm: a }).overrides as Record<string, Value>]));
    const state = { arm: 'new', set: { 'cities.shanghai.levers.freeOffices': 0.25, 'cities.shanghai.budgetMusd': 9 } as Record<string, Value> };
    const exported = exportedOverrides(state, armOverrides);
    expect(Object.keys(exported).slice(0, Object.keys(armOverrides.new).length)).toEqual(Object.keys(armOverrides.new));
    // Paste the exported arm under the scenario's arms: block.
    const pasted = text.replace(/^arms:\n/m, 'arms:\n' + armYaml('sandbox', exported, false));
    const viaCli = parseScenario(pasted, file, { arm: 'sandbox' });
    const viaPage = parseScenario(text, file, { arm: 'new', overrides: state.set });
    expect(viaCli.cities).toEqual(viaPage.cities);
    expect(viaCli.contests).toEqual(viaPage.contests);
    expect(viaCli.cities.find((c) => c.id === 'shanghai')!.levers.freeOffices).toBe(0.25);
    expect(viaCli.cities.find((c) => c.id === 'shanghai')!.levers.taxExemption).toBe(1);
    expect(exportedOverrides({ arm: null, set: { a: 1 } }, armOverrides)).toEqual({ a: 1 });
  });

  it('writes the empty arm and quotes keys that are not plain', () => {
    expect(armYaml('a', {})).toBe('arms:\n  a: {}\n');
    expect(armYaml('a', { 'x y': 1 }, false)).toBe('  a:\n    "x y": 1\n');
  });

  it('names the CLI command that runs the same settings', () => {
    expect(cliCommand('scenarios/q.yaml', 'sandbox', 1, 1)).toBe('npx hqsim run scenarios/q.yaml --arm sandbox');
    expect(cliCommand('my dir/q.yaml', null, 7, 1)).toBe("npx hqsim run 'my dir/q.yaml' --seed 7");
    expect(runArm({ arm: null, set: {}, name: 'sandbox' })).toBeNull();
    expect(runArm({ arm: 'cash', set: {}, name: 'sandbox' })).toBe('cash');
    expect(runArm({ arm: 'cash', set: { years: 3 }, name: 'sandbox' })).toBe('sandbox');
    expect(mergedOverrides({ a: 1, b: 2 }, { b: 3, c: 4 })).toEqual({ a: 1, b: 3, c: 4 });
  });
});

describe('permalink', () => {
  const state: fc.Arbitrary<SandboxState> = fc.record({
    focal: id, arm: fc.option(id, { nil: null }), set: overrides, seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }), name: id,
  });

  it('restores every state exactly (property)', () => {
    fc.assert(fc.property(state, fc.stringMatching(/^[0-9a-f]{12}$/), (s, scenario) => {
      const d = decodeState('#' + encodeState(s, scenario));
      expect(d.problems).toEqual([]);
      expect(d.scenarioId).toBe(scenario);
      expect({ ...d.state, set: d.state.set ?? {}, arm: d.state.arm ?? null }).toEqual(s);
      expect(Object.keys(d.state.set ?? {})).toEqual(Object.keys(s.set));
    }));
  });

  it('reports what it cannot read instead of guessing', () => {
    const d = decodeState('v=9&seed=-3&set.cities.a.budgetMusd=%7Bnot');
    expect(d.problems).toHaveLength(3);
    expect(d.state.seed).toBeUndefined();
  });
});

describe('values in effect', () => {
  const view: VariantView = {
    years: 25,
    cities: [
      { id: 'bonn', name: 'Bonn', budgetMusd: 20, strategy: 'fixed', levers: { freeOffices: 1, leadershipMusd: { climate: 3 } }, bid: null, schedule: 0, focusDomains: ['climate'] },
      { id: 'geneva', name: 'Geneva', budgetMusd: 10, strategy: 'node', levers: {}, bid: null, schedule: 0, focusDomains: [] },
    ],
    contests: [{ id: 'k', org: 'o', orgName: 'O', year: 2000, rule: 'vote', candidates: ['geneva'], bids: { geneva: { subsidyMusd: 1 } } }],
  };

  it('takes a setting over the scenario, and a setting above a path over both', () => {
    expect(valueAt(view, 'years')).toBe(25);
    expect(valueAt(view, 'cities.bonn.levers.leadershipMusd.climate')).toBe(3);
    expect(valueAt(view, 'contests.k.bids.geneva.subsidyMusd')).toBe(1);
    expect(valueAt(view, 'cities.nowhere.budgetMusd')).toBeUndefined();
    expect(effectiveValue(view, { 'cities.bonn.budgetMusd': 5 }, 'cities.bonn.budgetMusd')).toBe(5);
    expect(effectiveValue(view, { 'cities.bonn.levers': { freeOffices: 0.5 } }, 'cities.bonn.levers.freeOffices')).toBe(0.5);
    expect(effectiveValue(view, { 'cities.bonn.levers': { freeOffices: 0.5 } }, 'cities.bonn.levers.leadershipMusd.climate')).toBeUndefined();
  });

  it('clears a setting with everything below it, and keeps the order of the rest', () => {
    const s = withSetting(withSetting(withSetting({}, 'a.b', 1), 'a.b.c', 2), 'z', 3);
    expect(Object.keys(s)).toEqual(['a.b', 'a.b.c', 'z']);
    expect(withSetting(s, 'a.b', undefined)).toEqual({ z: 3 });
    expect(withSetting(s, 'a.b', 9)).toEqual({ 'a.b': 9, 'a.b.c': 2, z: 3 });
    expect(Object.keys(withSetting(s, 'a.b', 9))).toEqual(['a.b', 'a.b.c', 'z']);
  });

  it('chooses the city the scenario sets in most detail as the focal city, and knows who may bid', () => {
    expect(defaultFocal(view)).toBe('bonn');
    expect(canBid(view.contests[0], 'geneva')).toBe(true);
    expect(canBid(view.contests[0], 'bonn')).toBe(false);
    expect(canBid({ ...view.contests[0], candidates: null }, 'bonn')).toBe(true);
  });
});
