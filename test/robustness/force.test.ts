/**
 * The --force rule: hqsim replaces only a directory it wrote (manifest.json with an `hqsim` field, or a stopped
 * sweep's .sweep/ state) holding nothing else; never a file, a link, the working directory or an ancestor of it,
 * or a folder with other content. Stale partial directories are removed and a previous result put back.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTarget, inspectTarget, OutputExistsError, OutputRefusedError, recoverTarget, writeAtomically } from '../../src/output/replace.ts';
import { QUICK, expectCleanFailure, hqsim, leftovers, listTree, pool, previousOf, tempDir } from './helpers.ts';

let tmp: string;
beforeAll(() => { tmp = tempDir('force'); });

/** A directory as `hqsim run` writes it. */
function fakeRun(dir: string, extra: Record<string, string> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ hqsim: '0.1.0', scenario: 'x' }));
  writeFileSync(join(dir, 'summary.json'), '{}');
  for (const [f, text] of Object.entries(extra)) writeFileSync(join(dir, f), text);
}

describe('which directories --force may replace', () => {
  it('refuses a file, a link, the working directory, its ancestors, foreign folders and results with foreign files', () => {
    const base = join(tmp, 'rules');
    mkdirSync(join(base, 'cwd', 'deeper'), { recursive: true });
    writeFileSync(join(base, 'file.txt'), 'keep me');
    mkdirSync(join(base, 'sources')); writeFileSync(join(base, 'sources', 'a.ts'), 'x');
    fakeRun(join(base, 'run-with-notes'), { 'notes.txt': 'mine' });
    fakeRun(join(base, 'run'), { '.events.csv.tmp': '', 'report.html': '<html>' });
    mkdirSync(join(base, 'empty'));
    symlinkSync(join(base, 'run'), join(base, 'link'));
    mkdirSync(join(base, 'stopped-sweep', '.sweep'), { recursive: true });
    writeFileSync(join(base, 'stopped-sweep', '.sweep', 'plan.json'), '{}');
    writeFileSync(join(base, 'fake-manifest.json'), '');
    mkdirSync(join(base, 'not-ours')); writeFileSync(join(base, 'not-ours', 'manifest.json'), JSON.stringify({ tool: 'other' }));
    const cwd = join(base, 'cwd', 'deeper');
    const reason = (d: string) => { const s = inspectTarget(join(base, d), cwd); return s.kind === 'refused' ? s.reason : s.kind; };
    expect(reason('file.txt')).toMatch(/is a file/);
    expect(reason('link')).toMatch(/symbolic link/);
    expect(reason('sources')).toMatch(/did not write/);
    expect(reason('not-ours')).toMatch(/did not write/);
    expect(reason('run-with-notes')).toMatch(/also holds "notes.txt"/);
    expect(reason('cwd')).toMatch(/contains the working directory/);
    expect(reason('cwd/deeper')).toMatch(/is the working directory/);
    expect(inspectTarget(base, cwd)).toMatchObject({ kind: 'refused' });
    expect(inspectTarget('/', cwd)).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/contains the working directory/) });
    expect(reason('empty')).toBe('empty');
    expect(reason('missing')).toBe('absent');
    expect(inspectTarget(join(base, 'run'), cwd)).toEqual({ kind: 'result', what: 'run', complete: true });
    expect(inspectTarget(join(base, 'stopped-sweep'), cwd)).toEqual({ kind: 'result', what: 'sweep', complete: false });
    expect(() => checkTarget(join(base, 'run'), false, cwd)).toThrow(OutputExistsError);
    expect(() => checkTarget(join(base, 'sources'), true, cwd)).toThrow(OutputRefusedError);
    // Nothing was touched.
    expect(readFileSync(join(base, 'file.txt'), 'utf8')).toBe('keep me');
    expect(listTree(join(base, 'sources'))).toEqual(['a.ts']);
  });

  it('writeAtomically: replaces its own result, never a foreign one, and leaves nothing behind on failure', () => {
    const parent = join(tmp, 'atomic');
    const target = join(parent, 'out');
    const fill = (text: string) => (d: string) => { writeFileSync(join(d, 'manifest.json'), JSON.stringify({ hqsim: 'test', text })); return text; };
    expect(writeAtomically(target, false, fill('one'))).toBe('one');
    expect(() => writeAtomically(target, false, fill('two'))).toThrow(OutputExistsError);
    expect(writeAtomically(target, true, fill('two'))).toBe('two');
    expect(JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')).text).toBe('two');
    expect(() => writeAtomically(target, true, () => { throw new Error('boom'); })).toThrow('boom');
    expect(JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')).text).toBe('two');
    writeFileSync(join(target, 'mine.txt'), 'x');
    expect(() => writeAtomically(target, true, fill('three'))).toThrow(OutputRefusedError);
    expect(readFileSync(join(target, 'mine.txt'), 'utf8')).toBe('x');
    expect(leftovers(target)).toEqual([]);
  });

  it('recovery: stale partials of dead processes go, live ones stay, a previous result is put back or dropped', () => {
    const parent = join(tmp, 'recover');
    const target = join(parent, 'out');
    mkdirSync(join(parent, '.out.partial-999999999'), { recursive: true });          // an older hqsim's name, dead pid
    mkdirSync(join(parent, `.out.partial-000000-${process.pid}`));                     // another machine: not ours to judge
    fakeRun(previousOf(target));
    const notes = recoverTarget(target);
    expect(notes.join('\n')).toMatch(/removed .*\.out\.partial-999999999/);
    expect(notes.join('\n')).toMatch(/restored .*out from .*\.out\.previous/);
    expect(existsSync(join(target, 'manifest.json'))).toBe(true);
    expect(readdirSync(parent).sort()).toEqual([`.out.partial-000000-${process.pid}`, 'out']);
    fakeRun(previousOf(target));
    recoverTarget(target); // the name holds a complete result: the old copy is dropped
    expect(existsSync(previousOf(target))).toBe(false);
  });
});

describe('--force through the command line (the cases that lost data)', { timeout: 240_000 }, () => {
  it('run --out . --force, --out <file> --force and --out <folder of sources> --force change nothing', async () => {
    const cwd = join(tmp, 'project');
    mkdirSync(join(cwd, 'src'), { recursive: true });
    writeFileSync(join(cwd, 'q.yaml'), readFileSync(QUICK));
    writeFileSync(join(cwd, 'src', 'main.ts'), 'export {};\n');
    writeFileSync(join(cwd, 'notes.txt'), 'keep me\n');
    const before = listTree(cwd);
    const [dot, file, src, up] = await pool(2, [
      () => hqsim(['run', 'q.yaml', '--out', '.', '--force', '--quiet'], { cwd }),
      () => hqsim(['run', 'q.yaml', '--out', 'notes.txt', '--force', '--quiet'], { cwd }),
      () => hqsim(['run', 'q.yaml', '--out', 'src', '--force', '--quiet'], { cwd }),
      () => hqsim(['run', 'q.yaml', '--out', '..', '--force', '--quiet'], { cwd }),
    ]);
    expectCleanFailure(dot, /is the working directory/);
    expectCleanFailure(file, /notes\.txt is a file, not a result directory/);
    expectCleanFailure(src, /src holds files hqsim did not write/);
    expectCleanFailure(up, /contains the working directory/);
    expect(listTree(cwd)).toEqual(before);
    expect(readFileSync(join(cwd, 'notes.txt'), 'utf8')).toBe('keep me\n');
  });

  it('sweep --force keeps a folder that holds anything hqsim did not write', async () => {
    const dir = join(tmp, 'sweep-out');
    const exp = join(tmp, 'small.sweep.yaml');
    writeFileSync(exp, `name: small\nscenario: ${JSON.stringify(QUICK)}\nyears: 5\nreplications: 2\nmetrics: [relocations]\n`);
    expect((await hqsim(['sweep', exp, '--workers', '1', '--out', dir, '--quiet'])).code).toBe(0);
    writeFileSync(join(dir, 'analysis.R'), 'read.csv("runs.csv")\n');
    const before = listTree(dir);
    const r = await hqsim(['sweep', exp, '--workers', '1', '--out', dir, '--force', '--quiet']);
    expectCleanFailure(r, /also holds "analysis\.R", which hqsim did not write/);
    expect(listTree(dir)).toEqual(before);
  });
});
