/**
 * The engine bundled for the browser, run in a bare vm context (no require, no process, no Buffer): the page's
 * worker gives the same summary.json as Node for the same settings, and the shims behave like Node's modules.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import vm from 'node:vm';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSandbox, contentSecurityPolicy, scriptSafe } from '../../src/sandbox/build.ts';
import { bundle, PACKAGE_ROOT, PathMap } from '../../src/sandbox/bundle.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { readInputFile } from '../../src/limits/index.ts';
import { replicationSeed } from '../../src/experiment/file.ts';
import { runSummary } from '../../src/sandbox/replicate.ts';
import type { Reply, Request } from '../../src/sandbox/protocol.ts';
import { ROOT } from '../helpers.ts';
import { browserLike, workerFrom } from './fixtures/page.ts';

describe('the page\'s worker', () => {
  let send: (req: Request) => Reply;
  let html: string;
  /** The scenario as the page names it (a virtual path), and as Node reads it. */
  let file: string;
  const real = join(ROOT, 'scenarios/bonn-1994.yaml');
  beforeAll(async () => {
    const built = await buildSandbox(real);
    html = built.html;
    file = built.data.scenario.file;
    const worker = workerFrom(html);
    expect(worker.nodeGlobals).toBe('undefined,undefined,undefined');
    send = worker.send;
  }, 60_000);

  it('writes the same summary.json as Node for the same settings and seed', () => {
    const cases: { overrides: Record<string, unknown>; seed: number; label: string | null }[] = [
      { overrides: {}, seed: 1, label: null },
      { overrides: { 'cities.bonn.budgetMusd': 55, 'cities.geneva.strategy': 'rising', 'contests.unfccc_seat.bids.bonn.term': 5 }, seed: 424242, label: 'sandbox' },
    ];
    for (const c of cases) {
      const r = send({ type: 'summary', job: 1, variant: { file, arm: null, overrides: c.overrides }, seed: c.seed, label: c.label });
      expect(r.type).toBe('summary');
      const node = runSummary(loadScenario(real, { overrides: c.overrides }), c.seed, c.label);
      expect((r as { json: string }).json).toBe(node);
    }
  });

  it('reports bad settings as the CLI does: file, line, field', () => {
    const r = send({ type: 'run', job: 2, variant: { file, arm: null, overrides: { 'cities.bonn.budgetMusd': -1 } }, focal: 'bonn', reps: [0] });
    expect(r).toEqual({ type: 'error', job: 2, problems: [expect.stringMatching(/scenarios\/bonn-1994\.yaml:\d+:\d+: cities\[0\]\.budgetMusd: Too small/)] });
  });

  it('runs replications with the seeds of hqsim odds and sweep', () => {
    const r = send({ type: 'run', job: 3, variant: { file, arm: null, overrides: {} }, focal: 'bonn', reps: [0, 1] });
    expect(r.type).toBe('run');
    const outs = (r as { outcomes: { r: number; seed: number; hosted: number[] }[] }).outcomes;
    expect(outs.map((o) => o.seed)).toEqual([replicationSeed(1, 0), replicationSeed(1, 1)]);
    expect(outs[0].hosted).toHaveLength(32);
  });

  it('carries its Content-Security-Policy: only its own script and style, blob: workers, no network', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1].replace(/&#39;|&apos;/g, "'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    expect(csp).toBe(contentSecurityPolicy(script, style));
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+'; worker-src blob:;/);
    expect(csp).not.toMatch(/connect-src|unsafe-eval|unsafe-inline|https?:/);
    expect(html).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//i);
    expect(scriptSafe('a="</script><!--"')).toBe('a="<\\/script><\\!--"');
    expect(scriptSafe('x = "</SCRIPT>"')).not.toMatch(/<\/script/i);
  });
});

describe('browser shims', () => {
  let probe: Record<string, (...a: unknown[]) => unknown> & { root: string; seeds: Record<string, string> };
  const paths = new PathMap([ROOT, PACKAGE_ROOT, join(ROOT, 'scenarios/bonn-1994.yaml')]);
  beforeAll(async () => {
    // The files Node's loader reads for the scenario (seeds, history), as the page embeds them.
    const files = loadScenario(join(ROOT, 'scenarios/bonn-1994.yaml')).inputs.map((i) => i.file);
    const vfs = { cwd: paths.virtual(ROOT), files: Object.fromEntries(files.map((f) => [paths.virtual(f), readFileSync(f, 'utf8')])) };
    const code = await bundle(join(ROOT, 'test/sandbox/fixtures/probe.ts'), { vfs, paths, nodeGlobals: true });
    const ctx = browserLike();
    vm.runInContext(code, ctx);
    probe = vm.runInContext('probe', ctx);
  }, 60_000);

  it('sha256 is Node\'s, for any text (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      expect(probe.sha(s)).toBe(createHash('sha256').update(s).digest('hex'));
    }));
  });

  it('replication seeds are Node\'s (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat(100000), (seed, r) => {
      expect(probe.seed(seed, r)).toBe(replicationSeed(seed, r));
    }));
  });

  it('finds the bundled seeds through import.meta.url, and reads files the page carries', () => {
    expect(probe.root).toBe(paths.virtual(PACKAGE_ROOT));
    expect(probe.seeds.cities).toBe(paths.virtual(join(PACKAGE_ROOT, 'seeds/cities.csv')));
    expect(probe.cwd()).toBe(paths.virtual(ROOT));
    const node = loadScenario(join(ROOT, 'scenarios/bonn-1994.yaml')).inputs;
    const browser = probe.inputs(paths.virtual(join(ROOT, 'scenarios/bonn-1994.yaml'))) as typeof node;
    expect(browser.map((i) => i.sha256)).toEqual(node.map((i) => i.sha256));
    expect(browser.map((i) => i.file)).toEqual(node.map((i) => paths.virtual(i.file)));
    expect(probe.exists(paths.virtual(join(ROOT, 'scenarios/bonn-1994.yaml')))).toBe(true);
    expect(probe.exists(paths.virtual(join(ROOT, 'scenarios/none.yaml')))).toBe(false);
    expect(() => probe.read('/etc/passwd')).toThrow(/ENOENT/);
    expect(relative(paths.root, ROOT).startsWith('..')).toBe(false);
  });

  it('reads the page\'s files through descriptors as the loaders do, in any chunk size (property)', () => {
    const files = loadScenario(join(ROOT, 'scenarios/bonn-1994.yaml')).inputs.map((i) => i.file);
    for (const f of files) expect(probe.readInput(paths.virtual(f))).toBe(readInputFile(f));
    expect(() => probe.readInput('/nowhere.yaml')).toThrow(/^\/nowhere\.yaml: no such file or directory/);
    fc.assert(fc.property(fc.constantFrom(...files), fc.integer({ min: 1, max: 70_000 }), (f, size) => {
      const bytes = readFileSync(f);
      expect(probe.chunks(paths.virtual(f), size)).toEqual([bytes.length, bytes.toString('hex')]);
    }), { numRuns: 30 });
  });
});
