/**
 * Plan identity from content, never from paths: a sweep resumes from another working directory or a copy of
 * its files elsewhere (another machine), shards run from different directories merge, and manifests record
 * paths relative to the experiment file, the same from wherever the sweep ran.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExperiment, planHash } from '../../src/experiment/file.ts';
import { QUICK, hqsim, pool, resultBytes, tempDir } from './helpers.ts';

const TABLES = ['runs.csv', 'runs.parquet', 'points.csv', 'points.parquet', 'arms.csv', 'manifest.json'];
let tmp: string;

/** A project folder with an experiment and its scenario side by side (as users keep them). */
function project(dir: string): string {
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  writeFileSync(join(dir, 'scenarios', 'q.yaml'), readFileSync(QUICK));
  writeFileSync(join(dir, 'scenarios', 'id.sweep.yaml'), 'name: id\nscenario: q.yaml\nyears: 6\nseed: 8\n' +
    'factors: [{ path: cities.shanghai.budgetMusd, values: [10, 40] }]\narms: { a: {}, b: { overrides: { cities.bonn.levers.freeOffices: 0 } } }\n' +
    'replications: 2\nmetrics: [relocations]\n');
  return dir;
}
beforeAll(() => { tmp = tempDir('identity'); });

describe('resume and merge from any directory', { timeout: 300_000 }, () => {
  it('the plan hash is the same from any working directory and for a copy of the files', () => {
    const a = project(join(tmp, 'machine-a')), b = project(join(tmp, 'machine-b'));
    const here = process.cwd();
    try {
      process.chdir(join(a, 'scenarios'));
      const p1 = loadExperiment('id.sweep.yaml');
      process.chdir(tmp);
      const p2 = loadExperiment(join('machine-b', 'scenarios', 'id.sweep.yaml'));
      expect(planHash(p1)).toBe(planHash(p2));
      expect(p1.experiment).toEqual(p2.experiment);
      expect(p1.scenario.inputs).toEqual(p2.scenario.inputs);
      expect(p1.scenario.inputs[0].file).toBe('q.yaml');
      expect(planHash(p1, '0.0.0-other')).not.toBe(planHash(p1));
      writeFileSync(join(b, 'scenarios', 'q.yaml'), readFileSync(QUICK, 'utf8') + '# a comment changes the content\n');
      expect(planHash(loadExperiment(join(b, 'scenarios', 'id.sweep.yaml')))).not.toBe(planHash(p1));
    } finally { process.chdir(here); }
  });

  it('--resume from another directory and on a copy elsewhere; shards from different directories merge to the whole', async () => {
    const a = project(join(tmp, 'run-a'));
    const whole = join(tmp, 'whole');
    const r0 = await hqsim(['sweep', 'scenarios/id.sweep.yaml', '--workers', '1', '--out', whole, '--quiet'], { cwd: a });
    expect(r0.code, r0.stderr).toBe(0);
    // The same sweep resumed from inside scenarios/ with another relative path: nothing to run again.
    const r1 = await hqsim(['sweep', 'id.sweep.yaml', '--workers', '1', '--out', whole, '--resume'], { cwd: join(a, 'scenarios') });
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stdout).toMatch(/0 run now, 8 resumed/);
    // A copy of the project and the results on "another machine" resumes too.
    const b = join(tmp, 'elsewhere');
    cpSync(a, b, { recursive: true });
    cpSync(whole, join(b, 'results'), { recursive: true });
    const r2 = await hqsim(['sweep', join(b, 'scenarios', 'id.sweep.yaml'), '--workers', '1', '--out', 'results', '--resume'], { cwd: b });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toMatch(/0 run now, 8 resumed/);

    // Two shards, each run from its own working directory with its own relative paths, merged from a third.
    const s1 = join(tmp, 'shard-1'), s2 = join(tmp, 'shard-2');
    const rs = await pool(2, [
      () => hqsim(['sweep', 'scenarios/id.sweep.yaml', '--workers', '1', '--shard', '1/2', '--out', s1, '--quiet'], { cwd: a }),
      () => hqsim(['sweep', '../run-a/scenarios/id.sweep.yaml', '--workers', '1', '--shard', '2/2', '--out', s2, '--quiet'], { cwd: join(tmp, 'machine-a') }),
    ]);
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    const merged = join(tmp, 'merged');
    const m = await hqsim(['merge', s1, s2, '--out', merged, '--quiet'], { cwd: '/' });
    expect(m.code, m.stderr).toBe(0);
    expect(resultBytes(merged, TABLES)).toBe(resultBytes(whole, TABLES));
    const manifest = JSON.parse(readFileSync(join(merged, 'manifest.json'), 'utf8'));
    expect(manifest.experiment.file).toBe('id.sweep.yaml');
    expect(manifest.scenario.inputs).toEqual([{ file: 'q.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });
});
