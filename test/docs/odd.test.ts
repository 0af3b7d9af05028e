/**
 * docs/ODD.md must not drift from the code: its parameter table is the generated one, byte for byte; every
 * coefficient of the registry is named in it; it keeps the ODD protocol's structure; and the `hqsim params`
 * command lists the same coefficients through the real command line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { paramEntries } from '../../src/model/params.ts';
import {
  embeddedParamBlock, paramRows, paramTableMarkdown, PARAMS_BEGIN, PARAMS_END, rangeText, replaceParamBlock,
} from '../../src/docs/params.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ODD = resolve(ROOT, 'docs/ODD.md');
const CLI = resolve(ROOT, 'src/cli/hqsim.mjs');
const doc = readFileSync(ODD, 'utf8');
const REGENERATE = 'regenerate it with: node src/cli/hqsim.mjs params --write docs/ODD.md';

describe('docs/ODD.md parameter table', () => {
  it('has exactly one params block', () => {
    expect(doc.split(PARAMS_BEGIN).length - 1, `docs/ODD.md needs one ${PARAMS_BEGIN} marker`).toBe(1);
    expect(doc.split(PARAMS_END).length - 1, `docs/ODD.md needs one ${PARAMS_END} marker`).toBe(1);
  });

  it('equals paramTableMarkdown() byte for byte', () => {
    const block = embeddedParamBlock(doc);
    expect(block, `docs/ODD.md has no params block; ${REGENERATE}`).not.toBeNull();
    expect(block, `the parameter table in docs/ODD.md is stale; ${REGENERATE}`).toBe(paramTableMarkdown());
  });

  it('names every parameter path of the registry', () => {
    const missing = paramEntries().map(([path]) => path).filter((path) => !doc.includes(`\`${path}\``));
    expect(missing, `parameters missing from docs/ODD.md; ${REGENERATE}`).toEqual([]);
  });

  it('has one table row per parameter, in registry order, with the default of the registry', () => {
    const rows = paramTableMarkdown().trimEnd().split('\n').slice(2);
    const entries = paramEntries();
    expect(rows).toHaveLength(entries.length);
    rows.forEach((row, i) => {
      const [path, spec] = entries[i];
      const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      expect(cells).toHaveLength(6);
      expect(cells[0]).toBe(`\`${path}\``);
      expect(Number(cells[3])).toBe(spec.default);
      expect(cells[4]).toBe(rangeText(spec));
    });
  });

  it('replaceParamBlock is idempotent on the committed document', () => {
    expect(replaceParamBlock(doc)).toBe(doc);
  });
});

describe('docs/ODD.md structure', () => {
  const headings = doc.split('\n').filter((l) => /^#{1,4} /.test(l)).map((l) => l.replace(/^#+\s*/, '').toLowerCase());
  const has = (name: string) => headings.some((h) => h.includes(name.toLowerCase()));

  // The seven elements of the ODD protocol (Grimm et al. 2020) and the eleven design concepts.
  const elements = ['Purpose and patterns', 'Entities, state variables and scales', 'Process overview and scheduling', 'Design concepts',
    'Initialization', 'Input data', 'Submodels'];
  const concepts = ['Basic principles', 'Emergence', 'Adaptation', 'Objectives', 'Learning', 'Prediction', 'Sensing', 'Interaction',
    'Stochasticity', 'Collectives', 'Observation'];

  it.each(elements)('has the ODD element "%s"', (name) => {
    expect(has(name), `no heading "${name}" in docs/ODD.md`).toBe(true);
  });

  it('keeps the ODD elements in protocol order', () => {
    const at = elements.map((e) => headings.findIndex((h) => h.includes(e.toLowerCase())));
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it.each(concepts)('has the design concept "%s"', (name) => {
    expect(has(name), `no heading "${name}" in docs/ODD.md`).toBe(true);
  });

  it('has a section on calibration and known limitations', () => {
    expect(has('Calibration and known limitations')).toBe(true);
  });

  it('cites every one of the five source documents by its key in docs/references.md', () => {
    for (const k of ['[Zhou2026]', '[Bonn-Shanghai]', '[Wang-GlobalCities]', '[SASS-Bluebook2023]', '[Liu2017]']) expect(doc, k).toContain(k);
  });
});

describe('hqsim params (through the real command line)', () => {
  const run = (...args: string[]) => execFileSync(process.execPath, [CLI, 'params', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('--format json parses and lists every parameter path with its default', () => {
    const rows = JSON.parse(run('--format', 'json')) as { path: string; default: number; unit: string; meaning: string; source: string }[];
    expect(rows.map((r) => r.path)).toEqual(paramEntries().map(([path]) => path));
    const byPath = new Map(rows.map((r) => [r.path, r]));
    for (const [path, spec] of paramEntries()) {
      expect(byPath.get(path)!.default, path).toBe(spec.default);
      expect(byPath.get(path)!.unit, path).toBe(spec.unit);
    }
    expect(rows).toEqual(JSON.parse(JSON.stringify(paramRows())));
  }, 30_000);

  it('--format markdown prints the table embedded in docs/ODD.md', () => {
    expect(run('--format', 'markdown')).toBe(paramTableMarkdown());
  }, 30_000);

  it('rejects an unknown format with exit code 2', () => {
    let status = 0;
    try { run('--format', 'xml'); } catch (e) { status = (e as { status: number }).status; }
    expect(status).toBe(2);
  }, 30_000);
});
