/** `hqsim discover` through the real command: a hand-made sweep directory with a planted box, a real sweep, bad input. */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { runCli, smallDiscoverSweep } from '../helpers.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'hqsim-discover-')); });

/** A sweep directory in the documented format: 3 uncertainties, a lever, 2 arms; in arm "base", loss = 1 inside x in [0.5, 1], y in [0, 0.4]. */
function plantedSweep(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const rng = seedrandom.alea('planted') as () => number;
  const lines = ['point,arm,replication,seed,x,y,z,budget,loss,orgs'];
  for (let p = 0; p < 600; p++) {
    const x = rng(), y = rng(), z = rng(), budget = [10, 20][p % 2];
    for (const arm of ['base', 'other']) {
      const inside = x >= 0.5 && y <= 0.4;
      const loss = arm === 'base' ? (inside ? 1 : 0) : 0;
      lines.push(`${p},${arm},0,1,${x.toFixed(6)},${y.toFixed(6)},${z.toFixed(6)},${budget},${loss},${Math.round(10 * x + 3 * z)}`);
    }
  }
  writeFileSync(join(dir, 'runs.csv'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    kind: 'sweep', name: 'planted', seed: 3, arms: [{ name: 'base' }, { name: 'other' }], baseline: 'base',
    factors: [{ name: 'x', role: 'uncertainty', range: [0, 1] }, { name: 'y', role: 'uncertainty', range: [0, 1] }, { name: 'z', role: 'uncertainty', range: [0, 1] },
      { name: 'budget', role: 'lever', values: [10, 20] }],
    metrics: [{ name: 'loss', kind: 'contest' }, { name: 'orgs', kind: 'summary' }], design: { type: 'lhs' },
  }));
}

describe('hqsim discover', { timeout: 120_000 }, () => {
  it('finds the planted box in a sweep directory and writes it there (JSON, atomically, deterministic)', async () => {
    const dir = join(tmp, 'planted');
    plantedSweep(dir);
    const r = await runCli(['discover', dir, '--metric', 'loss', '--above', '0.5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/loss above 0.5 in \d+ of 600 runs/);
    expect(r.stdout).toMatch(/PRIM over x, y, z:/);
    const file = join(dir, 'discover', 'loss-above-0.5-base.json');
    const j = JSON.parse(readFileSync(file, 'utf8'));
    expect(j).toMatchObject({ kind: 'discover', arm: 'base', metric: 'loss', case: { above: 0.5 }, rows: 600 });
    const lim = Object.fromEntries(j.box.limits.map((l: { factor: string }) => [l.factor, l]));
    expect(Object.keys(lim).sort()).toEqual(['x', 'y']);
    expect(lim.x.lo).toBeGreaterThan(0.45); expect(lim.x.lo).toBeLessThan(0.55); expect(lim.x.hi).toBeGreaterThan(0.95);
    expect(lim.y.hi).toBeGreaterThan(0.35); expect(lim.y.hi).toBeLessThan(0.45); expect(lim.y.lo).toBeLessThan(0.05);
    expect(lim.x.quasiP).toBeLessThan(1e-6);
    expect(j.box.density).toBeGreaterThan(0.9);
    expect(j.box.coverage).toBeGreaterThan(0.9);
    // Feature scores: x drives orgs most, the lever budget not at all.
    const orgs = j.scores.find((s: { metric: string }) => s.metric === 'orgs');
    const imp = Object.fromEntries(orgs.inputs.map((x: { factor: string; importance: number }) => [x.factor, x.importance]));
    expect(imp.x).toBeGreaterThan(imp.z);
    expect(Math.abs(imp.budget)).toBeLessThan(0.02);
    // No temporary files left; the same command writes the same bytes.
    expect(readdirSync(join(dir, 'discover'))).toEqual(['loss-above-0.5-base.json']);
    const before = readFileSync(file);
    const again = await runCli(['discover', dir, '--metric', 'loss', '--above', '0.5', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).box).toEqual(j.box);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('runs on a real sweep of the bundled format (uncertainties, levers, outcomes)', async () => {
    const out = await smallDiscoverSweep(tmp, 'small');
    const r = await runCli(['discover', out, '--metric', 'shanghai_orgs', '--above', '2', '--trees', '20']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/arm musd: shanghai_orgs above 2 in \d+ of 60 runs/);
    expect(existsSync(join(out, 'discover', 'shanghai_orgs-above-2-musd.json'))).toBe(true);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.factors.map((f: { name: string; role: string }) => `${f.name}:${f.role}`)).toEqual(
      ['shanghai_budget:uncertainty', 'geneva_budget:uncertainty', 'toronto_free_offices:uncertainty', 'choice_temperature:uncertainty', 'bonn_budget:lever']);
    expect(m.points).toBe(60);
  });

  it('rejects bad input with exit 2 and a message naming the problem', async () => {
    const dir = join(tmp, 'planted');
    if (!existsSync(dir)) plantedSweep(dir);
    const cases: [string[], RegExp][] = [
      [['--metric', 'los', '--above', '0'], /no metric "los" in this sweep \(did you mean "loss"\?\)/],
      [['--metric', 'loss'], /give exactly one of --above X or --below X/],
      [['--metric', 'loss', '--above', '1', '--below', '0'], /give exactly one of --above X or --below X/],
      [['--metric', 'loss', '--above', '5'], /no run of arm "base" has loss above 5: nothing to discover/],
      [['--metric', 'loss', '--above', '0.5', '--arm', 'othr'], /no arm "othr" in this sweep \(did you mean "other"\?\)/],
      [['--metric', 'loss', '--above', 'abc'], /--above must be a number/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(['discover', dir, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    const none = await runCli(['discover', join(tmp, 'nowhere'), '--metric', 'x', '--above', '1']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no such result directory/);
  });
});
