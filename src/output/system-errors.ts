/**
 * Failures of the machine rather than of hqsim: a full or read-only disk, missing permissions, a name the file
 * system does not take. They are expected (exit 2 with one line naming the file), never reported as a bug.
 */

const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'the file name is too long for the file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'the directory is not empty',
  EXDEV: 'cannot move across file systems',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error (a failing disk or network file system)',
  EBUSY: 'the file or directory is busy',
  ELOOP: 'too many symbolic links',
  EFBIG: 'the file is too large for the file system',
  ETXTBSY: 'the file is busy',
  ESTALE: 'stale network file handle',
};

export interface SystemError extends Error { code: string; syscall?: string; path?: string; dest?: string; errno?: number }

/** An error of the operating system that hqsim expects and reports in one line (a full disk, a read-only target, ...). */
export function isSystemError(e: unknown): e is SystemError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && Object.hasOwn(WORDS, (e as unknown as { code: string }).code);
}

/** "no space left on the device (ENOSPC)". */
export function describeSystemError(e: SystemError): string {
  return `${WORDS[e.code] ?? e.message} (${e.code})`;
}

/** One line for the terminal: what failed, on which file, and why. */
export function systemErrorLine(e: SystemError, context?: string): string {
  const file = e.path ?? context;
  const verb = e.syscall ? VERBS[e.syscall] ?? e.syscall : 'use';
  const where = file ? ` ${file}${e.dest ? ` to ${e.dest}` : ''}` : '';
  return `cannot ${verb}${where}: ${describeSystemError(e)}`;
}

const VERBS: Record<string, string> = {
  open: 'open', write: 'write', read: 'read', mkdir: 'create the directory', rename: 'move', rmdir: 'remove',
  unlink: 'remove', fsync: 'sync', ftruncate: 'truncate', scandir: 'list', stat: 'inspect', lstat: 'inspect', access: 'use', close: 'close',
};

/** Attach `path` to a system error that lacks one (write(2) and friends report only a file descriptor). */
export function withPath<T>(path: string, f: () => T): T {
  try { return f(); } catch (e) {
    if (isSystemError(e) && !e.path) e.path = path;
    throw e;
  }
}
