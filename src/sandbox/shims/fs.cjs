// `node:fs` in the browser: reads come from the page's embedded files; everything that writes or lists fails
// with a clear message. A CommonJS module on purpose: code that imports further names from node:fs still
// bundles, and calling one of them fails at run time rather than breaking the build.
const vfs = require('hqsim:vfs');
const path = require('./path.cjs');
const { fileURLToPath } = require('./url.cjs');

function toPath(p) {
  if (typeof p === 'string') return path.resolve(p);
  if (p && typeof p === 'object' && typeof p.href === 'string') return fileURLToPath(p.href);
  throw new TypeError(`fs: path must be a string or a file URL, got ${typeof p}`);
}

function enoent(syscall, p) {
  const e = new Error(`ENOENT: no such file or directory, ${syscall} '${p}'`);
  e.code = 'ENOENT'; e.errno = -2; e.syscall = syscall; e.path = p;
  return e;
}

function readFileSync(p, options) {
  const file = toPath(p);
  if (!Object.prototype.hasOwnProperty.call(vfs.files, file)) throw enoent('open', file);
  const text = vfs.files[file];
  const encoding = typeof options === 'string' ? options : options && options.encoding;
  if (encoding) return text;
  return Buffer.from(text, 'utf8');
}

function existsSync(p) {
  try { return Object.prototype.hasOwnProperty.call(vfs.files, toPath(p)); } catch { return false; }
}

function unavailable(name) {
  return function () { throw new Error(`fs.${name} is not available in the browser sandbox`); };
}

module.exports = { readFileSync, existsSync };
for (const name of ['writeFileSync', 'appendFileSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'renameSync', 'openSync', 'closeSync',
  'writeSync', 'readSync', 'statSync', 'lstatSync', 'readdirSync', 'copyFileSync', 'unlinkSync', 'createReadStream', 'createWriteStream',
  'readFile', 'writeFile']) module.exports[name] = unavailable(name);
module.exports.promises = {};
