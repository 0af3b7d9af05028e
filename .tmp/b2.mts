import { bundle, PathMap } from '../src/sandbox/bundle.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
const pkg = process.cwd();
const files = ['scenarios/bonn-1994.yaml', 'seeds/cities.csv', 'seeds/organizations.csv', 'package.json'].map((f) => resolve(pkg, f));
const paths = new PathMap([pkg, ...files]);
const vfs = { cwd: paths.virtual(pkg), files: Object.fromEntries(files.map((f) => [paths.virtual(f), readFileSync(f, 'utf8')])) };
for (const minify of [true, false]) writeFileSync(`/tmp/h14/wb-${minify ? 'min' : 'dev'}.js`, await bundle('sandbox/worker.ts', { vfs, paths, nodeGlobals: true, minify }));
