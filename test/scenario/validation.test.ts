/** Bad input: every problem is reported with file, line, column and field path, never as a crash. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/load.ts';
import { ScenarioError, formatProblem } from '../../src/scenario/errors.ts';
import { loadExperiment } from '../../src/experiment/file.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function problems(text: string, file = 'bad.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

const CITY = (id: string, extra = '') => `  - { id: ${id}, name: ${id}, country: ZZ, region: europe, type: node, safety: 0.8, connectivity: 0.6, officeCost: 0.6, livingCost: 0.6, workforce: 0.6, livability: 0.7, legal: 0.7, nationalSupport: 0.6, conference: 0.5, schools: 0.5, openness: 0.7${extra} }`;
const BASE = ['name: bad', 'start: 2000', 'years: 10', 'cities:', CITY('alpha'), CITY('beta'), 'organizations:',
  '  - { id: o1, name: O1, kind: ngo, domain: climate, seat: alpha, founded: 1990, staff: 10 }'];
const doc = (...lines: string[]) => [...BASE, ...lines].join('\n') + '\n';

describe('located errors', () => {
  it('accepts the base document', () => {
    expect(problems(doc())).toEqual([]);
  });
  it('a syntax error names line and column', () => {
    const p = problems('name: x\nstart: [2000\nyears: 3\n');
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]).toMatch(/^bad\.yaml:\d+:\d+: .*syntax error/);
  });
  it('a misspelt key gives its line, column and a suggestion', () => {
    const p = problems(doc('yeras: 5'));
    expect(p).toEqual([expect.stringMatching(/^bad\.yaml:9:1: yeras: unknown key "yeras" \(did you mean "years"\?\)/)]);
  });
  it('a misspelt key inside a city', () => {
    const text = [...BASE.slice(0, 4), CITY('alpha', ', budgetMusdd: 3'), ...BASE.slice(5)].join('\n');
    const p = problems(text);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^bad\.yaml:5:\d+: cities\[0\]\.budgetMusdd: unknown key "budgetMusdd" \(did you mean "budgetMusd"\?\)/);
  });
  it('a wrong type names the field', () => {
    const p = problems(doc().replace('years: 10', 'years: ten'));
    expect(p[0]).toMatch(/^bad\.yaml:3:8: years: .*number/);
  });
  it('a dangling seat reference', () => {
    const p = problems(doc().replace('seat: alpha', 'seat: alpah'));
    expect(p[0]).toMatch(/^bad\.yaml:8:\d+: organizations\[0\]\.seat: seat "alpah" of "o1" is not a city of this scenario \(did you mean "alpha"\?\)/);
  });
  it('duplicate ids', () => {
    const p = problems(doc().replace(CITY('beta'), CITY('alpha')));
    expect(p.some((x) => /cities\[1\]\.id: duplicate id "alpha"/.test(x))).toBe(true);
  });
  it('a negative budget', () => {
    const text = [...BASE.slice(0, 4), CITY('alpha', ', budgetMusd: -5'), ...BASE.slice(5)].join('\n');
    expect(problems(text)[0]).toMatch(/^bad\.yaml:5:\d+: cities\[0\]\.budgetMusd: .*>=\s*0/);
  });
  it('NaN and infinities are refused', () => {
    const text = [...BASE.slice(0, 4), CITY('alpha', ', budgetMusd: .nan'), ...BASE.slice(5)].join('\n');
    expect(problems(text)[0]).toMatch(/cities\[0\]\.budgetMusd: .*finite/);
    const text2 = [...BASE.slice(0, 4), CITY('alpha', ', lat: .inf'), ...BASE.slice(5)].join('\n');
    expect(problems(text2)[0]).toMatch(/cities\[0\]\.lat: .*finite/);
  });
  it('organization weights that do not sum to 1', () => {
    const p = problems(doc().replace('staff: 10 }', 'staff: 10, weights: { security: 0.5, resources: 0.5, operations: 0.5, values: 0 } }'));
    expect(p[0]).toMatch(/^bad\.yaml:8:\d+: organizations\[0\]\.weights: driver weights of "o1" sum to 1\.5, not 1/);
  });
  it('parameter weight groups that do not sum to 1 (stage weights are relative and need not)', () => {
    const p = problems(doc('parameters:', '  drivers:', '    values: { leadership: 0.9 }'));
    expect(p[0]).toMatch(/parameters\.drivers\.values\.leadership: weights drivers\.values\.\{leadership, openness\} sum to 1\.3/);
    expect(problems(doc('parameters:', '  stages:', '    founding: { resources: 0.9 }'))).toEqual([]);
  });
  it('an unknown parameter suggests the right one', () => {
    const p = problems(doc('parameters:', '  choice: { temprature: 0.1 }'));
    expect(p[0]).toMatch(/^bad\.yaml:10:\d+: parameters\.choice\.temprature: unknown key "temprature" \(did you mean "temperature"\?\)/);
  });
  it('events and contests referring to unknown agents', () => {
    const p = problems(doc('events:', '  - { year: 2001, type: securityShock, city: gamma, size: 0.2 }', 'contests:',
      '  - { id: c1, org: o2, year: 2003, candidates: [alpha, delta] }'));
    expect(p).toEqual(expect.arrayContaining([
      expect.stringMatching(/^bad\.yaml:10:\d+: events\[0\]\.city: unknown city "gamma"/),
      expect.stringMatching(/^bad\.yaml:12:\d+: contests\[0\]\.org: unknown organization "o2"/),
      expect.stringMatching(/^bad\.yaml:12:\d+: contests\[0\]\.candidates\[1\]: unknown city "delta"/),
    ]));
  });
  it('a city that is neither a seed nor fully defined', () => {
    const p = problems(doc().replace(CITY('beta'), '  - { id: nowhere_city, budgetMusd: 3 }'));
    expect(p[0]).toMatch(/cities\[1\]: "nowhere_city" is not in .*cities\.csv/);
  });
  it('reports every problem, not only the first', () => {
    const p = problems(doc('yeras: 5', 'sede: 3'));
    expect(p).toHaveLength(2);
  });
  it('an unresolved alias is a located problem, in scenario and experiment files alike', () => {
    expect(problems('name: x\nstart: *nowhere\n')[0]).toMatch(/^bad\.yaml:1:1: .*cannot read the document/);
    const f = join(mkdtempSync(join(tmpdir(), 'hqsim-exp-')), 'bad.sweep.yaml');
    writeFileSync(f, 'name: x\nscenario: *nowhere\n');
    expect(() => loadExperiment(f)).toThrow(ScenarioError);
  });
  it('JSON files are located too', () => {
    const p = problems('{\n  "name": "x",\n  "start": 2000,\n  "years": "many"\n}\n', 'bad.json');
    expect(p[0]).toMatch(/^bad\.json:4:12: years: /);
  });
});

describe('junk never crashes the loader', () => {
  it('random YAML-ish text gives ScenarioError or a scenario, nothing else', () => {
    const token = fc.constantFrom('name:', 'start:', 'years:', 'cities:', '- ', '{', '}', '[', ']', ':', ' ', '\n', '  ', 'alpha', '2000',
      '-1', '.nan', 'null', 'true', '"x"', "'", '#', '&a', '*a', '!!int', '---', '...', 'organizations:', 'seat: beta', 'weights:');
    fc.assert(fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
      const text = tokens.join('');
      try {
        parseScenario(text, 'junk.yaml');
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        for (const p of (e as ScenarioError).problems) expect(formatProblem(p)).toMatch(/^junk\.yaml(:\d+:\d+)?: /);
      }
    }), { numRuns: 400 });
  });
  it('mutated valid documents are reported with a location', () => {
    const lines = doc().split('\n');
    fc.assert(fc.property(fc.nat(lines.length - 2), fc.string({ maxLength: 12 }), (i, junk) => {
      const text = [...lines.slice(0, i), lines[i] + junk, ...lines.slice(i + 1)].join('\n');
      try {
        parseScenario(text, 'mut.yaml');
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        for (const p of (e as ScenarioError).problems) expect(p.line === undefined || p.line >= 1).toBe(true);
      }
    }), { numRuns: 300 });
  });
});
