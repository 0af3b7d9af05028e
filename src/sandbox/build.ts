/**
 * Writes the sandbox page: one self-contained HTML file with the scenario, the seed files it reads, the
 * controls (derived from the schema) and two bundled scripts: the page's own and the Web Worker engine. A
 * Content-Security-Policy allows exactly these inline scripts and styles, workers from blob: URLs and nothing
 * that reaches the network.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { loadScenario, type Scenario } from '../scenario/load.ts';
import { buildWorld } from '../model/engine.ts';
import { VERSION } from '../version.ts';
import { esc } from '../report/html.ts';
import { bundle, PACKAGE_ROOT, PathMap, type VirtualFs } from './bundle.ts';
import { fieldCatalogue, type FieldCatalogue } from './fields.ts';
import { defaultFocal, type CityView, type ContestView, type Value, type VariantView } from './settings.ts';
import { STYLE } from './style.ts';

/** Replications per setting when the page is opened (the figures refine up to this count). */
export const DEFAULT_REPLICATIONS = 200;

export interface PageData {
  version: string;
  scenario: {
    name: string;
    description: string;
    /** The scenario file as the worker loads it from the page's files (a virtual path when it was given absolute). */
    file: string;
    /** The scenario file as the command was given it (for the command line the page suggests). */
    display: string;
    start: number;
    seed: number;
    /** First 12 hex digits of the scenario text's SHA-256: permalinks name the scenario they belong to. */
    id: string;
    arms: string[];
    armOverrides: Record<string, Record<string, Value>>;
  };
  /** The scenario resolved as written ('') and for each of its arms. */
  variants: Record<string, VariantView>;
  domains: string[];
  fields: FieldCatalogue;
  maxBudget: number;
  focal: string;
  replications: number;
  exportName: string;
}

export interface SandboxOptions {
  focal?: string;
  replications?: number;
}

const plain = (v: unknown): Value => JSON.parse(JSON.stringify(v ?? null)) as Value;

function variantView(sc: Scenario): VariantView {
  const orgName = new Map(sc.organizations.map((o) => [o.id, o.name]));
  const cities: CityView[] = sc.cities.map((c) => ({
    id: c.id, name: c.name, budgetMusd: c.budgetMusd, strategy: c.strategy,
    levers: plain(c.levers) as Record<string, Value>, bid: c.bid ? (plain(c.bid) as Record<string, Value>) : null,
    schedule: c.schedule.length, focusDomains: c.focusDomains,
  }));
  const contests: ContestView[] = sc.contests.map((k) => ({
    id: k.id, org: k.org, orgName: orgName.get(k.org) ?? k.org, year: k.year, rule: k.rule ?? 'organization',
    candidates: k.candidates ?? null, bids: plain(k.bids ?? {}) as Record<string, Record<string, Value>>,
  }));
  return { years: sc.years, cities, contests };
}

export interface Built { html: string; data: PageData; bytes: number }

/** Build the page for a scenario file (validated, with every arm, before anything is bundled). */
export async function buildSandbox(file: string, opts: SandboxOptions = {}): Promise<Built> {
  const base = loadScenario(file);
  const arms = base.arms.map((arm) => loadScenario(file, { arm }));
  const variants: Record<string, VariantView> = { '': variantView(base) };
  for (const sc of arms) variants[sc.arm!] = variantView(sc);

  const view = variants[''];
  if (opts.focal !== undefined && !view.cities.some((c) => c.id === opts.focal)) {
    throw new SandboxUsageError(`--focal ${opts.focal}: no such city in ${file}; cities: ${view.cities.map((c) => c.id).join(', ')}`);
  }
  const text = readFileSync(file, 'utf8');
  // The files the loader reads, for the scenario and every arm (seeds, history).
  const real = new Set<string>([resolve(file)]);
  for (const sc of [base, ...arms]) for (const i of sc.inputs) real.add(resolve(i.file));
  const paths = new PathMap([process.cwd(), PACKAGE_ROOT, ...real]);
  const vfs: VirtualFs = { cwd: paths.virtual(process.cwd()), files: {} };
  for (const f of [...real].sort()) vfs.files[paths.virtual(f)] = readFileSync(f, 'utf8');

  const names = new Set(base.arms);
  let exportName = 'sandbox';
  for (let i = 2; names.has(exportName); i++) exportName = `sandbox_${i}`;
  const data: PageData = {
    version: VERSION,
    scenario: {
      name: base.name, description: base.description,
      file: isAbsolute(file) ? paths.virtual(file) : file.split('\\').join('/'),
      display: file,
      start: base.start, seed: base.seed, id: createHash('sha256').update(text).digest('hex').slice(0, 12),
      arms: base.arms, armOverrides: Object.fromEntries(arms.map((sc) => [sc.arm!, plain(sc.overrides) as Record<string, Value>])),
    },
    variants,
    domains: buildWorld(base).domains,
    fields: fieldCatalogue(),
    maxBudget: Math.max(0, ...view.cities.map((c) => c.budgetMusd)),
    focal: opts.focal ?? defaultFocal(view),
    replications: opts.replications ?? DEFAULT_REPLICATIONS,
    exportName,
  };
  const [ui, worker] = await Promise.all([
    bundle('sandbox/ui/main.ts', { vfs: { cwd: '/', files: {} }, paths }),
    bundle('sandbox/worker.ts', { vfs, paths, nodeGlobals: true }),
  ]);
  const html = pageHtml(data, ui, worker);
  return { html, data, bytes: Buffer.byteLength(html) };
}

export class SandboxUsageError extends Error {}

/** Text that may sit inside a <script> element: no end tag, no comment opener. */
export function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const sha256b64 = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');

/** The Content-Security-Policy of the page: its own inline script and style (by hash), blob: workers, nothing else. */
export function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${sha256b64(script)}'`,
    `style-src 'sha256-${sha256b64(style)}'`,
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function pageHtml(data: PageData, uiJs: string, workerJs: string): string {
  const script = scriptSafe(uiJs);
  const style = STYLE;
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const title = `hqsim sandbox: ${data.scenario.name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(script, style))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hqsim ${esc(data.version)}">
<title>${esc(title)}</title>
<style>${style}</style>
</head>
<body>
<header class="top"><h1>${esc(title)}</h1><p class="sub">${esc(data.scenario.description)}</p>
<p class="status" id="status">Starting the simulation workers…</p><p class="sr" id="announce" role="status"></p></header>
<main id="app"><noscript>The sandbox runs the simulation in your browser and needs JavaScript.</noscript></main>
<script type="application/json" id="hqsim-data">${json}</script>
<script type="text/plain" id="hqsim-worker">${scriptSafe(workerJs)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** Write the page atomically (temporary file beside it, then rename). */
export function writePage(path: string, html: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    writeFileSync(tmp, html);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
