// Fault injection for the robustness tests, loaded into the real `hqsim` process with `node --import`.
// It patches node:fs (and syncs the ESM named exports, so that `import { renameSync } from 'node:fs'` sees it):
//   HQSIM_FAULT_STEPS=<file>   append one line per rename/remove step of the main thread (to enumerate them)
//   HQSIM_FAULT_KILL_AT=<k>    SIGKILL this process just before its k-th rename/remove step
//   HQSIM_FAULT=ENOSPC:<bytes> writes fail with ENOSPC once <bytes> have been written (a full disk)
//   HQSIM_FAULT=EROFS|EACCES   every write, mkdir, rename and remove fails with that code (a read-only or forbidden target)
//   HQSIM_FAULT_UNDER=<dir>    only paths under <dir> fail (default: every path; writes by descriptor always count)
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const stepsFile = process.env.HQSIM_FAULT_STEPS;
const killAt = Number(process.env.HQSIM_FAULT_KILL_AT ?? 0);
const [code, budgetText] = (process.env.HQSIM_FAULT ?? '').split(':');
const under = process.env.HQSIM_FAULT_UNDER;
const orig = { ...fs };
let steps = 0;
let written = 0;

const fail = (syscall, path) => Object.assign(new Error(`${code}: injected, ${syscall} '${path ?? ''}'`), { code, syscall, ...(path ? { path: String(path) } : {}), errno: code === 'ENOSPC' ? -28 : code === 'EROFS' ? -30 : -13 });
const applies = (path) => !under || (typeof path === 'string' && path.startsWith(under));

function step(name, path) {
  if (!isMainThread) return;
  steps++;
  if (stepsFile) orig.appendFileSync(stepsFile, `${steps} ${name} ${path}\n`);
  if (steps === killAt) process.kill(process.pid, 'SIGKILL');
}

fs.renameSync = function (from, to) { step('rename', from); if ((code === 'EROFS' || code === 'EACCES') && applies(String(from))) throw fail('rename', from); return orig.renameSync(from, to); };
fs.rmSync = function (path, opts) { if (orig.existsSync(path)) step('rm', path); if ((code === 'EROFS' || code === 'EACCES') && applies(String(path)) && orig.existsSync(path)) throw fail('rmdir', path); return orig.rmSync(path, opts); };

if (code === 'ENOSPC') {
  const budget = Number(budgetText);
  const spend = (n, syscall, path) => { if (written + n > budget) throw fail(syscall, path); written += n; };
  fs.writeSync = function (fd, buf, ...rest) { const n = typeof buf === 'string' ? Buffer.byteLength(buf) : (typeof rest[1] === 'number' ? rest[1] : buf.length); spend(n, 'write'); return orig.writeSync(fd, buf, ...rest); };
  fs.writeFileSync = function (path, data, opts) { if (typeof path === 'string' && applies(path)) spend(typeof data === 'string' ? Buffer.byteLength(data) : data.length, 'write', path); return orig.writeFileSync(path, data, opts); };
  fs.appendFileSync = function (path, data, opts) { if (typeof path === 'string' && applies(path)) spend(typeof data === 'string' ? Buffer.byteLength(data) : data.length, 'write', path); return orig.appendFileSync(path, data, opts); };
}
if (code === 'EROFS' || code === 'EACCES') {
  const writing = (flags) => flags !== undefined && flags !== 'r' && flags !== fs.constants.O_RDONLY && !(typeof flags === 'number' && (flags & 3) === 0);
  fs.mkdirSync = function (path, opts) { if (applies(String(path))) throw fail('mkdir', path); return orig.mkdirSync(path, opts); };
  fs.openSync = function (path, flags, mode) { if (writing(flags) && applies(String(path))) throw fail('open', path); return orig.openSync(path, flags, mode); };
  fs.writeFileSync = function (path, data, opts) { if (applies(String(path))) throw fail('open', path); return orig.writeFileSync(path, data, opts); };
}
syncBuiltinESMExports();
