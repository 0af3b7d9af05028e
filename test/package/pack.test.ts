/**
 * The package as a user gets it: `npm pack`, installed into an empty folder (dependencies from the npm cache
 * or the registry), then the installed command runs the bundled quickstart, a sweep on worker threads and a
 * starter written by `hqsim init`, and a TypeScript consumer is type-checked against the declarations.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, CLI } from '../helpers.ts';
import vm from 'node:vm';
import { loadScenario, runScenario } from '../../src/index.ts';
import { runSummary } from '../../src/sandbox/replicate.ts';
import { pageData, workerFrom } from '../sandbox/fixtures/page.ts';

const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** The environment of a fresh shell: without the npm_* variables of the `npm test` that may have started us. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

let tmp: string;
let app: string;
let packed: string[];

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const hqsim = (args: string[]) => run(process.execPath, [join(app, 'node_modules/hqsim/src/cli/hqsim.mjs'), ...args], app);
/** Each check starts processes (a run, a sweep, the TypeScript compiler twice): generous for a busy 2-core machine. */
const SLOW = 300_000;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hqsim-pack-'));
  // `npm pack` runs the `prepare` build (a no-op here: the global setup built already).
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const info = JSON.parse(json.slice(json.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  packed = info[0].files.map((f) => f.path);
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const r = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, info[0].filename)], app);
  if (r.code !== 0) throw new Error(`npm install of the packed tarball failed:\n${r.stdout}${r.stderr}`);
}, 600_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe('npm pack', () => {
  it('packs the compiled code, declarations, entries, starter templates, scenarios, seeds and docs, but no .ts source', () => {
    for (const f of ['package.json', 'README.md', 'src/cli/hqsim.mjs', 'src/cli/main.js', 'src/index.js', 'src/index.d.ts', 'src/index.js.map',
      'src/experiment/worker.mjs', 'src/experiment/worker.js', 'src/init/scenario.yaml', 'src/init/experiment.sweep.yaml',
      'scenarios/quickstart.yaml', 'scenarios/quickstart.sweep.yaml', 'seeds/cities.csv', 'seeds/organizations.csv', 'docs/ODD.md', 'docs/references.md']) {
      expect(packed, f).toContain(f);
    }
    // The only TypeScript packed is the sandbox page's own script, a project of its own that esbuild bundles
    // when `hqsim sandbox` writes a page (src/sandbox/ui); everything else is compiled.
    const ui = readdirSync(join(ROOT, 'src/sandbox/ui')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => `src/sandbox/ui/${f}`);
    expect(ui.length).toBeGreaterThan(0);
    expect(packed.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()).toEqual(ui.sort());
    expect(packed.filter((f) => /tsbuildinfo|tsconfig|^src\/bench\/|^test\/|^results\//.test(f))).toEqual([]);
  });
});

describe('the installed package', () => {
  it('runs the bundled quickstart from node_modules/hqsim/scenarios, with the results of the clone', () => {
    const v = hqsim(['--version']);
    expect(v.stdout.trim()).toBe(VERSION);
    const r = hqsim(['run', 'node_modules/hqsim/scenarios/quickstart.yaml']);
    // Warnings about the scenario (passive cities, say) may be printed; nothing else.
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '))).toEqual([]);
    expect(r.code).toBe(0);
    const installed = readFileSync(join(app, 'results/quickstart/seed-1/summary.json'), 'utf8');
    const clone = join(tmp, 'clone-run');
    const c = spawnSync(process.execPath, [CLI, 'run', join(ROOT, 'scenarios/quickstart.yaml'), '--out', clone, '--quiet'], { encoding: 'utf8' });
    expect(c.status).toBe(0);
    expect(installed).toBe(readFileSync(join(clone, 'summary.json'), 'utf8'));
    expect(readFileSync(join(app, 'results/quickstart/seed-1/events.csv'))).toEqual(readFileSync(join(clone, 'events.csv')));
  }, SLOW);

  it('writes a sandbox page whose engine gives the summary of the clone', () => {
    // The page's script is bundled from the packed TypeScript of src/sandbox/ui and the compiled modules it shares
    // with the command; the worker from the compiled engine.
    const r = hqsim(['sandbox', 'node_modules/hqsim/scenarios/quickstart.yaml', '--out', 'quickstart.html']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sandbox: .*quickstart\.html \(quickstart, focal city bonn/);
    const html = readFileSync(join(app, 'quickstart.html'), 'utf8');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    expect(() => new vm.Script(script)).not.toThrow();
    const worker = workerFrom(html);
    expect(worker.nodeGlobals).toBe('undefined,undefined,undefined');
    const reply = worker.send({ type: 'summary', job: 1, variant: { file: pageData(html).scenario.file, arm: null, overrides: {} }, seed: 1, label: null });
    expect(reply.type, JSON.stringify(reply)).toBe('summary');
    expect((reply as { json: string }).json).toBe(runSummary(loadScenario(join(ROOT, 'scenarios/quickstart.yaml')), 1, null));
  }, SLOW);

  it('is on the PATH of npm scripts as `hqsim`', () => {
    const r = run('npm', ['exec', '--offline', '--', 'hqsim', '--version'], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  }, SLOW);

  it('runs a bundled sweep on two worker threads', () => {
    const r = hqsim(['sweep', 'node_modules/hqsim/scenarios/quickstart.sweep.yaml', '--workers', '2', '--quiet', '--out', 'sweep']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(app, 'sweep/arms.csv'), 'utf8')).toMatch(/^arm,baseline,metric,/);
  }, SLOW);

  it('writes a starter with hqsim init that runs', () => {
    expect(hqsim(['init', 'starter']).code).toBe(0);
    const r = hqsim(['run', 'starter/scenario.yaml', '--arm', 'cash', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(app, 'results/my-city/cash/seed-1/summary.json'))).toBe(true);
  }, SLOW);

  it('serves its library API to plain JavaScript', () => {
    writeFileSync(join(app, 'use.mjs'), [
      "import { loadScenario, runScenario, VERSION } from 'hqsim';",
      "const res = runScenario(loadScenario('node_modules/hqsim/scenarios/quickstart.yaml'), { seed: 1 });",
      "console.log(JSON.stringify({ version: VERSION, relocations: res.summary.relocations, cities: Object.keys(res.summary.byCity).length }));",
    ].join('\n'));
    const r = run(process.execPath, ['use.mjs'], app);
    expect(r.stderr).toBe('');
    const here = runScenario(loadScenario(join(ROOT, 'scenarios/quickstart.yaml')), { seed: 1 }).summary;
    expect(JSON.parse(r.stdout)).toEqual({ version: VERSION, relocations: here.relocations, cities: Object.keys(here.byCity).length });
  }, SLOW);

  it('type-checks a TypeScript consumer against its declarations, and rejects a wrong one', () => {
    // A Node project's settings, strict and without skipLibCheck, so that the declarations themselves are
    // checked; Node's types come from this repository (a consumer has its own @types/node).
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, lib: ['ES2022'],
        types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')],
      },
      files: ['consumer.ts'],
    }));
    writeFileSync(join(app, 'consumer.ts'), [
      "import { loadScenario, runScenario, simulate, ScenarioError, formatProblem, paramEntries, VERSION, type Recorder, type Summary, type EventRecord } from 'hqsim';",
      "const sc = loadScenario('node_modules/hqsim/scenarios/quickstart.yaml', { overrides: { 'cities.bonn.budgetMusd': 40 } });",
      'const res = runScenario(sc, { seed: 7, orgYears: false });',
      'const hosted: number = res.summary.byCity.bonn.hostedOrgs;',
      "const moves: EventRecord[] = res.events.filter((e) => e.type === 'relocation');",
      "const rec: Recorder = { wants: { events: ['contest_result'], orgYears: false }, event: () => {}, cityYear: () => {}, orgYear: () => {} };",
      'const s: Summary = simulate(sc, { seed: 1, recorder: rec });',
      "try { loadScenario('missing.yaml'); } catch (e) { if (e instanceof ScenarioError) e.problems.map(formatProblem); }",
      'const n: number = paramEntries().length;',
      'export const out: string = `${VERSION} ${hosted} ${moves.length} ${s.relocations} ${n}`;',
    ].join('\n'));
    const ok = run(process.execPath, [TSC, '-p', '.'], app);
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // The declarations carry real types: a misuse is an error at its line.
    writeFileSync(join(app, 'consumer.ts'), [
      "import { loadScenario, runScenario } from 'hqsim';",
      "const res = runScenario(loadScenario('x.yaml'), { seed: 'seven' });",
      'export const wrong: string = res.summary.relocations;',
    ].join('\n'));
    const bad = run(process.execPath, [TSC, '-p', '.'], app);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/consumer\.ts\(2,\d+\): error TS2322/);
    expect(bad.stdout).toMatch(/consumer\.ts\(3,\d+\): error TS2322/);
  }, SLOW);
});
