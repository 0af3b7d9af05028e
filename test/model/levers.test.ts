/** Lever settings stated as shares of the budget: resolution to USD m, their effect in a run, and validation. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario } from '../../src/index.ts';
import { resolveLevers } from '../../src/model/levers.ts';
import { ScenarioError } from '../../src/scenario/errors.ts';
import { build, city, org } from '../helpers.ts';

describe('resolveLevers', () => {
  it('turns shares of the budget into USD m and leaves amounts alone', () => {
    const l = { freeOffices: 1, schoolsShare: 0.2, securityShare: 0.1, leadershipShare: { climate: 0.3 }, leadershipMusd: { health: 2 } };
    expect(resolveLevers(l, 20)).toEqual({ freeOffices: 1, schoolsMusd: 4, securityMusd: 2, leadershipMusd: { health: 2, climate: 6 } });
    const plain = { schoolsMusd: 3 };
    expect(resolveLevers(plain, 50)).toBe(plain);
  });

  it('property: resolved investments scale with the budget and never exceed it when the shares sum to at most 1', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }),
      (s1, s2, budget) => {
        const r = resolveLevers({ schoolsShare: s1, securityShare: s2 }, budget);
        expect(r.schoolsMusd).toBeCloseTo(s1 * budget, 9);
        expect((r.schoolsMusd ?? 0) + (r.securityMusd ?? 0)).toBeLessThanOrEqual(budget + 1e-9);
      }));
  });
});

describe('a fixed-strategy city with shares of its budget', () => {
  const run = (budgetMusd: number, levers: Record<string, unknown>) => runScenario(build({
    years: 5, cities: [city('alpha', { budgetMusd, levers }), city('beta')], organizations: [org('o1', 'beta')],
  }));

  it('invests its share whatever the budget: a budget sweep moves the investment', () => {
    for (const budget of [5, 10, 40]) {
      const rows = run(budget, { schoolsShare: 0.25, leadershipShare: { climate: 0.5 } }).cityYears.filter((c) => c.city === 'alpha');
      for (const r of rows) {
        expect(r.spend.schools).toBeCloseTo(0.25 * budget, 9);
        expect(r.spend.leadership).toBeCloseTo(0.5 * budget, 9);
      }
    }
  });

  it('an amount in USD m does not follow the budget (the budget only caps it)', () => {
    const small = run(10, { schoolsMusd: 4 }).cityYears.find((c) => c.city === 'alpha')!;
    const large = run(40, { schoolsMusd: 4 }).cityYears.find((c) => c.city === 'alpha')!;
    expect(small.spend.schools).toBeCloseTo(4, 9);
    expect(large.spend.schools).toBeCloseTo(4, 9);
  });

  it('rejects an investment given both ways, and shares above 1, at the lever', () => {
    const bad = (levers: Record<string, unknown>) => {
      try { build({ cities: [city('alpha', { budgetMusd: 10, levers }), city('beta')] }); } catch (e) { return (e as ScenarioError).problems.map((p) => `${p.path}: ${p.message}`); }
      return [];
    };
    expect(bad({ schoolsMusd: 2, schoolsShare: 0.2 })).toEqual(['cities[0].levers.schoolsShare: give schoolsMusd (USD m) or schoolsShare (share of the budget), not both']);
    expect(bad({ schoolsShare: 0.6, securityShare: 0.6 })[0]).toMatch(/shares of the budget add up to 1.2, more than 1/);
    expect(bad({ leadershipShare: { climate: 0.1 }, leadershipMusd: { climate: 1 } })[0]).toMatch(/domain "climate" is given in leadershipMusd and in leadershipShare/);
  });
});
