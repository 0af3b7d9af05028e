/**
 * Hostile or mistaken input: override paths that reach JavaScript's object machinery, arm names that are
 * Object properties, spreadsheet formulas in string factor values, escape sequences in keys, design points
 * the scenario rejects, and partial directories left by stopped commands.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { loadScenario, setPath } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/errors.ts';
import { csvCell } from '../../src/scenario/csv.ts';
import { terminalLine, terminalText } from '../../src/output/terminal.ts';
import { QUICK, expectCleanFailure, hqsim, leftovers, listTree, pool, resultBytes, tempDir } from './helpers.ts';

let tmp: string;
beforeAll(() => { tmp = tempDir('inputs'); });

const problemsOf = (f: () => unknown): string[] => {
  try { f(); } catch (e) { if (e instanceof ScenarioError) return e.problems.map((p) => `${p.path}: ${p.message}`); throw e; }
  return [];
};

describe('prototype pollution and arm names', () => {
  it('override paths through __proto__, constructor or prototype are refused and pollute nothing', () => {
    const f = join(tmp, 'proto.yaml');
    writeFileSync(f, readFileSync(QUICK, 'utf8') + 'arms:\n  evil: { __proto__.polluted: 1, constructor.prototype.polluted2: 1 }\n');
    const seen = problemsOf(() => loadScenario(f, { arm: 'evil' }));
    // an arm's problems are reported at the arm's key, naming the arm
    expect(seen.join('\n')).toMatch(/arms\.evil\.__proto__\.polluted: arm "evil": "__proto__" cannot be part of a path/);
    expect(seen.join('\n')).toMatch(/arms\.evil\.constructor\.prototype\.polluted2: arm "evil": "constructor" cannot be part of a path/);
    const own = JSON.parse('{"__proto__": {"polluted3": 1}, "cities.bonn.prototype": 1}') as Record<string, unknown>;
    expect(problemsOf(() => loadScenario(QUICK, { overrides: own })).join('\n')).toMatch(/cities\.bonn\.prototype: override: "prototype" cannot be part of a path/);
    for (const k of ['polluted', 'polluted2', 'polluted3']) expect(({} as Record<string, unknown>)[k], k).toBeUndefined();
    expect(setPath({}, 'a.__proto__.b', 1)).toMatch(/cannot be part of a path/);
    // An inherited name is not an existing object: setPath creates an own one.
    const raw: Record<string, unknown> = {};
    expect(setPath(raw, 'toString.x', 1)).toBeUndefined();
    expect(Object.hasOwn(raw, 'toString')).toBe(true);
    expect(({} as { toString: unknown }).toString).toBe(Object.prototype.toString);
  });

  it('--arm constructor (or any Object property) is not an arm', async () => {
    expect(problemsOf(() => loadScenario(QUICK, { arm: 'constructor' })).join('\n')).toMatch(/no arm "constructor"/);
    expect(problemsOf(() => loadScenario(QUICK, { arm: 'hasOwnProperty' })).join('\n')).toMatch(/no arm "hasOwnProperty"/);
    const r = await hqsim(['run', QUICK, '--arm', 'constructor', '--out', join(tmp, 'ctor')]);
    expectCleanFailure(r, /no arm "constructor"/);
    expect(existsSync(join(tmp, 'ctor'))).toBe(false);
  });
});

describe('what reaches spreadsheets and terminals', { timeout: 240_000 }, () => {
  it('string cells that a spreadsheet would run as formulas get a leading quote; numbers and Parquet are unchanged', async () => {
    for (const [v, want] of [['=1+1', "'=1+1"], ['+cmd', "'+cmd"], ['-x', "'-x"], ['@SUM(A1)', "'@SUM(A1)"], ['\tx', "'\tx"], ['=a,b', `"'=a,b"`], ['plain', 'plain']] as const) {
      expect(csvCell(v)).toBe(want);
    }
    expect(csvCell(-1.5)).toBe('-1.5');
    const exp = join(tmp, 'formula.sweep.yaml');
    writeFileSync(exp, `name: formula\nscenario: ${JSON.stringify(QUICK)}\nyears: 3\nreplications: 1\n` +
      'factors: [{ name: note, path: description, values: ["=HYPERLINK(\\"http://x\\")", "@cmd", "ok"] }]\nmetrics: [relocations]\n');
    const out = join(tmp, 'formula');
    const r = await hqsim(['sweep', exp, '--workers', '1', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trimEnd().split('\n').slice(1);
    expect(runs.map((l) => l.split(',')[4])).toEqual(['"\'=HYPERLINK(""http://x"")"', "'@cmd", 'ok']);
    expect(readFileSync(join(out, 'points.csv'), 'utf8')).toContain("'@cmd");
    const buf = readFileSync(join(out, 'runs.parquet'));
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) });
    expect(rows.map((x) => x.note)).toEqual(['=HYPERLINK("http://x")', '@cmd', 'ok']);
  });

  it('escape sequences in keys are shown, not obeyed, and cannot forge a line', async () => {
    expect(terminalLine('a\u001b[2Jb\nok\u009bx\u202e')).toBe('a\\u001b[2Jb\\u000aok\\u009bx\\u202e');
    expect(terminalText('{"k": "\u009b"}\nnext')).toBe('{"k": "\\u009b"}\nnext');
    expect(JSON.parse(terminalText(JSON.stringify({ k: 'a\u0085b' })))).toEqual({ k: 'a\u0085b' });
    const f = join(tmp, 'escape.yaml');
    writeFileSync(f, readFileSync(QUICK, 'utf8').replace(/^years: 25/m, 'years: 25\n"\\e[2J\\e[Hfake\\nscenarios/x.yaml: ok": 1'));
    const r = await hqsim(['validate', f]);
    expectCleanFailure(r, /unknown key "\\u001b\[2J\\u001b\[Hfake\\u000ascenarios\/x\.yaml: ok"/);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr.split('\n').some((l) => l.startsWith('scenarios/x.yaml: ok'))).toBe(false);
  });
});

describe('design points the scenario rejects, and leftovers of stopped commands', { timeout: 240_000 }, () => {
  it('a range that gives a non-whole member count is reported at the factor before anything is written', async () => {
    const exp = join(tmp, 'members.sweep.yaml');
    writeFileSync(exp, `name: members\nscenario: ${JSON.stringify(QUICK)}\nfactors: [{ path: contests.fund_seat_2012.members, range: [20, 21] }]\n` +
      'design: { type: grid, levels: 3 }\nreplications: 2\nmetrics: [relocations]\n');
    const r = await hqsim(['sweep', exp, '--out', join(tmp, 'members')]);
    expectCleanFailure(r, /members\.sweep\.yaml:3:\d+: factors\[0\]\.path: contests\.fund_seat_2012\.members = 20\.5 does not give a valid scenario: .*members: .*int/);
    expect(existsSync(join(tmp, 'members'))).toBe(false);
  });

  it('a combination of factor values found invalid while running: exit 2 naming the point; nothing new written, a replaced result kept', async () => {
    const exp = join(tmp, 'combo.sweep.yaml');
    writeFileSync(exp, `name: combo\nscenario: ${JSON.stringify(QUICK)}\nyears: 4\nreplications: 2\nmetrics: [relocations]\n` +
      'factors:\n  - { name: nest, path: parameters.choice.nestScale, values: [0.1, 0.15] }\n  - { name: temp, path: parameters.choice.temperature, values: [0.15, 0.12] }\n');
    const good = join(tmp, 'good.sweep.yaml');
    writeFileSync(good, `name: good\nscenario: ${JSON.stringify(QUICK)}\nyears: 4\nreplications: 2\nmetrics: [relocations]\n`);
    const fresh = join(tmp, 'combo'), kept = join(tmp, 'kept');
    expect((await hqsim(['sweep', good, '--workers', '1', '--out', kept, '--quiet'])).code).toBe(0);
    const before = resultBytes(kept, ['runs.csv', 'points.csv', 'manifest.json']);
    const [a, b] = await pool(2, [
      () => hqsim(['sweep', exp, '--workers', '1', '--out', fresh, '--quiet']),
      () => hqsim(['sweep', exp, '--workers', '1', '--out', kept, '--force', '--quiet']),
    ]);
    for (const r of [a, b]) expectCleanFailure(r, /design point 3 \(nest = 0\.15, temp = 0\.12\) does not give a valid scenario: parameters\.choice\.nestScale: nestScale \(0\.15\) must not exceed temperature \(0\.12\).*nothing was written/);
    expect(existsSync(fresh)).toBe(false);
    expect(leftovers(fresh)).toEqual([]);
    expect(resultBytes(kept, ['runs.csv', 'points.csv', 'manifest.json'])).toBe(before);
    expect(leftovers(kept)).toEqual([]);
  });

  it('partial directories of stopped commands are removed by the next command, with a note', async () => {
    const parent = join(tmp, 'stale');
    mkdirSync(join(parent, '.out.partial-999999999', 'x'), { recursive: true });
    const r = await hqsim(['run', QUICK, '--years', '3', '--out', join(parent, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: removed .*\.out\.partial-999999999, left by an hqsim command that was stopped/);
    expect(listTree(parent).filter((f) => !f.startsWith('out/'))).toEqual([]);
    cpSync(join(parent, 'out'), join(parent, '.out.previous'), { recursive: true });
    expect((await hqsim(['run', QUICK, '--years', '3', '--out', join(parent, 'out'), '--force', '--quiet'])).code).toBe(0);
    expect(leftovers(join(parent, 'out'))).toEqual([]);
  });
});
