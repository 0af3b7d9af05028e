/**
 * `hqsim init [dir]`: write a commented starter scenario and experiment into a folder of the user's, so that
 * nobody needs a clone of hqsim to begin. The two files are the templates next to this module; they refer to
 * the bundled reference cities and organizations by id.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The files `hqsim init` writes, in this order. */
export const STARTER_FILES = ['scenario.yaml', 'experiment.sweep.yaml'] as const;

/** A folder `hqsim init` cannot write into (exit 2). */
export class InitError extends Error {}

/** The text of a starter file. */
export function starterText(file: (typeof STARTER_FILES)[number]): string {
  return readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
}

/**
 * Write the starter files into `dir` (created when missing) and return their paths. Refuses, writing
 * nothing, when `dir` is not a folder or when either file exists; never replaces a file, even one that
 * appears while it writes (each file is written under a temporary name and linked into place).
 */
export function init(dir: string): string[] {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) throw new InitError(`${dir} exists and is not a folder; nothing was written`);
  const paths = STARTER_FILES.map((f) => join(target, f));
  const taken = paths.filter((p) => existsSync(p)).map((p) => relative(process.cwd(), p));
  if (taken.length) {
    throw new InitError(`${taken.join(' and ')} ${taken.length > 1 ? 'exist' : 'exists'}; nothing was written (hqsim init never replaces a file: move ${taken.length > 1 ? 'them' : 'it'} away, or give another folder: hqsim init <dir>)`);
  }
  mkdirSync(target, { recursive: true });
  const written: string[] = [];
  try {
    for (const [i, f] of STARTER_FILES.entries()) {
      const tmp = join(target, `.${f}.${process.pid}.tmp`);
      writeFileSync(tmp, starterText(f), { flag: 'wx' });
      try { linkSync(tmp, paths[i]); } finally { rmSync(tmp, { force: true }); }
      written.push(paths[i]);
    }
  } catch (e) {
    for (const p of written) rmSync(p, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new InitError(`${relative(process.cwd(), paths[written.length])} appeared while writing; nothing was written`);
    throw e;
  }
  return paths;
}
