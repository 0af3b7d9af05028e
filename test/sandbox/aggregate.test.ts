/** From replications to figures: odds with Wilson intervals, quantile bands, cost, paired effect, why-breakdown. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantile } from 'd3-array';
import { contestOdds, cost, decisiveTerm, effect, fan, prefix, why } from '../../src/sandbox/aggregate.ts';
import { loadVariant, numericTerms, runReplication, runSummary, type ContestOutcome, type RepOutcome } from '../../src/sandbox/replicate.ts';
import { replicationSeed } from '../../src/experiment/file.ts';
import { wilson } from '../../src/experiment/stats.ts';
import { simulate } from '../../src/model/engine.ts';
import { stableJson } from '../../src/output/write.ts';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';

const side = (id: string, terms: Record<string, number>) => ({ id, terms });
function rep(r: number, o: Partial<RepOutcome> = {}): RepOutcome {
  return { r, seed: r, hosted: [0, 1, 2], spendMusd: 10, won: 1, contests: [], ...o };
}
function contest(id: string, winner: string, runnerUp: string | null, extra: Partial<ContestOutcome> = {}): ContestOutcome {
  return {
    id, candidates: [...new Set([winner, ...(runnerUp ? [runnerUp] : []), 'c'])].sort(),
    winner: side(winner, { security: 0.8, resources: 0.6, utility: 1 }),
    runnerUp: runnerUp ? side(runnerUp, { security: 0.5, resources: 0.7, utility: 0.9 }) : null,
    weights: { security: 0.25, resources: 0.5 }, ...extra,
  };
}

describe('contest odds', () => {
  it('counts wins among the runs in which the contest was held, with Wilson intervals', () => {
    const outs = [rep(0, { contests: [contest('k', 'a', 'b')] }), rep(1, { contests: [contest('k', 'b', 'a')] }), rep(2, { contests: [contest('k', 'a', 'b')] }), rep(3)];
    const [k] = contestOdds(outs, ['k']);
    expect(k.held).toBe(3);
    expect(k.rows.map((r) => [r.city, r.wins])).toEqual([['a', 2], ['b', 1], ['c', 0]]);
    expect(k.rows[0]).toMatchObject({ p: 2 / 3, lo: wilson(2, 3).lo, hi: wilson(2, 3).hi, candidateRuns: 3 });
    expect(contestOdds(outs, ['never'])[0]).toEqual({ id: 'never', held: 0, rows: [] });
  });

  it('has win probabilities that sum to 1 and intervals that hold them (property)', () => {
    const cities = ['a', 'b', 'c', 'd'];
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...cities), fc.constantFrom(...cities)), { minLength: 1, maxLength: 60 }), (pairs) => {
      const outs = pairs.map(([w, r], i) => rep(i, { contests: [contest('k', w, w === r ? null : r)] }));
      const [k] = contestOdds(outs, ['k']);
      expect(k.rows.reduce((s, r) => s + r.p, 0)).toBeCloseTo(1, 12);
      for (const r of k.rows) { expect(r.lo).toBeLessThanOrEqual(r.p + 1e-12); expect(r.hi).toBeGreaterThanOrEqual(r.p - 1e-12); }
    }));
  });
});

describe('fan of hosted organizations', () => {
  it('gives the R-7 quantiles of each year', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 40 }), (hs) => {
      const rows = fan(hs.map((h, i) => rep(i, { hosted: h })), 2000);
      expect(rows.map((r) => r.year)).toEqual([2000, 2001, 2002, 2003]);
      rows.forEach((row, k) => {
        const xs = hs.map((h) => h[k]);
        expect(row.p50).toBe(quantile(xs, 0.5));
        expect(row.p05).toBe(quantile(xs, 0.05));
        expect(row.p95).toBe(quantile(xs, 0.95));
        expect(row.p05 <= row.p25 && row.p25 <= row.p50 && row.p50 <= row.p75 && row.p75 <= row.p95).toBe(true);
      });
    }));
  });
});

describe('cost and effect', () => {
  it('cost per organization won is mean spending over mean won', () => {
    const c = cost([rep(0, { spendMusd: 30, won: 1 }), rep(1, { spendMusd: 10, won: 3 })]);
    expect(c).toMatchObject({ n: 2, meanSpendMusd: 20, meanWon: 2, costPerOrgWonMusd: 10 });
    expect(cost([rep(0, { won: 0 })]).costPerOrgWonMusd).toBeNull();
  });

  it('pairs runs by replication number, whatever order they arrive in', () => {
    const cur = [rep(2, { won: 5, spendMusd: 40 }), rep(0, { won: 3, spendMusd: 20 }), rep(1, { won: 2, spendMusd: 20 })];
    const base = [rep(0, { won: 1, spendMusd: 10 }), rep(1, { won: 2, spendMusd: 10 })];
    const e = effect(cur, base)!;
    expect(e.pairs).toBe(2);
    expect(e.won.mean).toBe(1);
    expect(e.spendMusd.mean).toBe(10);
    expect(e.costPerExtraOrgMusd).toBe(10);
    expect(effect(cur, [])).toBeNull();
  });

  it('takes the longest complete prefix of replications', () => {
    const a = rep(0), b = rep(1), d = rep(3);
    expect(prefix([a, b, undefined, d])).toEqual([a, b]);
    expect(prefix([undefined, b])).toEqual([]);
  });
});

describe('why-breakdown', () => {
  it('compares the focal city with its closest rival, term by term and weighted', () => {
    const outs = [
      rep(0, { contests: [contest('k', 'a', 'b')] }),
      rep(1, { contests: [contest('k', 'b', 'a')] }),
      rep(2, { contests: [contest('k', 'c', 'b')] }),
    ];
    const [w] = why(outs, 'a', ['k']);
    expect(w).toMatchObject({ id: 'k', held: 3, candidate: 2, won: 1, second: 1, contested: 3 });
    expect(w.fields).toEqual(['security', 'resources', 'utility']);
    // Won: a (0.8, 0.6) over b (0.5, 0.7); second: a (0.5, 0.7) behind b (0.8, 0.6).
    expect(w.whenWon.security).toBeCloseTo(0.3, 12);
    expect(w.whenWon.resources).toBeCloseTo(-0.1, 12);
    expect(w.whenSecond.security).toBeCloseTo(-0.3, 12);
    expect(w.weightedWhenWon.security).toBeCloseTo(0.075, 12);
    expect(w.weightedWhenWon.resources).toBeCloseTo(-0.05, 12);
    expect(w.weightedWhenWon.utility).toBeUndefined();
    expect(w.decisive).toEqual({ security: 3 });
    expect(why(outs, 'zzz', ['k'])).toEqual([]);
  });

  it('shows whatever numeric terms a decision record carries', () => {
    const rec = { city: 3, id: 'bonn', security: 0.5, moveCost: 0.1, terms: { freeOffices: 1, note: 'x' }, list: [1, 2] };
    expect(numericTerms(rec)).toEqual({ security: 0.5, moveCost: 0.1, 'terms.freeOffices': 1 });
    const c = contest('k', 'a', 'b');
    c.winner!.terms.newTerm = 2; c.runnerUp!.terms.newTerm = 1;
    expect(why([rep(0, { contests: [c] })], 'a', ['k'])[0].fields).toContain('newTerm');
    expect(decisiveTerm({ ...c, weights: null })).toBeNull();
  });
});

describe('a replication with the real engine', () => {
  const file = join(ROOT, 'scenarios/quickstart.yaml');
  const sc = loadVariant({ file, arm: null, overrides: { 'cities.bonn.budgetMusd': 30 } });

  it('uses the seed hqsim odds and sweep give replication r, and agrees with the run summary', () => {
    for (const r of [0, 5]) {
      const o = runReplication(sc, r, 'bonn');
      expect(o.seed).toBe(replicationSeed(sc.seed, r));
      const s = simulate(sc, { seed: o.seed });
      expect(o.hosted).toHaveLength(sc.years);
      expect(o.hosted[sc.years - 1]).toBe(s.byCity.bonn.hostedOrgs);
      expect(o.spendMusd).toBe(s.byCity.bonn.spendMusd);
      expect(o.won).toBe(s.byCity.bonn.arrivals + s.byCity.bonn.foundingsWon);
      expect(o.contests.map((c) => c.id).sort()).toEqual(['climate_seat_1995', 'desert_seat_1998', 'energy_seat_2009', 'fund_seat_2012']);
      expect(o.contests.find((c) => c.id === 'climate_seat_1995')!.candidates).toEqual(['bonn', 'geneva', 'toronto']);
    }
  });

  it('writes the summary as hqsim run does, labelled with the arm', () => {
    const json = runSummary(sc, 3, 'sandbox');
    expect(json).toBe(stableJson({ ...simulate(sc, { seed: 3 }), arm: 'sandbox' }));
    expect(JSON.parse(json).arm).toBe('sandbox');
  });
});
