/**
 * Journal integrity: a checksum per line and for state.json. Damage is reported with exit 2 naming the line,
 * `--resume --repair` keeps every intact run and does the damaged ones again, and no damage changes a table
 * silently.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { dropDamaged, entryLine, parseLine, scanJournal, type Entry } from '../../src/experiment/journal.ts';
import { QUICK, expectCleanFailure, hqsim, pool, resultBytes, tempDir } from './helpers.ts';

const TABLES = ['runs.csv', 'runs.parquet', 'points.csv', 'points.parquet', 'arms.csv'];
let tmp: string;
beforeAll(() => { tmp = tempDir('journal'); });

const entryArb = fc.record({
  p: fc.nat(1000), a: fc.nat(5), r: fc.nat(1000),
  v: fc.array(fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), { maxLength: 6 }),
}) as fc.Arbitrary<Entry>;

describe('journal lines', () => {
  test.prop([fc.array(entryArb, { minLength: 1, maxLength: 12 }), fc.nat(), fc.integer({ min: 1, max: 255 })], { numRuns: 300 })(
    'any changed byte is found: its line is reported (or, for the last newline, the tail is torn) and every other line is kept', (entries, at, xor) => {
      const lines = entries.map((e) => entryLine({ ...e, v: e.v.map((x) => (Object.is(x, -0) ? 0 : x)) }));
      const text = Buffer.from(lines.join(''));
      const pos = at % text.length;
      const damaged = Buffer.from(text);
      damaged[pos] ^= xor;
      const f = join(tmp, `flip-${pos}-${xor}.ndjson`);
      writeFileSync(f, damaged);
      // The line the byte belongs to (1-based).
      const line = text.subarray(0, pos).toString('latin1').split('\n').length;
      const seen: number[] = [];
      let res: ReturnType<typeof scanJournal> | undefined;
      let torn = false;
      try { res = scanJournal(f, (e) => { seen.push(e.r); }, false); } catch (e) { torn = /torn line/.test((e as Error).message); if (!torn) throw e; }
      if (torn) {
        expect(pos).toBe(text.length - 1); // only the final newline can make a torn tail
        return;
      }
      const hit = res!.damaged.map((d) => d.line);
      // A flipped newline joins or splits lines: the damage is on the line of the byte or the next one.
      expect(hit.length).toBeGreaterThan(0);
      expect(hit.some((l) => l === line || l === line + 1)).toBe(true);
      expect(seen.length).toBeGreaterThanOrEqual(entries.length - 2);
    });

  it('reads back what it wrote, and refuses lines without a checksum or with a negative index', () => {
    const e: Entry = { p: 3, a: 1, r: 7, v: [1.5, null, -2] };
    expect(parseLine(entryLine(e).trimEnd())).toEqual(e);
    expect(parseLine('{"p":3,"a":1,"r":7,"v":[1.5,null,-2]}')).toMatch(/no checksum/);
    const body = '{"p":0,"a":0,"r":-1,"v":[1]}';
    const forged = `${body.slice(0, -1)},"c":"${createHash('sha256').update(body).digest('hex').slice(0, 8)}"}`;
    expect(parseLine(forged)).toMatch(/whole numbers from 0/);
  });

  it('dropDamaged keeps every intact line in order and moves the damaged ones aside', () => {
    const f = join(tmp, 'drop.ndjson');
    const lines = [0, 1, 2, 3, 4].map((r) => entryLine({ p: 0, a: 0, r, v: [r] }));
    writeFileSync(f, lines[0] + lines[1].replace('"v":[1]', '"v":[9]') + lines[2] + 'junk\n' + lines[4]);
    const { damaged } = scanJournal(f, () => {}, true);
    expect(damaged.map((d) => d.line)).toEqual([2, 4]);
    dropDamaged(f, damaged);
    expect(readFileSync(f, 'utf8')).toBe(lines[0] + lines[2] + lines[4]);
    expect(readFileSync(join(tmp, 'drop.damaged.ndjson'), 'utf8')).toBe(lines[1].replace('"v":[1]', '"v":[9]') + 'junk\n');
  });
});

describe('damaged sweep directories through the command line', { timeout: 300_000 }, () => {
  let exp: string, ref: string, done: string;
  const total = 2 * 2 * 3;
  beforeAll(async () => {
    exp = join(tmp, 'dmg.sweep.yaml');
    writeFileSync(exp, `name: dmg\nscenario: ${JSON.stringify(QUICK)}\nyears: 6\nseed: 2\n` +
      'factors: [{ path: cities.shanghai.budgetMusd, values: [10, 40] }]\narms: { a: {}, b: { overrides: { cities.toronto.levers.freeOffices: 1 } } }\n' +
      'replications: 3\nmetrics: [relocations, { name: bonn, summary: byCity.bonn.hostedOrgs }]\n');
    ref = join(tmp, 'ref'); done = join(tmp, 'done');
    const r = await hqsim(['sweep', exp, '--workers', '1', '--out', ref, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    cpSync(ref, done, { recursive: true });
  });
  const copy = (name: string) => { const d = join(tmp, name); cpSync(done, d, { recursive: true }); return d; };
  const journal = (d: string) => join(d, '.sweep', 'journal.ndjson');

  it('one changed digit: exit 2 naming the line; --repair does that run again and the tables are exact', async () => {
    const d = copy('digit');
    const lines = readFileSync(journal(d), 'utf8').split('\n');
    lines[4] = lines[4].replace(/"v":\[(\d)/, (_m, x) => `"v":[${(Number(x) + 1) % 10}`);
    writeFileSync(journal(d), lines.join('\n'));
    const r = await hqsim(['sweep', exp, '--out', d, '--resume', '--workers', '1']);
    expectCleanFailure(r, /journal\.ndjson:5: damaged journal line: checksum mismatch.*add --repair/);
    const fixed = await hqsim(['sweep', exp, '--out', d, '--resume', '--repair', '--workers', '1']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(new RegExp(`1 run now, ${total - 1} resumed`));
    expect(fixed.stderr).toMatch(/moved 1 damaged journal line/);
    expect(resultBytes(d, TABLES)).toBe(resultBytes(ref, TABLES));
    expect(readFileSync(join(d, '.sweep', 'journal.damaged.ndjson'), 'utf8')).toBe(lines[4] + '\n');
  });

  it('a forged line with a negative replication (valid checksum) is refused, never resumed forever', async () => {
    const d = copy('negative');
    const body = '{"p":0,"a":0,"r":-1,"v":[0,0]}';
    writeFileSync(journal(d), readFileSync(journal(d), 'utf8') + `${body.slice(0, -1)},"c":"${createHash('sha256').update(body).digest('hex').slice(0, 8)}"}\n`);
    const r = await hqsim(['sweep', exp, '--out', d, '--resume', '--workers', '1'], {});
    expectCleanFailure(r, new RegExp(`journal\\.ndjson:${total + 1}: damaged journal line: point, arm and replication must be whole numbers from 0`));
    const fixed = await hqsim(['sweep', exp, '--out', d, '--resume', '--repair', '--workers', '1']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(new RegExp(`0 run now, ${total} resumed`));
    expect(resultBytes(d, TABLES)).toBe(resultBytes(ref, TABLES));
  });

  it('a corrupt state.json or plan.json: exit 2 without a stack; --repair rebuilds them', async () => {
    const [s, p] = [copy('state'), copy('plan')];
    writeFileSync(join(s, '.sweep', 'state.json'), readFileSync(join(s, '.sweep', 'state.json'), 'utf8').replace('true', 'fals'));
    writeFileSync(join(p, '.sweep', 'plan.json'), readFileSync(join(p, '.sweep', 'plan.json'), 'utf8').replace('"replications":3', '"replications":4'));
    const [rs, rp] = await pool(2, [s, p].map((d) => () => hqsim(['sweep', exp, '--out', d, '--resume', '--workers', '1'])));
    expectCleanFailure(rs, /state\.json is damaged: (it is not JSON|checksum mismatch).*add --repair/);
    expectCleanFailure(rp, /plan\.json is damaged.*add --repair/);
    const fixed = await pool(2, [s, p].map((d) => () => hqsim(['sweep', exp, '--out', d, '--resume', '--repair', '--workers', '1'])));
    for (const [i, f] of fixed.entries()) {
      expect(f.code, f.stderr).toBe(0);
      expect(f.stdout).toMatch(new RegExp(`0 run now, ${total} resumed`));
      expect(resultBytes([s, p][i], TABLES)).toBe(resultBytes(ref, TABLES));
    }
  });

  it('merge names the damaged line of a shard and how to repair it', async () => {
    const shards = [1, 2].map((i) => join(tmp, `shard${i}`));
    const rs = await pool(2, shards.map((d, i) => () => hqsim(['sweep', exp, '--workers', '1', '--shard', `${i + 1}/2`, '--out', d, '--quiet'])));
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    const j = journal(shards[1]);
    writeFileSync(j, readFileSync(j, 'utf8').replace('"r":', '"r": '));
    const out = join(tmp, 'merged');
    const m = await hqsim(['merge', ...shards, '--out', out]);
    expectCleanFailure(m, /shard2\/\.sweep\/journal\.ndjson:1: damaged journal line: checksum mismatch.*--shard 2\/2 --out .*shard2 --resume --repair/);
    expect(existsSync(out)).toBe(false);
  });
});
