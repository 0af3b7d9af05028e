/** End-to-end: the real `hqsim` command in a child process. */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, ROOT } from '../helpers.ts';

const QUICK = join(ROOT, 'scenarios/quickstart.yaml');
let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'hqsim-e2e-')); });
const read = (d: string, f: string) => readFileSync(join(d, f));

describe('hqsim run', () => {
  it('writes every result file, identically for the same seed', async () => {
    const a = join(tmp, 'a'), b = join(tmp, 'b');
    const ra = await runCli(['run', QUICK, '--out', a]);
    // every city of the quickstart acts, so nothing is on stderr (passivity would be: test/advise/passive.test.ts)
    expect(ra.stderr).toBe('');
    expect(ra.code).toBe(0);
    expect(ra.stdout).toMatch(/quickstart, seed 1, 1995-2019/);
    expect(ra.stdout).toMatch(/relocations/);
    const rb = await runCli(['run', QUICK, '--out', b, '--quiet']);
    expect(rb.code).toBe(0);
    expect(rb.stdout).toBe('');
    expect(readdirSync(a).sort()).toEqual(['city_year.csv', 'decisions.csv', 'events.csv', 'manifest.json', 'org_year.csv', 'summary.json']);
    for (const f of ['events.csv', 'city_year.csv', 'org_year.csv', 'summary.json']) expect(read(b, f).equals(read(a, f))).toBe(true);
    const m = JSON.parse(read(a, 'manifest.json').toString());
    expect(m.hqsim).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(m.inputs[0].sha256).toBe(createHash('sha256').update(readFileSync(QUICK)).digest('hex'));
    expect(m.seed).toBe(1);
    expect(m.node).toBe(process.version);
    expect(m.parameters.choice.temperature).toBeTypeOf('number');
    expect(m.wallTimeSeconds).toBeGreaterThan(0);
    const s = JSON.parse(read(a, 'summary.json').toString());
    expect(Object.keys(s.byCity).sort()).toEqual(['bonn', 'geneva', 'nairobi', 'shanghai', 'toronto']);
    expect(s.concentration.hhiOrgs).toBeGreaterThan(0);
    const events = read(a, 'events.csv').toString().split('\n');
    expect(events[0]).toMatch(/^year,type,org,city,from,to,contest,round,value,probability,detail,chosen,chosen_security,/);
    expect(events.some((l) => l.includes(',vote_round,'))).toBe(true);
    expect(events.some((l) => l.includes(',contest_result,'))).toBe(true);
  });

  it('a different seed gives a different history', async () => {
    const a = join(tmp, 'seed1'), b = join(tmp, 'seed9');
    await runCli(['run', QUICK, '--out', a, '--quiet']);
    await runCli(['run', QUICK, '--out', b, '--seed', '9', '--quiet']);
    expect(read(b, 'org_year.csv').equals(read(a, 'org_year.csv'))).toBe(false);
    expect(JSON.parse(read(b, 'manifest.json').toString()).seed).toBe(9);
  });

  it('writes to results/<scenario>/seed-<N> by default and refuses to overwrite without --force', async () => {
    const cwd = join(tmp, 'cwd');
    mkdirSync(cwd);
    const r1 = await runCli(['run', QUICK, '--seed', '3', '--years', '5', '--quiet'], { cwd });
    expect(r1.code).toBe(0);
    const dir = join(cwd, 'results/quickstart/seed-3');
    const before = read(dir, 'summary.json');
    const r2 = await runCli(['run', QUICK, '--seed', '3', '--quiet'], { cwd });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/exists; use --force/);
    expect(read(dir, 'summary.json').equals(before)).toBe(true);
    const r3 = await runCli(['run', QUICK, '--seed', '3', '--quiet', '--force'], { cwd });
    expect(r3.code).toBe(0);
    expect(JSON.parse(read(dir, 'summary.json').toString()).lastYear).toBe(2019);
    expect(readdirSync(join(cwd, 'results/quickstart')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a misspelt key: exit 2, file:line:col and the key, no stack trace, nothing written', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, readFileSync(QUICK, 'utf8').replace('years: 25', 'yaers: 25'));
    const out = join(tmp, 'never');
    const r = await runCli(['run', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:1: yaers: unknown key "yaers" \\(did you mean "years"\\?\\)`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('bad flags are usage errors with exit 2', async () => {
    const r = await runCli(['run', QUICK, '--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed must be a whole number/);
    const r2 = await runCli(['run', join(tmp, 'missing.yaml')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/missing\.yaml: .*no such file/);
  });
});

describe('reports from run and sweep', () => {
  it('run --report and sweep --report write report.html beside the results', async () => {
    const a = join(tmp, 'with-report');
    const r = await runCli(['run', QUICK, '--out', a, '--quiet', '--report']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(a, 'report.html'), 'utf8')).toMatch(/<svg/);
    const s = join(tmp, 'sweep-report');
    const r2 = await runCli(['sweep', join(ROOT, 'scenarios/quickstart.sweep.yaml'), '--workers', '1', '--out', s, '--quiet', '--report']);
    expect(r2.code).toBe(0);
    expect(readFileSync(join(s, 'report.html'), 'utf8')).toMatch(/<svg/);
  });
});

describe('hqsim validate and schema', () => {
  it('validate accepts a good file and lists every problem of a bad one', async () => {
    const ok = await runCli(['validate', QUICK]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/ok \(5 cities, 12 organizations/);
    const bad = join(tmp, 'bad2.yaml');
    writeFileSync(bad, readFileSync(QUICK, 'utf8').replace('seat: geneva,', 'seat: genva,').replace('start: 1995', 'start: 19x5'));
    const r = await runCli(['validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/start: /);
    expect(r.stderr).toMatch(/problem/);
  });
  it('schema prints a JSON Schema describing the scenario format', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.$schema).toMatch(/json-schema\.org/);
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['name', 'start', 'years', 'cities', 'organizations', 'events', 'contests', 'parameters']));
    expect(s.properties.parameters.properties.choice.properties.temperature.description).toMatch(/default 0\.18/);
  });
  it('every command has --help', async () => {
    for (const args of [['--help'], ['run', '--help'], ['validate', '--help'], ['schema', '--help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: hqsim/);
    }
  });
});
