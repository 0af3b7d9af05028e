/**
 * Every bundled scenario (scenarios/*.yaml) and every bundled experiment (scenarios/*.sweep.yaml) gives a report
 * that passes the browser checks. Scenarios with arms are run on their first arm (the page does not depend on
 * which arm). Screenshots: test/artifacts/bundled-<name>.png.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.ts';
import { checkReport, launch, type Session } from './browser-check.ts';
import { tempDir } from './fixtures.ts';

const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => /\.ya?ml$|\.json$/.test(f)).sort();
const experiments = files.filter((f) => /\.sweep\.(ya?ml|json)$/.test(f));
const scenarios = files.filter((f) => !experiments.includes(f));

let session: Session;
let tmp: string;
beforeAll(async () => { session = await launch(); tmp = tempDir('bundled'); });
afterAll(async () => { await session?.close(); });

async function expectPasses(dir: string, name: string) {
  const report = join(dir, 'report.html');
  expect(existsSync(report), `${report} was not written`).toBe(true);
  const check = await checkReport(session, report, `bundled-${name}`);
  expect(check.problems, name).toEqual([]);
  expect(check.figures.length).toBeGreaterThan(0);
}

describe('reports of the bundled scenarios and experiments', () => {
  it('finds bundled files', () => {
    expect(scenarios).toContain('quickstart.yaml');
    expect(experiments).toContain('quickstart.sweep.yaml');
  });

  for (const f of scenarios) {
    it(`scenario ${f}`, async () => {
      const doc = parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')) as { arms?: Record<string, unknown> };
      const arm = doc?.arms ? Object.keys(doc.arms)[0] : undefined;
      const dir = join(tmp, f);
      const r = await runCli(['run', `scenarios/${f}`, '--out', dir, '--quiet', '--report', ...(arm ? ['--arm', arm] : [])]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      await expectPasses(dir, f.replace(/\.\w+$/, ''));
    }, 180_000);
  }

  for (const f of experiments) {
    it(`experiment ${f}`, async () => {
      const dir = join(tmp, f);
      const s = await runCli(['sweep', `scenarios/${f}`, '--out', dir, '--quiet']);
      expect(s.stderr).toBe('');
      expect(s.code).toBe(0);
      const r = await runCli(['report', dir, '--quiet']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      await expectPasses(dir, f.replace(/\.sweep\.\w+$/, '-sweep'));
    }, 300_000);
  }
});
