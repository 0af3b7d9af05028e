/**
 * Kill -9 at every rename and removal: the real `hqsim` process is killed just before each step of replacing or
 * creating a result (fault.mjs counts them), and afterwards a complete result must exist under the name or in
 * the recovery place, and the next command must finish the work with nothing left behind.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUICK, hqsim, leftovers, pool, previousOf, resultBytes, tempDir } from './helpers.ts';

const RUN_FILES = ['manifest.json', 'summary.json', 'events.csv', 'city_year.csv', 'org_year.csv'];
const SWEEP_FILES = ['manifest.json', 'runs.csv', 'runs.parquet', 'points.csv', 'points.parquet', 'arms.csv'];

let tmp: string;
beforeAll(() => { tmp = tempDir('crash'); });

/** The steps (renames and removals) a command takes, counted in a dry run on a copy of the same starting state. */
async function countSteps(args: string[]): Promise<string[]> {
  const file = join(tmp, `steps-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, '');
  const r = await hqsim(args, { fault: { HQSIM_FAULT_STEPS: file } });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(file, 'utf8').trimEnd().split('\n').filter(Boolean);
}

/**
 * Replace the result `oldRef` by the one `args` writes, killing the command before each of its steps (in a
 * fresh copy each time): at that instant the old or new result must be under the name, or the old one in the
 * recovery place; then the same command again must leave the new result and nothing else.
 */
async function replaceUnderKills(label: string, oldRef: string, args: (d: string) => string[], files: string[], old: string, fresh: string): Promise<string[]> {
  const probe = join(tmp, `${label}-probe`, 'out');
  cpSync(oldRef, probe, { recursive: true });
  const steps = await countSteps(args(probe));
  await pool(2, steps.map((_, i) => async () => {
    const k = i + 1;
    const target = join(tmp, `${label}-k${k}`, 'out');
    cpSync(oldRef, target, { recursive: true });
    const killed = await hqsim(args(target), { fault: { HQSIM_FAULT_KILL_AT: String(k) } });
    expect(killed.signal, `step ${k}: ${steps[i]}`).toBe('SIGKILL');
    const here = resultBytes(target, files), saved = resultBytes(previousOf(target), files);
    expect([old, fresh].includes(here) || saved === old, `step ${k} (${steps[i]}): no complete result`).toBe(true);
    const next = await hqsim(args(target));
    expect(next.code, next.stderr).toBe(0);
    expect(resultBytes(target, files), `step ${k}`).toBe(fresh);
    expect(leftovers(target), `step ${k}`).toEqual([]);
  }));
  return steps;
}

describe('kill -9 at every step', { timeout: 600_000 }, () => {
  it('hqsim run --force: a complete result at every instant, and the next run restores and finishes', async () => {
    const oldRef = join(tmp, 'run-old'), newRef = join(tmp, 'run-new');
    for (const [d, seed] of [[oldRef, '1'], [newRef, '2']]) expect((await hqsim(['run', QUICK, '--years', '8', '--seed', seed, '--out', d, '--quiet'])).code).toBe(0);
    const old = resultBytes(oldRef, RUN_FILES), fresh = resultBytes(newRef, RUN_FILES);
    expect(old).not.toBe(fresh);
    const args = (d: string) => ['run', QUICK, '--years', '8', '--seed', '2', '--out', d, '--force', '--quiet'];
    const steps = await replaceUnderKills('run', oldRef, args, RUN_FILES, old, fresh);
    // Moving the old result aside and the new one in, then removing the old one.
    expect(steps.filter((x) => x.includes(' rename '))).toHaveLength(2);
    expect(steps.filter((x) => x.includes(' rm '))).toHaveLength(1);
  });

  const experiment = (name: string, seed: number) => {
    const file = join(tmp, `${name}.sweep.yaml`);
    writeFileSync(file, `name: ${name}\nscenario: ${JSON.stringify(QUICK)}\nyears: 8\nseed: ${seed}\n` +
      'factors: [{ path: cities.shanghai.budgetMusd, values: [10, 40] }]\narms: { a: {}, b: { overrides: { cities.toronto.levers.freeOffices: 1 } } }\n' +
      'replications: 2\nmetrics: [relocations, { name: bonn, summary: byCity.bonn.hostedOrgs }]\n');
    return file;
  };

  it('a new sweep killed at any step, start-up included, resumes to the tables of an uninterrupted one', async () => {
    const file = experiment('fresh', 3);
    const ref = join(tmp, 'sweep-ref');
    expect((await hqsim(['sweep', file, '--workers', '1', '--out', ref, '--quiet'])).code).toBe(0);
    const want = resultBytes(ref, SWEEP_FILES);
    const args = (d: string) => ['sweep', file, '--workers', '1', '--out', d, '--quiet'];
    const steps = await countSteps(args(join(tmp, 'sweep-probe', 'out')));
    expect(steps.length).toBeGreaterThanOrEqual(8);
    await pool(2, steps.map((_, i) => async () => {
      const k = i + 1;
      const target = join(tmp, `sweep-k${k}`, 'out');
      const killed = await hqsim(args(target), { fault: { HQSIM_FAULT_KILL_AT: String(k) } });
      expect(killed.signal, `step ${k}: ${steps[i]}`).toBe('SIGKILL');
      const next = await hqsim([...args(target), '--resume']);
      expect(next.code, `step ${k} (${steps[i]}): ${next.stderr}`).toBe(0);
      expect(resultBytes(target, SWEEP_FILES), `step ${k}`).toBe(want);
      expect(leftovers(target), `step ${k}`).toEqual([]);
    }));
  });

  it('sweep --force over another sweep: the previous result survives every kill until the new one is complete', async () => {
    const a = experiment('first', 4), b = experiment('second', 5);
    const refA = join(tmp, 'force-a'), refB = join(tmp, 'force-b');
    expect((await hqsim(['sweep', a, '--workers', '1', '--out', refA, '--quiet'])).code).toBe(0);
    expect((await hqsim(['sweep', b, '--workers', '1', '--out', refB, '--quiet'])).code).toBe(0);
    const wantA = resultBytes(refA, SWEEP_FILES), wantB = resultBytes(refB, SWEEP_FILES);
    const args = (d: string) => ['sweep', b, '--workers', '1', '--out', d, '--force', '--quiet'];
    const steps = await replaceUnderKills('force', refA, args, SWEEP_FILES, wantA, wantB);
    expect(steps.length).toBeGreaterThanOrEqual(9);
  });
});
