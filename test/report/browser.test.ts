/**
 * Browser test of report.html: the quickstart run (through `hqsim run --report`), hand-written sweeps in the
 * documented format (grid, sobol, morris), and a real `hqsim sweep` of the quickstart experiment, each opened
 * in headless Chromium. Screenshots land in test/artifacts/ (git-ignored).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, smallDiscoverSweep } from '../helpers.ts';
import { checkReport, launch, type Session } from './browser-check.ts';
import { tempDir, writeSweepFixture } from './fixtures.ts';

let session: Session;
let tmp: string;

beforeAll(async () => {
  session = await launch();
  tmp = tempDir('browser');
});
afterAll(async () => { await session?.close(); });

async function expectGoodPage(dir: string, name: string, figureIds: string[]) {
  const file = join(dir, 'report.html');
  const html = readFileSync(file, 'utf8');
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//i);
  const check = await checkReport(session, file, name);
  expect(check.problems).toEqual([]);
  const ids = check.figures.map((f) => f.id);
  for (const id of figureIds) expect(ids).toContain(id);
  return check;
}

describe('report.html in Chromium', () => {
  it('quickstart run: every chart drawn, titled, offline', async () => {
    const dir = join(tmp, 'quickstart');
    const r = await runCli(['run', 'scenarios/quickstart.yaml', '--out', dir, '--report']);
    expect(r.stderr.replace(/^warning: .*\n/gm, '')).toBe(''); // passive cities are named on stderr
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/report: .*report\.html \(run, \d+ charts/);
    const check = await expectGoodPage(dir, 'run-quickstart', ['fig-hosted', 'fig-hosted-domain', 'fig-flows', 'fig-spending', 'fig-votes', 'fig-why-scores', 'fig-why-gap', 'fig-concentration']);
    expect(check.figures.length).toBe(8);
  });

  for (const design of ['grid', 'sobol', 'morris'] as const) {
    it(`sweep in the documented format (${design} design)`, async () => {
      const dir = writeSweepFixture(join(tmp, `fixture-${design}`), { design, arms: ['base', 'cash'], points: design === 'grid' ? 12 : 40, replications: 3 });
      const r = await runCli(['report', dir]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const ids = ['fig-response-shanghai_orgs', 'fig-response-hhi', 'fig-arms', ...(design === 'grid' ? [] : [`fig-sensitivity-${design}`])];
      await expectGoodPage(dir, `sweep-fixture-${design}`, ids);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      expect(html).toContain('Table of points');
    });
  }

  it('real sweep with discover: distributions, envelopes, arm differences by level, spending, PRIM box and feature scores', async () => {
    const dir = await smallDiscoverSweep(tmp, 'discover-sweep');
    const d = await runCli(['discover', dir, '--metric', 'shanghai_orgs', '--above', '3', '--trees', '20', '--quiet']);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    const r = await runCli(['report', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const key = 'shanghai_orgs-above-3-musd';
    await expectGoodPage(dir, 'sweep-discover', ['fig-distributions', 'fig-envelopes', 'fig-arms', 'fig-arms-by-bonn_budget',
      `fig-discover-${key}-trajectory`, `fig-discover-${key}-box`, `fig-discover-${key}-scores`]);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Spending-adjusted comparison (spending: bonn_spend, USD m per run)');
    // The yearly series is drawn as an envelope, not as one response chart per year.
    expect(html).not.toContain('id="fig-response-bonn_hosted_2000"');
  });

  it('real sweep: hqsim sweep scenarios/quickstart.sweep.yaml, then hqsim report', async () => {
    const dir = join(tmp, 'quickstart-sweep');
    const s = await runCli(['sweep', 'scenarios/quickstart.sweep.yaml', '--out', dir, '--workers', '2', '--quiet']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(0);
    await expectGoodPage(dir, 'sweep-quickstart', ['fig-arms']);
  });
});
