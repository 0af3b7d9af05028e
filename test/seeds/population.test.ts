/** The synthetic population generator: deterministic, respects its parameters, seats near equilibrium. */
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../src/model/params.ts';
import { baselineAttractiveness, baselineScores, syntheticCities, syntheticOrgs } from '../../src/model/population.ts';
import { buildWorld } from '../../src/model/engine.ts';
import { Streams } from '../../src/model/rng.ts';
import { stageWeightsAt } from '../../src/model/world.ts';
import type { CityDef } from '../../src/scenario/schema.ts';
import fc from 'fast-check';
import { build } from '../helpers.ts';

const DOMAINS = ['climate', 'health', 'trade'];

describe('synthetic population', () => {
  it('is deterministic given the seed, and changes with it', () => {
    const a = syntheticCities(7, 30, DOMAINS);
    expect(syntheticCities(7, 30, DOMAINS)).toEqual(a);
    expect(syntheticOrgs(7, 200, 2000, a, DOMAINS)).toEqual(syntheticOrgs(7, 200, 2000, a, DOMAINS));
    expect(syntheticOrgs(8, 200, 2000, a, DOMAINS)).not.toEqual(syntheticOrgs(7, 200, 2000, a, DOMAINS));
  });
  it('generates the requested numbers, unique ids, valid attributes and only the listed domains', () => {
    const cs = syntheticCities(3, 50, DOMAINS);
    const os = syntheticOrgs(3, 600, 2000, cs, DOMAINS);
    expect(cs).toHaveLength(50);
    expect(os).toHaveLength(600);
    expect(new Set(cs.map((c) => c.id)).size).toBe(50);
    expect(new Set(os.map((o) => o.id)).size).toBe(600);
    const cityIds = new Set(cs.map((c) => c.id));
    for (const o of os) {
      expect(DOMAINS).toContain(o.domain);
      expect(cityIds.has(o.seat!)).toBe(true);
      expect(o.founded).toBeLessThanOrEqual(2000);
      expect(o.staff).toBeGreaterThanOrEqual(1);
    }
    for (const c of cs) for (const a of ['safety', 'connectivity', 'officeCost', 'openness'] as const) expect(c[a]).toBeGreaterThanOrEqual(0), expect(c[a]).toBeLessThanOrEqual(1);
  });
  it('draws a roughly uniform domain mix', () => {
    const os = syntheticOrgs(5, 3000, 2000, ['a', 'b'], DOMAINS);
    for (const d of DOMAINS) {
      const share = os.filter((o) => o.domain === d).length / os.length;
      expect(share).toBeGreaterThan(0.28);
      expect(share).toBeLessThan(0.39);
    }
  });
  it('seats organizations by a logit on baseline attractiveness: better cities host more', () => {
    const p = resolveParams();
    const cs = syntheticCities(11, 40, DOMAINS);
    const os = syntheticOrgs(11, 4000, 2000, cs, DOMAINS, p);
    const attr = cs.map((c) => baselineAttractiveness(baselineScores(c, p), 'climate', 'growth', p));
    const order = cs.map((c, i) => [c.id, attr[i]] as const).sort((a, b) => b[1] - a[1]);
    const count = (id: string) => os.filter((o) => o.seat === id).length;
    const top = order.slice(0, 10).reduce((s, [id]) => s + count(id), 0);
    const bottom = order.slice(-10).reduce((s, [id]) => s + count(id), 0);
    // Uniform seating would put ~1,000 in each group (sd ~30); at the default temperature the top ten hold
    // clearly more (a hotter logit flattens the gap, a colder one widens it).
    expect(top).toBeGreaterThan(1.4 * Math.max(1, bottom));
    // With bare ids there is nothing to rank: seating is uniform.
    const flat = syntheticOrgs(11, 4000, 2000, cs.map((c) => c.id), DOMAINS);
    const counts = cs.map((c) => flat.filter((o) => o.seat === c.id).length);
    expect(Math.max(...counts)).toBeLessThan(2 * 4000 / 40);
  });
  it('seats every organization as recomputing each tree\'s weight with baselineAttractiveness would (the seating\'s shortcut)', () => {
    // The straightforward seating: after each organization, every (stage, domain) tree gets the weight of the
    // seat city from baselineAttractiveness, recomputed in full; the same Fenwick arithmetic and the same draws.
    class Fenwick {
      t: Float64Array; v: Float64Array;
      constructor(readonly n: number) { this.t = new Float64Array(n + 1); this.v = new Float64Array(n); }
      set(i: number, x: number) { const d = x - this.v[i]; this.v[i] = x; for (let j = i + 1; j <= this.n; j += j & -j) this.t[j] += d; }
      total() { let s = 0; for (let j = this.n; j > 0; j -= j & -j) s += this.t[j]; return s; }
      find(target: number) {
        let pos = 0, step = 1; while (step * 2 <= this.n) step *= 2;
        for (; step > 0; step >>= 1) { const nx = pos + step; if (nx <= this.n && this.t[nx] <= target) { pos = nx; target -= this.t[nx]; } }
        return Math.min(pos, this.n - 1);
      }
    }
    const stages = ['founding', 'growth', 'mature'] as const;
    const reference = (seed: number, n: number, cs: CityDef[], domains: string[], p: ReturnType<typeof resolveParams>) => {
      const s = new Streams(seed), nc = cs.length, scores = cs.map((c) => baselineScores(c, p)), total = cs.map((c) => c.hostedIos);
      const same = domains.map(() => new Float64Array(nc));
      cs.forEach((c, j) => { const focus = c.focusDomains.map((d) => domains.indexOf(d)).filter((k) => k >= 0); for (const k of focus) same[k][j] += c.hostedIos / focus.length; });
      const util = (j: number, si: number, k: number) => baselineAttractiveness(scores[j], domains[k], stages[si], p, same[k][j], total[j], stageWeightsAt(si, p));
      const weight = (u: number) => Math.exp((u - (1 + p.choice.clusterWeight)) / p.choice.temperature);
      const trees: (Fenwick | undefined)[] = [];
      const seats: string[] = [];
      for (let i = 0; i < n; i++) {
        const r = s.stream('population', `syn_org_${String(i).padStart(String(Math.max(1, n - 1)).length, '0')}`, 1);
        r(); r(); const k = Math.floor(r() * domains.length); const uSeat = r(); const age = Math.floor(r() * 80);
        const si = age < p.stages.foundingYears ? 0 : age < p.stages.matureAge ? 1 : 2;
        let f = trees[si * domains.length + k];
        if (!f) { f = trees[si * domains.length + k] = new Fenwick(nc); for (let j = 0; j < nc; j++) f.set(j, weight(util(j, si, k))); }
        const j = f.find(uSeat * f.total());
        same[k][j]++; total[j]++;
        for (let s2 = 0; s2 < 3; s2++) for (let k2 = 0; k2 < domains.length; k2++) { const g = trees[s2 * domains.length + k2]; if (g) g.set(j, weight(util(j, s2, k2))); }
        seats.push(cs[j].id);
      }
      return seats;
    };
    fc.assert(fc.property(fc.nat(1000), fc.integer({ min: 2, max: 25 }), fc.integer({ min: 1, max: 150 }), fc.double({ min: 0.02, max: 0.5, noNaN: true }), (seed, nc, n, temperature) => {
      const p = resolveParams({ choice: { temperature } });
      // some cities with a stated leadership per domain, so that the values term differs between domains
      const cs = syntheticCities(seed, nc, DOMAINS).map((c, i) => (i % 2 ? { ...c, leadership: { climate: 0.2 * (i % 5), trade: 0.9 } } : c));
      expect(syntheticOrgs(seed, n, 2000, cs, DOMAINS, p).map((o) => o.seat)).toEqual(reference(seed, n, cs, DOMAINS, p));
    }), { numRuns: 40 });
  });
  it('the engine builds the population from the scenario: counts and domain mix as declared', () => {
    const sc = build({ organizations: [], cities: [], population: { cities: 12, organizations: 90, domains: ['energy', 'urban'] } });
    const w = buildWorld(sc);
    expect(w.cities).toHaveLength(12);
    expect(w.orgs).toHaveLength(90);
    expect(new Set(w.orgs.map((o) => o.def.domain))).toEqual(new Set(['energy', 'urban']));
  });
});
