/**
 * `npm run bench`: world-scale benchmark, sweep throughput and memory scaling. One JSON line per case on stdout.
 *
 *   npm run bench                          S, M, L (each repeated, median and spread)
 *   npm run bench -- --case L              one world case
 *   npm run bench -- --case sweep          10,000-run sweep of scenarios/quickstart.yaml, 1 and 2 workers
 *   npm run bench -- --case scaling        memory and time at S, M, L and intermediate sizes, with a linear fit
 *   npm run bench -- --case startup        CLI start-up (`hqsim --version`, a quickstart run end to end) and
 *                                          sweep worker start-up (1 and 2 workers, to the first finished run)
 *   options: --repeat N (default 3), --seed N (worlds, default 1), --runs N (sweep, default 10000),
 *            --scenario FILE (sweep, default scenarios/quickstart.yaml), --workers 1,2 (sweep)
 *
 * Every measurement runs in a fresh child process (`node --expose-gc`), so peak RSS (getrusage maxrss) belongs
 * to that measurement alone and repeats do not share JIT state. The machine may be shared: each line gives the
 * median of the repeats, their min and max, and the load average before and after.
 *
 * World lines: wall time of `simulate`, peak RSS of the child, years, organizations, cities, reviews,
 * (organization, city) evaluations (logical: a fast-path review counts every city), relocations, ns per evaluation.
 * Scaling lines add the live memory at the last simulated year (after a forced GC, JS heap plus typed-array
 * buffers, minus both before the world was built); the last line fits live memory and peak RSS against
 * organizations and cities by least squares.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulate, type Recorder, type RunStats } from '../model/engine.ts';
import { CASES, SCALING, benchScenario, type BenchCase } from './cases.ts';

const ENTRY = fileURLToPath(new URL('./bench.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** What `npm run bench` promises on a 2-core machine (measured here, never asserted in tests). */
const TARGETS = { lWallSeconds: 3, lPeakRssMB: 1024, sweepSeconds2Workers: 60, sweepSpeedup: 1.8 };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const maxRssMB = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
/** CPU seconds (user + system) of this process, all threads included. */
const cpuSeconds = () => { const u = process.resourceUsage(); return (u.userCPUTime + u.systemCPUTime) / 1e6; };
const r1 = (x: number) => +x.toFixed(1);
const r3 = (x: number) => +x.toFixed(3);
const load = () => loadavg().map((x) => +x.toFixed(2));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median, min, max and the spread (max - min) / median of repeated measurements. */
function spread(xs: number[], round = r3) {
  const med = median(xs);
  return { median: round(med), min: round(Math.min(...xs)), max: round(Math.max(...xs)), spreadPct: med ? r1((100 * (Math.max(...xs) - Math.min(...xs))) / med) : 0, n: xs.length };
}

function out(o: unknown): void { process.stdout.write(JSON.stringify(o) + '\n'); }

// ---------------------------------------------------------------------------
// Child side: one measurement per process
// ---------------------------------------------------------------------------

function findCase(name: string): BenchCase {
  const c = [...CASES, ...SCALING].find((x) => x.name === name);
  if (!c) throw new Error(`unknown case ${name}`);
  return c;
}

/** Time one world: no recorder, as `hqsim run` without outputs would. */
function childWorld(c: BenchCase, seed: number): unknown {
  const sc = benchScenario(c, seed);
  const stats: RunStats = { evaluations: 0 };
  const c0 = cpuSeconds();
  const t0 = process.hrtime.bigint();
  const s = simulate(sc, { stats });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    wallSeconds: wall, cpuSeconds: cpuSeconds() - c0, peakRssMB: maxRssMB(), years: c.years, organizations: s.organizations, cities: c.cities,
    reviews: s.reviews, evaluations: stats.evaluations, relocations: s.relocations,
    nsPerEvaluation: stats.evaluations ? (wall * 1e9) / stats.evaluations : null,
  };
}

/**
 * Live memory of a running world (JS heap and, separately, typed-array buffers): a recorder that, at the first city row of the last simulated year (the whole
 * world, its caches and scratch arrays reachable), forces a GC and reads heapUsed. The recorder makes the
 * engine build event and row objects, so this run is not timed.
 */
function childHeap(c: BenchCase, seed: number): unknown {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const sc = benchScenario(c, seed);
  gc(); gc();
  const before = process.memoryUsage();
  let at: NodeJS.MemoryUsage | null = null;
  let orgs = 0;
  const last = sc.start + c.years - 1;
  const rec: Recorder = {
    begin(info) { orgs = info.orgs.length; },
    event() {},
    orgYear() {},
    cityYear(r) { if (at === null && r.year === last) { gc!(); gc!(); at = process.memoryUsage(); } },
  };
  simulate(sc, { seed, recorder: rec });
  if (!at) throw new Error('no city row in the last year');
  const m = at as NodeJS.MemoryUsage;
  return {
    organizationsBuilt: orgs, liveHeapMB: (m.heapUsed - before.heapUsed) / 2 ** 20,
    // typed arrays' buffers live outside the JS heap (`external` includes `arrayBuffers`)
    liveExternalMB: (m.external - before.external) / 2 ** 20,
    heapUsedMB: m.heapUsed / 2 ** 20, baseHeapMB: before.heapUsed / 2 ** 20,
  };
}

/** CPU seconds so far of each thread of this process, by thread id (Linux /proc; empty elsewhere). */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  if (!existsSync('/proc/self/task')) return out;
  const tick = 100; // USER_HZ: /proc reports clock ticks of 1/100 s on Linux
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(Number(t), (Number(f[11]) + Number(f[12])) / tick);
    } catch { /* the thread ended between listing and reading */ }
  }
  return out;
}

async function childSweep(workers: number, runs: number, scenario: string): Promise<unknown> {
  const { loadExperiment } = await import('../experiment/file.ts');
  const { runSweep } = await import('../experiment/runner.ts');
  const dir = mkdtempSync(join(tmpdir(), 'hqsim-bench-sweep-'));
  try {
    const file = join(dir, 'bench.sweep.yaml');
    // One design point, one arm, `runs` replications; the metrics of scenarios/quickstart.sweep.yaml when they fit.
    const quick = /quickstart/.test(scenario);
    writeFileSync(file, [
      'name: bench-sweep',
      `scenario: ${JSON.stringify(resolve(REPO, scenario))}`,
      'seed: 7',
      `replications: ${runs}`,
      'metrics:',
      '  - relocations',
      '  - { name: hhi, summary: concentration.hhiOrgs }',
      ...(quick ? [
        '  - { name: bonn_orgs, summary: byCity.bonn.hostedOrgs }',
        '  - { name: bonn_spend, cityYear: { city: bonn, column: spend_total_musd, aggregate: sum } }',
        '  - { name: fund_to_bonn, contest: { id: fund_seat_2012, city: bonn } }',
      ] : []),
      '',
    ].join('\n'));
    const plan = loadExperiment(file);
    // Per-thread CPU, sampled every 50 ms (worker threads end when the sweep does: their last 50 ms may be missed).
    const before = threadCpu();
    const seen = new Map<number, number>();
    const sample = () => { for (const [t, c] of threadCpu()) seen.set(t, Math.max(seen.get(t) ?? 0, c - (before.get(t) ?? 0))); };
    const timer = setInterval(sample, 50);
    const c0 = cpuSeconds();
    const t0 = performance.now();
    const r = await runSweep(plan, { out: join(dir, 'out'), workers, quiet: true });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds() - c0;
    clearInterval(timer);
    sample();
    if (r.executed !== runs) throw new Error(`sweep ran ${r.executed} runs, expected ${runs}`);
    // Threads: the main thread (scheduling, journal, tables), the `workers` busiest others (the sweep's worker
    // threads), and the rest: V8's compiler and garbage-collector helpers, libuv and loader threads.
    const main = seen.get(process.pid) ?? 0;
    const others = [...seen].filter(([t]) => t !== process.pid).map(([, c]) => c).sort((a, b) => b - a);
    const workerCpu = others.slice(0, workers);
    const helperCpu = others.slice(workers).reduce((a, b) => a + b, 0);
    // cpuShare: cores this process actually got on average (a shared machine gives less than workers + main thread).
    // runSeconds: runSweep's own clock (start to last run journaled); the rest is writing the tables.
    return {
      workers, runs, seconds, runsPerSecond: runs / seconds, runSeconds: r.seconds, tablesSeconds: seconds - r.seconds,
      cpuSeconds: cpu, cpuMsPerRun: (1000 * cpu) / runs, cpuShare: cpu / seconds, peakRssMB: maxRssMB(),
      mainThreadCpuSeconds: main, workerThreadsCpuSeconds: workerCpu.reduce((a, b) => a + b, 0), helperThreadsCpuSeconds: helperCpu,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Start-up: the CLI as a user calls it, and sweep workers up to their first run
// ---------------------------------------------------------------------------

/** The `hqsim` command as installed (package.json `bin`). */
const CLI = join(REPO, 'src/cli/hqsim.mjs');
/** The sweep's worker entry, as the runner hands it to Piscina. */
const WORKER = new URL('../experiment/worker.mjs', import.meta.url).href;
/** Preloaded into a timed CLI process: reports its CPU seconds (all threads) on stderr as it exits. */
const CPU_PROBE = 'data:text/javascript,' + encodeURIComponent(
  'process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\n@cpu "+(u.userCPUTime+u.systemCPUTime)/1e6+"\\n")})');

/** Wall and CPU seconds of one `node <cli> ...args` process, from spawn to exit. */
function timeCli(args: string[]): { wall: number; cpu: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', CPU_PROBE, CLI, ...args], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`hqsim ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  const m = /@cpu ([\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`no CPU figure from hqsim ${args.join(' ')}`);
  return { wall, cpu: Number(m[1]) };
}

/**
 * Worker start-up: a Piscina pool of `workers` threads on the sweep's worker entry, each given one quickstart
 * run at once; the time from creating the pool to the last of those first runs returned, the process's CPU in
 * that span (all threads), and then the same again on the warm pool (what a run costs once loaded).
 */
async function childWorkers(workers: number): Promise<unknown> {
  const { Piscina } = await import('piscina');
  const { loadExperiment } = await import('../experiment/file.ts');
  const plan = loadExperiment(join(REPO, 'scenarios/quickstart.sweep.yaml'));
  const task = (seed: number) => ({ kind: 'sweep', scenario: plan.scenario.path, overrides: {}, years: null, seeds: [seed] });
  const round = (from: number) => Array.from({ length: workers }, (_, i) => pool.run(task(from + i)));
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const pool = new Piscina({ filename: WORKER, minThreads: workers, maxThreads: workers, workerData: { metrics: plan.metrics }, idleTimeout: 60_000 });
  await Promise.all(round(1));
  const firstSeconds = (performance.now() - t0) / 1000;
  const firstCpu = cpuSeconds() - c0;
  const t1 = performance.now();
  await Promise.all(round(1 + workers));
  const warmSeconds = (performance.now() - t1) / 1000;
  await pool.destroy();
  return { workers, firstRunSeconds: firstSeconds, firstRunCpuSeconds: firstCpu, warmRunSeconds: warmSeconds };
}

function startupLines(repeat: number) {
  const dir = mkdtempSync(join(tmpdir(), 'hqsim-bench-startup-'));
  try {
    const loadBefore = load();
    // Interleave the commands so that drifting background load hits each alike.
    const version: { wall: number; cpu: number }[] = [];
    const quick: { wall: number; cpu: number }[] = [];
    const reps = Math.max(repeat, 5);
    for (let i = 0; i < reps; i++) {
      version.push(timeCli(['--version']));
      quick.push(timeCli(['run', 'scenarios/quickstart.yaml', '--out', join(dir, `q${i}`), '--quiet']));
    }
    const line = (command: string, xs: { wall: number; cpu: number }[]) => {
      const w = spread(xs.map((x) => x.wall));
      return { case: 'startup', command, wallSeconds: w.median, wallMin: w.min, wallMax: w.max, cpuSeconds: r3(median(xs.map((x) => x.cpu))), repeats: xs.length };
    };
    out({ ...line('hqsim --version', version), load: [loadBefore, load()], node: process.version });
    out({ ...line('hqsim run scenarios/quickstart.yaml --quiet', quick), load: [loadBefore, load()], node: process.version });
    for (const w of [1, 2]) {
      const lb = load();
      const xs = Array.from({ length: repeat }, () => measure(['workers', '--workers', String(w)]));
      const f = spread(xs.map((m) => m.firstRunSeconds));
      out({
        case: 'startup', command: `sweep worker start-up, ${w} worker${w > 1 ? 's' : ''}`, firstRunSeconds: f.median, firstRunMin: f.min, firstRunMax: f.max,
        firstRunCpuSeconds: r3(median(xs.map((m) => m.firstRunCpuSeconds))), warmRunSeconds: r3(median(xs.map((m) => m.warmRunSeconds))), repeats: repeat,
        load: [lb, load()], node: process.version,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(kind: string): Promise<void> {
  const seed = Number(arg('--seed') ?? 1);
  let res: unknown;
  if (kind === 'workers') res = await childWorkers(Number(arg('--workers') ?? 1));
  else if (kind === 'sweep') res = await childSweep(Number(arg('--workers') ?? 1), Number(arg('--runs') ?? 10000), arg('--scenario') ?? 'scenarios/quickstart.yaml');
  else if (arg('--measure') === 'heap') res = childHeap(findCase(kind), seed);
  else res = childWorld(findCase(kind), seed);
  out(res);
}

// ---------------------------------------------------------------------------
// Parent side: repeat, summarize, fit
// ---------------------------------------------------------------------------

/** Run one measurement in a fresh `node --expose-gc` process and return its JSON line. */
function measure(args: string[]): Record<string, number> {
  const r = spawnSync(process.execPath, ['--expose-gc', ENTRY, '--child', ...args], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`benchmark child ${args.join(' ')} failed with status ${r.status}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, number>;
}

function worldLine(c: BenchCase, repeat: number, seed: number) {
  const loadBefore = load();
  const xs = Array.from({ length: repeat }, () => measure([c.name, '--seed', String(seed)]));
  const x = xs[0];
  const wall = spread(xs.map((m) => m.wallSeconds));
  return {
    case: c.name, wallSeconds: wall.median, wallMin: wall.min, wallMax: wall.max, wallSpreadPct: wall.spreadPct, repeats: repeat,
    cpuSeconds: r3(median(xs.map((m) => m.cpuSeconds))), peakRssMB: r1(median(xs.map((m) => m.peakRssMB))), peakRssMaxMB: r1(Math.max(...xs.map((m) => m.peakRssMB))),
    years: c.years, organizations: x.organizations, cities: c.cities, reviews: x.reviews, evaluations: x.evaluations, relocations: x.relocations,
    nsPerEvaluation: x.evaluations ? r1((wall.median * 1e9) / x.evaluations) : null,
    ...(c.name === 'L' ? { targetWallSeconds: TARGETS.lWallSeconds, targetPeakRssMB: TARGETS.lPeakRssMB, wallMet: wall.median < TARGETS.lWallSeconds, rssMet: Math.max(...xs.map((m) => m.peakRssMB)) < TARGETS.lPeakRssMB } : {}),
    load: [loadBefore, load()], node: process.version,
  };
}

function sweepLine(repeat: number) {
  const runs = Number(arg('--runs') ?? 10000);
  const scenario = arg('--scenario') ?? 'scenarios/quickstart.yaml';
  const counts = (arg('--workers') ?? '1,2').split(',').map(Number);
  const loadBefore = load();
  const by = new Map<number, Record<string, number>[]>(counts.map((w) => [w, []]));
  // Interleave worker counts so that drifting background load hits both alike.
  for (let i = 0; i < repeat; i++) for (const w of counts) by.get(w)!.push(measure(['sweep', '--workers', String(w), '--runs', String(runs), '--scenario', scenario]));
  const per = Object.fromEntries(counts.map((w) => {
    const xs = by.get(w)!;
    return [`workers${w}`, {
      runsPerSecond: spread(xs.map((m) => m.runsPerSecond), r1), seconds: spread(xs.map((m) => m.seconds)),
      runSeconds: spread(xs.map((m) => m.runSeconds)), tablesSeconds: spread(xs.map((m) => m.tablesSeconds)),
      mainThreadCpuSeconds: spread(xs.map((m) => m.mainThreadCpuSeconds)), workerThreadsCpuSeconds: spread(xs.map((m) => m.workerThreadsCpuSeconds)),
      helperThreadsCpuSeconds: spread(xs.map((m) => m.helperThreadsCpuSeconds)),
      cpuMsPerRun: spread(xs.map((m) => m.cpuMsPerRun)), cpuShare: spread(xs.map((m) => m.cpuShare), (x) => +x.toFixed(2)),
      peakRssMB: r1(median(xs.map((m) => m.peakRssMB))),
    }];
  }));
  const line: Record<string, unknown> = { case: 'sweep', scenario, runs, repeats: repeat, ...per };
  if (by.has(1) && by.has(2)) {
    // Speed-up per interleaved pair (same stretch of background load), then its median and range.
    const ratios = by.get(1)!.map((m, i) => by.get(2)![i].runsPerSecond / m.runsPerSecond);
    const sp = spread(ratios, (x) => +x.toFixed(2));
    // CPU cost per run with 1 worker / with 2: 1.0 means the second worker adds no overhead, so the speed-up
    // is bounded by the cores the machine leaves free, not by the sweep engine.
    const cpuRatio = spread(by.get(1)!.map((m, i) => m.cpuMsPerRun / by.get(2)![i].cpuMsPerRun), (x) => +x.toFixed(2));
    const sec2 = median(by.get(2)!.map((m) => m.seconds));
    Object.assign(line, {
      speedup: sp.median, speedupMin: sp.min, speedupMax: sp.max, cpuPerRunRatio1to2: cpuRatio.median,
      targetSeconds2Workers: TARGETS.sweepSeconds2Workers, secondsMet: sec2 < TARGETS.sweepSeconds2Workers,
      targetSpeedup: TARGETS.sweepSpeedup, speedupMet: sp.median >= TARGETS.sweepSpeedup,
    });
  }
  line.load = [loadBefore, load()];
  line.node = process.version;
  return line;
}

/** Least squares y = a + b x1 + c x2 (normal equations, 3 x 3, by Cramer's rule). */
function fit2(x1: number[], x2: number[], y: number[]) {
  const n = y.length;
  const S = (f: (i: number) => number) => { let s = 0; for (let i = 0; i < n; i++) s += f(i); return s; };
  const A = [[n, S((i) => x1[i]), S((i) => x2[i])], [S((i) => x1[i]), S((i) => x1[i] ** 2), S((i) => x1[i] * x2[i])], [S((i) => x2[i]), S((i) => x1[i] * x2[i]), S((i) => x2[i] ** 2)]];
  const B = [S((i) => y[i]), S((i) => x1[i] * y[i]), S((i) => x2[i] * y[i])];
  const det = (m: number[][]) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(A);
  const col = (k: number) => det(A.map((row, i) => row.map((v, j) => (j === k ? B[i] : v))));
  const [a, b, c] = [col(0) / d, col(1) / d, col(2) / d];
  const pred = y.map((_, i) => a + b * x1[i] + c * x2[i]);
  const mean = S((i) => y[i]) / n;
  const r2 = 1 - S((i) => (y[i] - pred[i]) ** 2) / S((i) => (y[i] - mean) ** 2);
  return { a, b, c, r2, pred };
}

function scaling(repeat: number, seed: number) {
  const rows: { c: BenchCase; live: number; rss: number; wall: ReturnType<typeof spread>; orgs: number }[] = [];
  for (const c of SCALING) {
    const loadBefore = load();
    const t = Array.from({ length: repeat }, () => measure([c.name, '--seed', String(seed)]));
    const h = Array.from({ length: Math.min(repeat, 2) }, () => measure([c.name, '--seed', String(seed), '--measure', 'heap']));
    // live memory of the world: JS heap plus the typed arrays' buffers
    const liveOf = (m: Record<string, number>) => m.liveHeapMB + m.liveExternalMB;
    const live = median(h.map(liveOf));
    const rss = median(t.map((m) => m.peakRssMB));
    const wall = spread(t.map((m) => m.wallSeconds));
    rows.push({ c, live, rss, wall, orgs: h[0].organizationsBuilt });
    out({
      case: 'scaling', size: c.name, organizations: h[0].organizationsBuilt, cities: c.cities, years: c.years, reviewShare: c.reviewShare ?? null,
      liveMB: r1(live), liveMinMB: r1(Math.min(...h.map(liveOf))), liveMaxMB: r1(Math.max(...h.map(liveOf))),
      liveHeapMB: r1(median(h.map((m) => m.liveHeapMB))), liveExternalMB: r1(median(h.map((m) => m.liveExternalMB))),
      peakRssMB: r1(rss), peakRssMinMB: r1(Math.min(...t.map((m) => m.peakRssMB))), peakRssMaxMB: r1(Math.max(...t.map((m) => m.peakRssMB))),
      wallSeconds: wall.median, wallMin: wall.min, wallMax: wall.max, reviews: t[0].reviews, evaluations: t[0].evaluations,
      repeats: repeat, load: [loadBefore, load()],
    });
  }
  const x1 = rows.map((r) => r.orgs), x2 = rows.map((r) => r.c.cities);
  const fh = fit2(x1, x2, rows.map((r) => r.live * 2 ** 20));
  const fr = fit2(x1, x2, rows.map((r) => r.rss * 2 ** 20));
  out({
    case: 'scaling-fit', model: 'bytes = intercept + perOrganization x organizations + perCity x cities (least squares over the sizes above)',
    live: { interceptMB: r1(fh.a / 2 ** 20), bytesPerOrganization: Math.round(fh.b), bytesPerCity: Math.round(fh.c), r2: +fh.r2.toFixed(4) },
    peakRss: { interceptMB: r1(fr.a / 2 ** 20), bytesPerOrganization: Math.round(fr.b), bytesPerCity: Math.round(fr.c), r2: +fr.r2.toFixed(4) },
    liveResidualsMB: Object.fromEntries(rows.map((r, i) => [r.c.name, r1(r.live - fh.pred[i] / 2 ** 20)])),
    peakRssResidualsMB: Object.fromEntries(rows.map((r, i) => [r.c.name, r1(r.rss - fr.pred[i] / 2 ** 20)])),
  });
}

export async function main(): Promise<void> {
  const kind = arg('--child');
  if (kind) { await child(kind); return; }
  const only = arg('--case');
  const seed = Number(arg('--seed') ?? 1);
  const repeat = Math.max(1, Number(arg('--repeat') ?? 3));
  if (only === 'sweep') { out(sweepLine(repeat)); return; }
  if (only === 'scaling') { scaling(repeat, seed); return; }
  if (only === 'startup') { startupLines(repeat); return; }
  const cases = only ? CASES.filter((c) => c.name === only) : CASES;
  if (only && cases.length === 0) {
    process.stderr.write(`unknown case ${only}; cases: ${[...CASES.map((c) => c.name), 'sweep', 'scaling', 'startup'].join(', ')}\n`);
    process.exit(2);
  }
  for (const c of cases) out(worldLine(c, repeat, seed));
}
