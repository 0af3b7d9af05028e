/**
 * The compiled JavaScript that the command, the library entry and the sweep workers run (`npm run build`,
 * made by the global setup before these tests): complete, loading no more than a command needs, mapped back to
 * the TypeScript lines, and never hiding a hand-written file from git.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT } from '../helpers.ts';

const SRC = join(ROOT, 'src');
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
const files = walk(SRC);
const isSource = (f: string) => f.endsWith('.ts') && !f.endsWith('.d.ts');
/** Folders under src/ with a tsconfig.json of their own (the sandbox's browser script): not part of the build. */
const projects = files.filter((f) => f.endsWith('/tsconfig.json') && f !== join(SRC, 'tsconfig.json')).map((f) => dirname(f) + sep);
const inProject = (f: string) => projects.some((p) => f.startsWith(p));
const sources = files.filter((f) => isSource(f) && !inProject(f));
const rel = (f: string) => relative(ROOT, f);

describe('npm run build', () => {
  it('writes JavaScript, a source map and declarations for every source', () => {
    const missing = sources.flatMap((s) => ['.js', '.js.map', '.d.ts'].map((x) => s.slice(0, -3) + x)).filter((f) => !existsSync(f));
    expect(missing.map(rel)).toEqual([]);
  });

  it('leaves the projects of their own to their own tools: no compiled file in them, and none of their code in the build', () => {
    expect(projects.map(rel)).toEqual(['src/sandbox/ui']);
    expect(files.filter((f) => inProject(f) && /\.(js|js\.map|d\.ts)$/.test(f)).map(rel)).toEqual([]);
    // The build's staleness check skips these folders, so a compiled module importing from one would go stale.
    const imports = (f: string) => [...readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => resolve(dirname(f), m[1]));
    const into = sources.filter((s) => imports(s).some(inProject));
    expect(into.map(rel)).toEqual([]);
  });

  it('leaves no compiled file without a source, so git ignores only compiled output', () => {
    // .gitignore hides src/**/*.js and *.d.ts: a hand-written one would silently stay out of the repository.
    const orphans = files.filter((f) => /\.(js|d\.ts)$/.test(f) && !existsSync(f.replace(/\.(js|d\.ts)$/, '.ts')));
    expect(orphans.map(rel), 'hand-written JavaScript in src/ must be .mjs (compiled .js and .d.ts are git-ignored)').toEqual([]);
    // git check-ignore exits 1 when none of the paths is ignored.
    const r = spawnSync('git', ['check-ignore', '--no-index', ...sources.map(rel)], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.trim(), 'a .ts source is git-ignored').toBe('');
    expect(r.status).toBe(1);
  }, 30_000);

  it('points the declarations\' relative imports at .js files (resolvable without the .ts sources)', () => {
    const bad = sources.map((s) => s.slice(0, -3) + '.d.ts').filter((d) => /(from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]*\.ts['"]/.test(readFileSync(d, 'utf8')));
    expect(bad.map(rel)).toEqual([]);
  });

  it('maps stack traces of the compiled code back to the TypeScript lines', () => {
    const engine = pathToFileURL(join(SRC, 'model/engine.js')).href;
    const r = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', `const { simulate } = await import(${JSON.stringify(engine)}); simulate({});`], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/src\/model\/engine\.ts:\d+:\d+/);
    expect(r.stderr).not.toMatch(/engine\.js:\d+/);
  });

  it('the hqsim command turns source maps on itself', () => {
    const probe = 'data:text/javascript,' + encodeURIComponent('process.on("exit",()=>process.stderr.write("maps:"+process.sourceMapsEnabled))');
    const r = spawnSync(process.execPath, ['--import', probe, CLI, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('maps:true');
  });

  it('hqsim --version and --help load neither the model nor any command\'s libraries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hqsim-load-'));
    try {
      const log = join(dir, 'loaded.txt');
      // A module-resolution hook that records every module the command loads.
      const hook = 'data:text/javascript,' + encodeURIComponent(
        `import { appendFileSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }`);
      const register = 'data:text/javascript,' + encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`);
      for (const args of [['--version'], ['--help'], ['run', '--help']]) {
        rmSync(log, { force: true });
        const r = spawnSync(process.execPath, ['--import', register, CLI, ...args], { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
        expect(loaded.some((u) => u.includes('/node_modules/commander/'))).toBe(true); // the hook saw the command's own imports
        const heavy = loaded.filter((u) => /\/node_modules\/(zod|yaml|piscina|vega|vega-lite|hyparquet|hyparquet-writer|cli-progress|d3-array|seedrandom)\/|\/src\/(model\/engine|scenario\/load|experiment\/runner|report\/)/.test(u));
        expect(heavy, `hqsim ${args.join(' ')}`).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
