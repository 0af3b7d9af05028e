/**
 * Locating problems in YAML/JSON input: from a field path (as zod reports it) to file:line:col, and zod issues
 * to located problems with "did you mean" hints. Shared by scenario and experiment files.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node as YNode } from 'yaml';
import type { z } from 'zod';
import { ScenarioError, suggest, type Problem } from './errors.ts';
import { nestingProblem } from '../limits/index.ts';

export interface Located { doc: Document; lc: LineCounter; file: string }

/**
 * Parse YAML (or JSON) text into a located document and its plain value, which must be a mapping.
 * Syntax errors, unresolved aliases and alias bombs become located problems (ScenarioError), never crashes.
 */
export function readDocument(text: string, file: string, what: string): { src: Located; raw: Record<string, unknown> } {
  const { src, raw } = readYaml(text, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScenarioError([{ file, line: 1, col: 1, path: '', message: `${what} is a mapping` }]);
  }
  return { src, raw: raw as Record<string, unknown> };
}

/** As readDocument, for a document of any shape (e.g. a top-level list). */
export function readYaml(text: string, file: string): { src: Located; raw: unknown } {
  const deep = nestingProblem(text, file);
  if (deep) throw new ScenarioError([deep]);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    problems.push({ file, line: p.line, col: p.col, path: '', message: `syntax error: ${e.message.split('\n')[0]}` });
  }
  if (problems.length) throw new ScenarioError(problems);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ScenarioError([{ file, line: 1, col: 1, path: '', message: `cannot read the document: ${(e as Error).message.split('\n')[0]}` }]);
  }
  return { src: { doc, lc, file }, raw };
}

/** Line and column of the node at `path` (or of the key `key` inside it), else of the nearest ancestor. */
export function locate(src: Located, path: (string | number)[], key?: string): { line?: number; col?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = src.doc.getIn(path.slice(0, n), true) as YNode | undefined;
    if (!node || !(node as { range?: number[] }).range) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === key);
      const kn = pair?.key as YNode | undefined;
      if (kn?.range) { const p = src.lc.linePos(kn.range[0]); return { line: p.line, col: p.col }; }
    }
    const p = src.lc.linePos((node as { range: number[] }).range[0]);
    return { line: p.line, col: p.col };
  }
  return {};
}

/** `cities[0].levers.freeOffices` style. */
export function pathString(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s;
}

/** Every object key a zod schema knows, for "did you mean" hints. */
export function schemaKeys(schema: unknown): Set<string> {
  const keys = new Set<string>();
  const walk = (s: unknown, depth: number): void => {
    if (!s || depth > 12) return;
    const def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    const shape = (def.shape ?? undefined) as Record<string, unknown> | undefined;
    if (shape) for (const [k, v] of Object.entries(shape)) { keys.add(k); walk(v, depth + 1); }
    for (const k of ['innerType', 'element', 'valueType', 'in', 'out', 'schema']) if (def[k]) walk(def[k], depth + 1);
    for (const k of ['options', 'items']) if (Array.isArray(def[k])) for (const o of def[k] as unknown[]) walk(o, depth + 1);
  };
  walk(schema, 0);
  return keys;
}

const depth = (issues: z.core.$ZodIssue[]) => Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'unrecognized_keys' ? 1 : 0)));

/** Zod issues as located problems; unknown keys get the closest known key as a hint. */
export function zodProblems(src: Located, issues: z.core.$ZodIssue[], vocabulary: Iterable<string>): Problem[] {
  const out: Problem[] = [];
  for (const is of issues) {
    const path = is.path.filter((k): k is string | number => typeof k !== 'symbol');
    if (is.code === 'unrecognized_keys') {
      for (const key of is.keys) {
        const hint = suggest(key, vocabulary);
        out.push({ file: src.file, ...locate(src, path, key), path: pathString([...path, key]), message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
      }
    } else if (is.code === 'invalid_union') {
      // Report the most specific branch: the one whose issues go deepest.
      const branches = (is as unknown as { errors: z.core.$ZodIssue[][] }).errors ?? [];
      const best = branches.slice().sort((a, b) => depth(b) - depth(a))[0];
      if (best?.length) out.push(...zodProblems(src, best.map((e) => ({ ...e, path: [...is.path, ...e.path] })), vocabulary));
      else out.push({ file: src.file, ...locate(src, path), path: pathString(path), message: is.message });
    } else if (is.code === 'invalid_value' && Array.isArray((is as { values?: unknown[] }).values)) {
      // An enum value: name the allowed values, with the closest one as a hint.
      const values = (is as unknown as { values: unknown[] }).values.map(String);
      const node = src.doc.getIn(path, true) as { value?: unknown } | undefined;
      const input = (is as { input?: unknown }).input;
      const given = typeof input === 'string' ? input : node && isScalar(node) ? String(node.value) : undefined;
      const hint = given !== undefined ? suggest(given, values) : undefined;
      const message = hint ? `"${given}" is not one of ${values.join(', ')} (did you mean "${hint}"?)` : is.message;
      out.push({ file: src.file, ...locate(src, path), path: pathString(path), message });
    } else {
      out.push({ file: src.file, ...locate(src, path), path: pathString(path), message: is.message });
    }
  }
  return out;
}
