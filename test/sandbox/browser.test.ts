/**
 * The sandbox page in headless Chromium, opened from file://: it runs, it refines, moving controls changes the
 * figures, the summary of one run equals `hqsim run` with the exported arm byte for byte, the permalink restores
 * the page, worker count does not change a figure, and nothing leaves the page (every request is routed and
 * anything but file:, blob: or data: fails the test). Timings are recorded (test/artifacts/sandbox-timings.json),
 * not asserted. Screenshots: test/artifacts/sandbox-*.png.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ROOT, runCli } from '../helpers.ts';
import { ARTIFACTS, launch, type Session } from '../report/browser-check.ts';
import { tempDir } from '../report/fixtures.ts';

let session: Session;
let tmp: string;
const timings: Record<string, unknown> = {};

beforeAll(async () => {
  session = await launch();
  tmp = tempDir('sandbox');
});
afterAll(async () => {
  await session?.close();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'sandbox-timings.json'), JSON.stringify(timings, null, 2) + '\n');
});

interface Timing { gen: number; at: number; first: number | null; refined: number | null; full: number | null }
declare const document: { body: { dataset: Record<string, string | undefined> }; getElementById(id: string): { textContent: string | null; value?: string; open?: boolean; dataset: Record<string, string | undefined> } | null; querySelector(s: string): unknown };
declare const window: { hqsim: { timings: Timing[]; workers: number } };

/** Open a page with every request routed: file:, blob: and data: go through, anything else is refused and recorded. */
async function open(url: string, problems: string[]): Promise<Page> {
  const page = await session.context.newPage();
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (/^(file|blob|data):/.test(u)) return route.continue();
    problems.push(`request leaves the page: ${u}`);
    return route.abort();
  });
  page.on('request', (r) => { if (!/^(file|blob|data):/.test(r.url())) problems.push(`request: ${r.url()}`); });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('worker', (w) => w.on('close', () => undefined));
  const res = await page.goto(url, { waitUntil: 'load' });
  expect(res?.ok()).toBe(true);
  return page;
}

const waitGen = (page: Page, gen: number, what: 'first' | 'refined' | 'complete', timeout = 180_000) =>
  page.waitForFunction(([g, w]) => {
    const d = document.body.dataset;
    if (d.gen !== String(g)) return false;
    if (w === 'first') return Number(d.current) > 0;
    if (w === 'refined') return Number(d.current) >= 20 && Number(d.baseline) >= 20;
    return d.complete === 'true';
  }, [gen, what] as const, { timeout, polling: 50 });

const timingsOf = (page: Page) => page.evaluate(() => window.hqsim.timings);
/** Text of every data table on the page (what the figures show, as numbers). */
const tables = (page: Page) => page.$$eval('#results figure.chart .tbl, #cost', (els) => els.map((e) => (e as unknown as { id: string; textContent: string }).textContent));

async function setNumber(page: Page, path: string, value: number) {
  await page.evaluate(([p, v]) => {
    const input = (document.querySelector(`[data-path="${p}"] input[type=number]`) as { value: string; dispatchEvent(e: unknown): void });
    input.value = String(v);
    input.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('change'));
  }, [path, value] as const);
}

async function pageSummary(page: Page): Promise<string> {
  await page.click('#single > summary');
  await page.waitForFunction(() => document.getElementById('single')!.dataset.ready === 'true', null, { timeout: 120_000 });
  return (await page.textContent('#summary-json')) ?? '';
}

/** Run the CLI with the page's exported arm pasted into a copy of the scenario. */
async function cliSummary(scenario: string, armYaml: string, arm: string | null, seed: number): Promise<string> {
  const copy = join(tmp, `${arm ?? 'base'}-${seed}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(copy, readFileSync(join(ROOT, scenario), 'utf8') + (arm ? '\n' + armYaml : ''));
  const out = join(tmp, `run-${Math.random().toString(36).slice(2)}`);
  const r = await runCli(['run', copy, ...(arm ? ['--arm', arm] : []), '--seed', String(seed), '--out', out, '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return readFileSync(join(out, 'summary.json'), 'utf8');
}

describe('hqsim sandbox in Chromium', () => {
  it('quickstart: runs offline, refines, follows the controls, agrees with the CLI byte for byte, restores from its permalink', async () => {
    const file = join(tmp, 'quickstart.html');
    const built = await runCli(['sandbox', 'scenarios/quickstart.yaml', '--out', file]);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const problems: string[] = [];
    const page = await open(pathToFileURL(file).href, problems);

    await waitGen(page, 1, 'complete');
    const t1 = (await timingsOf(page))[0];
    expect(t1.first).not.toBeNull();
    expect(await page.evaluate(() => window.hqsim.workers)).toBe(2);
    const before = await tables(page);
    expect(before.join('')).toMatch(/climate_seat_1995|Geneva/);
    // The figures are drawn: one fan chart, one odds chart per contest, a why-breakdown for Bonn's contests.
    const ids = await page.$$eval('figure.chart', (fs) => fs.map((f) => (f as unknown as { id: string }).id));
    expect(ids).toEqual(expect.arrayContaining(['fan', 'odds-climate_seat_1995', 'odds-desert_seat_1998', 'odds-energy_seat_2009', 'odds-fund_seat_2012', 'why-fund_seat_2012']));
    await page.screenshot({ path: join(ARTIFACTS, 'sandbox-quickstart.png'), fullPage: false });

    // Move a slider (a real input on the range control): Bonn's budget.
    const slider = page.locator('[data-path="cities.bonn.budgetMusd"] input[type=range]');
    await slider.fill('45');
    await waitGen(page, 2, 'first');
    await waitGen(page, 2, 'complete');
    const t2 = (await timingsOf(page))[1];
    const afterBudget = await tables(page);
    expect(afterBudget).not.toEqual(before);
    // Bonn's bid for the climate secretariat: a much larger subsidy.
    await setNumber(page, 'contests.climate_seat_1995.bids.bonn.subsidyMusd', 15);
    await waitGen(page, 3, 'complete');
    const afterBid = await tables(page);
    expect(afterBid).not.toEqual(afterBudget);
    // A rival's strategy.
    await page.selectOption('tr[data-city="shanghai"] select', 'fixed');
    await waitGen(page, 4, 'complete');
    const t4 = (await timingsOf(page))[3];
    await page.screenshot({ path: join(ARTIFACTS, 'sandbox-quickstart-moved.png'), fullPage: true });

    const yaml = await page.inputValue('#arm-yaml');
    expect(yaml).toBe('arms:\n  sandbox:\n    cities.bonn.budgetMusd: 45\n    contests.climate_seat_1995.bids.bonn.subsidyMusd: 15\n    cities.shanghai.strategy: "fixed"\n');
    expect(await page.textContent('#cli')).toBe('npx hqsim run scenarios/quickstart.yaml --arm sandbox');

    // One run's summary equals the CLI's for the exported arm, for the scenario's seed and another.
    expect(await pageSummary(page)).toBe(await cliSummary('scenarios/quickstart.yaml', yaml, 'sandbox', 1));
    await page.fill('#seed', '7');
    await page.dispatchEvent('#seed', 'change');
    await page.waitForFunction(() => document.getElementById('single')!.dataset.ready === 'true' && document.getElementById('single-seed')!.textContent === '7', null, { timeout: 120_000 });
    expect(await page.textContent('#summary-json')).toBe(await cliSummary('scenarios/quickstart.yaml', yaml, 'sandbox', 7));
    expect(await page.textContent('#cli')).toBe('npx hqsim run scenarios/quickstart.yaml --arm sandbox --seed 7');

    // The permalink restores exactly what was shown; one worker shows the same numbers as two.
    const link = await page.inputValue('#permalink');
    expect(link).toContain('#v=1&');
    const again = await open(link + '&workers=1', problems);
    expect(await again.evaluate(() => window.hqsim.workers)).toBe(1);
    await waitGen(again, 1, 'complete');
    expect(await again.inputValue('#arm-yaml')).toBe(yaml);
    expect(await tables(again)).toEqual(await tables(page));
    await again.close();

    // A value the scenario rejects: typed into a box, it is refused on the spot; from a permalink, the loader's
    // own messages (file, line, field) are shown and nothing runs.
    await page.fill('[data-path="cities.bonn.levers.freeOffices"] input[type=number]', '3');
    await page.dispatchEvent('[data-path="cities.bonn.levers.freeOffices"] input[type=number]', 'change');
    expect(await page.textContent('[data-path="cities.bonn.levers.freeOffices"] .warn')).toBe('3 is above 1; the scenario would reject it');
    expect(await page.evaluate(() => document.body.dataset.gen)).toBe('4');
    await page.close();
    const bad = await open(pathToFileURL(file).href + '#set.cities.bonn.budgetMusd=-5', problems);
    await waitGen(bad, 1, 'complete');
    expect(await bad.textContent('#problems')).toMatch(/scenarios\/quickstart\.yaml:\d+:\d+: cities\[1\]\.budgetMusd: Too small: expected number to be >=0/);
    await bad.close();

    expect(problems).toEqual([]);
    timings.quickstart = { open: t1, slider: t2, select: t4 };
  }, 600_000);

  it('bonn-1994: first refined figures, a slider move, and the same summary as the CLI', async () => {
    const file = join(tmp, 'bonn.html');
    const built = await runCli(['sandbox', 'scenarios/bonn-1994.yaml', '--out', file]);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/focal city bonn/);
    const problems: string[] = [];
    const page = await open(pathToFileURL(file).href, problems);
    await waitGen(page, 1, 'refined');
    const t1 = (await timingsOf(page))[0];
    const before = await tables(page);
    await page.screenshot({ path: join(ARTIFACTS, 'sandbox-bonn-1994.png'), fullPage: false });
    await page.locator('[data-path="cities.bonn.budgetMusd"] input[type=range]').fill('80');
    await waitGen(page, 2, 'refined');
    const t2 = (await timingsOf(page))[1];
    expect(await tables(page)).not.toEqual(before);
    const yaml = await page.inputValue('#arm-yaml');
    expect(yaml).toBe('arms:\n  sandbox:\n    cities.bonn.budgetMusd: 80\n');
    expect(await pageSummary(page)).toBe(await cliSummary('scenarios/bonn-1994.yaml', yaml, 'sandbox', 1));
    await page.close();
    expect(problems).toEqual([]);
    timings.bonn1994 = { open: t1, slider: t2 };
  }, 600_000);
});
