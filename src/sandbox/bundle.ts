/**
 * Bundles the sandbox's browser code from the package's own sources with esbuild, when the page is written (no
 * separate build step). The engine's Node imports are mapped, module by module, to small browser shims:
 * node:fs reads the page's embedded files, node:path is POSIX paths against a virtual working directory,
 * node:crypto is a pure-code SHA-256, node:url converts file URLs; `process` and `Buffer` are injected. Every
 * `import.meta.url` of the package's sources becomes the virtual file URL of that source, so that paths computed
 * from it (the bundled seeds) land in the virtual file system.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const SRC = resolve(HERE, '..');
/** The package root (holds src/ and seeds/). */
export const PACKAGE_ROOT = resolve(SRC, '..');
const SHIMS = join(HERE, 'shims');
const SHIMMED: Record<string, string> = { fs: 'fs.cjs', path: 'path.cjs', crypto: 'crypto.cjs', url: 'url.cjs' };

/** The files a page carries and where the engine finds them: virtual absolute path -> text. */
export interface VirtualFs { cwd: string; files: Record<string, string> }

/**
 * A map from real paths to virtual ones: paths relative to the deepest directory that holds the working
 * directory, the package and every embedded file, so relative paths keep working and nothing above that
 * directory (a user's home, say) is written into the page.
 */
export class PathMap {
  readonly root: string;
  constructor(paths: string[]) {
    const parts = paths.map((p) => resolve(p).split(sep));
    let n = parts[0].length;
    for (const p of parts) { let i = 0; while (i < n && i < p.length && p[i] === parts[0][i]) i++; n = i; }
    this.root = parts[0].slice(0, n).join(sep) || sep;
  }
  virtual(real: string): string {
    const r = relative(this.root, resolve(real));
    return '/' + r.split(sep).filter(Boolean).join('/');
  }
}

export interface BundleOptions {
  /** The page's files (virtual paths), for code that reads files through node:fs. */
  vfs: VirtualFs;
  /** Real paths -> virtual paths, for import.meta.url of the package sources. */
  paths: PathMap;
  /** Inject Node's `process` and `Buffer` globals (the engine needs them; the page's own script does not). */
  nodeGlobals?: boolean;
  minify?: boolean;
}

function shimPlugin(o: BundleOptions): Plugin {
  return {
    name: 'hqsim-browser-shims',
    setup(b) {
      const fromSrc = (importer: string) => importer.startsWith(SRC + sep) || importer.startsWith(SHIMS + sep);
      b.onResolve({ filter: /^hqsim:vfs$/ }, () => ({ path: 'vfs', namespace: 'hqsim-vfs' }));
      b.onLoad({ filter: /.*/, namespace: 'hqsim-vfs' }, () => ({ contents: `module.exports = ${JSON.stringify(o.vfs)};`, loader: 'js' }));
      b.onResolve({ filter: /^node:/ }, (a) => {
        const name = a.path.slice(5).split('/')[0];
        return { path: join(SHIMS, SHIMMED[name] ?? 'empty.cjs') };
      });
      // zod's error messages in 50 languages are most of its size; the engine speaks English (zod's default
      // locale), so z.locales carries only that one.
      b.onResolve({ filter: /\/locales\/index\.js$/ }, (a) => (/[\\/]node_modules[\\/]zod[\\/]/.test(a.importer) ? { path: 'locales', namespace: 'hqsim-zod-locales', pluginData: dirname(a.importer) } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'hqsim-zod-locales' }, (a) => ({
        contents: `export { default as en } from ${JSON.stringify(resolve(a.pluginData as string, '../locales/en.js'))};`, loader: 'js', resolveDir: a.pluginData as string,
      }));
      b.onResolve({ filter: /^(fs|path|crypto|url)$/ }, (a) => (fromSrc(a.importer) ? { path: join(SHIMS, SHIMMED[a.path]) } : undefined));
      // An installed package carries the page's own script as TypeScript (a project of its own, see ui/tsconfig.json)
      // and the modules it shares with the command compiled: its `../x.ts` imports load `../x.js`.
      b.onResolve({ filter: /^\.{1,2}\/.*\.ts$/ }, (a) => {
        if (!fromSrc(a.importer)) return undefined;
        const ts = resolve(a.resolveDir, a.path);
        return !existsSync(ts) && existsSync(ts.slice(0, -3) + '.js') ? { path: ts.slice(0, -3) + '.js' } : undefined;
      });
      // import.meta in the package's own sources: the virtual URL of the source file.
      b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (a) => {
        if (!a.path.startsWith(SRC + sep) || a.path.startsWith(SHIMS + sep)) return undefined;
        const text = readFileSync(a.path, 'utf8');
        const file = o.paths.virtual(a.path);
        const contents = text
          .replace(/\bimport\.meta\.url\b/g, JSON.stringify('file://' + file))
          .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(file.slice(0, file.lastIndexOf('/')) || '/'))
          .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(file));
        const ext = extname(a.path);
        return { contents, loader: ext === '.ts' || ext === '.mts' ? 'ts' : 'js', resolveDir: dirname(a.path) };
      });
    },
  };
}

/** Bundle one browser entry (a file under src/) into a classic script (an IIFE); returns its code. */
export async function bundle(entry: string, o: BundleOptions): Promise<string> {
  let file = isAbsolute(entry) ? entry : join(SRC, entry);
  // an installed package carries the compiled JavaScript, not the TypeScript sources
  if (file.endsWith('.ts') && !existsSync(file) && existsSync(file.slice(0, -3) + '.js')) file = file.slice(0, -3) + '.js';
  const res = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: o.minify ?? true,
    legalComments: 'eof',
    charset: 'utf8',
    inject: o.nodeGlobals ? [join(SHIMS, 'globals.mjs')] : [],
    define: { global: 'globalThis' },
    plugins: [shimPlugin(o)],
    logLevel: 'silent',
    absWorkingDir: PACKAGE_ROOT,
  });
  return res.outputFiles[0].text;
}
