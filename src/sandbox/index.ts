/**
 * `hqsim sandbox <scenario> [--out FILE.html] [--open]`: write the policy sandbox page for a scenario and print
 * where. Bad input (the scenario, --focal, --out) is reported like the other commands (exit 2).
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { buildSandbox, SandboxUsageError, writePage } from './build.ts';

export { buildSandbox, SandboxUsageError } from './build.ts';

export interface SandboxCliOptions { out?: string; open?: boolean; focal?: string; replications?: number; quiet?: boolean }

/** Default output: <scenario name>.sandbox.html in the working directory. */
export function defaultOut(file: string): string {
  return `${basename(file, extname(file))}.sandbox.html`;
}

/** Open a file in the desktop's default browser (best effort: prints how to open it when that fails). */
function openInBrowser(path: string, print: (line: string) => void): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [path]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', path]] : ['xdg-open', [path]];
  try {
    const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => print(`could not start ${cmd}; open ${path} in a browser`));
    child.unref();
  } catch {
    print(`could not start ${cmd}; open ${path} in a browser`);
  }
}

export async function sandboxCli(file: string, o: SandboxCliOptions, fail: (message: string) => Error, print: (line: string) => void): Promise<void> {
  const out = resolve(o.out ?? defaultOut(file));
  if (extname(out).toLowerCase() !== '.html') throw fail(`--out ${o.out}: the sandbox is an HTML page; give a file name ending in .html`);
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) throw fail(`--out ${o.out}: directory ${dirname(out)} does not exist`);
  if (existsSync(out) && statSync(out).isDirectory()) throw fail(`--out ${o.out} is a directory; give a file name ending in .html`);
  let built;
  try { built = await buildSandbox(file, { focal: o.focal, replications: o.replications }); } catch (e) {
    if (e instanceof SandboxUsageError) throw fail(e.message);
    throw e;
  }
  writePage(out, built.html);
  if (!o.quiet) print(`sandbox: ${out} (${built.data.scenario.name}, focal city ${built.data.focal}, ${built.data.replications} replications per setting, ${Math.round(built.bytes / 1024)} KiB); open it in a browser, it works offline`);
  if (o.open) openInBrowser(out, print);
}
