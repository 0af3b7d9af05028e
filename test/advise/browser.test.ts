/**
 * The focal-city page of `hqsim advise --report`, opened in headless Chromium (Debian's, via playwright-core):
 * every chart drawn and titled, nothing fetched, the briefing paragraph on the page; `hqsim report` on the advice
 * directory writes the same bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers.ts';
import { checkReport, launch, type Session } from '../report/browser-check.ts';

let session: Session;
let tmp: string;
beforeAll(async () => { session = await launch(); tmp = mkdtempSync(join(tmpdir(), 'hqsim-advise-page-')); });
afterAll(async () => { await session?.close(); });

describe('the advice page in Chromium', () => {
  for (const [contest, city, extra] of [['desert_seat_1998', 'geneva', ['--rivals', 'respond']], ['fund_seat_2012', 'toronto', []]] as const) {
    it(`${city} in ${contest}`, async () => {
      const dir = join(tmp, `${contest}-${city}`);
      const r = await runCli(['advise', 'scenarios/quickstart.yaml', '--contest', contest, '--city', city, '--runs', '30', '--workers', '2', '--report', '--out', dir, ...extra]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/report: .*report\.html/);
      const file = join(dir, 'report.html');
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//i);
      const advice = JSON.parse(readFileSync(join(dir, 'advice.json'), 'utf8'));
      // the paragraph for a briefing is on the page, as generated from the numbers
      expect(html).toContain(advice.summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').slice(0, 120));
      const check = await checkReport(session, file, `advice-${city}`);
      expect(check.problems).toEqual([]);
      expect(check.figures.map((f) => f.id)).toEqual(['fig-curve', 'fig-per-usd', 'fig-breakdown']);
      // hqsim report rebuilds the page from advice.json, byte for byte
      const again = await runCli(['report', dir]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/\(advice, 3 charts/);
      expect(readFileSync(file, 'utf8')).toBe(html);
    }, 240_000);
  }
});
