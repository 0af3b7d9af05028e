/** Rivals' passivity is never silent, and seed cities can be made to act with their documented default budgets. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../src/scenario/csv.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { passiveCities, passivityWarnings, unpaidBids } from '../../src/advise/rivals.ts';
import { build, city, org, runCli, ROOT } from '../helpers.ts';

describe('passive cities', () => {
  it('names cities without a budget or without levers, and bids nobody can pay', () => {
    const sc = build({
      cities: [
        city('broke', { budgetMusd: 0 }), city('idle', { budgetMusd: 5, strategy: 'fixed', levers: {} }),
        city('active', { budgetMusd: 5, strategy: 'fixed', levers: { freeOffices: 0.5 } }), city('typed', { budgetMusd: 5, strategy: 'rising' }),
        city('later', { budgetMusd: 0 }),
      ],
      organizations: [org('o1', null, { founded: 2001 })],
      events: [{ year: 2005, type: 'budgetChange', city: 'later', budgetMusd: 3 }],
      contests: [{ id: 'c1', org: 'o1', year: 2001, bids: { broke: { subsidyMusd: 1, term: 5 }, later: { subsidyMusd: 1 } } }],
    });
    expect(passiveCities(sc)).toEqual([{ id: 'broke', reason: 'no attraction budget' }, { id: 'idle', reason: 'fixed strategy without levers, bids or offers' }]);
    expect(unpaidBids(sc)).toEqual([{ contest: 'c1', city: 'broke' }, { contest: 'c1', city: 'later' }]);
    const w = passivityWarnings(sc);
    expect(w[0]).toMatch(/^warning: 2 of 5 cities are passive.*broke \(no attraction budget\); idle \(fixed strategy/);
    expect(w[0]).toMatch(/defaultBudgets: true/);
    expect(w.slice(1)).toEqual([
      expect.stringMatching(/contest c1: broke has no attraction budget, so its scripted bid is scaled to nothing/),
      expect.stringMatching(/contest c1: later has no attraction budget/),
    ]);
    expect(passivityWarnings(build({ cities: [city('a', { budgetMusd: 2, strategy: 'node' })], organizations: [org('o', 'a')] }))).toEqual([]);
    // a long list is cut, with a pointer to validate
    const many = build({ cities: Array.from({ length: 15 }, (_, i) => city(`c${i}`, { budgetMusd: 0 })), organizations: [org('o', 'c0')] });
    expect(passivityWarnings(many, 3)[0]).toMatch(/c0, c1, c10 and 12 more \(no attraction budget\) \(hqsim validate names them all\)/);
  });

  it('validate and run warn on stderr, naming the passive cities; --quiet silences run', async () => {
    // the quickstart with Nairobi's budget taken away
    const dir = mkdtempSync(join(tmpdir(), 'hqsim-passive-'));
    const file = join(dir, 'quickstart.yaml');
    const text = readFileSync(join(ROOT, 'scenarios/quickstart.yaml'), 'utf8');
    expect(text).toMatch(/budgetMusd: 5, strategy: node \}/);
    writeFileSync(file, text.replace('budgetMusd: 5, strategy: node }', 'budgetMusd: 0, strategy: node }'));
    const v = await runCli(['validate', file]);
    expect(v.code).toBe(0);
    expect(v.stderr).toMatch(/^warning: 1 of 5 cities are passive: .*nairobi \(no attraction budget\)/);
    const r = await runCli(['run', file, '--out', join(dir, 'run')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/nairobi \(no attraction budget\)/);
    const q = await runCli(['run', file, '--out', join(dir, 'quiet'), '--quiet']);
    expect(q.stderr).toBe('');
    const b = await runCli(['validate', 'scenarios/bonn-1994.yaml']);
    expect(b.stderr).toMatch(/warning: contest unccd_seat: madrid has no attraction budget/);
  });
});

describe('default attraction budgets of seed cities', () => {
  const rows = parseCsv(readFileSync(join(ROOT, 'seeds/cities.csv'), 'utf8'));
  const col = (name: string) => rows.header.indexOf(name);

  it('every seed city has a default budget that follows the documented formula from its own row', () => {
    const orgs = parseCsv(readFileSync(join(ROOT, 'seeds/organizations.csv'), 'utf8'));
    const seats = new Map<string, number>();
    for (const r of orgs.rows) { const s = r.cells[orgs.header.indexOf('seat')]; seats.set(s, (seats.get(s) ?? 0) + 1); }
    const base: Record<string, number> = { 'high income': 5, 'upper-middle income': 2, 'lower-middle income': 1, 'low income': 0.5 };
    for (const r of rows.rows) {
      const id = r.cells[0];
      const budget = Number(r.cells[col('default_budget_musd')]);
      const basis = r.cells[col('default_budget_basis')];
      const group = /^(high|upper-middle|lower-middle|low) income/.exec(basis)?.[0];
      expect(group, id).toBeDefined();
      const hosted = Math.max(Number(r.cells[col('hosted_ios')] || 0), seats.get(id) ?? 0);
      const type = r.cells[col('type')];
      const expected = Math.round(base[group!] * (1 + Math.min(hosted, 30) / 10) * (type === 'rising' ? 2 : 1) * 10) / 10;
      expect(budget, id).toBeCloseTo(expected, 10);
      expect(basis, id).toContain(`= ${expected.toFixed(1)}`);
    }
    const budgetOf = (id: string) => Number(rows.rows.find((r) => r.cells[0] === id)!.cells[col('default_budget_musd')]);
    expect(budgetOf('geneva')).toBe(20);
    expect(budgetOf('kigali')).toBe(1);
  });

  it('apply only when the scenario opts in, and the scenario still overrides them', () => {
    const doc = (defaultBudgets?: boolean) => JSON.stringify({
      name: 't', start: 2000, years: 2, ...(defaultBudgets === undefined ? {} : { seeds: { defaultBudgets } }),
      cities: ['geneva', 'shenzhen', { id: 'kigali', budgetMusd: 3 }, { id: 'bonn', strategy: 'fixed', levers: { freeOffices: 1 } }],
      organizations: [{ id: 'o', name: 'o', kind: 'ngo', domain: 'climate', seat: 'geneva', founded: 1990, staff: 10 }],
    });
    const off = parseScenario(doc(), join(ROOT, 't.json'));
    const on = parseScenario(doc(true), join(ROOT, 't.json'));
    const get = (sc: typeof on, id: string) => sc.cities.find((c) => c.id === id)!;
    expect(get(off, 'geneva')).toMatchObject({ budgetMusd: 0, strategy: 'fixed' });
    expect(get(on, 'geneva')).toMatchObject({ budgetMusd: 20, strategy: 'node' });
    expect(get(on, 'shenzhen')).toMatchObject({ budgetMusd: 4, strategy: 'rising' });
    expect(get(on, 'kigali')).toMatchObject({ budgetMusd: 3, strategy: 'rising' });
    expect(get(on, 'bonn')).toMatchObject({ budgetMusd: 18.5, strategy: 'fixed' });
    expect(passiveCities(on)).toEqual([]);
    expect(passiveCities(off).map((c) => c.id)).toEqual(['bonn', 'geneva', 'kigali', 'shenzhen']);
    // a scenario file that opts in validates through the CLI
    const dir = mkdtempSync(join(tmpdir(), 'hqsim-budgets-'));
    writeFileSync(join(dir, 'on.json'), doc(true));
    return runCli(['validate', join(dir, 'on.json')]).then((r) => { expect(r.code).toBe(0); expect(r.stderr).toBe(''); });
  });
});
