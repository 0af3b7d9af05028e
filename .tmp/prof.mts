import { bundle, PathMap } from '../src/sandbox/bundle.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vm from 'node:vm';
const pkg = '/work/wt/14';
const files = ['scenarios/quickstart.yaml', 'package.json'].map((f) => resolve(pkg, f));
const paths = new PathMap([process.cwd(), pkg, ...files]);
const vfs = { cwd: paths.virtual(process.cwd()), files: Object.fromEntries(files.map((f) => [paths.virtual(f), readFileSync(f, 'utf8')])) };
const code = (await bundle('sandbox/worker.ts', { vfs, paths, nodeGlobals: true, minify: false })) + `
;globalThis.__t = { loadVariant, runReplication };`;
writeFileSync('/tmp/h14/worker-dev.js', code);
