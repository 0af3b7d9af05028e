/**
 * Opens report pages in headless Chromium (the Debian package, driven by playwright-core) and checks them:
 * no console errors, no page errors, no failed requests, no request leaving file:/data:, and every chart
 * figure drawn with a non-zero size and a visible title. Saves a full-page screenshot per report.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts');

export interface Session { context: BrowserContext; close: () => Promise<void> }

/** Launch Chromium; throws (so the test fails, never skips) when it is not installed. */
export async function launch(): Promise<Session> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the report browser test needs Chromium. Install it with: apt-get update && apt-get install -y chromium`);
  }
  // A fresh profile directory per session (playwright takes it as userDataDir rather than --user-data-dir).
  const profile = mkdtempSync(join(tmpdir(), 'hqsim-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

export interface FigureCheck { id: string; title: string; width: number; height: number; titleVisible: boolean }
export interface PageCheck { problems: string[]; figures: FigureCheck[]; screenshot: string }

// The few DOM shapes used inside page.evaluate (the project compiles without the DOM library).
interface Box { width: number; height: number }
interface El {
  id: string; textContent: string | null; open?: boolean;
  getAttribute(name: string): string | null; querySelector(sel: string): El | null; querySelectorAll(sel: string): Iterable<El>;
  getBoundingClientRect(): Box;
}
declare const document: { querySelectorAll(sel: string): Iterable<El> };
declare function getComputedStyle(e: El): { visibility: string; display: string; opacity: string };

/** Open one report and check it; `name` names the screenshot under test/artifacts/. */
export async function checkReport(session: Session, file: string, name: string): Promise<PageCheck> {
  const problems: string[] = [];
  const page = await session.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  page.on('request', (r) => { if (!/^(file|data):/.test(r.url())) problems.push(`request leaves the file: ${r.url()}`); });
  try {
    const res = await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    if (!res || !res.ok()) problems.push(`page did not load (${res?.status()})`);
    // Charts shown on demand sit in closed <details>: open them all so every chart can be measured.
    await page.evaluate(() => { for (const d of document.querySelectorAll('details.more')) d.open = true; });
    const figures: FigureCheck[] = await page.$$eval('figure.chart', (figs) => (figs as unknown as El[]).map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const title = f.getAttribute('data-title') ?? '';
      const texts = svg ? [...svg.querySelectorAll('text')] : [];
      const t = texts.find((x) => (x.textContent ?? '').trim() === title);
      const tb = t?.getBoundingClientRect();
      const style = t ? getComputedStyle(t) : null;
      return {
        id: f.id, title, width: box?.width ?? 0, height: box?.height ?? 0,
        titleVisible: !!tb && tb.width > 0 && tb.height > 0 && style!.visibility !== 'hidden' && style!.display !== 'none' && style!.opacity !== '0',
      };
    }));
    if (figures.length === 0) problems.push('no chart figure on the page');
    for (const f of figures) {
      if (!(f.width > 0 && f.height > 0)) problems.push(`${f.id}: chart has no size (${f.width}x${f.height})`);
      if (!f.title) problems.push(`${f.id}: figure has no data-title`);
      else if (!f.titleVisible) problems.push(`${f.id}: title "${f.title}" is not visible in the chart`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    return { problems, figures, screenshot };
  } finally {
    await page.close();
  }
}
