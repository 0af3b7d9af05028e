/**
 * Parameter uncertainty through the real command: `hqsim sweep` and `hqsim odds` with --parameter-uncertainty or
 * the experiment option. Runs draw their coefficients (visible in the results), arms share the draw, results are
 * byte-identical on 1 and 2 workers, the results say the intervals include it, a resume cannot mix runs with and
 * without it, and a bad calibration ends the command with exit 2 and nothing written.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers.ts';
import { CALIBRATION, FOUNDING_CALIBRATION } from './calibration-fixture.ts';
import { BUNDLED_CALIBRATION } from '../../src/scenario/paths.ts';

const QUICK = join(ROOT, 'scenarios/quickstart.yaml');
const TABLES = ['runs.csv', 'runs.parquet', 'points.csv', 'points.parquet', 'arms.csv'];
let tmp: string;
let exp: string;
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const rows = (dir: string) => {
  const [head, ...lines] = readFileSync(join(dir, 'runs.csv'), 'utf8').trimEnd().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
};
const sd = (xs: number[]) => { const m = xs.reduce((a, x) => a + x, 0) / xs.length; return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)); };

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hqsim-unc-cli-'));
  writeFileSync(join(tmp, 'found.yaml'), FOUNDING_CALIBRATION);
  writeFileSync(join(tmp, 'cal.yaml'), CALIBRATION);
  writeFileSync(join(tmp, 'broken.yaml'), FOUNDING_CALIBRATION.replace('mean: [1.0986, -2.302585]', 'mean: [1.0986]'));
  // 2 points x 2 arms x 4 replications; the factor sets the stay bonus, which the calibration would draw.
  exp = join(tmp, 'unc.sweep.yaml');
  writeFileSync(exp, `name: unc
scenario: ${JSON.stringify(QUICK)}
years: 10
seed: 3
parameterUncertainty: found.yaml
factors:
  - { name: stay, path: parameters.choice.stayBonus, values: [0.05, 0.2] }
arms:
  cash: {}
  no_cash: { overrides: { cities.bonn.levers.freeOffices: 0, cities.bonn.levers.taxExemption: 0 } }
replications: 4
metrics: [foundings, relocations, { name: bonn_orgs, summary: byCity.bonn.hostedOrgs }]
`);
});

describe('hqsim sweep with parameter uncertainty', { timeout: 180_000 }, () => {
  it('draws every replication\'s coefficients, the same in every arm and point, byte-identical on 1 and 2 workers', async () => {
    const one = join(tmp, 'one'), two = join(tmp, 'two'), off = join(tmp, 'off');
    const [r1, r2, r0] = await Promise.all([
      runCli(['sweep', exp, '--workers', '1', '--out', one]),
      runCli(['sweep', exp, '--workers', '2', '--out', two, '--keep-runs', '--quiet']),
      runCli(['sweep', exp, '--workers', '1', '--out', off, '--no-parameter-uncertainty', '--quiet']),
    ]);
    expect([r1.code, r2.code, r0.code], r1.stderr + r2.stderr + r0.stderr).toEqual([0, 0, 0]);
    expect(r1.stdout).toContain('  intervals include parameter uncertainty (calibration found.yaml)\n');
    for (const f of TABLES) expect(readFileSync(join(two, f)).equals(readFileSync(join(one, f))), `${f} differs between 1 and 2 workers`).toBe(true);
    // Two shards, merged, give the same tables and record the same calibration.
    const shards = [join(tmp, 's1'), join(tmp, 's2')], merged = join(tmp, 'merged');
    const s = await Promise.all(shards.map((d, i) => runCli(['sweep', exp, '--workers', '1', '--shard', `${i + 1}/2`, '--out', d, '--quiet'])));
    expect(s.map((x) => x.code), s.map((x) => x.stderr).join('')).toEqual([0, 0]);
    expect((await runCli(['merge', ...shards, '--out', merged, '--quiet'])).code).toBe(0);
    for (const f of TABLES) expect(readFileSync(join(merged, f)).equals(readFileSync(join(one, f))), `${f} differs between one sweep and merged shards`).toBe(true);
    expect(json(join(merged, 'manifest.json')).parameterUncertainty).toEqual(json(join(one, 'manifest.json')).parameterUncertainty);

    // The manifest says the intervals include parameter uncertainty, and from which calibration.
    const sha = createHash('sha256').update(readFileSync(join(tmp, 'found.yaml'))).digest('hex');
    expect(json(join(one, 'manifest.json')).parameterUncertainty).toMatchObject({ calibration: 'found.yaml', sha256: sha, coefficients: ['foundings.rate', 'choice.stayBonus'] });
    expect(json(join(off, 'manifest.json')).parameterUncertainty).toBeNull();

    // Results: the number of foundings, which only the drawn founding rate moves, spreads across replications
    // with the draw and not without it.
    const foundings = (dir: string) => rows(dir).filter((r) => r.point === '0' && r.arm === 'cash').map((r) => Number(r.foundings));
    expect(new Set(foundings(one)).size).toBeGreaterThan(2);
    expect(sd(foundings(one))).toBeGreaterThan(sd(foundings(off)) + 1);

    // Each run's own manifest (--keep-runs) holds the coefficients it ran with: replication r has the same draw in
    // both arms and both points, another replication another draw, and the factor's stay bonus is never drawn.
    const params = (p: number, arm: string, r: number) => json(join(two, 'detail', `point-${p}`, arm, `rep-${r}`, 'manifest.json')).parameters;
    const rates = [0, 1, 2, 3].map((r) => params(0, 'cash', r).foundings.rate as number);
    expect(new Set(rates).size).toBe(4);
    for (let r = 0; r < 4; r++) {
      for (const [p, arm] of [[0, 'no_cash'], [1, 'cash'], [1, 'no_cash']] as const) expect(params(p, arm, r).foundings.rate).toBe(rates[r]);
      expect(params(0, 'cash', r).choice.stayBonus).toBe(0.05);
      expect(params(1, 'no_cash', r).choice.stayBonus).toBe(0.2);
    }
  });

  it('refuses to resume a sweep with the parameter uncertainty changed, and finishes it as it was started', async () => {
    const dir = join(tmp, 'resume');
    expect((await runCli(['sweep', exp, '--workers', '1', '--out', dir, '--quiet'])).code).toBe(0);
    const off = await runCli(['sweep', exp, '--workers', '1', '--out', dir, '--resume', '--no-parameter-uncertainty']);
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/holds a sweep run with parameter uncertainty on \(calibration found\.yaml, sha256 [0-9a-f]{12}\); this command has it off: a sweep cannot mix runs with and without it/);
    const other = await runCli(['sweep', exp, '--workers', '1', '--out', dir, '--resume', '--parameter-uncertainty', join(tmp, 'cal.yaml')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/this command has it on \(calibration cal\.yaml, sha256 /);
    const same = await runCli(['sweep', exp, '--workers', '1', '--out', dir, '--resume']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/0 run now, 16 resumed from the journal/);
  });

  it('ends with exit 2, the calibration\'s problems and nothing written when the calibration is missing or malformed', async () => {
    for (const [flag, message] of [
      [join(tmp, 'nope.yaml'), /nope\.yaml: \(file\): cannot read a calibration: no such file/],
      [join(tmp, 'broken.yaml'), /broken\.yaml:5:9: uncertainty\.mean: 1 values for 2 coordinates/],
    ] as const) {
      const out = join(tmp, `bad-${flag.length}`);
      const r = await runCli(['sweep', exp, '--workers', '1', '--out', out, '--parameter-uncertainty', flag]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    }
    // Named by the experiment file: located at the option too.
    const bad = join(tmp, 'bad.sweep.yaml');
    writeFileSync(bad, readFileSync(exp, 'utf8').replace('parameterUncertainty: found.yaml', 'parameterUncertainty: broken.yaml'));
    const r = await runCli(['validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.sweep\.yaml:5:23: parameterUncertainty: the calibration does not load/);
  });

  it('documents the option in the experiment schema', async () => {
    const r = await runCli(['schema', '--experiment']);
    expect(JSON.parse(r.stdout).properties.parameterUncertainty.description).toMatch(/calibration/);
  });
});

describe('hqsim odds with parameter uncertainty', { timeout: 120_000 }, () => {
  const odds = (...extra: string[]) => runCli(['odds', QUICK, '--contest', 'fund_seat_2012', '--runs', '60', '--quiet', ...extra]);

  it('reports odds over the draws, the same on 1 and 2 workers, and says so', async () => {
    const cal = join(tmp, 'cal.yaml');
    const [a, b, text, plain] = await Promise.all([
      odds('--json', '--workers', '1', '--parameter-uncertainty', cal),
      odds('--json', '--workers', '2', '--parameter-uncertainty', cal),
      odds('--workers', '2', `--parameter-uncertainty=${cal}`),
      odds('--json', '--workers', '2'),
    ]);
    expect([a.code, b.code, text.code, plain.code], a.stderr + b.stderr + text.stderr).toEqual([0, 0, 0, 0]);
    expect(b.stdout).toBe(a.stdout);
    const r = JSON.parse(a.stdout);
    expect(r.parameterUncertainty).toMatchObject({ calibration: cal, coefficients: ['contest.campaignNoise', 'choice.stayBonus'] });
    expect(JSON.parse(plain.stdout).parameterUncertainty).toBeNull();
    // The draws change the contest's terms (the campaign shock and stay bonus move every run).
    expect(JSON.stringify(r.cities)).not.toBe(JSON.stringify(JSON.parse(plain.stdout).cities));
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe(`  intervals include parameter uncertainty (calibration ${cal})`);
  });

  it('ends with exit 2 and the problem when the calibration is malformed, or the bundled one missing', async () => {
    const r = await odds('--parameter-uncertainty', join(tmp, 'broken.yaml'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/broken\.yaml:5:9: uncertainty\.mean: 1 values for 2 coordinates/);
    // With no file: the bundled calibration, when this hqsim has one.
    const d = await odds('--runs', '4', '--parameter-uncertainty');
    if (existsSync(BUNDLED_CALIBRATION)) {
      expect(d.code, d.stderr).toBe(0);
      expect(d.stdout).toContain('intervals include parameter uncertainty (calibration seeds/calibration.yaml, bundled with hqsim)');
    } else {
      expect(d.code).toBe(2);
      expect(d.stderr).toMatch(/calibration\.yaml: \(file\): cannot read a calibration: no such file \(this hqsim has no bundled calibration yet/);
    }
  });
});
