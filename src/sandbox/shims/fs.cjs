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

// Reading through a file descriptor (the loaders' size-checked reads): the embedded files are regular files of
// their UTF-8 size.
const open = new Map();
let nextFd = 3;
const constants = { O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_NONBLOCK: 2048 };

function descriptor(fd, syscall) {
  const f = open.get(fd);
  if (!f) { const e = new Error(`EBADF: bad file descriptor, ${syscall}`); e.code = 'EBADF'; e.errno = -9; e.syscall = syscall; throw e; }
  return f;
}

function openSync(p, flags) {
  const file = toPath(p);
  const readOnly = flags === undefined || flags === 'r' || (typeof flags === 'number' && (flags & 3) === constants.O_RDONLY);
  if (!readOnly) {
    throw new Error(`fs.openSync(${file}) for writing is not available in the browser sandbox`);
  }
  if (!Object.prototype.hasOwnProperty.call(vfs.files, file)) throw enoent('open', file);
  const fd = nextFd++;
  open.set(fd, { bytes: Buffer.from(vfs.files[file], 'utf8'), pos: 0 });
  return fd;
}

function fstatSync(fd) {
  const { bytes } = descriptor(fd, 'fstat');
  const no = () => false;
  return { size: bytes.length, isFile: () => true, isDirectory: no, isCharacterDevice: no, isBlockDevice: no, isFIFO: no, isSocket: no, isSymbolicLink: no };
}

function readSync(fd, buffer, offset = 0, length = buffer.length - offset, position = null) {
  const f = descriptor(fd, 'read');
  const from = typeof position === 'number' && position >= 0 ? position : f.pos;
  const n = Math.max(0, Math.min(length, f.bytes.length - from));
  f.bytes.copy(buffer, offset, from, from + n);
  if (!(typeof position === 'number' && position >= 0)) f.pos += n;
  return n;
}

function closeSync(fd) {
  descriptor(fd, 'close');
  open.delete(fd);
}

function unavailable(name) {
  return function () { throw new Error(`fs.${name} is not available in the browser sandbox`); };
}

module.exports = { readFileSync, existsSync, openSync, fstatSync, readSync, closeSync, constants };
for (const name of ['writeFileSync', 'appendFileSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'renameSync',
  'writeSync', 'statSync', 'lstatSync', 'readdirSync', 'copyFileSync', 'unlinkSync', 'createReadStream', 'createWriteStream',
  'readFile', 'writeFile']) module.exports[name] = unavailable(name);
module.exports.promises = {};
