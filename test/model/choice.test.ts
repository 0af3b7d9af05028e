/**
 * The seat choice (issue "Seat decisions as they are really made"): a bounded consideration set, moves to worse
 * cities only at the rate the logit implies, every term recorded and adding up, votes recorded round by round.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario } from '../../src/index.ts';
import { buildWorld } from '../../src/model/engine.ts';
import { citiesAct, hostedLists } from '../../src/model/cities.ts';
import { buildCityTable, refreshCounts, TERM_NAMES } from '../../src/model/scoring.ts';
import { choiceProbabilities, decideReview, Shortlists } from '../../src/model/choice.ts';
import { stageIndex, weightsAt } from '../../src/model/world.ts';
import { build, city, org, type Obj } from '../helpers.ts';

/** Cities nobody would choose: low on every attribute, expensive, no budget. */
const junk = (n: number) => Array.from({ length: n }, (_, i) => city(`junk_${String(i).padStart(3, '0')}`, {
  safety: 0.1, connectivity: 0.05, workforce: 0.1, livability: 0.1, legal: 0.05, nationalSupport: 0.05, conference: 0.05, schools: 0.05,
  openness: 0.1, officeCost: 1, livingCost: 1, region: 'oceania', country: 'JJ',
}));

/** P(stay), P(unit) and P(move) of every organization of a scenario in its first year, as a review would see them. */
function reviewProbabilities(sc: ReturnType<typeof build>) {
  const w = buildWorld(sc);
  for (let i = 0; i < w.table.size; i++) if (w.table.founded[i] <= sc.start && w.table.seat[i] >= 0) w.table.active[i] = 1;
  for (const o of w.orgs) if (o.active) { const c = w.cities[o.seat]; c.hostedByDomain[o.domain]++; c.staffByDomain[o.domain] += o.staff; c.hostedTotal++; }
  citiesAct(w, hostedLists(w), []);
  const t = buildCityTable(w);
  refreshCounts(w, t);
  const lists = new Shortlists(w);
  lists.reset(t);
  return w.orgs.filter((o) => o.active).map((o) => {
    const si = stageIndex(w.year - o.founded, w.params);
    const d = decideReview(w, t, lists, o, weightsAt(o, si, w.params), si, 0.5, 0.5);
    return { org: o.def.id, stay: d.probabilities.stay, unit: d.probabilities.unit, move: d.probabilities.move, d };
  });
}

const attrs = fc.record({
  safety: fc.double({ min: 0.5, max: 1, noNaN: true }), connectivity: fc.double({ min: 0.3, max: 1, noNaN: true }),
  officeCost: fc.double({ min: 0.1, max: 0.9, noNaN: true }), openness: fc.double({ min: 0.4, max: 1, noNaN: true }),
  budgetMusd: fc.double({ min: 0, max: 30, noNaN: true }), strategy: fc.constantFrom('fixed', 'rising', 'node'),
});

describe('consideration set', () => {
  it('adding 100 or 300 cities nobody would choose leaves P(move | review) within 0.02', () => {
    fc.assert(fc.property(fc.array(attrs, { minLength: 2, maxLength: 8 }), fc.integer({ min: 1950, max: 2000 }), fc.integer({ min: 5, max: 400 }), fc.double({ min: 0, max: 0.8, noNaN: true }),
      (cs, founded, staff, localShare) => {
        const cities = cs.map((a, i) => city(`c${i}`, a));
        const offers = [{ org: 'target', freeOffices: 1, subsidyMusd: 2, term: 10 }];
        cities[1] = { ...cities[1], offers };
        const base = { years: 1, cities, organizations: [org('target', 'c0', { founded, staff, localShare })] };
        const p0 = reviewProbabilities(build(base))[0];
        for (const n of [100, 300]) {
          const pn = reviewProbabilities(build({ ...base, cities: [...cities, ...junk(n)] }))[0];
          expect(Math.abs(pn.move + pn.unit - (p0.move + p0.unit))).toBeLessThanOrEqual(0.02);
          // the junk never enters the set when there are enough real cities
          if (cities.length > 6) expect(pn.d.ids.some((c) => c >= cities.length)).toBe(false);
        }
      }), { numRuns: 40 });
  });

  it('the set is the seat, the courting cities, the office city and a shortlist of choice.considerationSize', () => {
    const cities = Array.from({ length: 12 }, (_, i) => city(`c${String(i).padStart(2, '0')}`, { safety: 0.5 + 0.04 * i }));
    cities[0] = { ...cities[0], offers: [{ org: 'target', subsidyMusd: 1, term: 5 }] };
    const p = reviewProbabilities(build({ years: 1, cities, organizations: [org('target', 'c05', { founded: 1995 })] }))[0];
    const ids = p.d.ids;
    expect(ids).toContain(0); // courting
    expect(ids).not.toContain(5); // the seat is not a move
    expect(ids.length).toBe(build({}).params.choice.considerationSize + 1);
  });
});

describe('moves to cities the organization rates below its seat', () => {
  it('a city Delta below the seat (with its stay bonus) is chosen with probability at most exp(-Delta / temperature)', () => {
    fc.assert(fc.property(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.array(fc.double({ min: -0.6, max: 0.6, noNaN: true }), { minLength: 1, maxLength: 8 }),
      fc.option(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { nil: null }), fc.double({ min: 0.01, max: 0.2, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }),
      (stay, moves, unit, T, ratio) => {
        const p = build({ parameters: { choice: { temperature: T, nestScale: T * ratio } } }).params;
        const pr = choiceProbabilities(stay, unit, moves, p);
        moves.forEach((u, j) => expect(pr.moves[j]).toBeLessThanOrEqual(Math.exp((u - stay) / T) + 1e-12));
        expect(pr.stay + pr.unit + pr.move).toBeCloseTo(1, 12);
      }), { numRuns: 300 });
  });

  it('in runs, review moves to worse cities happen at the rate the logit gives them (30 seeds of a courting world)', () => {
    // Every review's decision rows carry each alternative's probability: the expected number of moves to a city
    // below the seat is the sum of those probabilities; the observed count must agree within sampling error.
    const cities = ['a', 'b', 'c', 'd', 'e'].map((id, i) => city(id, { safety: 0.6 + 0.08 * i, budgetMusd: 10 + 5 * i, strategy: i % 2 ? 'rising' : 'node', country: `C${i}` }));
    const orgs = Array.from({ length: 30 }, (_, i) => org(`o${String(i).padStart(2, '0')}`, ['a', 'b', 'c', 'd', 'e'][i % 5], { founded: 1985 + (i % 20), staff: 10 + 7 * i, domain: `d${i % 6}` }));
    let expected = 0, variance = 0, observed = 0, reviews = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = runScenario(build({ seed, years: 25, cities, organizations: orgs, parameters: { review: { baseHazard: 0.05 } } }));
      const byDecision = new Map<string, typeof r.decisions>();
      for (const d of r.decisions) if (d.rule === 'review') {
        const k = `${d.year}/${d.decision}`;
        byDecision.set(k, [...(byDecision.get(k) ?? []), d]);
      }
      for (const rows of byDecision.values()) {
        reviews++;
        const seat = rows.find((x) => x.role === 'seat')!;
        const below = rows.filter((x) => x.role === 'move' && x.utility < seat.utility);
        const q = below.reduce((s, x) => s + x.probability!, 0);
        expected += q; variance += q * (1 - q);
        if (below.some((x) => x.chosen)) observed++;
      }
    }
    expect(reviews).toBeGreaterThan(100);
    expect(Math.abs(observed - expected)).toBeLessThanOrEqual(4 * Math.sqrt(variance) + 1);
  });
});

describe('every term recorded', () => {
  it('the terms of every decision row and of every event add up to the recorded utility', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), (seed) => {
      const r = runScenario(build({
        seed, years: 15,
        cities: [city('a', { budgetMusd: 20, strategy: 'rising', country: 'AA' }), city('b', { budgetMusd: 10, strategy: 'node', country: 'BB', region: 'asia' }), city('c', { country: 'CC' })],
        organizations: [org('o1', 'a', { founded: 1998 }), org('o2', 'c', { founded: 1980, staff: 200 }), org('n1', null, { founded: 2004 })],
        contests: [{ id: 'n1_seat', org: 'n1', year: 2004, rule: 'vote', members: 15 }],
        parameters: { review: { baseHazard: 0.2 } },
      }));
      expect(r.decisions.length).toBeGreaterThan(0);
      for (const d of r.decisions) expect(TERM_NAMES.reduce((s, t) => s + d.terms[t], 0)).toBeCloseTo(d.utility, 9);
      for (const e of r.events) for (const x of [e.chosen, e.runnerUp]) if (x) expect(TERM_NAMES.reduce((s, t) => s + x.terms[t], 0)).toBeCloseTo(x.utility, 9);
    }), { numRuns: 25 });
  });
});

describe('votes', () => {
  const voted = (seed: number, extra: Obj = {}) => runScenario(build({
    seed, years: 2,
    cities: ['a', 'b', 'c', 'd', 'e'].map((id, i) => city(id, { country: `C${i}`, region: ['europe', 'asia', 'africa', 'europe', 'latin_america'][i], safety: 0.6 + 0.05 * i })),
    organizations: [org('newbody', null, { founded: 2000 })],
    contests: [{ id: 'seat', org: 'newbody', year: 2000, rule: 'vote', members: 25, threshold: 0.6, ...extra }],
    parameters: { contest: { voteNoise: 0.15 } },
  }));
  it('every round is recorded: consecutive, tallies summing to the members, the last one decided', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rounds = voted(seed).events.filter((e) => e.type === 'vote_round');
      const ballots = rounds.filter((e) => e.round! >= 1);
      expect(ballots.map((e) => e.round)).toEqual(ballots.map((_, i) => i + 1));
      for (const e of rounds) {
        const votes = e.detail!.split(';')[0].replace(/^(points|sounding) /, '').split(' ').map((x) => Number(x.split(':')[1]));
        expect(votes.reduce((a, b) => a + b, 0)).toBe(25);
      }
      expect(ballots.at(-1)!.detail).toMatch(/decided/);
    }
  });
  it('a home state votes for its own candidate while it stands', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = voted(seed, { memberRegions: { oceania: 1 } });
      // every candidate keeps at least its home state's vote in the first ballot it stands in
      const first = r.events.find((e) => e.type === 'vote_round')!.detail!.split(';')[0].replace(/^sounding /, '');
      for (const part of first.split(' ')) expect(Number(part.split(':')[1])).toBeGreaterThanOrEqual(1);
    }
  });
  it('a scored first round (3-2-1 points) gives 6 points per member and keeps the best three', () => {
    const r = voted(3, { firstRoundPoints: [3, 2, 1], members: 27 });
    const pts = r.events.find((e) => e.type === 'vote_round' && /points/.test(e.detail!))!;
    const votes = pts.detail!.split(';')[0].replace(/^points /, '').split(' ').map((x) => Number(x.split(':')[1]));
    expect(votes.reduce((a, b) => a + b, 0)).toBe(27 * 6);
  });
  it('the EU 27 vote on an EU agency when the contest names no members', () => {
    const r = runScenario(build({
      years: 2, cities: [city('x', { country: 'NL' }), city('y', { country: 'IT' })],
      organizations: [org('agency', null, { founded: 2000, kind: 'eu_agency' })],
      contests: [{ id: 'seat', org: 'agency', year: 2000 }],
    }));
    const votes = r.events.filter((e) => e.type === 'vote_round').at(-1)!.detail!.split(';')[0].split(' ').map((x) => Number(x.split(':')[1]));
    expect(votes.reduce((a, b) => a + b, 0)).toBe(27);
  });
});
