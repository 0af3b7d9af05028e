/** Schema checks of the bundled reference data: sources, unique ids, resolvable references, weights, ranges. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/scenario/csv.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { CITY_ATTRIBUTES, CITY_TYPES, ORG_KINDS, REGIONS } from '../../src/scenario/schema.ts';
import { ROOT } from '../helpers.ts';

function table(name: string): Record<string, string>[] {
  const t = parseCsv(readFileSync(resolve(ROOT, 'seeds', name), 'utf8'));
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, (r.cells[i] ?? '').trim()])));
}
const cities = table('cities.csv');
const orgs = table('organizations.csv');
const COLUMN: Record<string, string> = { officeCost: 'office_cost', livingCost: 'living_cost', nationalSupport: 'national_support' };
const col = (a: string) => COLUMN[a] ?? a;

describe('seeds/cities.csv', () => {
  it('has rows, each with a source, a unique id and valid codes', () => {
    expect(cities.length).toBeGreaterThanOrEqual(100);
    const ids = new Set<string>();
    for (const c of cities) {
      expect(c.source, c.id).not.toBe('');
      expect(c.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(ids.has(c.id), `duplicate ${c.id}`).toBe(false);
      ids.add(c.id);
      expect(REGIONS as readonly string[]).toContain(c.region);
      expect(CITY_TYPES as readonly string[]).toContain(c.type);
    }
  });
  it('has every attribute in [0, 1] and plausible coordinates', () => {
    for (const c of cities) {
      for (const a of CITY_ATTRIBUTES) {
        const v = Number(c[col(a)]);
        expect(Number.isFinite(v) && v >= 0 && v <= 1, `${c.id}.${a} = ${c[col(a)]}`).toBe(true);
      }
      if (c.hosted_ios !== '') expect(Number.isInteger(Number(c.hosted_ios)) && Number(c.hosted_ios) >= 0, c.id).toBe(true);
      expect(Math.abs(Number(c.lat)) <= 90 && Math.abs(Number(c.lon)) <= 180, c.id).toBe(true);
    }
  });
});

describe('seeds/organizations.csv', () => {
  const cityIds = new Set(cities.map((c) => c.id));
  it('has rows, each with a source, a unique id, a valid kind and a seat among the seeded cities', () => {
    expect(orgs.length).toBeGreaterThanOrEqual(100);
    const ids = new Set<string>();
    for (const o of orgs) {
      expect(o.source, o.id).not.toBe('');
      expect(ids.has(o.id), `duplicate ${o.id}`).toBe(false);
      ids.add(o.id);
      expect(ORG_KINDS as readonly string[]).toContain(o.kind);
      expect(cityIds.has(o.seat), `${o.id}: seat ${o.seat}`).toBe(true);
    }
  });
  it('has driver weights that sum to 1 and values in range', () => {
    for (const o of orgs) {
      const w = ['w_security', 'w_resources', 'w_operations', 'w_values'].map((k) => Number(o[k]));
      for (const x of w) expect(x >= 0 && x <= 1, o.id).toBe(true);
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1), `${o.id} weights`).toBeLessThan(1e-9);
      for (const k of ['local_share', 'veto']) expect(Number(o[k]) >= 0 && Number(o[k]) <= 1, `${o.id}.${k}`).toBe(true);
      expect(Number(o.staff)).toBeGreaterThanOrEqual(1);
      if (o.budget_musd !== '') expect(Number(o.budget_musd)).toBeGreaterThanOrEqual(0);
      const y = Number(o.founded);
      expect(Number.isInteger(y) && y >= 1800 && y <= 2026, `${o.id}.founded`).toBe(true);
    }
  });
  it('loads through the scenario loader without a problem (all seeds at once)', () => {
    const sc = parseScenario(JSON.stringify({ name: 'all', start: 2025, years: 1, seeds: { includeAllCities: true, includeAllOrganizations: true } }), resolve(ROOT, 'scenarios/all.json'));
    expect(sc.cities.length).toBe(cities.length);
    expect(sc.organizations.length).toBe(orgs.length);
  });
});
