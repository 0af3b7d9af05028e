/**
 * `hqsim report` through the real CLI: unreadable or missing result files give `hqsim: <file>: <problem>`,
 * exit code 2 and no report.html; good directories give the same bytes every time.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.ts';
import { copyDir, tempDir, writeSweepFixture } from './fixtures.ts';

let tmp: string;
let run: string;
let sweep: string;
let n = 0;

beforeAll(async () => {
  tmp = tempDir('cli');
  run = join(tmp, 'run');
  const r = await runCli(['run', 'scenarios/quickstart.yaml', '--out', run, '--quiet']);
  expect(r.code).toBe(0);
  sweep = writeSweepFixture(join(tmp, 'sweep'), { design: 'sobol', arms: ['base', 'cash'], points: 20, replications: 2 });
});

/** A fresh copy of a result directory, changed by `edit`. */
function variant(from: string, edit: (dir: string) => void): string {
  const dir = copyDir(from, join(tmp, `v${++n}`));
  edit(dir);
  return dir;
}

async function expectRefused(dir: string, file: string, problem: RegExp) {
  const r = await runCli(['report', dir]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const line = r.stderr.trim();
  expect(line.startsWith(`hqsim: ${join(dir, file)}: `), line).toBe(true);
  expect(line).toMatch(problem);
  expect(line.split('\n')).toHaveLength(1);
  expect(existsSync(join(dir, 'report.html'))).toBe(false);
  expect(existsSync(join(dir, `.report.html.partial-${process.pid}`))).toBe(false);
}

const edit = (file: string, f: (text: string) => string) => (dir: string) => writeFileSync(join(dir, file), f(readFileSync(join(dir, file), 'utf8')));

describe('hqsim report: bad inputs exit 2 and write nothing', () => {
  it('a directory that does not exist', async () => {
    const dir = join(tmp, 'nowhere');
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`hqsim: ${dir}: no such directory`);
  });

  it('missing events.csv', async () => {
    await expectRefused(variant(run, (d) => rmSync(join(d, 'events.csv'))), 'events.csv', /missing/);
  });

  it('missing manifest.json', async () => {
    await expectRefused(variant(run, (d) => rmSync(join(d, 'manifest.json'))), 'manifest.json', /missing/);
  });

  it('manifest.json that is not JSON', async () => {
    await expectRefused(variant(run, edit('manifest.json', (t) => t.slice(0, 40))), 'manifest.json', /not valid JSON/);
  });

  it('a manifest of an unknown kind', async () => {
    await expectRefused(variant(run, edit('manifest.json', (t) => JSON.stringify({ ...JSON.parse(t), kind: 'banana' }))), 'manifest.json', /unknown kind "banana"/);
  });

  it('a city_year.csv row with too few fields', async () => {
    await expectRefused(variant(run, edit('city_year.csv', (t) => t.replace(/\n([^\n]*)\n/, (_m, l: string) => `\n${l.split(',').slice(0, 5).join(',')}\n`))),
      'city_year.csv', /line 2: 5 fields where the header has \d+/);
  });

  it('a number column holding text', async () => {
    await expectRefused(variant(run, edit('events.csv', (t) => t.replace(/\n\d{4},/, '\nabc,'))), 'events.csv', /line 2: column "year" is not a number \("abc"\)/);
  });

  it('a CSV with a missing column', async () => {
    await expectRefused(variant(run, edit('city_year.csv', (t) => t.replace('hosted_orgs,', 'hosted,'))), 'city_year.csv', /missing column "hosted_orgs"/);
  });

  it('an unterminated quote', async () => {
    await expectRefused(variant(run, edit('events.csv', (t) => t.replace(/\n(\d{4}),/, '\n"$1,'))), 'events.csv', /unterminated quoted field/);
  });

  it('an empty summary.json object', async () => {
    await expectRefused(variant(run, (d) => writeFileSync(join(d, 'summary.json'), '{}')), 'summary.json', /field "seed" must be a number/);
  });

  it('a sobol sweep without sensitivity.csv', async () => {
    await expectRefused(variant(sweep, (d) => rmSync(join(d, 'sensitivity.csv'))), 'sensitivity.csv', /missing/);
  });

  it('a sweep whose points.csv lacks a factor column', async () => {
    await expectRefused(variant(sweep, edit('points.csv', (t) => t.replace('subsidy_musd', 'subsidy'))), 'points.csv', /missing column "subsidy_musd"/);
  });

  it('a sweep manifest without factors', async () => {
    await expectRefused(variant(sweep, edit('manifest.json', (t) => JSON.stringify({ ...JSON.parse(t), factors: [] }))), 'manifest.json', /"factors" must be a non-empty list/);
  });

  it('keeps an existing report.html when the new inputs are bad', async () => {
    const dir = variant(run, (d) => { writeFileSync(join(d, 'report.html'), 'old'); rmSync(join(d, 'org_year.csv')); });
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('old');
  });
});

describe('hqsim report: good inputs', () => {
  it('writes the same bytes every time, from report and from run --report', async () => {
    const a = variant(run, () => {});
    const r1 = await runCli(['report', a]);
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(/^report: .*report\.html \(run, 8 charts, \d+ KiB\)\n$/);
    const first = readFileSync(join(a, 'report.html'), 'utf8');
    const r2 = await runCli(['report', a, '--quiet']);
    expect(r2.stdout).toBe('');
    expect(readFileSync(join(a, 'report.html'), 'utf8')).toBe(first);
    // A second process that also ran the simulation renders the same page (SVG ids do not depend on process history).
    const b = join(tmp, 'run-with-report');
    const r3 = await runCli(['run', 'scenarios/quickstart.yaml', '--out', b, '--quiet', '--report']);
    expect(r3.code).toBe(0);
    expect(readFileSync(join(b, 'report.html'), 'utf8')).toBe(first);
  });

  it('the run page carries the CLI summary, the charts and their data tables, and stays small', async () => {
    const a = variant(run, () => {});
    expect((await runCli(['report', a])).code).toBe(0);
    const html = readFileSync(join(a, 'report.html'), 'utf8');
    const summary = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8')) as { organizations: number; cities: number };
    expect(html).toContain(`${summary.organizations} organizations in ${summary.cities} cities`);
    expect(html).toContain('top hosts:');
    expect(html).toContain("Content-Security-Policy");
    expect((html.match(/<figure class="chart"/g) ?? []).length).toBe(8);
    expect((html.match(/<details class="data">/g) ?? []).length).toBe(8);
    // Every SVG id is unique on the page.
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html.length).toBeLessThan(400_000);
  });

  it('the sweep page has response, arm, sensitivity charts and the table of points', async () => {
    const a = variant(sweep, () => {});
    const r = await runCli(['report', a]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(sweep, \d+ charts/);
    const html = readFileSync(join(a, 'report.html'), 'utf8');
    for (const id of ['fig-response-shanghai_orgs', 'fig-response-hhi', 'fig-arms', 'fig-sensitivity-sobol', 'points-table']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('Sobol sensitivity indices (tornado)');
  });
});
