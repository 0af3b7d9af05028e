/**
 * Before any test: bring the compiled JavaScript up to date (`npm run build`, a no-op when nothing changed).
 * Tests import the .ts sources, but the processes they start (`node src/cli/hqsim.mjs ...`) and the sweep's
 * worker threads run the compiled files, which must match the sources under test.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  const r = spawnSync(process.execPath, [resolve(root, 'src/build/build.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}
