/**
 * `hqsim advise` through the real command line: the advised offer, placed in the scenario as the city's bid, wins
 * at least as often as promised when `hqsim odds` checks it independently (other seeds, the normal run path);
 * an infeasible case is reported as such with the gaps money cannot close; results do not depend on the number
 * of worker threads; bad input ends with exit 2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runCli, ROOT } from '../helpers.ts';
import type { Advice } from '../../src/advise/index.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'hqsim-advise-')); });

async function advise(scenario: string, contest: string, city: string, extra: string[] = []): Promise<Advice> {
  const out = join(tmp, `${contest}-${city}-${extra.join('')}`);
  const r = await runCli(['advise', `scenarios/${scenario}.yaml`, '--contest', contest, '--city', city, '--json', '--quiet', '--out', out, '--force', '--workers', '2', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  const a = JSON.parse(r.stdout) as Advice;
  expect(JSON.parse(readFileSync(join(out, 'advice.json'), 'utf8'))).toEqual(a);
  return a;
}

/** hqsim odds on a copy of the scenario whose arm `advised` makes the offer the city's bid. */
async function oddsWithOffer(scenario: string, a: Advice, runs: number, years: number) {
  const doc = parse(readFileSync(join(ROOT, 'scenarios', `${scenario}.yaml`), 'utf8')) as Record<string, unknown>;
  doc.arms = { ...(doc.arms as object ?? {}), advised: a.scenarioArm };
  const file = join(tmp, `${scenario}-${a.contest}-${a.city}.yaml`);
  writeFileSync(file, stringify(doc));
  const r = await runCli(['odds', file, '--contest', a.contest, '--arm', 'advised', '--runs', String(runs), '--seed', '20261', '--years', String(years), '--json', '--workers', '2']);
  expect(r.code, r.stderr).toBe(0);
  const row = (JSON.parse(r.stdout) as { cities: { city: string; p: number; lo: number; hi: number }[] }).cities.find((c) => c.city === a.city);
  return row ?? { city: a.city, p: 0, lo: 0, hi: 0 };
}

describe('hqsim advise: the price of a seat, checked independently by hqsim odds', () => {
  // Targets each city can reach with its budget: at the calibrated choice noise, no offer makes Geneva the
  // favourite for the 1995 climate secretariat (its p(win) tops out near 0.25).
  for (const [scenario, contest, city, runs, years, target] of [
    ['quickstart', 'desert_seat_1998', 'geneva', 100, 4, 0.35],
    ['shanghai-strategies', 'iclei_asia_seat', 'seoul', 60, 2, 0.4],
    ['bonn-1994', 'unfccc_seat', 'geneva', 120, 2, 0.2],
  ] as const) {
    it(`${scenario}: ${city} in ${contest}, target ${target}`, async () => {
      const a = await advise(scenario, contest, city, ['--runs', String(runs), '--target', String(target)]);
      expect(a).toMatchObject({ city, contest, target, feasible: true });
      expect(a.costMusd).toBeGreaterThan(0);
      expect(a.baseline.noOffer).toBeLessThan(target);
      expect(a.probability.low).toBeGreaterThanOrEqual(0);
      expect(a.probability.high).toBeLessThanOrEqual(1);
      // the cost curve ends at the offer and rises in cost
      expect(a.curve.at(-1)!.costMusd).toBeCloseTo(a.costMusd, 3);
      for (let i = 1; i < a.curve.length; i++) expect(a.curve[i].costMusd).toBeGreaterThanOrEqual(a.curve[i - 1].costMusd);
      const odds = await oddsWithOffer(scenario, a, 150, years);
      const half = (odds.hi - odds.lo) / 2;
      expect(odds.p, `odds ${odds.p} (${odds.lo}-${odds.hi})`).toBeGreaterThanOrEqual(a.target - half);
    }, 240_000);
  }

  it('reports an infeasible case as such, with the non-money gaps in lever units', async () => {
    const a = await advise('quickstart', 'fund_seat_2012', 'toronto', ['--runs', '40']);
    expect(a.feasible).toBe(false);
    expect(a.probability.estimate).toBeLessThan(a.target);
    expect(a.probability.high).toBeLessThan(a.target);
    expect(a.gaps.rival).toBe('bonn');
    expect(a.gaps.utilityGap).toBeLessThan(-0.05);
    const terms = Object.fromEntries(a.gaps.terms.map((g) => [g.term, g]));
    expect(Object.keys(terms)).toEqual(expect.arrayContaining(['values', 'cluster']));
    const lead = terms.values.levers.find((l) => l.attribute === 'leadership')!;
    expect(lead.invest).toMatchObject({ scenarioLever: 'leadershipMusd' });
    // openness is a stock too, but Toronto's gap is too wide for it to close alone
    const open = terms.values.levers.find((l) => l.attribute === 'openness')!;
    expect(open.needed === null || open.invest !== undefined).toBe(true);
    expect(terms.cluster.levers[0].count!.needed).toBeGreaterThan(terms.cluster.levers[0].count!.now);
    expect(a.summary).toMatch(/No offer .* lifts this to 0\.50/);
    expect(a.summary).toMatch(/Money cannot close the gap: Bonn/);
    // money was pushed as far as Toronto's budget allows, and the curve shows it
    expect(a.assumptions.passive!.maxTried.costMusd).toBeGreaterThan(10);
    expect(a.curve.at(-1)!.costMusd).toBe(a.assumptions.passive!.maxTried.costMusd);
  }, 240_000);

  it('prices the seat under both assumptions about rivals, and responding rivals never make it cheaper', async () => {
    const a = await advise('quickstart', 'desert_seat_1998', 'geneva', ['--runs', '40', '--rivals', 'respond']);
    expect(a.rivals).toBe('respond');
    const { passive, respond } = a.assumptions;
    expect(passive && respond).toBeTruthy();
    if (passive!.feasible && respond!.feasible) expect(respond!.costMusd).toBeGreaterThanOrEqual(passive!.costMusd);
    else expect(passive!.feasible || !respond!.feasible).toBe(true);
    expect(a.summary).toMatch(/rivals answer with the best offer their budgets allow/);
    // an open contest: only cities that bid take part, and each of them has a budget to answer with
    expect(a.silentRivals).toEqual({});
  }, 240_000);

  it('writes the same advice.json on one worker and on two, and prints text by default', async () => {
    const one = join(tmp, 'w1'), two = join(tmp, 'w2');
    const args = ['advise', 'scenarios/quickstart.yaml', '--contest', 'climate_seat_1995', '--city', 'toronto', '--runs', '30', '--target', '0.3'];
    const r1 = await runCli([...args, '--workers', '1', '--out', one]);
    const r2 = await runCli([...args, '--workers', '2', '--out', two, '--quiet']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    expect(readFileSync(join(two, 'advice.json'), 'utf8')).toBe(readFileSync(join(one, 'advice.json'), 'utf8'));
    expect(r1.stdout).toMatch(/hqsim advise: quickstart, contest climate_seat_1995 .* city toronto, target 0\.30/);
    expect(r1.stdout).toMatch(/p\(win\) checked on 30 fresh runs: .* \(95% Wilson/);
    expect(r1.stdout).toMatch(/cost curve \(USD m -> p\(win\)/);
    expect(r1.stderr).not.toMatch(/passive/); // every quickstart city acts (progress only)
    expect(r2.stdout).toBe('');
    const m = JSON.parse(readFileSync(join(one, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ kind: 'advice', options: { contest: 'climate_seat_1995', city: 'toronto', target: 0.3, runs: 30 } });
  }, 240_000);

  it("the README's example shows the command's real output", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const m = /```sh\nnpx hqsim (advise [^\n]+)\n```\n\n```text\n([\s\S]*?)\n```/.exec(readme);
    expect(m, 'README has an advise example followed by its output').not.toBeNull();
    const out = join(tmp, 'readme');
    const r = await runCli([...m![1].split(' '), '--workers', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const shown = (s: string) => s.replace(/results: .*$/m, 'results: <dir>').trimEnd();
    expect(shown(r.stdout)).toBe(shown(m![2]));
  }, 240_000);

  it('rejects bad input with exit 2, naming what is wrong, and writes nothing', async () => {
    const out = join(tmp, 'bad');
    const cases: [string[], RegExp][] = [
      [['--contest', 'fund_seat_2021', '--city', 'toronto'], /no contest "fund_seat_2021" \(did you mean "fund_seat_2012"\?\)/],
      [['--contest', 'fund_seat_2012', '--city', 'nairobi'], /nairobi is not a candidate in contest fund_seat_2012/],
      [['--contest', 'fund_seat_2012', '--city', 'toront'], /no city "toront" \(did you mean "toronto"\?\)/],
      [['--contest', 'fund_seat_2012', '--city', 'toronto', '--target', '1.5'], /--target must be a probability/],
      [['--contest', 'fund_seat_2012', '--city', 'toronto', '--years', '5'], /held in 2012, after the last simulated year 1999/],
      [['--contest', 'fund_seat_2012', '--city', 'toronto', '--rivals', 'angry'], /--rivals must be passive or respond/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(['advise', 'scenarios/quickstart.yaml', ...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(existsSync(out)).toBe(false);
    }
    const exists = await runCli(['advise', 'scenarios/quickstart.yaml', '--contest', 'desert_seat_1998', '--city', 'geneva', '--out', tmp]);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(/exists; use --force/);
  }, 240_000);
});
