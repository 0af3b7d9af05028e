/** `hqsim init`: the starter files it writes are valid and runnable, and it never replaces a file. */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers.ts';
import { init, InitError, starterText, STARTER_FILES } from '../../src/init/init.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadExperiment } from '../../src/experiment/file.ts';
import { runScenario } from '../../src/index.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'hqsim-init-')); });

describe('the starter files', () => {
  it('are a valid scenario with two arms and a valid experiment over it', () => {
    const dir = join(tmp, 'valid');
    init(dir);
    const sc = loadScenario(join(dir, 'scenario.yaml'));
    expect(sc.arms).toEqual(['cash', 'long_lived']);
    expect(sc.cities.map((c) => c.id)).toContain('my_city');
    for (const arm of sc.arms) expect(loadScenario(join(dir, 'scenario.yaml'), { arm }).arm).toBe(arm);
    const plan = loadExperiment(join(dir, 'experiment.sweep.yaml'));
    expect(plan.points.length).toBe(6);
    expect(plan.arms.map((a) => a.name)).toEqual(['cash', 'long_lived']);
    expect(plan.metrics.map((m) => m.name)).toEqual(['my_city_orgs', 'my_city_spend', 'won_seat', 'relocations']);
  });

  it('run: the founding contest is decided and the levers of the arm are applied', () => {
    const dir = join(tmp, 'run');
    init(dir);
    for (const arm of ['cash', 'long_lived']) {
      const res = runScenario(loadScenario(join(dir, 'scenario.yaml'), { arm }), { seed: 3 });
      expect(res.events.filter((e) => e.type === 'contest_result' && e.contest === 'finance_seat')).toHaveLength(1);
      expect(res.summary.byCity.my_city).toBeDefined();
    }
    // The long-lived arm invests in schools every year, so my_city spends in every run of it.
    const long = runScenario(loadScenario(join(dir, 'scenario.yaml'), { arm: 'long_lived' }), { seed: 3 });
    expect(long.summary.byCity.my_city.spendMusd).toBeGreaterThan(0);
  });

  it('explain themselves: most lines of the scenario carry a comment', () => {
    const lines = starterText('scenario.yaml').split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => l.includes('#')).length / lines.length).toBeGreaterThan(0.5);
    expect(starterText('experiment.sweep.yaml')).toMatch(/^# /);
  });
});

describe('hqsim init', () => {
  it('writes both files into a new folder and says what to run next', async () => {
    const dir = join(tmp, 'cli', 'nested');
    const r = await runCli(['init', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of STARTER_FILES) expect(readFileSync(join(dir, f), 'utf8')).toBe(starterText(f));
    expect(r.stdout).toMatch(/hqsim run .*scenario\.yaml/);
    expect(r.stdout).toMatch(/hqsim sweep .*experiment\.sweep\.yaml/);
  });

  it('writes into the current folder by default', async () => {
    const dir = mkdtempSync(join(tmp, 'cwd-'));
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    for (const f of STARTER_FILES) expect(existsSync(join(dir, f))).toBe(true);
  });

  it('refuses to replace an existing file, writes nothing and exits 2', async () => {
    const dir = join(tmp, 'taken');
    init(dir);
    writeFileSync(join(dir, 'scenario.yaml'), 'mine');
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scenario\.yaml and .*experiment\.sweep\.yaml exist; nothing was written/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe('mine');

    const one = join(tmp, 'one');
    init(one);
    writeFileSync(join(one, 'experiment.sweep.yaml'), 'kept');
    rmSync(join(one, 'scenario.yaml'));
    const r1 = await runCli(['init', one]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/experiment\.sweep\.yaml exists; nothing was written/);
    expect(existsSync(join(one, 'scenario.yaml'))).toBe(false);
    expect(readFileSync(join(one, 'experiment.sweep.yaml'), 'utf8')).toBe('kept');
  });

  it('refuses a path that is a file', async () => {
    const f = join(tmp, 'plain-file');
    writeFileSync(f, 'x');
    expect(() => init(f)).toThrow(InitError);
    const r = await runCli(['init', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a folder; nothing was written/);
  });
});
