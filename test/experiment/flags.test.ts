/** Sweep tables flag what a reader could misread: metrics that never vary, intervals from few runs; 0/1 metrics stay in [0, 1]. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers.ts';
import { parseCsv } from '../../src/scenario/csv.ts';

const table = (file: string) => {
  const t = parseCsv(readFileSync(file, 'utf8'));
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r.cells[i]])));
};

describe('flags and bounded intervals in a real sweep', { timeout: 120_000 }, () => {
  it('flags a metric that never varies in points.csv, arms.csv and the manifest notes; keeps 0/1 intervals in [0, 1]', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'hqsim-flags-'));
    const file = join(tmp, 'flags.sweep.yaml');
    writeFileSync(file, [
      'name: flags',
      `scenario: ${JSON.stringify(join(ROOT, 'scenarios/quickstart.yaml'))}`,
      'seed: 3',
      'factors: [{ name: shanghai_budget, path: cities.shanghai.budgetMusd, values: [5, 40] }]',
      'arms: { base: {}, no_cash: { overrides: { cities.bonn.levers.freeOffices: 0 } } }',
      'replications: 4',
      'metrics:',
      '  - { name: contests_held, summary: contests }',
      '  - { name: bonn_orgs, summary: byCity.bonn.hostedOrgs }',
      '  - { name: fund_to_bonn, contest: { id: fund_seat_2012, city: bonn } }',
      '',
    ].join('\n'));
    const out = join(tmp, 'out');
    const r = await runCli(['sweep', file, '--out', out, '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/note: metric contests_held never varies: \d+ in every run/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.notes.join('\n')).toMatch(/contests_held never varies/);
    expect(manifest.cost).toEqual({ metric: 'bonn_spend_musd', city: 'bonn', added: true });
    const points = table(join(out, 'points.csv'));
    for (const p of points.filter((x) => x.metric === 'contests_held')) {
      expect(p.flags).toBe('constant');
      expect(p.ci_low).toBe('');
    }
    // 4 replications per point: t intervals are flagged "few"; 0/1 metrics use Wilson, inside [0, 1].
    for (const p of points.filter((x) => x.metric === 'bonn_orgs' && x.interval === 't')) expect(p.flags).toContain('few');
    for (const p of points.filter((x) => x.metric === 'fund_to_bonn')) {
      expect(p.interval).toBe('wilson');
      expect(Number(p.ci_low)).toBeGreaterThanOrEqual(0);
      expect(Number(p.ci_high)).toBeLessThanOrEqual(1);
    }
    const arms = table(join(out, 'arms.csv'));
    expect(arms.find((a) => a.metric === 'contests_held' && a.by === 'all')!.flags).toBe('constant');
    expect(arms.filter((a) => a.by === 'shanghai_budget').map((a) => a.level)).toEqual(expect.arrayContaining(['5', '40']));
    const pooled = arms.find((a) => a.metric === 'bonn_orgs' && a.by === 'all')!;
    expect(Number(pooled.n)).toBe(8);
    expect(Number(pooled.arm_spend_musd)).toBeGreaterThanOrEqual(0);
    expect(Number(pooled.spend_diff_musd)).toBeCloseTo(Number(pooled.arm_spend_musd) - Number(pooled.baseline_spend_musd), 4);
  });
});
