/**
 * Guard rail for the fast seat-review path: it must give the same choice probabilities as evaluating every
 * city one by one (the reference), and the same decision for the same uniforms.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/load.ts';
import { buildWorld } from '../../src/model/engine.ts';
import { citiesAct, hostedLists, offerTerms } from '../../src/model/cities.ts';
import { buildCityTable, choiceProbabilities, evaluate, seatUtility, termsFor } from '../../src/model/scoring.ts';
import { ChoiceIndex } from '../../src/model/fastchoice.ts';
import { reviewFast, reviewReference } from '../../src/model/review.ts';
import { stageIndex, weightsAt, type World, type OrgState } from '../../src/model/world.ts';
import { city, org, type Obj } from '../helpers.ts';

const u = fc.double({ min: 0, max: 1, noNaN: true });
/** Uniform draws as the engine's streams give them: in [0, 1). */
const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const DOMAINS = ['climate', 'health', 'trade'];

const worldArb = fc.record({
  cities: fc.array(fc.record({
    safety: u, connectivity: u, officeCost: u, legal: u, openness: u, schools: u, conference: u,
    budgetMusd: fc.double({ min: 0, max: 30, noNaN: true }),
    strategy: fc.constantFrom('fixed', 'rising', 'specialized', 'node'),
    grant: fc.constantFrom(0, 0.01, 0.03, 0.08),
    free: u, tax: u, sub: fc.double({ min: 0, max: 2, noNaN: true }),
    targets: fc.subarray(DOMAINS, { minLength: 1 }),
    focus: fc.subarray(DOMAINS, { maxLength: 1 }),
  }), { minLength: 2, maxLength: 40 }),
  orgs: fc.array(fc.record({ seat: fc.nat(39), domain: fc.constantFrom(...DOMAINS), founded: fc.integer({ min: 1900, max: 2000 }),
    staff: fc.integer({ min: 1, max: 3000 }), localShare: u, budget: fc.option(fc.double({ min: 0.1, max: 500, noNaN: true }), { nil: undefined }) }), { minLength: 1, maxLength: 30 }),
  offers: fc.array(fc.record({ city: fc.nat(39), org: fc.nat(29), free: u, sub: fc.double({ min: 0, max: 5, noNaN: true }), grant: fc.double({ min: 0, max: 0.1, noNaN: true }) }), { maxLength: 4 }),
  params: fc.record({ temperature: fc.double({ min: 0.01, max: 0.3, noNaN: true }), ratio: fc.double({ min: 0.05, max: 1, noNaN: true }), costWeight: fc.double({ min: 0, max: 3, noNaN: true }) }),
});

type WorldSpec = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setUp(g: WorldSpec): World {
  const n = g.cities.length;
  const cities: Obj[] = g.cities.map((c, i) => city(`c${String(i).padStart(2, '0')}`, {
    safety: c.safety, connectivity: c.connectivity, officeCost: c.officeCost, legal: c.legal, openness: c.openness, schools: c.schools,
    conference: c.conference, budgetMusd: c.budgetMusd, strategy: c.strategy, focusDomains: c.focus,
    levers: { freeOffices: c.free, taxExemption: c.tax, operatingSubsidyMusd: c.sub, relocationGrantMusdPerStaff: c.grant, targets: c.targets },
    offers: [] as Obj[],
  }));
  const orgs = g.orgs.map((o, i) => org(`o${String(i).padStart(2, '0')}`, `c${String(o.seat % n).padStart(2, '0')}`,
    { domain: o.domain, founded: o.founded, staff: o.staff, localShare: o.localShare, ...(o.budget ? { budgetMusd: o.budget } : {}) }));
  for (const of of g.offers) {
    if (of.org >= orgs.length) continue;
    (cities[of.city % n].offers as Obj[]).push({ org: orgs[of.org].id, freeOffices: of.free, subsidyMusd: of.sub, relocationGrantMusdPerStaff: of.grant, term: 5 });
  }
  for (const c of cities) if (!(c.offers as Obj[]).length) delete c.offers;
  const sc = parseScenario(JSON.stringify({
    name: 'eq', start: 2000, years: 1, cities, organizations: orgs,
    parameters: { choice: { temperature: g.params.temperature, nestScale: g.params.temperature * g.params.ratio }, move: { costWeight: g.params.costWeight } },
  }), 'eq.json');
  const w = buildWorld(sc);
  for (const o of w.orgs) o.active = true;
  for (const o of w.orgs) { const c = w.cities[o.seat]; c.hostedByDomain[o.domain]++; c.staffByDomain[o.domain] += o.staff; c.hostedTotal++; }
  citiesAct(w, hostedLists(w), []);
  return w;
}

function seatEvalOf(w: World, t: ReturnType<typeof buildCityTable>, o: OrgState) {
  const weights = weightsAt(o, stageIndex(w.year - o.def.founded, w.params), w.params);
  return { weights, seat: evaluate(w, t, o, w.cities[o.seat], weights, 'seat', termsFor(w.cities[o.seat], o)) };
}

function referenceProbabilities(w: World, t: ReturnType<typeof buildCityTable>, o: OrgState) {
  const { weights, seat } = seatEvalOf(w, t, o);
  const alts = w.cities.filter((c) => c.idx !== o.seat).map((c) => {
    const offer = o.offers.get(c.idx);
    return evaluate(w, t, o, c, weights, 'move', termsFor(c, o, offer ? offerTerms(offer) : undefined));
  });
  const pr = choiceProbabilities(seat.utility, alts.map((a) => a.utility), w.params);
  const moves = new Float64Array(w.cities.length);
  alts.forEach((a, j) => { moves[a.city] = pr.moves[j]; });
  return { stay: pr.stay, moves };
}

function fastOffers(w: World, t: ReturnType<typeof buildCityTable>, o: OrgState) {
  const { weights } = seatEvalOf(w, t, o);
  const m = new Map<number, number>();
  for (const [ci, offer] of o.offers) if (ci !== o.seat) m.set(ci, evaluate(w, t, o, w.cities[ci], weights, 'move', termsFor(w.cities[ci], o, offerTerms(offer))).utility);
  return m;
}

let compared = 0, fallbacks = 0, decided = 0;
describe('fast review path equals the reference', () => {
  it('same probabilities of staying and of every destination', () => {
    fc.assert(fc.property(worldArb, (g) => {
      const w = setUp(g);
      const t = buildCityTable(w);
      const idx = new ChoiceIndex(w, t);
      expect(idx.usable).toBe(true);
      for (const o of w.orgs) {
        if (o.ownWeights) continue;
        const ref = referenceProbabilities(w, t, o);
        const { seat } = seatEvalOf(w, t, o);
        const fast = idx.probabilities(o, stageIndex(w.year - o.def.founded, w.params), seat.utility, fastOffers(w, t, o));
        if (!fast) { fallbacks++; continue; }
        compared++;
        expect(Math.abs(fast.stay - ref.stay)).toBeLessThan(1e-9);
        for (let c = 0; c < w.cities.length; c++) expect(Math.abs(fast.moves[c] - ref.moves[c])).toBeLessThan(1e-9);
      }
    }), { numRuns: 150, endOnFailure: true });
  });

  it('same decision, probability and runner-up for the same uniforms', () => {
    fc.assert(fc.property(worldArb, fc.array(fc.tuple(draw, draw), { minLength: 5, maxLength: 5 }), (g, draws) => {
      const w = setUp(g);
      const t = buildCityTable(w);
      const idx = new ChoiceIndex(w, t);
      for (const o of w.orgs) {
        const { weights, seat } = seatEvalOf(w, t, o);
        const si = stageIndex(w.year - o.def.founded, w.params);
        for (const [u1, u2] of draws) {
          const a = reviewReference(w, t, o, weights, seat, u1, u2);
          const b = reviewFast(w, t, idx, o, weights, si, seat, u1, u2);
          // Equal up to floating-point rounding: skip uniforms within 1e-12 of a boundary of the reference CDF.
          const ref = referenceProbabilities(w, t, o);
          if (Math.abs(u1 - ref.stay) < 1e-12) continue;
          if (u1 >= ref.stay) {
            const pMove = 1 - ref.stay;
            let acc = 0, near = false;
            // 1 - P(stay) carries an absolute rounding error of ~1e-16, hence the absolute term.
            for (let c = 0; c < ref.moves.length; c++) { acc += ref.moves[c]; if (Math.abs(u2 * pMove - acc) < 1e-12 * pMove + 1e-15) near = true; }
            if (near || u2 * pMove < 1e-290) continue;
          }
          decided++;
          expect(b.choice).toBe(a.choice);
          expect(b.probability).toBeCloseTo(a.probability, 9);
          expect(b.runnerUp?.utility).toBeCloseTo(a.runnerUp!.utility, 12);
          expect(b.chosen.utility).toBeCloseTo(a.chosen.utility, 12);
        }
      }
    }), { numRuns: 150, endOnFailure: true });
  });

  it('the fast path decides most cases itself (the fallback is the exception)', () => {
    expect(compared).toBeGreaterThan(10 * fallbacks);
    expect(decided).toBeGreaterThan(1000);
  });
  it("the hazard path's numeric seat utility equals the full evaluation's (its twin without allocation)", () => {
    fc.assert(fc.property(worldArb, (g) => {
      const w = setUp(g);
      const t = buildCityTable(w);
      for (const o of w.orgs) {
        const { weights, seat } = seatEvalOf(w, t, o);
        const c = w.cities[o.seat];
        expect(seatUtility(w, t, o, c, weights, termsFor(c, o))).toBeCloseTo(seat.utility - w.params.choice.stayBonus, 12);
      }
    }), { numRuns: 50 });
  });

  it('falls back to the reference when grants are too varied to group', () => {
    const g = fc.sample(worldArb, { seed: 42, numRuns: 1 })[0];
    g.cities = Array.from({ length: 12 }, (_, i) => ({ ...g.cities[0], strategy: 'fixed', grant: i / 100 }) as WorldSpec['cities'][number]);
    const w = setUp(g);
    expect(new ChoiceIndex(w, buildCityTable(w)).usable).toBe(false);
  });
});
