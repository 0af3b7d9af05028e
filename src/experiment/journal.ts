/**
 * The run journal: one JSON line per finished run, appended as runs complete (any order), written with a single
 * write() per batch so that a killed process (even kill -9) leaves whole lines plus at most one torn tail, which
 * the next reader cuts off. `fsync` runs periodically and at the end. The journal is the source of truth for
 * resume and merge; final tables are computed from it in a fixed order, so they never depend on completion order.
 *
 * Line format: {"p":<point>,"a":<arm index>,"r":<replication>,"v":[<metric values, null when missing>],"c":"<checksum>"}
 * where the checksum is the first 8 hex digits of the sha256 of the line's bytes up to `,"c"` followed by `}`.
 * A line whose checksum, shape or run does not fit is damaged: it is reported with its line number, and
 * `--repair` moves it to journal.damaged.ndjson so that its run is done again, keeping every intact line.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { withPath } from '../output/system-errors.ts';
import type { Value } from './metrics.ts';

export interface Entry { p: number; a: number; r: number; v: Value[] }

/** Where each run's line lives: per point, per arm x replication, a (file, offset, length) triple. Memory O(runs) small ints. */
export class RunIndex {
  private slots = new Map<number, { cap: number; file: Uint16Array; off: Float64Array; len: Int32Array }>();
  count = 0;
  constructor(readonly arms: number) {}

  private slot(p: number, r: number) {
    let s = this.slots.get(p);
    if (!s || r >= s.cap) {
      let cap = s?.cap ?? 8;
      while (cap <= r) cap *= 2;
      const n = { cap, file: new Uint16Array(cap * this.arms), off: new Float64Array(cap * this.arms).fill(-1), len: new Int32Array(cap * this.arms) };
      if (s) for (let a = 0; a < this.arms; a++) {
        n.file.set(s.file.subarray(a * s.cap, (a + 1) * s.cap), a * cap);
        n.off.set(s.off.subarray(a * s.cap, (a + 1) * s.cap), a * cap);
        n.len.set(s.len.subarray(a * s.cap, (a + 1) * s.cap), a * cap);
      }
      this.slots.set(p, n);
      s = n;
    }
    return s;
  }

  has(p: number, a: number, r: number): boolean {
    const s = this.slots.get(p);
    return !!s && r < s.cap && s.off[a * s.cap + r] >= 0;
  }

  /** Records a run; returns false (and keeps the first) when it is already there. */
  add(p: number, a: number, r: number, file: number, off: number, len: number): boolean {
    const s = this.slot(p, r);
    const i = a * s.cap + r;
    if (s.off[i] >= 0) return false;
    s.file[i] = file; s.off[i] = off; s.len[i] = len;
    this.count++;
    return true;
  }

  get(p: number, a: number, r: number): { file: number; off: number; len: number } | undefined {
    const s = this.slots.get(p);
    if (!s || r >= s.cap) return undefined;
    const i = a * s.cap + r;
    return s.off[i] >= 0 ? { file: s.file[i], off: s.off[i], len: s.len[i] } : undefined;
  }
}

export class JournalError extends Error {}

/** One damaged line of a journal. */
export interface Damage { line: number; offset: number; length: number; reason: string }

/** Lines of a journal that fail their checksum, shape or meaning (exit 2; `--repair` drops them). */
export class JournalDamageError extends JournalError {
  constructor(readonly path: string, readonly damaged: Damage[], readonly lines: number, remedy: string) {
    const d = damaged[0];
    const more = damaged.length > 1 ? `; ${damaged.length} damaged lines of ${lines} (lines ${damaged.slice(0, 8).map((x) => x.line).join(', ')}${damaged.length > 8 ? ', ...' : ''})` : '';
    super(`${path}:${d.line}: damaged journal line: ${d.reason}${more}; ${remedy}`);
  }
}

const checksum = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 8);
const MARK = ',"c":"';

/** A line's entry, or why it is damaged. */
export function parseLine(line: string): Entry | string {
  const at = line.lastIndexOf(MARK);
  if (at < 0 || !line.endsWith('"}') || line.length - at !== MARK.length + 10) return 'no checksum (not a line hqsim wrote)';
  const body = line.slice(0, at) + '}';
  if (checksum(body) !== line.slice(at + MARK.length, -2)) return 'checksum mismatch (the line was changed after it was written)';
  let o: Entry;
  try { o = JSON.parse(body) as Entry; } catch { return 'not JSON'; }
  const index = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!o || typeof o !== 'object' || !index(o.p) || !index(o.a) || !index(o.r)) return 'point, arm and replication must be whole numbers from 0';
  if (!Array.isArray(o.v) || !o.v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))) return 'metric values must be numbers or null';
  return { p: o.p, a: o.a, r: o.r, v: o.v };
}

/**
 * Scan a journal, calling `onEntry` for every whole, intact line; `onEntry` may reject an entry by returning a
 * reason (a run that does not belong to the sweep, a second line for the same run). A torn last line (no newline:
 * a write cut short by a kill) is cut off when `repairTail` is set, else it is an error. Returns the damaged lines
 * (the caller reports or drops them) and the number of lines read.
 */
export function scanJournal(path: string, onEntry: (e: Entry, off: number, len: number) => string | void, repairTail: boolean): { damaged: Damage[]; lines: number } {
  const damaged: Damage[] = [];
  if (!existsSync(path)) return { damaged, lines: 0 };
  const fd = withPath(path, () => openSync(path, repairTail ? 'r+' : 'r'));
  let lineNo = 0;
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let pos = 0; // file offset of carry[0]
    let good = 0;
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, 0, buf.length, read);
      if (n <= 0) break;
      read += n;
      const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : Buffer.from(buf.subarray(0, n));
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl < 0) break;
        lineNo++;
        const off = pos + start;
        const len = nl + 1 - start;
        const e = parseLine(chunk.subarray(start, nl).toString('utf8'));
        const reason = typeof e === 'string' ? e : onEntry(e, off, len);
        if (reason) damaged.push({ line: lineNo, offset: off, length: len, reason });
        good = pos + nl + 1;
        start = nl + 1;
      }
      carry = chunk.subarray(start);
      pos += start;
      // A line longer than 16 MB is not one hqsim wrote: stop rather than buffer a runaway file.
      if (carry.length > 1 << 24) { damaged.push({ line: lineNo + 1, offset: pos, length: size - pos, reason: 'a line longer than 16 MB' }); good = size; break; }
    }
    if (good < size) {
      if (!repairTail) throw new JournalError(`${path}: the last ${size - good} bytes are a torn line (the sweep was stopped while writing); run the sweep with --resume to cut it off`);
      withPath(path, () => ftruncateSync(fd, good));
    }
    return { damaged, lines: lineNo };
  } finally { closeSync(fd); }
}

/**
 * Move damaged lines out of the journal into journal.damaged.ndjson beside it (appended, for inspection),
 * keeping every other line in order. The journal is rewritten under a temporary name and renamed into place.
 */
export function dropDamaged(path: string, damaged: Damage[]): void {
  const skip = new Set(damaged.map((d) => d.offset));
  const tmp = `${path}.tmp`;
  const src = withPath(path, () => openSync(path, 'r'));
  const out = withPath(tmp, () => openSync(tmp, 'w'));
  const bad: Buffer[] = [];
  try {
    const size = fstatSync(src).size;
    const sorted = [...damaged].sort((a, b) => a.offset - b.offset);
    let at = 0;
    const copy = (from: number, to: number) => {
      const buf = Buffer.alloc(Math.min(1 << 20, Math.max(0, to - from)));
      for (let o = from; o < to;) {
        const n = readSync(src, buf, 0, Math.min(buf.length, to - o), o);
        if (n <= 0) break;
        withPath(tmp, () => writeSync(out, buf, 0, n));
        o += n;
      }
    };
    for (const d of sorted) {
      if (!skip.has(d.offset)) continue;
      copy(at, d.offset);
      const b = Buffer.alloc(d.length);
      readSync(src, b, 0, d.length, d.offset);
      bad.push(b);
      at = d.offset + d.length;
    }
    copy(at, size);
    fsyncSync(out);
  } finally { closeSync(src); closeSync(out); }
  const kept = path.replace(/\.ndjson$/, '') + '.damaged.ndjson';
  withPath(kept, () => appendFileSync(kept, Buffer.concat(bad)));
  withPath(path, () => renameSync(tmp, path));
}

export function entryLine(e: Entry): string {
  const body = JSON.stringify({ p: e.p, a: e.a, r: e.r, v: e.v });
  return `${body.slice(0, -1)}${MARK}${checksum(body)}"}\n`;
}

/** Appends lines; fsync at most every `syncMs` and on close. */
export class JournalWriter {
  private fd: number;
  size: number;
  private lastSync = 0;
  constructor(private path: string, private syncMs = 1000) {
    this.fd = withPath(path, () => openSync(path, 'a'));
    this.size = fstatSync(this.fd).size;
  }
  /** Writes whole lines in one write(); returns the offset they start at. */
  append(text: string): number {
    const off = this.size;
    const b = Buffer.from(text, 'utf8');
    let done = 0;
    withPath(this.path, () => { while (done < b.length) done += writeSync(this.fd, b, done, b.length - done); });
    this.size += b.length;
    const now = Date.now();
    if (now - this.lastSync >= this.syncMs) { withPath(this.path, () => fsyncSync(this.fd)); this.lastSync = now; }
    return off;
  }
  close(): void {
    try { withPath(this.path, () => fsyncSync(this.fd)); } finally { closeSync(this.fd); }
  }
}

/** Random access to journal lines by (file, offset, length); every line is checked again as it is read. */
export class JournalReader {
  private fds: number[];
  private buf = Buffer.alloc(1 << 16);
  constructor(private paths: string[]) { this.fds = paths.map((p) => withPath(p, () => openSync(p, 'r'))); }
  read(file: number, off: number, len: number): Entry {
    if (len > this.buf.length) this.buf = Buffer.alloc(len * 2);
    const n = readSync(this.fds[file], this.buf, 0, len, off);
    const e = parseLine(this.buf.subarray(0, n).toString('utf8').replace(/\n$/, ''));
    if (typeof e === 'string') throw new JournalError(`${this.paths[file]}: the line at byte ${off} is damaged (${e}); it changed while the sweep ran`);
    return e;
  }
  close(): void { for (const fd of this.fds) closeSync(fd); }
}
