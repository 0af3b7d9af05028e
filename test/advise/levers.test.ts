/**
 * The lever table must agree with the model: one unit of each attribute is worth what the table says to the
 * organization (checked by changing the attribute in a world and evaluating the city again), and years of
 * investment follow the model's own stock dynamics.
 */
import { describe, expect, it } from 'vitest';
import { buildWorld } from '../../src/model/engine.ts';
import { buildCityTable, evaluate } from '../../src/model/scoring.ts';
import { stockStep } from '../../src/model/stocks.ts';
import { weightsOf } from '../../src/model/world.ts';
import { LEVERS, leverContext, leverNeeds, yearsToBuild } from '../../src/advise/levers.ts';
import { build, city, org } from '../helpers.ts';

const sc = build({
  cities: [city('alpha', { hostedIos: 4, focusDomains: ['climate'], leadership: { climate: 0.2 } }), city('beta', { hostedIos: 1 })],
  organizations: [org('o1', 'beta', { founded: 1998 }), org('o2', 'alpha', { founded: 1980, domain: 'health' })],
});

/** Utility of city alpha for o1 (a move there) after `change` is applied to alpha. */
function utilityAfter(change: (c: ReturnType<typeof buildWorld>['cities'][number]) => void): { u: number; ctx: ReturnType<typeof leverContext> } {
  const w = buildWorld(sc, 1);
  const c = w.cities[w.cityIndex.get('alpha')!];
  c.def = { ...c.def }; // the scenario's definition is shared by every world built from it
  change(c);
  const t = buildCityTable(w);
  const o = w.orgs[w.orgIndex.get('o1')!];
  const wt = weightsOf(o, w.year, w.params);
  return { u: evaluate(w, t, o, c, wt, 'move', null).utility, ctx: leverContext(w, t, o, c, wt) };
}

const ATTRIBUTES = ['safety', 'legal', 'openness', 'schools', 'connectivity', 'workforce', 'conference', 'livability', 'livingCost', 'officeCost'] as const;

describe('lever table', () => {
  it('values one unit of every attribute as the model does', () => {
    const base = utilityAfter(() => {});
    const d = 0.01;
    for (const a of ATTRIBUTES) {
      const row = LEVERS.find((r) => r.attribute === a)!;
      expect(row, a).toBeDefined();
      const after = utilityAfter((c) => { (c.attr as unknown as Record<string, number>)[a] -= d; });
      expect(after.u - base.u, a).toBeCloseTo(-d * row.perUnit(base.ctx), 10);
      expect(base.ctx.level[a] - after.ctx.level[a], a).toBeCloseTo(d, 10);
    }
    const lead = LEVERS.find((r) => r.attribute === 'leadership')!;
    const k = buildWorld(sc, 1).domainIndex.get('climate')!;
    const up = utilityAfter((c) => { c.leadershipExtra[k] += d; });
    expect(up.u - base.u).toBeCloseTo(d * lead.perUnit(base.ctx), 10);
    const ns = LEVERS.find((r) => r.attribute === 'nationalSupport')!;
    const nsUp = utilityAfter((c) => { c.attr.nationalSupport += d; });
    expect(nsUp.u - base.u).toBeCloseTo(d * ns.perUnit(base.ctx), 10);
  });

  it('values the cluster and hub counts as the model does', () => {
    const base = utilityAfter(() => {});
    const k = buildWorld(sc, 1).domainIndex.get('climate')!;
    // two more background organizations of alpha's focus domain (climate, o1's domain) raise both counts
    const twoMore = (c: ReturnType<typeof buildWorld>['cities'][number]) => { c.attr.hostedIos += 2; c.backgroundByDomain[k] += 2; };
    for (const attr of ['cluster', 'hub'] as const) {
      const row = LEVERS.find((r) => r.attribute === attr)!;
      const more = utilityAfter(twoMore);
      const dl = more.ctx.level[attr] - base.ctx.level[attr];
      expect(dl, attr).toBeGreaterThan(0);
      expect(more.ctx.counts[attr] - base.ctx.counts[attr]).toBeCloseTo(2, 10);
      // level from the count, as the translation inverts it
      expect(1 - Math.exp(-more.ctx.counts[attr] / row.count!.scale(base.ctx))).toBeCloseTo(more.ctx.level[attr], 10);
    }
    const cl = LEVERS.find((r) => r.attribute === 'cluster')!, hub = LEVERS.find((r) => r.attribute === 'hub')!;
    const more = utilityAfter(twoMore);
    const expected = cl.perUnit(base.ctx) * (more.ctx.level.cluster - base.ctx.level.cluster) + hub.perUnit(base.ctx) * (more.ctx.level.hub - base.ctx.level.hub);
    expect(more.u - base.u).toBeCloseTo(expected, 10);
  });

  it('translates a gap into the level needed and the years of spending that build it', () => {
    const { ctx } = utilityAfter(() => {});
    const gaps = leverNeeds({ values: -0.02, security: -0.5, cluster: -0.01, stayBonus: -0.1, offer: 0.3 }, ctx);
    expect(gaps.map((g) => g.term)).toEqual(['security', 'stayBonus', 'values', 'cluster']);
    const values = gaps.find((g) => g.term === 'values')!;
    const lead = values.levers.find((l) => l.attribute === 'leadership')!;
    const per = LEVERS.find((r) => r.attribute === 'leadership')!.perUnit(ctx);
    expect(lead.needed! - lead.now).toBeCloseTo(0.02 / per, 10);
    expect(lead.invest!.years).toBeGreaterThan(0);
    // openness is an investable stock now: its need is priced in years of spending, like leadership
    expect(LEVERS.find((r) => r.attribute === 'openness')!.build).toMatchObject({ scenarioLever: 'opennessMusd' });
    // and the attributes no city controls are named as fixed
    expect(gaps.find((g) => g.term === 'security')).toBeDefined();
    // a gap no level up to 1 can close
    expect(gaps.find((g) => g.term === 'security')!.levers.every((l) => l.needed === null)).toBe(true);
    expect(gaps.find((g) => g.term === 'stayBonus')!.fixed).toMatch(/incumbent/);
    const cluster = gaps.find((g) => g.term === 'cluster')!.levers[0];
    expect(cluster.count!.needed! - cluster.count!.now).toBeGreaterThan(0);
  });

  it('years to build follow the stock dynamics: more need takes longer, more spending less', () => {
    const s = { delay: 1, gain: 0.4, decay: 0.15, costScaleMusd: 2 };
    const y1 = yearsToBuild(0.1, 0, 0.2, 2, s).years!, y2 = yearsToBuild(0.1, 0, 0.4, 2, s).years!;
    expect(y2).toBeGreaterThan(y1);
    expect(yearsToBuild(0.1, 0, 0.4, 8, s).years!).toBeLessThanOrEqual(y2);
    // replay the stock by hand with the model's step
    let e = 0, years = 0;
    while (e < 0.2 - 1e-9) { years++; e = stockStep(e, 0.1, years > s.delay ? 2 : 0, s); }
    expect(y1).toBe(years);
    // the steady state at this spend is out of reach for a large need
    const far = yearsToBuild(0.1, 0, 0.85, 2, s);
    expect(far.years).toBeNull();
    expect(far.reachable).toBeLessThan(0.85);
  });
});
