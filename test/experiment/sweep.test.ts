/** Experiment files, replication seeds, the run journal and shard selection (in-process, fast). */
import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperiment, replicationSeed, planHash, pointOverrides } from '../../src/experiment/file.ts';
import { scanJournal, entryLine, RunIndex, JournalError } from '../../src/experiment/journal.ts';
import { Scope } from '../../src/experiment/progression.ts';
import { resolveShard } from '../../src/cli/sweep.ts';
import { ScenarioError } from '../../src/scenario/errors.ts';
import { ROOT } from '../helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'hqsim-exp-'));
const QUICK = join(ROOT, 'scenarios/quickstart.yaml');
const write = (name: string, text: string) => { const f = join(tmp, name); writeFileSync(f, text); return f; };

describe('experiment files', () => {
  it('expands the bundled quickstart experiment into a plan', () => {
    const plan = loadExperiment(join(ROOT, 'scenarios/quickstart.sweep.yaml'));
    expect(plan.name).toBe('quickstart-sweep');
    expect(plan.points).toHaveLength(4);
    expect(plan.arms.map((a) => a.name)).toEqual(['bonn_cash', 'no_cash']);
    expect(plan.baseline).toBe('bonn_cash');
    expect(plan.metrics.map((m) => m.name)).toEqual(['relocations', 'bonn_orgs', 'toronto_orgs', 'hhi', 'bonn_spend', 'fund_to_bonn']);
    expect(pointOverrides(plan, 3, 1)).toMatchObject({ 'cities.toronto.levers.freeOffices': 1, 'cities.shanghai.budgetMusd': 40, 'cities.bonn.levers.freeOffices': 0 });
    expect(planHash(plan)).toBe(planHash(loadExperiment(join(ROOT, 'scenarios/quickstart.sweep.yaml'))));
  });

  it('derives factor names from paths, expands per-year series and checks names are unique', () => {
    const f = write('series.sweep.yaml', `name: series
scenario: ${JSON.stringify(QUICK)}
years: 3
factors: [{ path: cities.toronto.levers.freeOffices, values: [0, 1] }]
metrics: [{ name: bonn, cityYear: { city: bonn, column: hosted_orgs } }]
`);
    const plan = loadExperiment(f);
    expect(plan.factors[0].name).toBe('cities_toronto_levers_freeOffices');
    expect(plan.metrics.map((m) => m.name)).toEqual(['bonn_1995', 'bonn_1996', 'bonn_1997']);
    const dup = write('dup.sweep.yaml', `name: dup
scenario: ${JSON.stringify(QUICK)}
factors: [{ name: seed, path: cities.toronto.levers.freeOffices, range: [0, 1] }]
metrics: [relocations, { name: relocations, summary: foundings }]
`);
    let err: unknown;
    try { loadExperiment(dup); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ScenarioError);
    const msgs = (err as ScenarioError).problems.map((p) => `${p.line}:${p.col}: ${p.path}: ${p.message}`);
    expect(msgs).toContain('3:19: factors[0].name: "seed" is a reserved column name; give another name');
  });

  it('reports unknown summary fields and city_year columns with their location and a hint', () => {
    const f = write('metrics.sweep.yaml', `name: m
scenario: ${JSON.stringify(QUICK)}
metrics:
  - byCity.bonn.hostedOrg
  - { name: x, cityYear: { city: bonn, column: hosted_org } }
  - { contest: { id: fund_seat_2013, city: bonn } }
`);
    let err: ScenarioError | undefined;
    try { loadExperiment(f); } catch (e) { err = e as ScenarioError; }
    const msgs = err!.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
    expect(msgs[0]).toMatch(/^4:5: no summary field "byCity.bonn.hostedOrg" \(did you mean "hostedOrgs"\?\)/);
    expect(msgs[1]).toMatch(/^5:48: no city_year column "hosted_org" \(did you mean "hosted_orgs"\?\)/);
    expect(msgs[2]).toMatch(/^6:22: unknown contest "fund_seat_2013" \(did you mean "fund_seat_2012"\?\)/);
  });

  it('gives each replication one seed, independent of point and arm', () => {
    expect(replicationSeed(7, 0)).toBe(replicationSeed(7, 0));
    expect(replicationSeed(7, 0)).not.toBe(replicationSeed(7, 1));
    expect(replicationSeed(7, 0)).not.toBe(replicationSeed(8, 0));
    for (let r = 0; r < 100; r++) { const s = replicationSeed(1, r); expect(s).toBeGreaterThanOrEqual(0); expect(s).toBeLessThan(2 ** 31); }
  });
});

describe('run journal', () => {
  it('cuts a torn last line and reports a damaged middle', () => {
    const f = join(tmp, 'journal.ndjson');
    const lines = [entryLine({ p: 0, a: 0, r: 0, v: [1, null] }), entryLine({ p: 0, a: 1, r: 0, v: [2.5, 3] })];
    writeFileSync(f, lines.join(''));
    appendFileSync(f, '{"p":1,"a":0,');
    const seen: string[] = [];
    expect(() => scanJournal(f, () => {}, false)).toThrow(JournalError);
    const res = scanJournal(f, (e, off, len) => { seen.push(`${e.p}/${e.a}/${e.r}@${off}+${len}`); }, true);
    expect(res).toEqual({ damaged: [], lines: 2 });
    expect(seen).toEqual([`0/0/0@0+${lines[0].length}`, `0/1/0@${lines[0].length}+${lines[1].length}`]);
    expect(readFileSync(f, 'utf8')).toBe(lines.join(''));
    writeFileSync(f, 'garbage\n' + entryLine({ p: 0, a: 0, r: 0, v: [1] }));
    expect(scanJournal(f, () => {}, true).damaged).toEqual([{ line: 1, offset: 0, length: 8, reason: expect.stringMatching(/checksum/) }]);
  });

  it('indexes runs by point, arm and replication, keeping the first of duplicates', () => {
    const ix = new RunIndex(2);
    expect(ix.add(3, 1, 20, 0, 100, 30)).toBe(true);
    expect(ix.add(3, 1, 20, 0, 200, 30)).toBe(false);
    expect(ix.add(3, 0, 2, 1, 5, 9)).toBe(true);
    expect(ix.get(3, 1, 20)).toEqual({ file: 0, off: 100, len: 30 });
    expect(ix.get(3, 0, 2)).toEqual({ file: 1, off: 5, len: 9 });
    expect(ix.has(3, 0, 20)).toBe(false);
    expect(ix.count).toBe(2);
  });
});

describe('shards', () => {
  it('reads --shard, Slurm job arrays and Kubernetes indexed jobs', () => {
    expect(resolveShard('2/3', {}).shard).toEqual({ index: 1, count: 3 });
    expect(resolveShard('1/1', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' }).shard).toBeNull();
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' }).shard).toEqual({ index: 2, count: 3 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_STEP: '2' }).shard).toEqual({ index: 2, count: 3 });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '0', HQSIM_SHARD_COUNT: '4' }).shard).toEqual({ index: 0, count: 4 });
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(/HQSIM_SHARD_COUNT/);
    expect(() => resolveShard('4/3', {})).toThrow(/--shard/);
    expect(resolveShard(undefined, {}).shard).toBeNull();
  });

  it('splits every (point, replication) into exactly one shard', () => {
    const plan = loadExperiment(join(ROOT, 'scenarios/quickstart.sweep.yaml'));
    const scopes = [0, 1, 2].map((index) => new Scope(plan, { index, count: 3 }));
    for (let p = 0; p < plan.points.length; p++) {
      for (let r = 0; r < plan.replications; r++) expect(scopes.filter((s) => s.hasRep(p, r))).toHaveLength(1);
    }
  });
});
