/**
 * `hqsim backtest` and `hqsim calibrate` through the real CLI, on a small contest file in the bundled format
 * (two documented contests: one the organization decided, one decided by a vote).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseDocument } from 'yaml';
import { runCli } from '../helpers.ts';
import { BUNDLED_CONTESTS } from '../../src/scenario/paths.ts';

let tmp: string, small: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hqsim-backtest-'));
  const all = parse(readFileSync(BUNDLED_CONTESTS, 'utf8')) as { id: string }[];
  small = join(tmp, 'two.yaml');
  writeFileSync(small, stringify(all.filter((c) => c.id === 'unv_1995' || c.id === 'adb_1965')));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hqsim backtest', () => {
  it('--json gives the documented shape: per contest the forecast, overall scores next to four baselines', async () => {
    const r = await runCli(['backtest', small, '--runs', '16', '--json', '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.contests.map((c: { id: string }) => c.id)).toEqual(['unv_1995', 'adb_1965']);
    for (const c of j.contests) {
      expect(Object.values(c.probabilities as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(c.pWinner).toBe(c.probabilities[c.winner]);
      expect(c.rank).toBeGreaterThanOrEqual(1);
    }
    expect(j.summary.n).toBe(2);
    for (const s of [j.summary.hqsim, ...['uniform', 'offer', 'cluster', 'attributes'].map((k) => j.summary.baselines[k])]) {
      for (const k of ['top1', 'top2']) { expect(s[k]).toBeGreaterThanOrEqual(0); expect(s[k]).toBeLessThanOrEqual(1); }
      expect(s.brier).toBeGreaterThanOrEqual(0);
      expect(s.logLoss).toBeGreaterThan(0);
    }
    // the uniform forecast's log-loss is the mean of ln(candidates)
    expect(j.summary.baselines.uniform.logLoss).toBeCloseTo((Math.log(2) + Math.log(9)) / 2, 9);
  });
  it('the same on 1 or 2 workers; the text table names every contest and baseline', async () => {
    const a = await runCli(['backtest', small, '--runs', '12', '--json', '--workers', '1']);
    const b = await runCli(['backtest', small, '--runs', '12', '--json', '--workers', '2']);
    expect(a.stdout).toBe(b.stdout);
    const t = await runCli(['backtest', small, '--runs', '12']);
    expect(t.code).toBe(0);
    for (const w of ['unv_1995', 'adb_1965', 'uniform', 'offer', 'cluster', 'attributes', 'log-loss']) expect(t.stdout).toContain(w);
  });
  it('--loo refits without each contest and says which coefficients forecast it', async () => {
    const r = await runCli(['backtest', small, '--loo', '--max-evals', '12', '--runs', '8', '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.loo).toBe(true);
    for (const c of j.contests) expect(Object.keys(c.refit)).toContain('contest.campaignNoise');
  });
  it('--params: forecasts change with the coefficients given', async () => {
    const p = join(tmp, 'p.yaml');
    writeFileSync(p, 'parameters:\n  contest: { campaignNoise: 2 }\n');
    const a = JSON.parse((await runCli(['backtest', small, '--runs', '32', '--json'])).stdout);
    const b = JSON.parse((await runCli(['backtest', small, '--runs', '32', '--json', '--params', p])).stdout);
    expect(b.contests[1].probabilities).not.toEqual(a.contests[1].probabilities);
  });
  it('bad input: file, line and field named, exit 2', async () => {
    const bad = join(tmp, 'bad.yaml');
    const doc = parseDocument(readFileSync(small, 'utf8'));
    doc.setIn([0, 'winner'], 'atlantis');
    doc.setIn([1, 'year'], 'soon');
    writeFileSync(bad, doc.toString());
    const r = await runCli(['backtest', bad, '--runs', '4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+/);
    expect(r.stderr).toContain('atlantis');
    expect(r.stderr).toContain('year');
    const p = join(tmp, 'badp.yaml');
    writeFileSync(p, 'parameters:\n  contest: { campaignNoize: 2 }\n');
    const q = await runCli(['backtest', small, '--params', p]);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/badp\.yaml:2:\d+/);
    expect(q.stderr).toContain('campaignNoize');
  });
});

describe('hqsim calibrate', () => {
  it('writes a calibration file usable by --params, and resumes an interrupted run from its state', async () => {
    const out = join(tmp, 'cal', 'params.yaml');
    const args = ['calibrate', small, '--contests-only', '--max-evals', '14', '--runs', '8', '--out', out, '--workers', '1'];
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const c = parse(readFileSync(out, 'utf8'));
    expect(c.estimates.length).toBeGreaterThan(5);
    for (const e of c.estimates) { expect(e.low).toBeLessThanOrEqual(e.value); expect(e.high).toBeGreaterThanOrEqual(e.value); }
    expect(c.uncertainty.covariance.length).toBe(c.uncertainty.mean.length);
    expect(existsSync(`${out}.state.jsonl`)).toBe(true);
    // a second run replays every evaluation from the state file and writes the same calibration
    const first = readFileSync(out, 'utf8');
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('resuming');
    expect(readFileSync(out, 'utf8')).toBe(first);
    // an interrupted run: the state file cut mid-line still resumes
    const state = readFileSync(`${out}.state.jsonl`, 'utf8');
    writeFileSync(`${out}.state.jsonl`, state.slice(0, Math.floor(state.length / 2)));
    const cut = await runCli(args);
    expect(cut.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
    const bt = await runCli(['backtest', small, '--params', out, '--runs', '8', '--json']);
    expect(bt.code, bt.stderr).toBe(0);
  });
  it('never overwrites a file that is not a calibration', async () => {
    const victim = join(tmp, 'scenario.yaml');
    writeFileSync(victim, 'name: x\n');
    const r = await runCli(['calibrate', small, '--contests-only', '--max-evals', '10', '--runs', '4', '--out', victim]);
    expect(r.code).toBe(2);
    expect(readFileSync(victim, 'utf8')).toBe('name: x\n');
  });
});
