/** Small in-memory scenarios for tests: plain objects serialised to JSON and loaded like a file. */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseScenario, type Scenario } from '../src/scenario/load.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = resolve(ROOT, 'src/cli/hqsim.mjs');

export type Obj = Record<string, unknown>;

export function city(id: string, extra: Obj = {}): Obj {
  return {
    id, name: id, country: 'ZZ', region: 'europe', type: 'node',
    safety: 0.8, connectivity: 0.6, officeCost: 0.6, livingCost: 0.6, workforce: 0.6, livability: 0.7,
    legal: 0.7, nationalSupport: 0.6, conference: 0.5, schools: 0.5, openness: 0.7, ...extra,
  };
}

export function org(id: string, seat: string | null, extra: Obj = {}): Obj {
  return { id, name: id, kind: 'intergovernmental', domain: 'climate', seat, founded: 1990, staff: 30, ...extra };
}

export function scenarioObj(extra: Obj = {}): Obj {
  return { name: 'test', start: 2000, years: 20, seed: 1, cities: [city('alpha'), city('beta')], organizations: [org('o1', 'alpha')], ...extra };
}

export function build(extra: Obj = {}): Scenario {
  return parseScenario(JSON.stringify(scenarioObj(extra)), 'test.json');
}

export function runCli(args: string[], opts: { cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

/**
 * Run a small version of scenarios/quickstart-discover.sweep.yaml (30 LHS points, 1 replication: 120 runs) into
 * `tmp/<name>`; returns the result directory.
 */
export async function smallDiscoverSweep(tmp: string, name: string): Promise<string> {
  const exp = join(tmp, `${name}.sweep.yaml`);
  writeFileSync(exp, readFileSync(join(ROOT, 'scenarios/quickstart-discover.sweep.yaml'), 'utf8')
    .replace('scenario: quickstart.yaml', `scenario: ${JSON.stringify(join(ROOT, 'scenarios/quickstart.yaml'))}`)
    .replace('points: 80', 'points: 30').replace('replications: 2', 'replications: 1'));
  const dir = join(tmp, name);
  const s = await runCli(['sweep', exp, '--out', dir, '--workers', '2', '--quiet']);
  if (s.code !== 0) throw new Error(`sweep of ${exp} failed (${s.code}): ${s.stderr}`);
  return dir;
}
