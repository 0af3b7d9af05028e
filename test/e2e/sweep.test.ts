/** End-to-end: `hqsim sweep`, `hqsim merge` and `hqsim odds` through the real command in child processes. */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, runCli } from '../helpers.ts';

const QUICK = join(ROOT, 'scenarios/quickstart.yaml');
let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'hqsim-sweep-')); });

const TABLES = ['runs.csv', 'runs.parquet', 'points.csv', 'points.parquet', 'arms.csv', 'sensitivity.csv'];
const read = (d: string, f: string) => readFileSync(join(d, f));
const lines = (d: string, f: string) => read(d, f).toString().trimEnd().split('\n');

function experiment(name: string, body: string): string {
  const file = join(tmp, `${name}.sweep.yaml`);
  writeFileSync(file, `name: ${name}\nscenario: ${JSON.stringify(QUICK)}\n${body}`);
  return file;
}

// Sobol design with two arms: exercises runs, points, arms and sensitivity at once (4 x 4 points x 2 arms x 2 = 64 runs).
const SOBOL = `seed: 5
factors:
  - { name: toronto_free_offices, path: cities.toronto.levers.freeOffices, range: [0, 1] }
  - { name: shanghai_budget, path: cities.shanghai.budgetMusd, range: [5, 40] }
arms:
  cash: {}
  no_cash: { overrides: { cities.bonn.levers.freeOffices: 0, cities.bonn.levers.taxExemption: 0 } }
design: { type: sobol, n: 4, bootstrap: 200 }
replications: 2
metrics:
  - relocations
  - { name: bonn_orgs, summary: byCity.bonn.hostedOrgs }
  - { name: shanghai_orgs, summary: byCity.shanghai.hostedOrgs }
  - { name: bonn_orgs_2010, cityYear: { city: bonn, column: hosted_orgs, year: 2010 } }
  - { name: fund_to_bonn, contest: { id: fund_seat_2012, city: bonn } }
`;

function expectSameTables(a: string, b: string) {
  for (const f of TABLES) {
    expect(existsSync(join(b, f)), `${b}/${f}`).toBe(existsSync(join(a, f)));
    if (existsSync(join(a, f))) expect(read(b, f).equals(read(a, f)), `${f} differs between ${a} and ${b}`).toBe(true);
  }
}

describe('hqsim sweep', { timeout: 120_000 }, () => {
  it('writes byte-identical tables with 1 worker, 2 workers, and 3 shards merged', async () => {
    const file = experiment('crn', SOBOL);
    const one = join(tmp, 'one'), two = join(tmp, 'two'), merged = join(tmp, 'merged');
    const [r1, r2] = await Promise.all([
      runCli(['sweep', file, '--workers', '1', '--out', one]),
      runCli(['sweep', file, '--workers', '2', '--out', two, '--quiet']),
    ]);
    expect(r1.stderr).not.toMatch(/error/i);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toBe('');
    expect(r1.stdout).toMatch(/64 runs \(16 points x 2 arms x 2 replications; design sobol\)/);
    for (const f of [...TABLES, 'manifest.json']) expect(existsSync(join(one, f)), f).toBe(true);

    // Formats the report generator relies on.
    // bonn_spend_musd is added: the spending of Bonn, the city the arms change (for the spending-adjusted comparison).
    expect(lines(one, 'runs.csv')[0]).toBe('point,arm,replication,seed,toronto_free_offices,shanghai_budget,relocations,bonn_orgs,shanghai_orgs,bonn_orgs_2010,fund_to_bonn,bonn_spend_musd');
    expect(lines(one, 'runs.csv')).toHaveLength(65);
    expect(lines(one, 'points.csv')[0]).toBe('point,arm,toronto_free_offices,shanghai_budget,metric,n,mean,sd,ci_low,ci_high,interval,flags');
    expect(lines(one, 'arms.csv')[0]).toBe('arm,baseline,metric,by,level,n,mean_diff,sd_diff,ci_low,ci_high,interval,flags,arm_mean,baseline_mean,'
      + 'arm_spend_musd,baseline_spend_musd,spend_diff_musd,diff_per_musd,per_musd_ci_low,per_musd_ci_high');
    expect(lines(one, 'arms.csv')[1]).toMatch(/^no_cash,cash,relocations,all,,32,/);
    // The contest metric (0/1) gets Newcombe's paired interval, inside [-1, 1]; counts get t intervals.
    const fund = lines(one, 'arms.csv').find((l) => l.startsWith('no_cash,cash,fund_to_bonn,all,'))!.split(',');
    expect(fund[10]).toBe('newcombe');
    expect(Number(fund[8])).toBeGreaterThanOrEqual(-1);
    expect(Number(fund[9])).toBeLessThanOrEqual(1);
    expect(lines(one, 'arms.csv').filter((l) => /^no_cash,cash,bonn_orgs,point,/.test(l))).toHaveLength(16);
    expect(lines(one, 'sensitivity.csv')[0]).toBe('method,arm,metric,factor,index,value,ci_low,ci_high');
    expect(lines(one, 'sensitivity.csv').filter((l) => l.startsWith('sobol,cash,bonn_orgs,'))).toHaveLength(4);
    // Common random numbers: replication r has the same seed in every arm and point.
    const runs = lines(one, 'runs.csv').slice(1).map((l) => l.split(','));
    const seedOf = new Map<string, string>();
    for (const r of runs) { const s = seedOf.get(r[2]); if (s === undefined) seedOf.set(r[2], r[3]); else expect(r[3]).toBe(s); }
    expect(seedOf.size).toBe(2);
    const m = JSON.parse(read(one, 'manifest.json').toString());
    expect(m).toMatchObject({ kind: 'sweep', baseline: 'cash', replications: 2, seed: 5, runs: 64, design: { type: 'sobol', n: 4, points: 16 } });
    expect(m.arms.map((a: { name: string }) => a.name)).toEqual(['cash', 'no_cash']);
    expect(m.factors[0]).toEqual({ name: 'toronto_free_offices', path: 'cities.toronto.levers.freeOffices', range: [0, 1] });
    expect(m.experiment.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.wallTimeSeconds).toBeGreaterThan(0);

    const shards = [1, 2, 3].map((i) => join(tmp, `shard${i}`));
    const rs = await Promise.all(shards.map((d, i) => runCli(['sweep', file, '--workers', '1', '--shard', `${i + 1}/3`, '--out', d, '--quiet'])));
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    const partial = await runCli(['merge', shards[0], shards[2], '--out', join(tmp, 'partial')]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toMatch(/missing shard 2\/3/);
    const mr = await runCli(['merge', ...shards, '--out', merged]);
    expect(mr.code, mr.stderr).toBe(0);
    expectSameTables(one, two);
    expectSameTables(one, merged);
    const mm = JSON.parse(read(merged, 'manifest.json').toString());
    delete m.wallTimeSeconds;
    expect(mm).toEqual(m);
  });

  it('refuses shards of a different experiment', async () => {
    const a = experiment('mixa', 'seed: 1\nreplications: 3\nmetrics: [relocations]\n');
    const b = experiment('mixb', 'seed: 2\nreplications: 3\nmetrics: [relocations]\n');
    const da = join(tmp, 'mixa1'), db = join(tmp, 'mixb2');
    const rs = await Promise.all([
      runCli(['sweep', a, '--workers', '1', '--shard', '1/2', '--out', da, '--quiet']),
      runCli(['sweep', b, '--workers', '1', '--shard', '2/2', '--out', db, '--quiet']),
    ]);
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    const r = await runCli(['merge', da, db, '--out', join(tmp, 'mix')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shards of different sweeps/);
  });

  it('resumes a sweep killed with SIGKILL: nothing runs twice, output equals an uninterrupted sweep', async () => {
    const file = experiment('resume', `seed: 3
factors:
  - { name: shanghai_budget, path: cities.shanghai.budgetMusd, values: [10, 40] }
arms:
  a: {}
  b: { overrides: { cities.toronto.levers.freeOffices: 1 } }
design: { type: grid }
replications: 40
metrics: [relocations, { name: bonn_orgs, summary: byCity.bonn.hostedOrgs }]
`);
    const ref = join(tmp, 'resume-ref'), dir = join(tmp, 'resume');
    const total = 2 * 2 * 40;
    const journal = join(dir, '.sweep/journal.ndjson');
    const countLines = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').length - 1 : 0);
    const child = spawn(process.execPath, [CLI, 'sweep', file, '--workers', '2', '--out', dir, '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    let killedAt = 0;
    for (let i = 0; i < 3000; i++) {
      const n = countLines();
      if (n >= 24) { child.kill('SIGKILL'); killedAt = n; break; }
      await new Promise((r) => setTimeout(r, 10));
    }
    const code = await exited;
    expect(code).toBe(null); // killed, not finished
    expect(killedAt).toBeGreaterThan(0);
    const before = countLines();
    expect(before).toBeLessThan(total);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    // A torn line, as a kill in the middle of a write would leave.
    appendFileSync(journal, '{"p":1,"a":0,"r":5');

    const [again, ref1] = await Promise.all([
      runCli(['sweep', file, '--workers', '2', '--out', dir]),
      runCli(['sweep', file, '--workers', '1', '--out', ref, '--quiet']),
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--resume/);
    expect(ref1.code, ref1.stderr).toBe(0);
    const res = await runCli(['sweep', file, '--workers', '1', '--out', dir, '--resume']);
    expect(res.code, res.stderr).toBe(0);
    const m = /(\d+) run now, (\d+) resumed/.exec(res.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBe(before);
    expect(Number(m![1]) + Number(m![2])).toBe(total);
    const keys = readFileSync(journal, 'utf8').trimEnd().split('\n').map((l) => { const e = JSON.parse(l); return `${e.p}/${e.a}/${e.r}`; });
    expect(keys).toHaveLength(total);
    expect(new Set(keys).size).toBe(total);
    expectSameTables(ref, dir);
    // Resuming a finished sweep runs nothing and rewrites the same tables.
    const idle = await runCli(['sweep', file, '--out', dir, '--resume']);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toMatch(new RegExp(`0 run now, ${total} resumed`));
    expectSameTables(ref, dir);
  });

  it('adaptive replication (--ci-width) gives the same runs whatever the workers and shards', async () => {
    const file = experiment('adaptive', `seed: 9
factors: [{ name: shanghai_budget, path: cities.shanghai.budgetMusd, values: [10, 40] }]
replications: 3
metrics: [{ name: bonn_orgs, summary: byCity.bonn.hostedOrgs }, relocations]
`);
    const a = join(tmp, 'ad-a'), s1 = join(tmp, 'ad-s1'), s2 = join(tmp, 'ad-s2'), m = join(tmp, 'ad-m');
    const args = ['--ci-width', '0.4', '--max-replications', '24', '--quiet'];
    const rs = await Promise.all([
      runCli(['sweep', file, '--workers', '2', '--out', a, ...args]),
      runCli(['sweep', file, '--workers', '1', '--out', s1, '--shard', '1/2', ...args]),
      runCli(['sweep', file, '--workers', '1', '--out', s2, '--shard', '2/2', ...args]),
    ]);
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    expect((await runCli(['merge', s1, s2, '--out', m, '--quiet'])).code).toBe(0);
    expectSameTables(a, m);
    const pts = lines(a, 'points.csv').slice(1).map((l) => l.split(',')).filter((c) => c[3] === 'bonn_orgs');
    expect(pts).toHaveLength(2);
    for (const c of pts) {
      const n = Number(c[4]);
      const half = (Number(c[8]) - Number(c[7])) / 2;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n === 24 || half < 0.4 || c[7] === '').toBe(true);
    }
  });

  it('rejects a malformed experiment with exit 2 and located messages', async () => {
    const file = experiment('bad', `factors:
  - path: cities.toronto.levers.freeOffices
    rnage: [0, 1]
design: { type: gird }
metrics: [relocations]
`);
    const r = await runCli(['sweep', file, '--out', join(tmp, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:5:5: factors[0].rnage: unknown key "rnage" (did you mean "range"?)`);
    expect(r.stderr).toMatch(/bad\.sweep\.yaml:6:\d+: design\.type: /);
    expect(existsSync(join(tmp, 'bad'))).toBe(false);

    const typo = experiment('typo', `factors: [{ path: cities.toronto.levers.freeOffice, range: [0, 1] }]
metrics: [byCity.bonn.hostedOrgs]
`);
    const t = await runCli(['sweep', typo, '--out', join(tmp, 'typo')]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/typo\.sweep\.yaml:3:\d+: factors\[0\]\.path: .*unknown key "freeOffice" \(did you mean "freeOffices"\?\)/);
  });
});

describe('hqsim odds', { timeout: 120_000 }, () => {
  it('prints win probabilities that sum to 1, with Wilson intervals, the deciding term and the gaps of every loser', async () => {
    const r = await runCli(['odds', QUICK, '--contest', 'fund_seat_2012', '--runs', '60', '--workers', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.contest).toBe('fund_seat_2012');
    expect(o.decided).toBe(60);
    const sum = o.cities.reduce((a: number, c: { p: number }) => a + c.p, 0);
    expect(sum).toBeCloseTo(1, 12);
    expect(o.cities.map((c: { city: string }) => c.city).sort()).toEqual(['bonn', 'geneva', 'shanghai', 'toronto']);
    for (const c of o.cities) { expect(c.lo).toBeLessThanOrEqual(c.p); expect(c.hi).toBeGreaterThanOrEqual(c.p); }
    const text = await runCli(['odds', QUICK, '--contest', 'fund_seat_2012', '--runs', '20', '--workers', '1', '--quiet']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/total\s+1\.000/);
    expect(text.stdout).toMatch(/95% interval/);
    expect(text.stdout).toMatch(/decisive term/);
    // every candidate's terms are known, so a losing city is told where it trails the winner
    for (const c of o.cities) if (c.wins < 60) expect(Object.keys(c.gapToWinner ?? {})).toContain('offer');
    const bad = await runCli(['odds', QUICK, '--contest', 'fund_seat_2013']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no contest "fund_seat_2013" \(did you mean "fund_seat_2012"\?\)/);
  });
});
