/**
 * The run journal: one JSON line per finished run, appended as runs complete (any order), written with a single
 * write() per batch so that a killed process (even kill -9) leaves whole lines plus at most one torn tail, which
 * the next reader cuts off. `fsync` runs periodically and at the end. The journal is the source of truth for
 * resume and merge; final tables are computed from it in a fixed order, so they never depend on completion order.
 *
 * Line format: {"p":<point>,"a":<arm index>,"r":<replication>,"v":[<metric values, null when missing>]}
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
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

/**
 * Scan a journal, calling `onEntry` for every whole, valid line. A torn last line (no newline, or not JSON) is
 * cut off when `repair` is set; a bad line elsewhere is an error. Returns the length of the valid part.
 */
export function scanJournal(path: string, onEntry: (e: Entry, off: number, len: number) => void, repair: boolean): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, repair ? 'r+' : 'r');
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
        const line = chunk.subarray(start, nl).toString('utf8');
        const off = pos + start;
        const e = parseEntry(line);
        if (!e) {
          // Only the very last line may be torn.
          if (pos + nl + 1 < size) throw new JournalError(`${path}: bad line at byte ${off}; the journal is damaged`);
          break;
        }
        onEntry(e, off, nl + 1 - start);
        good = pos + nl + 1;
        start = nl + 1;
      }
      carry = chunk.subarray(start);
      pos += start;
    }
    if (good < size) {
      if (!repair) throw new JournalError(`${path}: the last ${size - good} bytes are a torn line; run the sweep with --resume to repair it`);
      ftruncateSync(fd, good);
    }
    return good;
  } finally { closeSync(fd); }
}

function parseEntry(line: string): Entry | undefined {
  try {
    const o = JSON.parse(line) as Entry;
    if (!Number.isInteger(o.p) || !Number.isInteger(o.a) || !Number.isInteger(o.r) || !Array.isArray(o.v)) return undefined;
    return o;
  } catch { return undefined; }
}

export function entryLine(e: Entry): string {
  return JSON.stringify({ p: e.p, a: e.a, r: e.r, v: e.v }) + '\n';
}

/** Appends lines; fsync at most every `syncMs` and on close. */
export class JournalWriter {
  private fd: number;
  size: number;
  private lastSync = 0;
  constructor(path: string, private syncMs = 1000) {
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
  }
  /** Writes whole lines in one write(); returns the offset they start at. */
  append(text: string): number {
    const off = this.size;
    const b = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done, b.length - done);
    this.size += b.length;
    const now = Date.now();
    if (now - this.lastSync >= this.syncMs) { fsyncSync(this.fd); this.lastSync = now; }
    return off;
  }
  close(): void { fsyncSync(this.fd); closeSync(this.fd); }
}

/** Random access to journal lines by (file, offset, length). */
export class JournalReader {
  private fds: number[];
  private buf = Buffer.alloc(1 << 16);
  constructor(paths: string[]) { this.fds = paths.map((p) => openSync(p, 'r')); }
  read(file: number, off: number, len: number): Entry {
    if (len > this.buf.length) this.buf = Buffer.alloc(len * 2);
    const n = readSync(this.fds[file], this.buf, 0, len, off);
    const e = parseEntry(this.buf.subarray(0, n).toString('utf8').trimEnd());
    if (!e) throw new JournalError(`journal line at byte ${off} is unreadable`);
    return e;
  }
  close(): void { for (const fd of this.fds) closeSync(fd); }
}
