/** `hqsim validate` reports every problem of a file in one pass: the base scenario's and each arm's, at their lines. */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'hqsim-validate-')); });

const CITY = 'name: Alpha, country: ZZ, type: node, safety: 0.5, connectivity: 0.5, officeCost: 0.5, livingCost: 0.5, workforce: 0.5, '
  + 'livability: 0.5, legal: 0.5, nationalSupport: 0.5, conference: 0.5, schools: 0.5, openness: 0.5';

describe('validate in one pass', { timeout: 60_000 }, () => {
  it('a scenario: base problems, every arm\'s problems at the arm\'s override line naming the arm, enum hints', async () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, [
      'name: bad',
      'start: 2000',
      'years: 5',
      'cities:',
      `  - { id: alpha, ${CITY}, region: europa, strategy: fixd }`,
      '  - bonn',
      'arms:',
      '  cash:',
      '    cities.alpha.levers.freeOffice: 1',
      '  long:',
      '    cities.bonn.levers: { schoolsMusd: -2 }',
      '    cities.alpha.strategy: risng',
      '',
    ].join('\n'));
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe('5 problems found');
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/bad\.yaml:5:\d+: cities\[0\]\.region: "europa" is not one of africa, .* \(did you mean "europe"\?\)$/),
      expect.stringMatching(/bad\.yaml:5:\d+: cities\[0\]\.strategy: "fixd" is not one of .* \(did you mean "fixed"\?\)$/),
      expect.stringMatching(/bad\.yaml:9:5: arms\.cash\.cities\.alpha\.levers\.freeOffice: arm "cash": .*unknown key "freeOffice" \(did you mean "freeOffices"\?\)$/),
      expect.stringMatching(/bad\.yaml:11:5: arms\.long\.cities\.bonn\.levers: arm "long": cities\[1\]\.levers\.schoolsMusd: /),
      expect.stringMatching(/bad\.yaml:12:5: arms\.long\.cities\.alpha\.strategy: arm "long": .*"risng" is not one of .* \(did you mean "rising"\?\)$/),
    ]));
    // Sorted by line.
    const nums = lines.slice(0, -1).map((l) => Number(/\.yaml:(\d+):/.exec(l)![1]));
    expect(nums).toEqual([...nums].sort((a, b) => a - b));
  });

  it('an experiment file: structure, arms, factor ends and metrics all reported together', async () => {
    const file = join(tmp, 'bad.sweep.yaml');
    writeFileSync(file, [
      'name: badx',
      `scenario: ${JSON.stringify(join(ROOT, 'scenarios/quickstart.yaml'))}`,
      'uncertainties:',
      '  - { name: tfo, path: cities.toronto.levers.freeOffice, range: [0, 1] }',
      '  - { name: sb, path: cities.shanghai.budgetMusd, range: [40, 5] }',
      'arms:',
      '  a: {}',
      '  b: { overrides: { cities.bonn.strategy: risng } }',
      'design: { type: lhs, points: 10 }',
      'outcomes:',
      '  - { name: x, summary: byCity.bonn.hostedOrg }',
      '  - { name: y, contest: { id: fund_seat_2012, city: bon } }',
      '',
    ].join('\n'));
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:5:\d+: uncertainties\[1\]\.range: range min \(40\) must be below max \(5\)/);
    expect(r.stderr).toMatch(/:8:\d+: arms\.b: arm "b" does not give a valid scenario: .*"risng" .*did you mean "rising"/);
    expect(r.stderr).toMatch(/:4:\d+: uncertainties\[0\]\.path: .*unknown key "freeOffice" \(did you mean "freeOffices"\?\)/);
    expect(r.stderr).toMatch(/:11:\d+: outcomes\[0\]\.summary: no summary field "byCity\.bonn\.hostedOrg" \(did you mean "hostedOrgs"\?\)/);
    expect(r.stderr).toMatch(/:12:\d+: outcomes\[1\]\.contest\.city: unknown city "bon" \(did you mean "bonn"\?\)/);
    expect(r.stderr).toMatch(/5 problems found/);
  });

  it('every bundled scenario and experiment file validates', async () => {
    for (const f of ['quickstart.yaml', 'short-vs-long.yaml', 'quickstart-discover.sweep.yaml', 'short-vs-long.sweep.yaml']) {
      const r = await runCli(['validate', join('scenarios', f)]);
      expect(r.stderr, f).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/: ok \(/);
    }
  });
});
