/**
 * Failures of the machine are expected, not bugs: a full disk, a read-only target, missing permissions, a name
 * the file system refuses. Each ends with exit 2 and one line naming the file, nothing half-written, and a sweep
 * continues with --resume once the disk has room. A small tmpfs is mounted where this runs as root; elsewhere
 * the same failures are injected into node:fs (fault.mjs).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUICK, expectCleanFailure, hqsim, leftovers, listTree, resultBytes, tempDir } from './helpers.ts';

const TABLES = ['runs.csv', 'runs.parquet', 'points.csv', 'points.parquet'];
let tmp: string;
const mounts: string[] = [];

/** Mount a tmpfs at `dir` with `options`; false where mounting is not allowed (then faults are injected). */
function mount(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  try { execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' }); mounts.push(dir); return true; } catch { return false; }
}
beforeAll(() => { tmp = tempDir('disk'); });
afterAll(() => { for (const m of mounts.reverse()) try { execFileSync('umount', [m], { stdio: 'ignore' }); } catch { /* already gone */ } });

/** One line on stderr: the expected failure, and nothing else but progress lines. */
const oneLine = (stderr: string) => stderr.split('\n').filter((l) => l && !/runs \(\d+%\)/.test(l));

describe('a full disk, a read-only target, no permission, a name too long', { timeout: 300_000 }, () => {
  it('run on a full disk: exit 2 naming ENOSPC, no result and no partial directory', async () => {
    const disk = join(tmp, 'full');
    const real = mount(disk, 'size=24k');
    const target = join(disk, 'results', 'q');
    const r = await hqsim(['run', QUICK, '--out', target, '--quiet'], real ? {} : { fault: { HQSIM_FAULT: 'ENOSPC:20000' } });
    expectCleanFailure(r, /hqsim: cannot write .*: no space left on the device \(ENOSPC\)/);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(existsSync(target)).toBe(false);
    expect(leftovers(target)).toEqual([]);
  });

  it('a sweep that fills the disk stops with exit 2 and continues with --resume to exact tables', async () => {
    const exp = join(tmp, 'fill.sweep.yaml');
    writeFileSync(exp, `name: fill\nscenario: ${JSON.stringify(QUICK)}\nyears: 6\nfactors: [{ path: cities.bonn.budgetMusd, values: [5, 10, 20, 40] }]\nreplications: 6\nmetrics: [relocations]\n`);
    const ref = join(tmp, 'fill-ref');
    expect((await hqsim(['sweep', exp, '--workers', '1', '--out', ref, '--quiet'])).code).toBe(0);
    const sweepBytes = ['.sweep/plan.json', '.sweep/state.json'].reduce((n, f) => n + statSync(join(ref, f)).size, 0);
    const journalBytes = statSync(join(ref, '.sweep/journal.ndjson')).size;

    // 1. The disk fills while runs are journaled (a real tmpfs, grown afterwards, where allowed).
    const disk = join(tmp, 'fill-disk');
    const real = mount(disk, 'size=16k');
    const target = join(disk, 'out');
    const budget = sweepBytes + Math.floor(journalBytes / 3);
    const r1 = await hqsim(['sweep', exp, '--workers', '1', '--out', target, '--quiet'], real ? {} : { fault: { HQSIM_FAULT: `ENOSPC:${budget}` } });
    if (real && r1.code === 0) throw new Error('the small tmpfs did not fill; make it smaller');
    expectCleanFailure(r1, /no space left on the device \(ENOSPC\); the runs finished so far are kept: run the same command with --resume/);
    expect(oneLine(r1.stderr)).toHaveLength(1);
    expect(existsSync(join(target, 'manifest.json'))).toBe(false);
    if (real) execFileSync('mount', ['-o', 'remount,size=8m', disk]);
    const r2 = await hqsim(['sweep', exp, '--workers', '1', '--out', target, '--resume']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(resultBytes(target, TABLES)).toBe(resultBytes(ref, TABLES));

    // 2. The disk fills while the tables are written: no table is half there, no temporary file stays.
    const late = join(tmp, 'fill-late');
    const r3 = await hqsim(['sweep', exp, '--workers', '1', '--out', late, '--quiet'], { fault: { HQSIM_FAULT: `ENOSPC:${sweepBytes + journalBytes + 2000}` } });
    expectCleanFailure(r3, /ENOSPC/);
    expect(readdirSync(late).sort()).toEqual(['.sweep']);
    const r4 = await hqsim(['sweep', exp, '--workers', '1', '--out', late, '--resume', '--quiet']);
    expect(r4.code, r4.stderr).toBe(0);
    expect(resultBytes(late, TABLES)).toBe(resultBytes(ref, TABLES));
  });

  it('a read-only target says so (not "ENOENT mkdir"), for a new directory and below one', async () => {
    const ro = join(tmp, 'ro');
    const real = mount(ro, 'size=64k,ro');
    const fault = real ? {} : { fault: { HQSIM_FAULT: 'EROFS', HQSIM_FAULT_UNDER: ro } };
    for (const target of [join(ro, 'out'), join(ro, 'a', 'b', 'out')]) {
      const r = await hqsim(['run', QUICK, '--out', target, '--quiet'], fault);
      expectCleanFailure(r, /cannot (create the directory|open) .*: the file system is read-only \(EROFS\)/);
      expect(r.stderr).not.toMatch(/ENOENT/);
      expect(oneLine(r.stderr)).toHaveLength(1);
    }
    const exp = join(tmp, 'ro.sweep.yaml');
    writeFileSync(exp, `name: ro\nscenario: ${JSON.stringify(QUICK)}\nyears: 3\nreplications: 1\nmetrics: [relocations]\n`);
    const s = await hqsim(['sweep', exp, '--out', join(ro, 'sweep'), '--quiet'], fault);
    expectCleanFailure(s, /read-only \(EROFS\)/);
    expect(oneLine(s.stderr)).toHaveLength(1);
    expect(listTree(ro)).toEqual([]);
  });

  it('missing permissions and a name too long are one line each', async () => {
    const locked = join(tmp, 'locked');
    mkdirSync(locked);
    // As root, permissions do not stop writes: EACCES is injected.
    const r = await hqsim(['run', QUICK, '--out', join(locked, 'out'), '--quiet'], { fault: { HQSIM_FAULT: 'EACCES', HQSIM_FAULT_UNDER: locked } });
    expectCleanFailure(r, /: permission denied \(EACCES\)/);
    const long = await hqsim(['run', QUICK, '--out', join(tmp, 'x'.repeat(250)), '--quiet']);
    expectCleanFailure(long, /the name is too long for the file system/);
    expect(oneLine(long.stderr)).toHaveLength(1);
    expect(readdirSync(tmp).filter((n) => n.includes('xxxxxxxx'))).toEqual([]);
  });
});
