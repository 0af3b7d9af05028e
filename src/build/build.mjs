#!/usr/bin/env node
/**
 * `npm run build`: compile every src/**\/*.ts into JavaScript, a source map (with the TypeScript text inlined)
 * and a declaration file next to the source (`tsc -p src`, incremental). The command, the library entry and the sweep workers run this output;
 * the tests run the .ts sources directly and build first (test/global-setup.ts) for the processes and worker
 * threads they start. `npm install` in a clone and `npm pack` run it through the `prepare` script.
 *
 *   node src/build/build.mjs            build what changed (nothing at all when every output is newer than its source)
 *   node src/build/build.mjs --watch    rebuild on every change
 *   node src/build/build.mjs --clean    remove every compiled file and the build info
 *
 * Compiled files are recognised by the source-map comment tsc writes at their end (declarations by the map of
 * the JavaScript beside them), so a hand-written .js or .d.ts is never removed; outputs whose .ts source is gone
 * are.
 *
 * Declarations: tsc rewrites the sources' relative `./x.ts` imports to `./x.js` in the JavaScript but not in
 * the .d.ts files (TypeScript issue 61037); this script does, so that a consumer's compiler resolves them to
 * the declarations of the installed package (whose .ts sources are not packed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const CONFIGS = [join(SRC, 'tsconfig.json'), join(SRC, '..', 'tsconfig.json')];
const BUILD_INFO = join(SRC, 'tsconfig.tsbuildinfo');
/** What tsc writes for X.ts. */
const OUTPUTS = ['.js', '.d.ts', '.js.map'];
/** A relative module specifier ending in .ts, in `from '...'`, `import '...'` or `import('...')`. */
const TS_SPECIFIER = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.ts\2/g;

/**
 * Every file under `dir`, sorted, skipping node_modules and (unless `all`) folders that are projects of their own
 * (a folder with its own tsconfig.json, such as the sandbox's browser code, which esbuild bundles when a page is
 * written; src/tsconfig.json excludes it).
 */
function walk(dir, all = false) {
  const found = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (all || !existsSync(join(p, 'tsconfig.json'))) found.push(...walk(p, all)); } else found.push(p);
  }
  return found;
}

const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts');
const outputExt = (f) => OUTPUTS.find((x) => f.endsWith(x));
const sourceOf = (f) => f.slice(0, -outputExt(f).length) + '.ts';

/**
 * True when `f` carries tsc's mark: a source-map comment naming its own map, or a map naming its own file; a
 * declaration file (which has no map) when the JavaScript beside it carries that mark.
 */
function compiledByTsc(f) {
  if (f.endsWith('.d.ts')) {
    const js = f.slice(0, -'.d.ts'.length) + '.js';
    return existsSync(js + '.map') && compiledByTsc(js + '.map');
  }
  const text = readFileSync(f, 'utf8');
  if (f.endsWith('.map')) {
    try { return JSON.parse(text).file === basename(f).slice(0, -'.map'.length); } catch { return false; }
  }
  return text.trimEnd().endsWith(`//# sourceMappingURL=${basename(f)}.map`);
}

/** Compiled files under src/ (by extension and tsc's mark). */
function compiledFiles(files) {
  return files.filter((f) => outputExt(f) && compiledByTsc(f));
}

function clean(files) {
  const gone = compiledFiles(files);
  for (const f of gone) rmSync(f);
  rmSync(BUILD_INFO, { force: true });
  process.stdout.write(`hqsim build: removed ${gone.length} compiled files\n`);
}

function tsc(args) {
  let bin;
  try { bin = createRequire(import.meta.url).resolve('typescript/bin/tsc'); } catch {
    process.stderr.write('hqsim build: the TypeScript compiler is not installed; run `npm install` (with dev dependencies) in the clone\n');
    return 1;
  }
  const r = spawnSync(process.execPath, [bin, '-p', SRC, ...args], { stdio: 'inherit' });
  return r.status ?? 1;
}

/** Point the relative imports of every compiled declaration file at .js; rewrite only files that change. */
function fixDeclarations(sources) {
  let changed = 0;
  for (const s of sources) {
    const d = s.slice(0, -3) + '.d.ts';
    const text = readFileSync(d, 'utf8');
    const fixed = text.replace(TS_SPECIFIER, '$1$2$3.js$2');
    if (fixed !== text) { writeFileSync(d, fixed); changed++; }
  }
  return changed;
}

function build() {
  const files = walk(SRC);
  const sources = files.filter(isSource);
  // An installed package holds compiled files only: nothing to build, and nothing may be removed.
  if (sources.length === 0) return 0;
  // Outputs of deleted or renamed sources would otherwise stay and be packed; so would outputs inside a project of
  // its own (this build never writes there: one found there is left from before the folder became one).
  const own = new Set(files);
  const elsewhere = walk(SRC, true).filter((f) => !own.has(f));
  const orphans = compiledFiles([...files.filter((f) => outputExt(f) && !existsSync(sourceOf(f))), ...elsewhere.filter((f) => outputExt(f))]);
  for (const f of orphans) rmSync(f);
  const mtime = (f) => (existsSync(f) ? statSync(f).mtimeMs : -Infinity);
  const missing = sources.filter((s) => !existsSync(s.slice(0, -3) + '.js') || !existsSync(s.slice(0, -3) + '.d.ts'));
  // tsc's incremental mode trusts its build info: outputs deleted behind its back are only rewritten without it.
  if (missing.length) rmSync(BUILD_INFO, { force: true });
  const older = (s) => mtime(s) > Math.min(mtime(s.slice(0, -3) + '.js'), mtime(s.slice(0, -3) + '.d.ts'));
  const stale = missing.length > 0 || sources.some(older) || CONFIGS.some((c) => mtime(c) > mtime(BUILD_INFO));
  if (!stale) return 0;
  const status = tsc([]);
  if (status === 0) fixDeclarations(sources);
  // tsc leaves the outputs of a source it finds unchanged (touched by a checkout, say) as they are: mark them
  // current, or every later build would call tsc again for nothing.
  if (status === 0) {
    const now = new Date();
    for (const s of sources.filter(older)) for (const x of ['.js', '.d.ts']) utimesSync(s.slice(0, -3) + x, now, now);
  }
  if (status === 0) process.stdout.write(`hqsim build: ${sources.length} sources compiled to src/ (JavaScript, declarations, source maps)${orphans.length ? `; ${orphans.length} outputs of removed sources deleted` : ''}\n`);
  return status;
}

const args = process.argv.slice(2);
if (args.includes('--clean')) clean(walk(SRC, true));
else if (args.includes('--watch')) process.exitCode = tsc(['--watch', '--preserveWatchOutput']);
else process.exitCode = build();
