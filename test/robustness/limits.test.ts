/**
 * Limits: inputs that used to take gigabytes or hours are refused by `validate` (and every command) before any
 * work, with the limit and how to raise it. Each case runs through the real command with a time bound, so a
 * stall fails the test instead of hanging it.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LIMITS, LimitSettingError, formatCount, limit, nestingBound, overLimit } from '../../src/limits/index.ts';
import { suggest } from '../../src/scenario/errors.ts';
import { QUICK, expectCleanFailure, hqsim, pool, tempDir } from './helpers.ts';

let tmp: string;
let quick: string;
beforeAll(() => { tmp = tempDir('limits'); quick = readFileSync(QUICK, 'utf8'); });

const scenario = (name: string, edit: (q: string) => string) => { const f = join(tmp, `${name}.yaml`); writeFileSync(f, edit(quick)); return f; };
const experiment = (name: string, body: string) => {
  const f = join(tmp, `${name}.sweep.yaml`);
  writeFileSync(f, `name: ${name}\nscenario: ${JSON.stringify(QUICK)}\n${body}\nmetrics: [relocations]\n`);
  return f;
};
const F = (path: string, extra = '') => `{ path: ${path}, range: [0, 10]${extra} }`;

describe('limits through the command line', { timeout: 300_000 }, () => {
  it('designs of a trillion points, Sobol n = 2^24, LHS 1e7 x 1e6 and Morris 1e6 trajectories are refused at once', async () => {
    const cases: [string, RegExp][] = [
      [experiment('grid4', `factors: [${['bonn', 'geneva', 'toronto', 'shanghai'].map((c) => F(`cities.${c}.budgetMusd`, ', levels: 1000')).join(', ')}]\ndesign: { type: grid }`),
        /design: the number of design points is 1,000,000,000,000; limit designPoints is 1,000,000 \(raise it with HQSIM_MAX_DESIGN_POINTS=<n>\)/],
      [experiment('sobol24', `factors: [${F('cities.bonn.budgetMusd')}]\ndesign: { type: sobol, n: 16777216 }`), /design points is 50,331,648/],
      [experiment('lhs7', `factors: [${F('cities.bonn.budgetMusd')}]\ndesign: { type: lhs, points: 10000000 }\nreplications: 1000000`), /design points is 10,000,000/],
      [experiment('morris6', `factors: [${F('cities.bonn.budgetMusd')}]\ndesign: { type: morris, trajectories: 1000000 }`), /design points is 2,000,000/],
      [experiment('values', `factors: [{ path: cities.bonn.budgetMusd, values: [${Array.from({ length: 20000 }, (_, i) => i % 1000).join(', ')}] }]`),
        /factors\[0\]\.values: the number of values of a factor is 20,000; limit factorValues is 1,000 \(raise it with HQSIM_MAX_FACTOR_VALUES=<n>\)/],
      [experiment('runs', `factors: [{ path: cities.bonn.budgetMusd, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }]\nreplications: 1000000`),
        /replications: the number of runs \(points x arms x replications, or the adaptive cap\) is 11,000,000; limit runs is 10,000,000/],
      [(() => { const f = join(tmp, 'dev.sweep.yaml'); writeFileSync(f, 'name: dev\nscenario: /dev/urandom\nmetrics: [relocations]\n'); return f; })(),
        /cannot read scenario: is not a regular file \(a character device\)/],
    ];
    const results = await pool(2, cases.map(([f]) => () => hqsim(['sweep', f, '--out', `${f}.out`, '--quiet'], { timeoutMs: 60_000 })));
    results.forEach((r, i) => {
      expectCleanFailure(r, cases[i][1]);
      expect(existsSync(`${cases[i][0]}.out`)).toBe(false);
    });
  });

  it('populations, rates, money, device and FIFO seed files, deep nesting, huge ids and names, duplicate candidates', async () => {
    const fifo = join(tmp, 'seeds.fifo');
    execFileSync('mkfifo', [fifo]);
    const tiny = (extra: string) => `name: tiny\nstart: 2000\nyears: 5\ncities: [bonn, geneva]\norganizations: [unfccc]\n${extra}`;
    const cases: [string, RegExp][] = [
      [scenario('pop', (q) => q.replace(/^years: 25/m, 'years: 1000') + 'population: { cities: 100000, organizations: 1000000 }\n'),
        /population\.cities: the number of cities \(listed and synthetic\) is 100,005; limit cities is 20,000 \(raise it with HQSIM_MAX_CITIES=<n>\)/],
      [scenario('work', (q) => q.replace(/^years: 25/m, 'years: 1000') + 'population: { cities: 15000, organizations: 400000 }\n'),
        /years: cities x organizations x years is 6,002,180,060,000; limit work is 200,000,000,000 \(raise it with HQSIM_MAX_WORK=<n>\)/],
      [scenario('rate', (q) => q + 'parameters: { foundings: { rate: 1e308 } }\n'), /parameters\.foundings\.rate: .*1000000000/],
      [scenario('rate5', (q) => q + 'parameters: { foundings: { rate: 100000 } }\n'), /parameters\.foundings\.rate: the number of organizations .* expected foundings: rate 100,000 x 25 years/],
      [scenario('money', (q) => q.replace(/budgetMusd: [0-9.]+/, 'budgetMusd: 1e308')), /budgetMusd: must be at most 1000000 \(money is in USD m/],
      [scenario('devseed', () => tiny('seeds: { cities: /dev/zero }\n')), /\/dev\/zero: \(file\): cannot read seed file: is not a regular file \(a character device\)/],
      [scenario('fifoseed', () => tiny(`seeds: { cities: ${JSON.stringify(fifo)} }\n`)), /cannot read seed file: is not a regular file \(a pipe\)/],
      [scenario('deep', (q) => `${q}description: ${'['.repeat(300_000)}${']'.repeat(300_000)}\n`), /\(file\): nested deeper than 64 levels here/],
      [scenario('deepblock', (q) => q + 'x:\n' + Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}- \n`).join('')), /nested deeper than 64 levels/],
      [scenario('bigid', (q) => q.replace('seat: geneva,', `seat: ${'g'.repeat(100_000)},`)), /organizations\[0\]\.seat: Too big: expected string to have <=64 characters/],
      [scenario('bigkey', (q) => q.replace(/^years: 25/m, `years: 25\n? ${"y".repeat(100_000)}\n: 1`)), /unknown key "y{40}\.\.\.\(100000 characters\)"/],
      [scenario('longname', (q) => q.replace(/^name: quickstart/m, `name: ${'n'.repeat(300)}`)), /name: Too big: expected string to have <=100 characters/],
      [scenario('dupes', (q) => q.replace('contests:\n', `contests:\n  - { id: dd, org: green_fund, year: 2012, candidates: [${Array(100_000).fill('bonn').join(', ')}] }\n`)),
        /contests\[0\]\.candidates\[1\]: candidate "bonn" is listed twice \(also candidates\[0\]\); 99,999 repeated entries/],
    ];
    const results = await pool(2, cases.map(([f]) => () => hqsim(['validate', f], { timeoutMs: 60_000 })));
    results.forEach((r, i) => {
      expectCleanFailure(r, cases[i][1]);
      expect(r.stderr.length, cases[i][0]).toBeLessThan(5000); // a 100 KB key is cut, not echoed
    });
    // run refuses the same input before writing anything.
    const out = join(tmp, 'never');
    expectCleanFailure(await hqsim(['run', cases[0][0], '--out', out], { timeoutMs: 60_000 }), /limit cities/);
    expect(existsSync(out)).toBe(false);
  });

  it('a limit is raised by its environment variable; a bad value is a usage error', async () => {
    const f = experiment('raise', `factors: [{ path: cities.bonn.budgetMusd, values: [1, 2, 3] }]\nreplications: 2`);
    const [low, high, bad] = await pool(2, [
      () => hqsim(['sweep', f, '--out', join(tmp, 'raise-low'), '--quiet'], { env: { HQSIM_MAX_RUNS: '5' } }),
      () => hqsim(['sweep', f, '--out', join(tmp, 'raise-high'), '--quiet', '--workers', '1'], { env: { HQSIM_MAX_RUNS: '6' } }),
      () => hqsim(['sweep', f, '--out', join(tmp, 'raise-bad'), '--quiet'], { env: { HQSIM_MAX_RUNS: 'lots' } }),
    ]);
    expectCleanFailure(low, /the number of runs .* is 6; limit runs is 5 \(raise it with HQSIM_MAX_RUNS=<n>\)/);
    expect(high.code, high.stderr).toBe(0);
    expectCleanFailure(bad, /HQSIM_MAX_RUNS="lots": a limit must be a positive number/);
  });
});

describe('limit helpers', () => {
  it('reads raised limits from the environment and refuses nonsense', () => {
    expect(limit('runs', {})).toBe(LIMITS.runs.value);
    expect(limit('runs', { HQSIM_MAX_RUNS: '2e7' })).toBe(2e7);
    expect(limit('runs', { HQSIM_MAX_RUNS: '20_000_000' })).toBe(2e7);
    expect(() => limit('runs', { HQSIM_MAX_RUNS: '-1' })).toThrow(LimitSettingError);
    expect(limit('nesting', { HQSIM_MAX_NESTING: '1000' })).toBe(LIMITS.nesting.value); // fixed limits cannot be raised
    expect(overLimit('runs', 10, {})).toBeUndefined();
    expect(overLimit('runs', 2e7, {})).toBe('the number of runs (points x arms x replications, or the adaptive cap) is 20,000,000; limit runs is 10,000,000 (raise it with HQSIM_MAX_RUNS=<n>)');
  });

  const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', maxDepth: 12 }, fc.integer(), fc.string({ maxLength: 4 }), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), tie('node'), { maxKeys: 3 })),
  })).node;
  const depth = (v: unknown): number => (v && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depth)) : 0);

  test.prop([tree, fc.boolean()], { numRuns: 400 })('the nesting bound is never below half the real depth, in block YAML, flow YAML and JSON', (v, flow) => {
    const doc = { k: v };
    const real = depth(doc);
    for (const text of [stringify(doc, flow ? { collectionStyle: 'flow' } : {}), JSON.stringify(doc, null, 1)]) {
      const hit = nestingBound(text, Math.floor(real / 2) - 1);
      if (real >= 4) expect(hit, text).toBeDefined();
      expect(nestingBound(text, 2 * real + 2), text).toBeUndefined();
    }
  });

  it('docs/experiments.md lists every limit with its default and variable', () => {
    const all = readFileSync(join(import.meta.dirname, '../../docs/experiments.md'), 'utf8');
    const doc = all.slice(all.indexOf('\n## Limits'));
    for (const [name, spec] of Object.entries(LIMITS) as [string, { value: number; env?: string }][]) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      const shown = spec.value >= 1e10 ? `${spec.value / 10 ** Math.floor(Math.log10(spec.value))}e${Math.floor(Math.log10(spec.value))}` : formatCount(spec.value);
      expect(row, name).toContain(shown);
      expect(row, name).toContain(spec.env ? `\`${spec.env}\`` : 'fixed');
    }
  });

  it('"did you mean" hints skip what cannot be near and words longer than any id', () => {
    expect(suggest('hostedOrg', ['hostedOrgs', 'spendMusd'])).toBe('hostedOrgs');
    expect(suggest('x'.repeat(100_000), ['x'.repeat(99_999)])).toBeUndefined();
    expect(suggest('years', ['yeast', 'year'])).toBe('year');
  });
});
