/**
 * Replaying documented contests and scoring forecasts: the replayed world honours documented offers, forecasts are
 * probabilities, the organization's own decisions are exact, votes are reproducible, and the scores and naive
 * baselines mean what docs/validation.md says.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadContests } from '../../src/backtest/contests.ts';
import { baselines, buildReplay, contestDocument, predict, rankOf, score, smooth, SMOOTHING } from '../../src/backtest/replay.ts';
import { explain } from '../../src/explain/index.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { resolveParams } from '../../src/model/params.ts';

const contests = loadContests().contests;
const byId = (id: string) => contests.find((c) => c.id === id)!;

describe('replaying a contest in the world of its year', () => {
  it('every documented offer reaches the decision in full (the replay makes it affordable)', () => {
    for (const c of contests.filter((x) => Object.keys(x.bids).length)) {
      const sc = parseScenario(JSON.stringify(contestDocument(c)), `${c.id}.json`);
      const e = explain(sc, { contest: 'replay' });
      for (const id of Object.keys(c.bids)) {
        const row = e.candidates.find((x) => x.city === id)!;
        expect(row.terms.offer, `${c.id}: offer of ${id}`).toBeGreaterThan(0);
      }
    }
  });
  it('forecasts are probabilities over the candidates; the organization\'s own choice is exact', () => {
    const p = resolveParams();
    for (const c of contests) {
      const r = buildReplay(c);
      const f = predict(r, p, 16);
      expect(f.p.length).toBe(r.cities.length);
      expect(f.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(f.p.every((x) => x >= 0 && x <= 1)).toBe(true);
      if (c.rule === 'organization') expect(predict(r, p, 1).p).toEqual(predict(r, p, 50).p);
    }
  });
  it('votes are reproducible: the same seed gives the same forecast, another seed other draws', () => {
    const r = buildReplay(byId('adb_1965')), p = resolveParams();
    expect(predict(r, p, 24, 5)).toEqual(predict(r, p, 24, 5));
    expect(predict(r, p, 24, 5).p).not.toEqual(predict(r, p, 24, 6).p);
  });
  it('a larger documented offer makes its city likelier to win', () => {
    const c = byId('unfccc_1995'), p = resolveParams();
    const bonn = (mult: number) => {
      const bids = { bonn: { ...c.bids.bonn, subsidyMusd: (c.bids.bonn.subsidyMusd ?? 0) * mult } };
      const r = buildReplay({ ...c, bids });
      return predict(r, p, 64).p[r.cities.indexOf('bonn')];
    };
    expect(bonn(5)).toBeGreaterThan(bonn(0.2));
  });
});

describe('scores', () => {
  const forecast = fc.integer({ min: 2, max: 12 }).chain((n) => fc.tuple(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }), fc.integer({ min: 0, max: n - 1 })));
  it('Brier lies in [0, 2], log-loss is positive, top-2 is at least top-1', () => {
    fc.assert(fc.property(forecast, ([raw, w]) => {
      const s0 = raw.reduce((a, b) => a + b, 0) || 1;
      const p = smooth(raw.map((x) => (s0 ? x / s0 : 1 / raw.length)));
      const s = score(p, w);
      expect(s.brier).toBeGreaterThanOrEqual(0);
      expect(s.brier).toBeLessThanOrEqual(2);
      expect(s.logLoss).toBeGreaterThan(0);
      expect(s.top2).toBeGreaterThanOrEqual(s.top1);
      expect(rankOf(p, w)).toBeGreaterThanOrEqual(1);
    }));
  });
  it('ties are broken at random: a uniform forecast has top-k accuracy k/n and log-loss ln n', () => {
    for (const n of [2, 4, 19]) {
      const s = score(smooth(Array(n).fill(1 / n)), 0);
      expect(s.top1).toBeCloseTo(1 / n, 12);
      expect(s.top2).toBeCloseTo(Math.min(1, 2 / n), 12);
      expect(s.logLoss).toBeCloseTo(Math.log(n), 12);
    }
  });
  it('a certain, right forecast scores near perfect; a certain, wrong one is penalised by the smoothing floor', () => {
    const right = score(smooth([1, 0, 0]), 0), wrong = score(smooth([1, 0, 0]), 1);
    expect(right.top1).toBe(1);
    expect(right.brier).toBeLessThan(1e-3);
    expect(wrong.logLoss).toBeCloseTo(-Math.log(SMOOTHING / 3), 10);
  });
});

describe('naive baselines', () => {
  it('offer: all on the largest documented offer; uniform when none is documented', () => {
    const b = baselines(buildReplay(byId('irena_2009')));
    expect(b.offer).toEqual([1, 0, 0]);
    const n = baselines(buildReplay(byId('unep_1972')));
    expect(n.offer.every((x) => Math.abs(x - 1 / n.offer.length) < 1e-12)).toBe(true);
  });
  it('cluster and attributes: all on the best city, shared among ties; every forecast sums to 1', () => {
    for (const c of contests) {
      const b = baselines(buildReplay(c));
      for (const f of Object.values(b)) expect(f.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    }
    const gcf = baselines(buildReplay(byId('gcf_2012')));
    // Geneva has the largest climate cluster of the GCF candidates (2 bodies against Bonn's 1)
    expect(gcf.cluster[buildReplay(byId('gcf_2012')).cities.indexOf('geneva')]).toBe(1);
  });
});
