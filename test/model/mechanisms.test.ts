/** One test (or a few) per mechanism of the model. */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.ts';
import { resolveParams } from '../../src/model/params.ts';
import { clusterPull, buildCityTable, evaluate } from '../../src/model/scoring.ts';
import { choiceProbabilities, sampleChoice } from '../../src/model/choice.ts';
import { buildWorld } from '../../src/model/engine.ts';
import { weightsOf } from '../../src/model/world.ts';
import { STOCKS } from '../../src/model/stocks.ts';
import { build, city, org, type Obj } from '../helpers.ts';

const seeds = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const moves = (r: ReturnType<typeof runScenario>) => r.events.filter((e) => e.type === 'relocation');

describe('status quo', () => {
  it('among identical cities, with no levers, no shocks and no offers, nobody reviews or moves', () => {
    const cities = ['a', 'b', 'c', 'd'].map((id) => city(id, { budgetMusd: 0 }));
    const orgs = seeds(12).map((i) => org(`o${i}`, ['a', 'b', 'c', 'd'][i % 4], { founded: 1950 + 4 * i, staff: 10 + 20 * i, domain: `d${i}` }));
    for (const seed of seeds(10)) {
      const r = runScenario(build({ cities, organizations: orgs, years: 50, seed }));
      expect(moves(r)).toHaveLength(0);
      expect(r.summary.reviews).toBe(0);
    }
  });
});

describe('offers, anchoring and veto', () => {
  // beta courts the organization with a standing offer: free offices, a subsidy and a relocation grant.
  const offer = { org: 'target', freeOffices: 1, subsidyMusd: 3, relocationGrantMusdPerStaff: 0.05, taxExemption: 1, term: 10 };
  const scenario = (target: Obj) => ({
    start: 2000, years: 10,
    cities: [city('alpha'), city('beta', { budgetMusd: 50, offers: [offer] })],
    organizations: [org('target', 'alpha', target)],
  });
  it('a large free-office offer wins a founding-stage organization in a fair share of runs (and nothing moves it without)', () => {
    // The offer is worth about 0.21 utility to the young body against a moving cost of ~0.05 and the stay bonus:
    // courting of ~0.06 gives a small yearly review hazard, and most reviews end in a move: one run in five.
    let won = 0, control = 0;
    for (const seed of seeds(40)) {
      const r = runScenario(build({ ...scenario({ founded: 2000, staff: 15, localShare: 0.1 }), seed }));
      if (moves(r).some((e) => e.org === 'target' && e.to === 'beta')) won++;
      const c = runScenario(build({ ...scenario({ founded: 2000, staff: 15, localShare: 0.1 }), seed, cities: [city('alpha'), city('beta', { budgetMusd: 50 })] }));
      control += moves(c).length;
    }
    expect(won).toBeGreaterThanOrEqual(5);
    expect(control).toBe(0);
  });
  it('but not an anchored mature organization whose members veto', () => {
    let won = 0, vetoes = 0;
    for (const seed of seeds(40)) {
      const r = runScenario(build({ ...scenario({ founded: 1945, staff: 900, localShare: 0.6, veto: 0.95 }), seed }));
      if (moves(r).some((e) => e.org === 'target')) won++;
      vetoes += r.summary.vetoes;
    }
    expect(won).toBeLessThanOrEqual(2);
  });
  it('the veto blocks moves the organization itself chose', () => {
    // Same young organization, but its members veto every move.
    let moved = 0, vetoed = 0;
    for (const seed of seeds(20)) {
      const r = runScenario(build({ ...scenario({ founded: 2000, staff: 15, localShare: 0.1, veto: 1 }), seed }));
      moved += moves(r).length;
      vetoed += r.summary.vetoes;
    }
    expect(moved).toBe(0);
    expect(vetoed).toBeGreaterThan(0);
  });
});

describe('cluster feedback', () => {
  it('a city hosting organizations of a domain is worth more to later arrivals of that domain', () => {
    const sc = build({
      cities: [city('hub'), city('empty')],
      organizations: [
        ...seeds(6).map((i) => org(`c${i}`, 'hub', { domain: 'climate' })),
        org('newcomer', null, { domain: 'climate', founded: 2005 }),
      ],
      contests: [{ id: 'seat', org: 'newcomer', year: 2005, rule: 'organization' }],
    });
    const w = buildWorld(sc);
    for (const o of w.orgs) if (o.seat >= 0) o.active = true;
    for (const c of w.cities) c.hostedByDomain[w.domainIndex.get('climate')!] = w.orgs.filter((o) => o.seat === c.idx).length;
    const t = buildCityTable(w);
    const nc = w.orgs[w.orgIndex.get('newcomer')!];
    const wt = weightsOf(nc, 2005, sc.params);
    const at = (id: string) => w.cities[w.cityIndex.get(id)!];
    const [hub, empty] = [at('hub'), at('empty')].map((c) => evaluate(w, t, nc, c, wt, 'found', null));
    const expected = sc.params.choice.clusterWeight * clusterPull(6, sc.params);
    expect(hub.utility - empty.utility).toBeCloseTo(expected, 12);
    expect(hub.cluster).toBeGreaterThan(0);
    // And over many futures the clustered city wins the contest more often.
    let hubWins = 0;
    for (const seed of seeds(60)) {
      const r = runScenario(build({ ...scenarioObjOf(sc), seed }));
      if (r.events.find((e) => e.type === 'contest_result')!.to === 'hub') hubWins++;
    }
    expect(hubWins).toBeGreaterThan(40);
  });
});
function scenarioObjOf(sc: ReturnType<typeof build>): Obj {
  return { cities: sc.cities, organizations: sc.organizations, contests: sc.contests };
}

describe('contests decided by vote', () => {
  const tied = (seed: number) => build({
    seed, years: 3,
    // Two identical cities in two countries and regions, each with its home state, and two equal regional blocs of
    // members: a guaranteed tie.
    cities: [city('left', { country: 'AA' }), city('right', { region: 'asia', country: 'BB' })],
    organizations: [org('newbody', null, { founded: 2001 })],
    contests: [{ id: 'seat', org: 'newbody', year: 2001, rule: 'vote', members: 10, memberRegions: { europe: 1, asia: 1 } }],
    parameters: { contest: { voteNoise: 0, memberWeightSpread: 0, campaignNoise: 0 } },
  });
  it('a tie is settled by lot, the same way for the same seed', () => {
    const winners = new Set<string>();
    for (const seed of seeds(30)) {
      const a = runScenario(tied(seed));
      const b = runScenario(tied(seed));
      const ra = a.events.filter((e) => e.type === 'vote_round');
      expect(ra.at(-1)!.detail).toMatch(/by lot/);
      const wa = a.events.find((e) => e.type === 'contest_result')!.to!;
      expect(b.events.find((e) => e.type === 'contest_result')!.to).toBe(wa);
      winners.add(wa);
    }
    expect([...winners].sort()).toEqual(['left', 'right']);
  });
  it('a member indifferent between identical candidates picks by lot, not by list order', () => {
    const counts = { left: 0, right: 0 };
    for (const seed of seeds(20)) {
      const r = runScenario(build({
        seed, years: 2, cities: [city('left'), city('right')], organizations: [org('newbody', null, { founded: 2000 })],
        contests: [{ id: 'seat', org: 'newbody', year: 2000, rule: 'vote', members: 20, memberRegions: { europe: 1 } }],
        parameters: { contest: { voteNoise: 0, memberWeightSpread: 0 } },
      }));
      const first = r.events.find((e) => e.type === 'vote_round')!.detail!;
      for (const part of first.split(';')[0].split(' ')) { const [c, v] = part.split(':'); counts[c as 'left' | 'right'] += Number(v); }
    }
    expect(counts.left).toBeGreaterThan(100);
    expect(counts.right).toBeGreaterThan(100);
  });
  it('eliminates the weakest candidate each round until one has the threshold', () => {
    const sc = build({
      years: 2,
      cities: [city('strong', { safety: 1, connectivity: 1, legal: 1 }), city('middle'), city('weak', { safety: 0.2, connectivity: 0.1, legal: 0.1 }), city('weaker', { safety: 0.1, connectivity: 0.1, legal: 0.1, openness: 0.1 })],
      organizations: [org('newbody', null, { founded: 2000 })],
      contests: [{ id: 'seat', org: 'newbody', year: 2000, rule: 'vote', members: 40, threshold: 0.99 }],
      parameters: { contest: { voteNoise: 0.2, withdrawBelow: 0 } },
    });
    const r = runScenario(sc);
    const rounds = r.events.filter((e) => e.type === 'vote_round');
    expect(rounds.length).toBeGreaterThan(1);
    // each round but the last eliminates exactly one candidate, and the number of candidates shrinks by one
    rounds.forEach((e, i) => {
      const n = e.detail!.split(';')[0].trim().split(' ').length;
      expect(n).toBe(4 - i);
      if (i < rounds.length - 1) expect(e.detail).toMatch(/eliminated/);
    });
    const votes = rounds.at(-1)!.detail!.split(';')[0].split(' ').map((s) => Number(s.split(':')[1]));
    expect(votes.reduce((a, b) => a + b, 0)).toBe(40);
  });
});

describe('nested logit choice', () => {
  const p = resolveParams();
  it('probabilities sum to one and staying gains with the stay bonus', () => {
    const moves = [0.5, 0.55, 0.4];
    const a = choiceProbabilities(0.6, 0.52, moves, p);
    expect(a.stay + a.unit + a.moves.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(a.move).toBeCloseTo(a.moves.reduce((s, x) => s + x, 0), 12);
    const b = choiceProbabilities(0.7, 0.52, moves, p);
    expect(b.stay).toBeGreaterThan(a.stay);
  });
  it('reduces to the multinomial logit when the nest scale equals the temperature', () => {
    const q = resolveParams({ choice: { temperature: 0.05, nestScale: 0.05 } });
    const u = [0.61, 0.5, 0.55, 0.4];
    const pr = choiceProbabilities(u[0], null, u.slice(1), q);
    const e = u.map((x) => Math.exp(x / 0.05));
    const z = e.reduce((s, x) => s + x, 0);
    expect(pr.stay).toBeCloseTo(e[0] / z, 12);
    pr.moves.forEach((m, j) => expect(m).toBeCloseTo(e[j + 1] / z, 12));
  });
  it('sampling follows the probabilities', () => {
    const u = [0.5, 0.52, 0.45];
    const pr = choiceProbabilities(0.55, 0.5, u, p);
    const counts = [0, 0, 0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const s = sampleChoice(pr, (i + 0.5) / n, ((i * 7919) % n + 0.5) / n);
      counts[s.kind === 'stay' ? 0 : s.kind === 'unit' ? 1 : s.index + 2]++;
    }
    expect(counts[0] / n).toBeCloseTo(pr.stay, 2);
    expect(counts[1] / n).toBeCloseTo(pr.unit, 2);
    pr.moves.forEach((m, j) => expect(counts[j + 2] / n).toBeCloseTo(m, 2));
  });
});

describe('stocks and cash levers act on different clocks', () => {
  const run = (levers: Obj, schedule: Obj[] = []) => runScenario(build({
    years: 20, cities: [city('alpha', { budgetMusd: 100, levers, schedule }), city('beta')],
  }));
  it('school spending adds capacity only after its delay, and capacity decays slowly once spending stops', () => {
    const r = run({}, [{ from: 2000, to: 2004, levers: { schoolsMusd: 20 } }]);
    const rows = r.cityYears.filter((c) => c.city === 'alpha').map((c) => ({ schools: c.attributes[STOCKS.indexOf('schools')] }));
    const delay = resolveParams().stocks.schools.delay;
    expect(rows[delay - 1].schools).toBeCloseTo(0.5, 12);
    expect(rows[delay].schools).toBeGreaterThan(0.5);
    const peak = Math.max(...rows.map((x) => x.schools));
    const last = rows.at(-1)!.schools;
    expect(last).toBeLessThan(peak);
    expect(last).toBeGreaterThan(0.5 + (peak - 0.5) * 0.5); // slow decay: more than half the gain left 10+ years later
  });
  it('free offices stop with the money', () => {
    const r = run({}, [{ from: 2000, to: 2004, levers: { freeOffices: 1 } }]);
    const rows = r.cityYears.filter((c) => c.city === 'alpha');
    expect(rows[4].levels.freeOffices).toBe(1);
    expect(rows[5].levels.freeOffices).toBe(0);
  });
  it('issue leadership builds and decays', () => {
    const r = run({}, [{ from: 2000, to: 2009, levers: { leadershipMusd: { climate: 5 } } }]);
    const k = r.domains.indexOf('climate');
    const lead = r.cityYears.filter((c) => c.city === 'alpha').map((c) => c.leadership[k]);
    expect(lead[9]).toBeGreaterThan(lead[2]);
    expect(lead[19]).toBeLessThan(lead[10]);
  });
});

describe('budgets are hard limits', () => {
  it('levers are scaled down to the budget and the shortfall is recorded', () => {
    const r = runScenario(build({
      cities: [city('alpha', { budgetMusd: 1, levers: { schoolsMusd: 5, securityMusd: 5, freeOffices: 1 } }), city('beta')],
      organizations: [org('o1', 'alpha', { staff: 200 })],
    }));
    for (const c of r.cityYears) expect(c.spendTotal).toBeLessThanOrEqual(c.budget + 1e-9);
    expect(r.events.some((e) => e.type === 'budget_limit' && e.city === 'alpha')).toBe(true);
  });
});

describe('strategies', () => {
  it('the adaptive rule moves budget toward the lever group that paid off', () => {
    const r = runScenario(build({
      years: 30, seed: 3,
      cities: [city('adaptive_city', { budgetMusd: 30, strategy: 'adaptive', type: 'rising' }), city('other', { safety: 0.9 })],
      organizations: seeds(20).map((i) => org(`o${i}`, 'other', { founded: 1998 + (i % 3), staff: 10, localShare: 0.1, domain: `d${i}` })),
    }));
    expect(r.events.some((e) => e.type === 'adapt')).toBe(true);
  });
  it('each type behaviour spends its budget differently', () => {
    const spend = (strategy: string) => {
      const r = runScenario(build({ years: 5, organizations: [], cities: [city('x', { budgetMusd: 10, strategy, focusDomains: ['climate'] }), city('y')] }));
      const rows = r.cityYears.filter((c) => c.city === 'x');
      return { schools: rows[0].spend.schools, leadership: rows[0].spend.leadership };
    };
    const p = resolveParams();
    expect(spend('node').schools).toBeCloseTo(10 * p.strategy.node.schools, 9);
    expect(spend('specialized').leadership).toBeCloseTo(10 * p.strategy.specialized.leadership, 9);
    expect(spend('rising').schools).toBeCloseTo(10 * p.strategy.rising.schools, 9);
  });
});

describe('events', () => {
  it('a security shock lowers the security score, which then recovers', () => {
    const r = runScenario(build({ events: [{ year: 2005, type: 'securityShock', city: 'alpha', size: 0.5 }] }));
    const s = r.cityYears.filter((c) => c.city === 'alpha').map((c) => c.security);
    expect(s[5]).toBeLessThan(s[4] - 0.1);
    expect(s[15]).toBeGreaterThan(s[5]);
  });
  it('a host withdrawal with search opens a contest for every hosted organization', () => {
    const r = runScenario(build({
      cities: [city('alpha'), city('beta', { budgetMusd: 20, strategy: 'rising' })],
      organizations: [org('o1', 'alpha'), org('o2', 'alpha', { domain: 'health' })],
      events: [{ year: 2003, type: 'hostWithdrawal', city: 'alpha', search: true }],
    }));
    const results = r.events.filter((e) => e.type === 'contest_result' && e.year === 2003).map((e) => e.org);
    expect(results).toEqual(['o1', 'o2']);
  });
  it('an organization founded later appears in its founding year and grows', () => {
    const r = runScenario(build({ organizations: [org('o1', 'alpha', { founded: 2005, staff: 10 })] }));
    const rows = r.orgYears.filter((o) => o.org === 'o1');
    expect(rows[0].year).toBe(2005);
    expect(rows.at(-1)!.staff).toBeGreaterThan(10);
    expect(r.events.some((e) => e.type === 'founding' && e.org === 'o1' && e.year === 2005)).toBe(true);
  });
  it('stage-dependent weights: a new body weighs resources most, a mature one operations', () => {
    const sc = build({ organizations: [org('young', 'alpha', { founded: 2000 }), org('old', 'alpha', { founded: 1950 })] });
    const w = buildWorld(sc);
    const young = weightsOf(w.orgs[w.orgIndex.get('young')!], 2000, sc.params);
    const old = weightsOf(w.orgs[w.orgIndex.get('old')!], 2000, sc.params);
    expect(young.resources).toBeGreaterThan(old.resources);
    expect(old.operations).toBeGreaterThan(young.operations);
  });
});
