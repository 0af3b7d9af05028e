/**
 * Sources are cited by key, and every key has a full entry in docs/references.md. No file of the project cites
 * a file the project does not contain: the calibration digest or a source document by its internal file name.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paramEntries } from '../../src/model/params.ts';
import { ROOT } from '../helpers.ts';

const REFERENCES = readFileSync(join(ROOT, 'docs/references.md'), 'utf8');
/** Keys defined in docs/references.md: each entry starts with `- **[Key]**`. */
const DEFINED = [...REFERENCES.matchAll(/^- \*\*\[([^\]]+)\]\*\*/gm)].map((m) => m[1]);
/** A citation key in brackets (a capital first, no spaces), not a markdown link. */
const CITATION = /\[([A-Z][A-Za-z0-9.-]*)\](?!\()/g;
const keysIn = (text: string) => [...text.matchAll(CITATION)].map((m) => m[1]);

/** Every file of the project: committed or new, minus what git ignores (node_modules, results, compiled output). */
const FILES = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0').filter((f) => f && !/\.(png|jpe?g|gif|ico|parquet|gz|tgz|zip|pdf)$/i.test(f));
const text = (f: string) => { try { return readFileSync(join(ROOT, f), 'utf8'); } catch { return ''; } };

// Built from parts so that this file does not match itself.
const DIGEST = new RegExp(['DOMAIN', 'md'].join('\\.'), 'i');
const DOC_FILE = new RegExp('\\b\\d{3}_[0-9a-f]{16}' + '\\.txt\\b');
const DOC_NUMBER = new RegExp('\\bsources? ' + '00[0-4]\\b|\\(00[0-4][),;:]');

describe('docs/references.md', () => {
  it('defines each key once, with an entry for each of the five source documents', () => {
    expect(DEFINED.length).toBeGreaterThan(40);
    expect(DEFINED.filter((k, i) => DEFINED.indexOf(k) !== i)).toEqual([]);
    for (const k of ['Zhou2026', 'Bonn-Shanghai', 'Wang-GlobalCities', 'SASS-Bluebook2023', 'Liu2017']) expect(DEFINED).toContain(k);
  });

  it('has an entry for every key a parameter cites, and every parameter with a source other than calibration cites one', () => {
    const missing = paramEntries().flatMap(([path, s]) => keysIn(s.source).filter((k) => !DEFINED.includes(k)).map((k) => `${path}: [${k}]`));
    expect(missing).toEqual([]);
    const uncited = paramEntries().filter(([, s]) => !/^calibration choice/.test(s.source) && s.source !== '' && keysIn(s.source).length === 0 && !/docs\/scenarios|docs\/ODD/.test(s.source));
    expect(uncited.map(([p, s]) => `${p}: ${s.source}`)).toEqual([]);
  });

  it('has an entry for every key cited in the seeds, scenarios, README and docs', () => {
    const cited = FILES.filter((f) => /^(seeds\/|scenarios\/|docs\/|README\.md$|src\/init\/)/.test(f))
      .flatMap((f) => keysIn(text(f)).filter((k) => !DEFINED.includes(k)).map((k) => `${f}: [${k}]`));
    expect([...new Set(cited)]).toEqual([]);
  });
});

describe('no file cites a source the project does not contain', () => {
  it('no file names the calibration digest or a source document by its internal file name or number', () => {
    expect(FILES.length).toBeGreaterThan(50);
    const bad = FILES.flatMap((f) => {
      const t = text(f);
      return [DIGEST, DOC_FILE, DOC_NUMBER].filter((re) => re.test(t)).map((re) => `${f}: ${t.match(re)![0]}`);
    });
    expect(bad).toEqual([]);
  });
});
