/** Every bundled scenario validates and runs, for every arm (with fewer years where a full run is slow). */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/index.ts';
import { ROOT } from '../helpers.ts';

const DIR = resolve(ROOT, 'scenarios');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && !f.endsWith('.sweep.yaml')).sort();
/** Years to run in the test, per file (the rest run in full). */
const SHORT: Record<string, number> = { 'world.yaml': 1, 'bonn-1994.yaml': 4, 'short-vs-long.yaml': 2, 'city-types.yaml': 2, 'beijing-exchange-centre.yaml': 2, 'shanghai-strategies.yaml': 3, 'quickstart.yaml': 25 };

describe('bundled scenarios', () => {
  it('include the scenarios of the source documents', () => {
    for (const f of ['bonn-1994.yaml', 'shanghai-strategies.yaml', 'city-types.yaml', 'short-vs-long.yaml', 'beijing-exchange-centre.yaml', 'world.yaml', 'quickstart.yaml']) {
      expect(files).toContain(f);
    }
  });
  for (const f of files) {
    it(`${f} validates and runs, every arm`, () => {
      const file = resolve(DIR, f);
      const base = loadScenario(file);
      const years = SHORT[f] ?? base.years;
      for (const arm of base.arms.length ? base.arms : [undefined]) {
        const sc = loadScenario(file, { arm, years });
        const r = runScenario(sc, { orgYears: false });
        expect(r.summary.lastYear).toBe(sc.start + years - 1);
        expect(r.cityYears.length).toBe(years * r.summary.cities);
        for (const c of r.cityYears) expect(c.spendTotal).toBeLessThanOrEqual(c.budget + 1e-9);
      }
    });
  }
  it('every scenario file opens with a comment stating its question', async () => {
    const { readFileSync } = await import('node:fs');
    for (const f of files) {
      const head = readFileSync(resolve(DIR, f), 'utf8').split('\n').slice(0, 12).join('\n');
      expect(head.startsWith('#'), f).toBe(true);
      expect(head, f).toMatch(/Question|question/);
    }
  });
});

describe('bonn-1994', () => {
  it('Bonn wins the UNFCCC seat in most futures, UNV arrives, UNDP never leaves New York', () => {
    const file = resolve(DIR, 'bonn-1994.yaml');
    let unfccc = 0;
    const sc = loadScenario(file, { years: 4 });
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = runScenario(sc, { seed, orgYears: false });
      if (r.events.some((e) => e.type === 'contest_result' && e.org === 'unfccc' && e.to === 'bonn')) unfccc++;
      expect(r.events.some((e) => e.type === 'relocation' && e.org === 'unv' && e.to === 'bonn')).toBe(true);
      expect(r.events.some((e) => e.type === 'relocation' && e.org === 'undp')).toBe(false);
    }
    expect(unfccc).toBeGreaterThanOrEqual(3);
  });
});
