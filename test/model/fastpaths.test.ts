/**
 * Guard rails for the engine's fast paths, each held to the straightforward computation it replaces: the
 * draw streams (seedrandom's alea), the hazard pass's shared-table shortcut (seatUtility, advertisedPull),
 * the contest table refresh (a full rebuild), the reuse of the yearly choice index (a fresh one) and the skipped
 * year of a dormant city (the same city taking every step).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { parseScenario } from '../../src/scenario/load.ts';
import { buildWorld, deathCap, deathHazard, simulate, type OrgYearRecord, type Recorder } from '../../src/model/engine.ts';
import { resolveParams } from '../../src/model/params.ts';
import { citiesAct, hostedLists, investFromAllocation, recordInvestment } from '../../src/model/cities.ts';
import { baseUtility, buildCityTable, evaluate, OrgMove, plainMoveUtility, plainSeatUtility, refreshCounts, valuesScore } from '../../src/model/scoring.ts';
import { bestMove, decideReview, listBound, listPosition, listUtilityThere, positionOf, referenceUtility, Shortlists } from '../../src/model/choice.ts';
import { emptySpend, spendSum, stageIndex, stageWeightsAt, weightsAt } from '../../src/model/world.ts';
import { STOCK_ATTRIBUTE, STOCKS, emptyAllocation, stockBase, throughPipe } from '../../src/model/stocks.ts';
import { hazardPass, newReviewers, type HazardTrace } from '../../src/model/hazard.ts';
import { drawRow, seedRow, Streams } from '../../src/model/rng.ts';
import { loadScenario, runScenario } from '../../src/index.ts';
import { build, city, org, type Obj } from '../helpers.ts';
import type { World } from '../../src/model/world.ts';

describe('draw streams are seedrandom alea streams', () => {
  const key = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ maxLength: 20, unit: 'binary' }), fc.constantFrom('', ' ', '1/vote/c:3:2:bonn/2012/'));
  it('Streams.stream and Streams.uniform return the numbers of seedrandom.alea(key)', () => {
    fc.assert(fc.property(fc.nat(2 ** 32 - 1), fc.string({ maxLength: 12 }), fc.integer({ min: -5000, max: 5000 }), fc.string({ maxLength: 5 }), fc.integer({ min: 1, max: 40 }),
      (seed, agent, year, extra, n) => {
        const s = new Streams(seed);
        const ref = seedrandom.alea(s.key('vote', agent, year, extra));
        const mine = s.stream('vote', agent, year, extra);
        const first = ref();
        expect(mine()).toBe(first);
        expect(s.uniform('vote', agent, year, extra)).toBe(first);
        for (let k = 1; k < n; k++) expect(mine()).toBe(ref());
      }), { numRuns: 300 });
  });

  it('KeyedUniform gives Streams.uniform of the same name, built from parts', () => {
    const part = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -3000, max: 3_000_000 }), fc.constantFrom(1e12, -7.5, 0));
    fc.assert(fc.property(fc.nat(2 ** 32 - 1), fc.string({ maxLength: 10 }), fc.array(part, { maxLength: 6 }), fc.integer({ min: -500, max: 3000 }), (seed, prefix, parts, year) => {
      const s = new Streams(seed);
      const k = s.keyed('vote', prefix);
      for (let rep = 0; rep < 2; rep++) {
        k.begin();
        for (const x of parts) { if (typeof x === 'number') k.int(x); else k.str(x); k.char(':'); }
        k.char('/').int(year).char('/');
        expect(k.uniform()).toBe(s.uniform('vote', prefix + parts.map((x) => `${x}:`).join(''), year));
      }
    }), { numRuns: 300 });
  });

  it('seedRow + drawRow (the organization rows) return the numbers of seedrandom.alea(key), in order, across calls', () => {
    fc.assert(fc.property(key, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }), fc.nat(5), (key, chunks, row) => {
      const ref = seedrandom.alea(key);
      const state = new Float64Array(4 * (row + 1));
      seedRow(state, row, key);
      for (const n of chunks) {
        const out = new Float64Array(n);
        drawRow(state, row, out);
        for (let k = 0; k < n; k++) expect(out[k]).toBe(ref());
      }
    }), { numRuns: 200 });
  });
});

/** A synthetic world at its first year, counts and city levers in place. */
function world(seed: number, orgs: number, cities: number, baseHazard: number): World {
  const sc = parseScenario(JSON.stringify({ name: 'hz', start: 2000, years: 1, seed, population: { cities, organizations: orgs },
    parameters: { review: { baseHazard, courtingHazard: 0.5, dissatisfactionHazard: 1 } } }), 'hz.json');
  const w = buildWorld(sc);
  const T = w.table;
  for (let i = 0; i < T.size; i++) if (T.founded[i] <= sc.start && T.seat[i] >= 0) T.active[i] = 1;
  for (const o of w.orgs) if (o.active) { const c = w.cities[o.seat]; c.hostedByDomain[o.domain]++; c.staffByDomain[o.domain] += o.staff; c.hostedTotal++; }
  citiesAct(w, hostedLists(w), []);
  // Reference utilities spread around the seats' so that dissatisfaction varies.
  for (let i = 0; i < T.size; i++) T.refUtility[i] = i % 5 === 0 ? NaN : 0.3 + ((i * 37) % 11) * 0.04;
  return w;
}

/**
 * A world for the shortlist tests, with consideration sets of K, cities that target some domains only and grants
 * that differ (so that the targeted and untargeted parts both matter), its city table and its year's shortlists.
 */
function listWorld(seed: number, orgs: number, cities: number, K: number) {
  const w = world(seed, orgs, cities, 0.05);
  w.params.choice.considerationSize = K;
  w.cities.forEach((c, i) => { if (i % 3 === 1) { c.targets.fill(0); c.targets[i % w.domains.length] = 1; } c.untargeted = { ...c.untargeted, grantMusdPerStaff: (i % 4) * 0.01 }; });
  const t = buildCityTable(w);
  const lists = new Shortlists(w);
  lists.reset(t);
  return { w, t, lists };
}

function pass(w: World, seed: number) {
  const t = buildCityTable(w);
  const n = w.table.size;
  const trace: HazardTrace = { seatUtility: new Float64Array(n).fill(NaN), hazard: new Float64Array(n), reviewed: new Uint8Array(n) };
  const out = newReviewers();
  const scale = w.params.anchor.ageScale;
  const lists = new Shortlists(w);
  lists.reset(t);
  const anchors = Float64Array.from({ length: 400 }, (_, a) => 1 - Math.exp(-a / scale));
  hazardPass(w, t, lists, w.year, new Set(), new Streams(seed), anchors, out, trace);
  return { trace, out };
}

describe('hazard pass', () => {
  it('the shared-table shortcut gives the per-organization numbers exactly', () => {
    let plainSeen = 0;
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 2, max: 60 }), fc.double({ min: 0, max: 0.3, noNaN: true }),
      (seed, orgs, cities, baseHazard) => {
        const fast = world(seed, orgs, cities, baseHazard);
        const slow = world(seed, orgs, cities, baseHazard);
        plainSeen += fast.table.plain.reduce((s, x) => s + x, 0);
        slow.table.plain.fill(0); // every organization through seatUtility and advertisedPull
        const a = pass(fast, seed), b = pass(slow, seed);
        for (let i = 0; i < fast.table.size; i++) {
          expect(Object.is(a.trace.seatUtility[i], b.trace.seatUtility[i])).toBe(true);
          expect(Object.is(a.trace.hazard[i], b.trace.hazard[i])).toBe(true);
        }
        expect(a.out).toEqual(b.out);
        expect(Array.from(fast.table.refUtility)).toEqual(Array.from(slow.table.refUtility));
      }), { numRuns: 40 });
    expect(plainSeen).toBeGreaterThan(0);
  });

  it('reviews about the share the hazard says (no review without a hazard, every one with a certain hazard)', () => {
    const none = pass(world(3, 400, 20, 0), 3);
    // courting and dissatisfaction can still raise the hazard above zero; with them off there is no review
    const sc = parseScenario(JSON.stringify({ name: 'hz', start: 2000, years: 1, seed: 3, population: { cities: 20, organizations: 400 },
      parameters: { review: { baseHazard: 40 }, anchor: { ageWeight: 0, localWeight: 0 } } }), 'hz.json');
    const w = buildWorld(sc);
    for (let i = 0; i < w.table.size; i++) if (w.table.seat[i] >= 0 && w.table.founded[i] <= 2000) w.table.active[i] = 1;
    citiesAct(w, hostedLists(w), []);
    const all = pass(w, 3);
    const active = w.table.active.reduce((s, x) => s + x, 0);
    expect(all.out.n).toBe(active);
    expect(none.out.n).toBeLessThan(active);
  });
});

describe('shortlists and the allocation-free utilities', () => {
  it('shortlists reset onto a new year give the lists of fresh ones', () => {
    const w = world(5, 200, 30, 0.05);
    const lists = new Shortlists(w);
    lists.reset(buildCityTable(w));
    const before = [0, 1, 2].flatMap((si) => w.domains.map((_, k) => Array.from(lists.get(si, k))));
    // a second year: grants and subsidies change, so the ranking changes
    w.cities.forEach((c, k) => { c.levels = { ...c.levels, grantMusdPerStaff: [0, 0.02, 0.05][k % 3], subsidyMusd: (k % 4) * 0.7 }; });
    const t2 = buildCityTable(w);
    lists.reset(t2);
    const fresh = new Shortlists(w);
    fresh.reset(t2);
    let differs = false;
    [0, 1, 2].forEach((si) => w.domains.forEach((_, k) => {
      const a = Array.from(lists.get(si, k));
      expect(a).toEqual(Array.from(fresh.get(si, k)));
      if (JSON.stringify(a) !== JSON.stringify(before[si * w.domains.length + k])) differs = true;
    }));
    expect(differs).toBe(true);
  });

  it('a shortlist is the top of referenceUtility over every city, and seatBase is baseUtility, bit for bit', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 8 }), (seed, orgs, cities, K) => {
      const { w, t, lists } = listWorld(seed, orgs, cities, K);
      for (const si of [2, 0, 1]) for (let k = 0; k < w.domains.length; k++) {
        const ranked = w.cities.map((c) => ({ c: c.idx, u: referenceUtility(w, t, c.idx, si, k) })).sort((a, b) => b.u - a.u || a.c - b.c);
        expect(Array.from(lists.get(si, k))).toEqual(ranked.slice(0, K + 1).map((x) => x.c));
        const seats = lists.seatBase(si, k);
        const wt = stageWeightsAt(si, w.params);
        w.cities.forEach((c) => expect(Object.is(seats[c.idx], baseUtility(wt, t, c.idx, k, w.params, true))).toBe(true));
      }
    }), { numRuns: 60 });
  });

  it('the seat and move utilities of the hazard pass equal full evaluations, bit for bit, and the shortlist bound bounds them', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 2, max: 30 }), (seed, orgs, cities) => {
      const w = world(seed, orgs, cities, 0.05);
      const t = buildCityTable(w);
      const lists = new Shortlists(w);
      lists.reset(t);
      const p = w.params;
      for (const o of w.orgs) {
        if (!o.active || o.ownWeights) continue;
        const si = stageIndex(w.year - o.founded, p), wt = weightsAt(o, si, p);
        const seat = evaluate(w, t, o, w.cities[o.seat], wt, 'seat', null, 0).utility;
        expect(Object.is(plainSeatUtility(t, o.seat, wt, o.domain, o.staff, o.budgetMusd, p), seat)).toBe(true);
        const view = lists.view(si, o.domain), bound = listBound(view, new OrgMove().set(o.staff, o.budgetMusd, o.localShare, p), positionOf(view, o.seat));
        for (const c of lists.get(si, o.domain)) {
          const u = plainMoveUtility(t, w.cities[c], wt, o.domain, o.staff, o.budgetMusd, o.localShare, p);
          expect(Object.is(u, evaluate(w, t, o, w.cities[c], wt, 'move', null).utility)).toBe(true);
          if (c !== o.seat) expect(u).toBeLessThanOrEqual(bound);
        }
      }
    }), { numRuns: 40 });
  });
});

describe('the screen\'s best move from a shortlist', () => {
  it('bestMove, with an office valued apart, is the best plainMoveUtility of the considered cities, bit for bit; listBound bounds it', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.05, max: 0.5, noNaN: true }),
      (seed, orgs, cities, K, share) => {
        const { w, t, lists } = listWorld(seed, orgs, cities, K);
        const p = w.params, mu = new OrgMove();
        for (const o of w.orgs) {
          if (!o.active || o.ownWeights) continue;
          const si = stageIndex(w.year - o.founded, p), wt = weightsAt(o, si, p), v = lists.view(si, o.domain);
          mu.set(o.staff, o.budgetMusd, o.localShare, p);
          const list = Array.from(lists.get(si, o.domain)).filter((c) => c !== o.seat).slice(0, K);
          // the office anywhere: on the list, off it, or none
          for (const office of [-1, list[list.length - 1], (o.seat + 1 + (o.idx % (cities - 1))) % cities]) {
            const there = (c: number) => (c === office ? share : 0);
            const considered = office >= 0 && office !== o.seat && !list.includes(office) ? [...list, office] : list;
            const expected = Math.max(-Infinity, ...considered.map((c) => plainMoveUtility(t, w.cities[c], wt, o.domain, o.staff, o.budgetMusd, o.localShare, p, there(c))));
            const j = office >= 0 ? listPosition(v, K, o.seat, office) : -1;
            expect(j >= 0).toBe(office >= 0 && list.includes(office));
            const uo = office < 0 || office === o.seat ? -Infinity : j >= 0 ? listUtilityThere(v, j, mu, share)
              : plainMoveUtility(t, w.cities[office], wt, o.domain, o.staff, o.budgetMusd, o.localShare, p, share);
            const out = new Float64Array(1);
            bestMove(v, K, o.seat, mu, j, out);
            expect(Object.is(Math.max(out[0], uo), expected)).toBe(true);
          }
          // the bound leaves out the seat's own parts, and still bounds every other city of the list
          const seatAt = positionOf(v, o.seat);
          expect(seatAt).toBe(Array.from(v.list).indexOf(o.seat));
          for (const c of list) expect(plainMoveUtility(t, w.cities[c], wt, o.domain, o.staff, o.budgetMusd, o.localShare, p)).toBeLessThanOrEqual(listBound(v, mu, seatAt));
        }
      }), { numRuns: 40 });
  });
});

describe('a review decision\'s numbers', () => {
  it('the seat\'s utility from the table and the runner-up\'s utility equal their evaluations term by term, bit for bit', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 2, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (seed, orgs, cities, u1, u2) => {
        const w = world(seed, orgs, cities, 0.05);
        const t = buildCityTable(w);
        const lists = new Shortlists(w);
        lists.reset(t);
        const p = w.params;
        w.orgs.forEach((o, i) => {
          if (!o.active) return;
          // some organizations with an office, some with an expiring lease (no stay bonus), some with their privileges withdrawn at the seat
          if (i % 4 === 1) o.setOffice((o.seat + 1) % cities, 0.2);
          if (i % 3 === 2) w.table.leaseOpen[o.idx] = 1;
          if (i % 7 === 3) o.noPrivileges = o.seat;
          const si = stageIndex(w.year - o.founded, p), wt = weightsAt(o, si, p);
          const d = decideReview(w, t, lists, o, wt, si, u1, u2);
          expect(Object.is(d.seatUtility, d.seat.utility)).toBe(true);
          expect(Object.is(d.runnerUpUtility, d.runnerUp ? d.runnerUp.utility : -Infinity)).toBe(true);
          expect(d.chosen.city).toBe(d.city);
        });
      }), { numRuns: 40 });
  });
});

describe('named-field helpers of the cities\' year', () => {
  const distinct = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 15, maxLength: 15 });
  it('stockBase, investFromAllocation and recordInvestment read and write the fields STOCKS names, in its order', () => {
    fc.assert(fc.property(distinct, fc.double({ min: 0, max: 100, noNaN: true }), (xs, free) => {
      const attr = { safety: xs[0], schools: xs[1], connectivity: xs[2], conference: xs[3], legal: xs[4], livability: xs[5], workforce: xs[6], openness: xs[7] } as never;
      STOCKS.forEach((name, s) => expect(Object.is(stockBase(attr, s), (attr as Record<string, number>)[STOCK_ATTRIBUTE[name]])).toBe(true));
      const a = emptyAllocation();
      STOCKS.forEach((name, s) => { a[name] = xs[s + 1]; });
      const invest = new Float64Array(STOCKS.length);
      investFromAllocation(a, free, invest);
      STOCKS.forEach((name, s) => expect(Object.is(invest[s], a[name] * free)).toBe(true));
      const sp = emptySpend(), win = emptyAllocation(), before = emptyAllocation();
      STOCKS.forEach((name, s) => { win[name] = xs[s]; before[name] = xs[s]; });
      recordInvestment(sp, win, invest);
      STOCKS.forEach((name, s) => { expect(Object.is(sp[name], invest[s])).toBe(true); expect(Object.is(win[name], before[name] + invest[s])).toBe(true); });
      expect(win.cash).toBe(0);
      expect(win.leadership).toBe(0);
    }), { numRuns: 200 });
  });

  it('throughPipe delays each investment by the ring\'s length in years, as a first-in first-out queue does', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 }), fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { maxLength: 40 }), (delay, xs) => {
      const ring = new Float64Array(delay), heads = new Int32Array(3), queue: number[] = [];
      for (const x of xs) {
        queue.push(x);
        const expected = delay === 0 ? queue.shift()! : queue.length > delay ? queue.shift()! : 0;
        expect(Object.is(throughPipe(ring, heads, 2, x), expected)).toBe(true);
      }
      expect(heads[0]).toBe(0);
    }), { numRuns: 200 });
  });

  it('spendSum adds the spending fields in the order Object.values gives them (the same number to the bit)', () => {
    fc.assert(fc.property(distinct, (xs) => {
      const sp = emptySpend();
      Object.keys(sp).forEach((k, i) => { (sp as Record<string, number>)[k] = xs[i] * 10 ** (i % 7); });
      let ref = 0;
      for (const v of Object.values(sp)) ref += v;
      expect(Object.is(spendSum(sp), ref)).toBe(true);
    }), { numRuns: 300 });
  });
});

describe('contest table refresh', () => {
  it('refreshCounts after moves gives the table a full rebuild gives', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 2, max: 40 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
      (seed, orgs, cities, moves) => {
        const w = world(seed, orgs, cities, 0.05);
        const t = buildCityTable(w);
        const count = () => {
          for (const c of w.cities) { c.hostedByDomain.fill(0); c.staffByDomain.fill(0); c.hostedTotal = 0; }
          for (const o of w.orgs) if (o.active) { const c = w.cities[o.seat]; c.hostedByDomain[o.domain]++; c.staffByDomain[o.domain] += o.staff; c.hostedTotal++; }
        };
        for (const [oi, ci] of moves) { const o = w.orgs[oi % w.orgs.length]; if (o.active) o.seat = ci % w.cities.length; }
        count();
        refreshCounts(w, t);
        const fresh = buildCityTable(w);
        for (const k of ['security', 'securityNoLegal', 'operations', 'resourcesBase', 'perStaff', 'fixed', 'grant', 'values', 'clusterCount', 'pull', 'pullSelf'] as const) {
          expect(Array.from(t[k])).toEqual(Array.from(fresh[k]));
        }
        // the table's values term is valuesScore, bit for bit (the table computes the openness part once per city)
        for (const c of w.cities) for (let k = 0; k < w.domains.length; k++) expect(Object.is(fresh.values[c.idx * w.domains.length + k], valuesScore(c, k, w.params))).toBe(true);
      }), { numRuns: 60 });
  });
});

describe('organization table', () => {
  it('keeps every row when it grows, and a run whose foundings outgrow it stays consistent', () => {
    // The table doubles its arrays as organizations are founded; rows must survive every doubling.
    const sc = parseScenario(JSON.stringify({ name: 'grow', start: 2000, years: 12, seed: 4, population: { cities: 6, organizations: 3 },
      parameters: { foundings: { rate: 12 } } }), 'grow.json');
    const w = buildWorld(sc);
    const T = w.table;
    const before = T.seat.length;
    for (let i = 0; i < 100; i++) {
      const k = T.add();
      T.seat[k] = k % 7; T.staff[k] = 0.5 + k; T.rng[4 * k + 3] = k;
    }
    expect(T.seat.length).toBeGreaterThan(before);
    for (let k = T.size - 100; k < T.size; k++) { expect(T.seat[k]).toBe(k % 7); expect(T.staff[k]).toBe(0.5 + k); expect(T.rng[4 * k + 3]).toBe(k); }

    const years: OrgYearRecord[] = [];
    let diedLast = 0;
    const rec: Recorder = { event: (e) => { if (e.type === 'dissolution' && e.year === 2011) diedLast++; }, cityYear() {}, orgYear: (r) => years.push(r) };
    const summary = simulate(sc, { recorder: rec });
    expect(summary.foundings).toBeGreaterThan(40); // far past the first capacities (16, 32)
    expect(summary.organizations).toBe(3 + summary.foundings - summary.dissolutions);
    const last = years.filter((r) => r.year === 2011);
    expect(last).toHaveLength(summary.organizations + diedLast);
    for (const r of last) { expect(r.seat).toMatch(/^syn_city_/); expect(r.staff).toBeGreaterThan(0); }
    expect(simulate(sc)).toEqual(summary);
  });
});

describe('dormant cities skip their year', () => {
  // A city with no budget, no commitments and no levers, nothing built and nothing in its pipelines is skipped by
  // citiesAct. Its twin with an explicit zero lever ({ freeOffices: 0 }) is never dormant and takes every step;
  // both must give the same history, also when cities wake up (a budget and a schedule of investments) and go back
  // to sleep with stocks still built (schools; leadership) or with an investment still in its delay pipeline.
  const wake = (id: string, lever: Obj, to: number, levers: Obj) => city(id, { levers: lever, schedule: [{ from: 2006, to, levers }] });
  const run = (lever: Obj, seed: number) => runScenario(build({
    seed, start: 2000, years: 20, parameters: { foundings: { rate: 2 } },
    cities: [
      city('alpha', { budgetMusd: 10, strategy: 'rising' }),
      city('sleeper', { levers: lever }),
      wake('schooler', lever, 2011, { schoolsMusd: 2, freeOffices: 1 }),
      wake('leader', lever, 2011, { leadershipMusd: { climate: 1 } }),
      wake('blip', lever, 2006, { schoolsMusd: 2 }),
    ],
    organizations: [org('o1', 'alpha'), org('o2', 'schooler', { founded: 1960 })],
    events: [
      ...['schooler', 'leader', 'blip'].map((c) => ({ year: 2006, type: 'budgetChange', city: c, budgetMusd: 5 })),
      ...['schooler', 'leader'].map((c) => ({ year: 2012, type: 'budgetChange', city: c, budgetMusd: 0 })),
      { year: 2007, type: 'budgetChange', city: 'blip', budgetMusd: 0 },
    ],
  }));
  it('gives the history of the full computation, byte for byte', () => {
    for (const seed of [1, 2, 3]) {
      const skipped = run({}, seed), full = run({ freeOffices: 0 }, seed);
      expect(JSON.stringify(skipped.cityYears)).toBe(JSON.stringify(full.cityYears));
      expect(JSON.stringify(skipped.events)).toBe(JSON.stringify(full.events));
      expect(skipped.summary).toEqual(full.summary);
    }
    // the stocks really moved: built while awake, then decaying while asleep
    const ys = (c: string) => run({}, 1).cityYears.filter((r) => r.city === c);
    const schools = ys('schooler').map((r) => r.attributes[1]), blip = ys('blip').map((r) => r.attributes[1]);
    expect(Math.max(...schools)).toBeGreaterThan(schools[0]);
    expect(schools.at(-1)).toBeLessThan(Math.max(...schools));
    expect(blip.at(-1)).toBeGreaterThan(blip[0]);
    const lead = ys('leader').map((r) => r.leadership.reduce((a, b) => a + b, 0));
    expect(Math.max(...lead)).toBeGreaterThan(lead[0]);
  });
});

describe('death cap', () => {
  it('no organization\'s death probability exceeds the cap of its age, whatever its size', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }),
      fc.double({ min: 0.5, max: 500, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true }),
      (young, old, elasticity, refStaff, newness, staff) => {
        const p = resolveParams({ ecology: { mortalityYoung: young, mortalityOld: old, mortalitySizeElasticity: elasticity }, levers: { refStaff } });
        expect(1 - Math.exp(-deathHazard(newness, staff, p))).toBeLessThanOrEqual(deathCap(newness, p));
      }), { numRuns: 500 });
  });

  it('gives no cap when a negative elasticity makes large organizations the likeliest to die', () => {
    expect(deathCap(0.5, resolveParams({ ecology: { mortalitySizeElasticity: -0.5 } }))).toBe(Infinity);
  });
});

describe('yearly recount', () => {
  it('each city-year record counts the organizations seated there by domain and the offices there, as the organization-year records place them', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 5, max: 120 }), fc.integer({ min: 2, max: 15 }), (seed, orgs, cities) => {
      const sc = parseScenario(JSON.stringify({ name: 'rc', start: 2000, years: 6, seed, population: { cities, organizations: orgs },
        parameters: { review: { baseHazard: 0.3 } } }), 'rc.json');
      const r = runScenario(sc, { seed });
      const domainOf = new Map(buildWorld(sc).orgs.map((o) => [o.def.id, o.def.domain]));
      for (const cy of r.cityYears) {
        const here = r.orgYears.filter((x) => x.year === cy.year && x.seat === cy.city);
        expect(cy.hostedOrgs).toBe(here.length);
        expect(cy.hostedOffices).toBe(r.orgYears.filter((x) => x.year === cy.year && x.office === cy.city).length);
        expect(Array.from(cy.orgsByDomain)).toEqual(r.domains.map((d) => here.filter((x) => domainOf.get(x.org) === d).length));
      }
    }), { numRuns: 25 });
  });
});

describe('hosted lists', () => {
  it('list every active seated organization under its seat, in organization order, with its row\'s values gathered alongside', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 2, max: 30 }), (seed, orgs, cities) => {
      const w = world(seed, orgs, cities, 0.05);
      const T = w.table;
      for (let i = 0; i < T.size; i += 3) T.noPrivileges[i] = i % cities;
      const h = hostedLists(w);
      for (let c = 0; c < cities; c++) {
        const expected = [];
        for (let i = 0; i < T.size; i++) if (T.active[i] && T.seat[i] === c) expected.push(i);
        expect(Array.from(h.list.subarray(h.start[c], h.start[c + 1]))).toEqual(expected);
      }
      h.list.forEach((i, q) => {
        expect(h.staff[q]).toBe(T.staff[i]); expect(h.domain[q]).toBe(T.domain[i]);
        expect(h.noPrivileges[q]).toBe(T.noPrivileges[i]); expect(h.committed[q]).toBe(T.committed[i]);
      });
    }), { numRuns: 40 });
  });
});

describe('a bare run', () => {
  it('gives the summary a recorded run gives (what only records need is skipped without a recorder)', () => {
    for (const f of ['quickstart', 'bonn-1994', 'shanghai-strategies', 'world']) {
      const sc = loadScenario(new URL(`../../scenarios/${f}.yaml`, import.meta.url).pathname);
      for (const seed of f === 'world' ? [2] : [1, 2]) expect(simulate(sc, { seed })).toEqual(runScenario(sc, { seed, orgYears: false }).summary);
    }
  }, 120_000);
});
