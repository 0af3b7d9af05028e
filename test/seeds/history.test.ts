/** Cities as they were: the dated table loads, its loader locates every problem, and the interpolation keeps its promises. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attributeAt, cityAt, loadCityHistory, parseCityHistory, HISTORY_ATTRIBUTES, SEEDS_PRESENT_YEAR, type CityHistory } from '../../src/scenario/history.ts';
import { ScenarioError, formatProblem } from '../../src/scenario/errors.ts';
import { loadContests } from '../../src/backtest/contests.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { ROOT } from '../helpers.ts';

const HEAD = 'city,year,attribute,value,source,note\n';
function problems(text: string): string[] {
  try {
    parseCityHistory(text, 'h.csv');
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

describe('seeds/city_history.csv', () => {
  const h = loadCityHistory();
  const bonn = parseScenario(JSON.stringify({ name: 'h', start: 2025, years: 1, cities: ['bonn', 'geneva', 'nairobi', 'abu_dhabi'] }), join(ROOT, 'scenarios/h.json'));
  it('gives a 1995 Bonn far fewer hosted bodies than today, and the documented counts at their years', () => {
    const now = bonn.cities.find((c) => c.id === 'bonn')!;
    expect(attributeAt(h, 'bonn', 'hostedIos', 1995, now.hostedIos)).toBeLessThan(5);
    expect(attributeAt(h, 'bonn', 'hostedIos', 1996, now.hostedIos)).toBe(4);
    expect(attributeAt(h, 'bonn', 'hostedIos', 2012, now.hostedIos)).toBe(18);
    expect(attributeAt(h, 'bonn', 'hostedIos', 2025, now.hostedIos)).toBe(27);
  });
  it('gives a 1972 and a 2017 scenario different attributes for the same city', () => {
    for (const id of ['geneva', 'nairobi']) {
      const c = bonn.cities.find((x) => x.id === id)!;
      const a = cityAt(h, c, 1972);
      const b = cityAt(h, c, 2017);
      expect(HISTORY_ATTRIBUTES.some((k) => a[k] !== b[k]), id).toBe(true);
    }
    const ad = bonn.cities.find((x) => x.id === 'abu_dhabi')!;
    expect(cityAt(h, ad, 2009).connectivity).toBeLessThan(ad.connectivity - 0.1);
    const gva = bonn.cities.find((x) => x.id === 'geneva')!;
    expect(cityAt(h, gva, 2007).legal).toBe(0.95);
    expect(cityAt(h, gva, 2008).legal).toBe(1);
  });
  it('covers every candidate city of the bundled contests that changed materially, with a source on every row', () => {
    const named = new Set(loadContests().contests.flatMap((c) => c.candidates));
    for (const id of ['bonn', 'geneva', 'nairobi', 'abu_dhabi', 'incheon', 'kabul', 'tehran', 'manila', 'tokyo']) {
      expect(named.has(id), id).toBe(true);
      expect(h.series.has(id), id).toBe(true);
    }
    for (const id of ['beijing', 'shanghai']) expect([...h.series.get(id)!.keys()].length, id).toBeGreaterThanOrEqual(5);
    for (const byAttr of h.series.values()) for (const pts of byAttr.values()) for (const p of pts) expect(p.source.length).toBeGreaterThan(10);
  });
});

describe('city history errors', () => {
  it('reports unknown cities and attributes, out-of-range values, duplicates and missing sources with line and column', () => {
    const p = problems(HEAD + [
      'bonn,1995,hostedIos,4,UN Bonn,',
      'bonnn,1995,safety,0.5,x,',
      'bonn,1995,safty,0.5,x,',
      'bonn,1995,safety,1.5,x,',
      'bonn,1995,hostedIos,3,again,',
      'bonn,2030,safety,0.5,x,',
      'bonn,1990,safety,0.5,,',
      'nairobi,1972,hostedIos,0,x,',
      '"bonn",abc,safety,0.5,x,',
    ].join('\n') + '\n');
    expect(p).toEqual([
      expect.stringMatching(/^h\.csv:3:1: city: unknown city "bonnn" \(did you mean "bonn"\?\)/),
      'h.csv:4:11: attribute: unknown attribute "safty" (did you mean "safety"?); one of ' + HISTORY_ATTRIBUTES.join(', '),
      'h.csv:5:18: value: safety 1.5 is outside [0, 1]',
      'h.csv:6:6: year: duplicate row for bonn, 1995, hostedIos (first on line 2)',
      `h.csv:7:6: year: year 2030 is outside 1800-${SEEDS_PRESENT_YEAR - 1} (dated points precede the present values of ${SEEDS_PRESENT_YEAR})`,
      'h.csv:8:22: source: every dated value needs a source or an estimate basis',
      expect.stringMatching(/^h\.csv:9:14: attribute: hostedIos of "nairobi" has no present count/),
      'h.csv:10:8: year: year "abc" is not a whole number',
    ]);
  });
  it('reports a wrong header and rows of the wrong width', () => {
    expect(problems('city,yr,attribute,value,source,note\n')).toEqual([
      'h.csv:1:1: year: missing column "year" (columns: city,year,attribute,value,source,note)',
      'h.csv:1:6: yr: unknown column "yr"',
    ]);
    expect(problems(HEAD + 'bonn,1995,safety,0.5\n')).toEqual(['h.csv:2:1: (file): row has 4 fields, header has 6']);
  });
  it('checks ids against the city seed file it is given, and names a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hqsim-history-'));
    const cities = join(dir, 'cities.csv');
    writeFileSync(cities, 'id,name,hosted_ios\nalpha,Alpha,3\n');
    const file = join(dir, 'h.csv');
    writeFileSync(file, HEAD + 'alpha,2000,hostedIos,1,x,\nbonn,2000,safety,0.5,x,\n');
    expect(() => loadCityHistory(file, { cities })).toThrow(/h\.csv:3:1: city: unknown city "bonn"/);
    expect(() => loadCityHistory(join(dir, 'none.csv'))).toThrow(/cannot read city history: no such file/);
  });
});

/** A history of one city and attribute with the given points, present year 2024. */
function one(points: [number, number][]): CityHistory {
  return { file: 'mem', presentYear: 2024, series: new Map([['c', new Map([['safety', points.map(([year, value]) => ({ year, value, source: 's', note: '', line: 1 }))]])]]) };
}
const pointsArb = fc.uniqueArray(fc.integer({ min: 1900, max: 2023 }), { minLength: 1, maxLength: 6 })
  .chain((years) => fc.tuple(fc.constant(years.sort((a, b) => a - b)), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: years.length, maxLength: years.length })))
  .map(([years, values]) => years.map((y, i) => [y, values[i]] as [number, number]));

describe('attributeAt', () => {
  it('without dated points returns the present value', () => {
    expect(attributeAt(one([]), 'c', 'safety', 1950, 0.4)).toBe(0.4);
    expect(attributeAt(one([]), 'other', 'legal', 1950, 0.7)).toBe(0.7);
    expect(() => attributeAt(one([]), 'c', 'safety', 1950, undefined)).toThrow(RangeError);
  });
  it('interpolates linearly between points and toward the present value', () => {
    const h = one([[1970, 0.2], [1990, 0.6]]);
    expect(attributeAt(h, 'c', 'safety', 1960, 1)).toBe(0.2);
    expect(attributeAt(h, 'c', 'safety', 1980, 1)).toBeCloseTo(0.4, 12);
    expect(attributeAt(h, 'c', 'safety', 2007, 1)).toBeCloseTo(0.8, 12);
    expect(attributeAt(h, 'c', 'safety', 2010, undefined)).toBe(0.6);
  });
  it('property: at a dated year the dated value; at or after the present year the present value', () => {
    fc.assert(fc.property(pointsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 2024, max: 2200 }), (pts, present, late) => {
      const h = one(pts);
      for (const [y, v] of pts) expect(attributeAt(h, 'c', 'safety', y, present)).toBe(v);
      expect(attributeAt(h, 'c', 'safety', late, present)).toBe(present);
      expect(attributeAt(h, 'c', 'safety', pts[0][0] - 7, present)).toBe(pts[0][1]);
    }));
  });
  it('property: between neighbouring points the value stays between them and moves monotonically', () => {
    fc.assert(fc.property(pointsArb, fc.double({ min: 0, max: 1, noNaN: true }), (pts, present) => {
      const h = one(pts);
      const knots = [...pts, [2024, present] as [number, number]];
      for (let i = 1; i < knots.length; i++) {
        const [y0, v0] = knots[i - 1];
        const [y1, v1] = knots[i];
        let prev = v0;
        for (let y = y0; y <= y1; y++) {
          const v = attributeAt(h, 'c', 'safety', y, present);
          expect(v).toBeGreaterThanOrEqual(Math.min(v0, v1) - 1e-12);
          expect(v).toBeLessThanOrEqual(Math.max(v0, v1) + 1e-12);
          expect((v - prev) * (v1 - v0)).toBeGreaterThanOrEqual(-1e-12);
          prev = v;
        }
      }
    }), { numRuns: 200 });
  });
});
