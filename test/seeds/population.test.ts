/** The synthetic population generator: deterministic, respects its parameters, seats near equilibrium. */
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../src/model/params.ts';
import { baselineAttractiveness, baselineScores, syntheticCities, syntheticOrgs } from '../../src/model/population.ts';
import { buildWorld } from '../../src/model/engine.ts';
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
  it('the engine builds the population from the scenario: counts and domain mix as declared', () => {
    const sc = build({ organizations: [], cities: [], population: { cities: 12, organizations: 90, domains: ['energy', 'urban'] } });
    const w = buildWorld(sc);
    expect(w.cities).toHaveLength(12);
    expect(w.orgs).toHaveLength(90);
    expect(new Set(w.orgs.map((o) => o.def.domain))).toEqual(new Set(['energy', 'urban']));
  });
});
