/**
 * A sweep's state on disk, `<dir>/.sweep/`: plan.json (the plan, full precision), state.json (format, hqsim
 * version, plan hash, shard, finished or not, and a checksum of those) and journal.ndjson (see journal.ts).
 *
 * A new sweep directory is made complete with its state under a temporary name and renamed into place, so a
 * sweep stopped at any moment, even while starting, leaves either no directory or one that `--resume` opens.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitDirectory, makePartial, type TargetState } from '../output/replace.ts';
import { isSystemError, withPath } from '../output/system-errors.ts';
import { stableJson } from '../output/write.ts';
import { VERSION } from '../version.ts';
import { canonical, planHash, sha256, type Plan } from './file.ts';

export const STATE_DIR = '.sweep';
export const STATE_FORMAT = 2;

export interface State { format: number; hqsim: string; planHash: string; shard: string | null; complete: boolean }

export const statePath = (dir: string) => join(dir, STATE_DIR, 'state.json');
export const planPath = (dir: string) => join(dir, STATE_DIR, 'plan.json');
export const journalPath = (dir: string) => join(dir, STATE_DIR, 'journal.ndjson');

export function stateText(s: { planHash: string; shard: string | null; complete: boolean; hqsim?: string }): string {
  const body: State = { format: STATE_FORMAT, hqsim: s.hqsim ?? VERSION, planHash: s.planHash, shard: s.shard, complete: s.complete };
  return stableJson({ ...body, checksum: sha256(canonical(body)) });
}

export function planText(plan: Plan): string {
  return JSON.stringify(plan) + '\n';
}

/** Write a small file under a temporary name and rename it into place. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  withPath(tmp, () => writeFileSync(tmp, text));
  withPath(path, () => renameSync(tmp, path));
}

export type StateRead = { state: State } | { missing: true } | { damaged: string };

/** Read and check state.json: its checksum, format and fields. */
export function readState(path: string): StateRead {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) {
    if (isSystemError(e) && e.code === 'ENOENT') return { missing: true };
    throw e;
  }
  let o: Record<string, unknown>;
  try { o = JSON.parse(text) as Record<string, unknown>; } catch { return { damaged: 'it is not JSON' }; }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { damaged: 'it is not a JSON object' };
  if (o.format === undefined && o.checksum === undefined) return { damaged: 'it was written by an older hqsim (no checksum); finish that sweep with the version that started it' };
  const body = { format: o.format, hqsim: o.hqsim, planHash: o.planHash, shard: o.shard, complete: o.complete };
  if (o.checksum !== sha256(canonical(body))) return { damaged: 'checksum mismatch (the file was changed after it was written)' };
  if (o.format !== STATE_FORMAT) return { damaged: `format ${JSON.stringify(o.format)} is not ${STATE_FORMAT}; finish that sweep with the hqsim version that started it` };
  if (typeof o.hqsim !== 'string' || typeof o.planHash !== 'string' || (o.shard !== null && typeof o.shard !== 'string') || typeof o.complete !== 'boolean') return { damaged: 'its fields are not those of a sweep state' };
  return { state: body as State };
}

/** plan.json when it holds the plan that `hash` identifies (written by hqsim `version`), else undefined. */
export function readPlan(path: string, hash: string, version: string): Plan | undefined {
  try {
    const plan = JSON.parse(readFileSync(path, 'utf8')) as Plan;
    return plan && typeof plan === 'object' && planHash(plan, version) === hash ? plan : undefined;
  } catch { return undefined; }
}

/**
 * Create the sweep directory `dir` holding a fresh state (plan.json, state.json), atomically: written in a
 * partial directory, then renamed into place (an existing result goes to the recovery place, kept until the
 * new sweep has finished).
 */
export function createSweepDir(dir: string, plan: Plan, hash: string, shard: string | null, target: TargetState): void {
  const tmp = makePartial(dir);
  try {
    mkdirSync(join(tmp, STATE_DIR));
    withPath(planPath(tmp), () => writeFileSync(planPath(tmp), planText(plan)));
    withPath(statePath(tmp), () => writeFileSync(statePath(tmp), stateText({ planHash: hash, shard, complete: false })));
    commitDirectory(tmp, dir, target, true);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
