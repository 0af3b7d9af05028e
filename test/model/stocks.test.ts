/**
 * Long-lived levers (issue "The long game"): every stock builds after its delay, decays when spending stops, costs
 * exactly what is spent, and raises the driver it should; leadership spills over to related domains.
 */
import { describe, expect, it } from 'vitest';
import { buildWorld } from '../../src/model/engine.ts';
import { citiesAct, hostedLists } from '../../src/model/cities.ts';
import { buildCityTable, effective, valuesScore } from '../../src/model/scoring.ts';
import { STOCK_LEVER, STOCKS, relatedIndex } from '../../src/model/stocks.ts';
import { build, city } from '../helpers.ts';

/** Which driver each stock raises: security (security, legal), operations (the rest), values (openness). */
const DRIVER: Record<string, 'security' | 'operations' | 'values'> = {
  security: 'security', legal: 'security', schools: 'operations', connectivity: 'operations', conference: 'operations',
  livability: 'operations', workforce: 'operations', openness: 'values',
};

/** Step the cities of a one-city world for `years`, investing `musd` a year in `lever` during the first `spend` years. */
function trace(lever: string, musd: number, spend: number, years: number) {
  const schedule = [{ from: 2000, to: 2000 + spend - 1, levers: { [lever]: musd } }];
  const sc = build({ years, cities: [city('alpha', { budgetMusd: 1000, schedule, safety: 0.5, legal: 0.4, connectivity: 0.4, conference: 0.4, schools: 0.4, livability: 0.4, workforce: 0.4, openness: 0.4 }), city('beta')],
    organizations: [{ id: 'o', name: 'o', kind: 'intergovernmental', domain: 'climate', seat: 'beta', founded: 1990, staff: 10 }] });
  const w = buildWorld(sc);
  const out: { attr: number; driver: number; spent: number }[] = [];
  for (let y = 2000; y < 2000 + years; y++) {
    w.year = y;
    citiesAct(w, hostedLists(w), []);
    const t = buildCityTable(w);
    const c = w.cities[w.cityIndex.get('alpha')!];
    const s = STOCKS.indexOf(lever.replace(/Musd$/, '') as (typeof STOCKS)[number]);
    const d = DRIVER[STOCKS[s]];
    out.push({ attr: effective(c, s), driver: d === 'security' ? t.security[c.idx] : d === 'operations' ? t.operations[c.idx] : valuesScore(c, 0, w.params), spent: c.spend[STOCKS[s]] });
  }
  return { out, p: sc.params };
}

describe('every investable stock', () => {
  for (const name of STOCKS) {
    it(`${name}: builds after its delay, raises its driver, costs what is spent, decays once spending stops`, () => {
      const lever = STOCK_LEVER[name];
      const { out, p } = trace(lever, 20, 10, 30);
      const { delay, decay } = p.stocks[name];
      const base = out[0].attr;
      // nothing before the delay has passed (the first investment takes effect in year `delay`)
      for (let y = 0; y < delay; y++) expect(out[y].attr).toBeCloseTo(base, 12);
      expect(out[delay].attr).toBeGreaterThan(base);
      expect(out[delay].driver).toBeGreaterThan(out[0].driver);
      // spending is exactly the lever's yearly amount while it lasts, then nothing
      for (let y = 0; y < 10; y++) expect(out[y].spent).toBeCloseTo(20, 12);
      for (let y = 10; y < 30; y++) expect(out[y].spent).toBe(0);
      // once the last investment has taken effect, the built part shrinks by the decay rate every year
      const last = 10 + delay;
      for (let y = last + 1; y < 30; y++) expect(out[y].attr - base).toBeCloseTo((out[y - 1].attr - base) * (1 - decay), 9);
      // diminishing returns: the gain of the 10th year of spending is below that of the 1st
      expect(out[delay + 9].attr - out[delay + 8].attr).toBeLessThan(out[delay].attr - base);
    });
  }

  it('issue leadership builds in the domain invested in and, by spillover, in related domains only', () => {
    const sc = build({ years: 10, cities: [city('alpha', { budgetMusd: 100, levers: { leadershipMusd: { climate: 5 } } }), city('beta')],
      organizations: [{ id: 'h', name: 'h', kind: 'intergovernmental', domain: 'health', seat: 'beta', founded: 1990, staff: 10 },
        { id: 'e', name: 'e', kind: 'intergovernmental', domain: 'environment', seat: 'beta', founded: 1990, staff: 10 },
        { id: 'c', name: 'c', kind: 'intergovernmental', domain: 'climate', seat: 'beta', founded: 1990, staff: 10 }] });
    const w = buildWorld(sc);
    for (let y = 2000; y < 2010; y++) { w.year = y; citiesAct(w, hostedLists(w), []); }
    const c = w.cities[w.cityIndex.get('alpha')!];
    const k = (d: string) => w.domainIndex.get(d)!;
    expect(c.leadershipExtra[k('climate')]).toBeGreaterThan(c.leadershipExtra[k('environment')]);
    expect(c.leadershipExtra[k('environment')]).toBeGreaterThan(0);
    expect(c.leadershipExtra[k('health')]).toBe(0);
    expect(relatedIndex(['climate', 'environment', 'health'])).toEqual([[1], [0], []]);
  });
});
