/**
 * Snapshots: deciding a contest again on the state a run reached gives exactly what a run of the scenario with
 * that bid gives (the same winner in every replication), whatever the number of worker threads.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.ts';
import { Session } from '../../src/advise/session.ts';
import { LocalEvaluator, ThreadEvaluator } from '../../src/advise/pool.ts';
import { runOddsTask } from '../../src/experiment/worker.ts';
import { replicationSeed } from '../../src/experiment/file.ts';
import { buildWorld } from '../../src/model/engine.ts';
import { bestResponse, budgetRoom } from '../../src/advise/rivals.ts';
import { affordableScale } from '../../src/model/cities.ts';
import { buildCityTable, evaluate, offerTerms, specificTerms } from '../../src/model/scoring.ts';
import { weightsOf } from '../../src/model/world.ts';
import { ROOT } from '../helpers.ts';

const QUICK = join(ROOT, 'scenarios/quickstart.yaml');
const seeds = (n: number, from = 0) => Array.from({ length: n }, (_, r) => replicationSeed(1, from + r));

describe('advise sessions', () => {
  for (const [contest, city, offer] of [
    ['desert_seat_1998', 'geneva', { taxExemption: 0.6, oneOffMusd: 0.2, term: 10 }],
    ['climate_seat_1995', 'geneva', { subsidyMusd: 1, relocationGrantMusdPerStaff: 0.01, term: 15 }],
    ['fund_seat_2012', 'geneva', { subsidyMusd: 8, term: 10 }],
  ] as const) {
    it(`decide ${contest} again exactly as a run with the bid does (${city})`, () => {
      const s = seeds(25);
      const session = new Session(loadScenario(QUICK), contest, city, s);
      const [r] = session.evaluate([offer], 'passive');
      const runs = runOddsTask({ kind: 'odds', scenario: QUICK, overrides: { [`contests.${contest}.bids.${city}`]: offer }, years: null, contest, seeds: s });
      expect(Array.from(r.win)).toEqual(runs.map((o) => (o.winner === city ? 1 : 0)));
      expect(new Set(r.win).size, 'the city wins some runs and loses others').toBe(2);
      // the choice probability is a probability, and CRN make a repeat identical
      for (const p of r.p) { expect(p).toBeGreaterThanOrEqual(0); expect(p).toBeLessThanOrEqual(1); }
      expect(Array.from(session.evaluate([offer], 'passive')[0].p)).toEqual(Array.from(r.p));
    });
  }

  it('gives the same numbers on one thread and on several', async () => {
    const spec = { scenario: QUICK, contest: 'desert_seat_1998', city: 'geneva', seeds: seeds(9) };
    const local = new LocalEvaluator(spec);
    const threads = await ThreadEvaluator.open(spec, 2);
    try {
      const offers = [{ term: 10 }, { subsidyMusd: 1, term: 10 }];
      const [a, b] = [await local.evaluate(offers, 'respond'), await threads.evaluate(offers, 'respond')];
      for (let i = 0; i < offers.length; i++) {
        expect(Array.from(b[i].p)).toEqual(Array.from(a[i].p));
        expect(Array.from(b[i].win)).toEqual(Array.from(a[i].win));
      }
      expect(await threads.info()).toEqual(await local.info());
      expect(await threads.candidates(offers[1], 'passive')).toEqual(await local.candidates(offers[1], 'passive'));
      expect(await threads.silentRivals()).toEqual(await local.silentRivals());
      expect(await threads.facts()).toEqual(await local.facts());
    } finally { await threads.close(); await local.close(); }
  });

  it("a rival's best response fits its budget and beats what it would otherwise offer", () => {
    const sc = loadScenario(QUICK);
    const w = buildWorld(sc, 1);
    const t = buildCityTable(w);
    const o = w.orgs[w.orgIndex.get('green_fund')!];
    const bonn = w.cities[w.cityIndex.get('bonn')!];
    bonn.budgetLeft = 3;
    const best = bestResponse(w, t, o, bonn)!;
    expect(best).not.toBeNull();
    expect(affordableScale(w, bonn, o, best)).toBeGreaterThan(1 - 1e-9);
    const u = (offer: object) => evaluate(w, t, o, bonn, weightsOf(o, w.year, w.params), 'found', specificTerms(bonn, o, w.year, offerTerms(offer))).utility;
    expect(u(best)).toBeGreaterThan(u({ freeOffices: 1, subsidyMusd: 1, oneOffMusd: 1, term: 10 }));
    const room = budgetRoom(w, bonn);
    expect(room).toEqual({ yearly: bonn.budgetMusd, once: 3 });
    // a city with nothing to spend cannot respond
    const nairobi = w.cities[w.cityIndex.get('nairobi')!];
    nairobi.budgetMusd = 0;
    nairobi.budgetLeft = 0;
    expect(bestResponse(w, t, o, nairobi)).toBeNull();
  });

  it('rivals that respond make winning harder, never easier', () => {
    const session = new Session(loadScenario(QUICK), 'desert_seat_1998', 'geneva', seeds(20));
    const offer = { taxExemption: 0.8, term: 10 };
    const [passive] = session.evaluate([offer], 'passive');
    const [respond] = session.evaluate([offer], 'respond');
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    expect(mean(respond.p)).toBeLessThanOrEqual(mean(passive.p) + 1e-12);
    expect(mean(respond.p)).toBeLessThan(mean(passive.p));
  });
});
