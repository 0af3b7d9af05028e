/** In-process checks of the chart layer: no Vega/Vega-Lite warnings for real pages, stable SVG ids, text width estimates. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartWarnings, renameIds, textWidth } from '../../src/report/charts.ts';
import { buildReport } from '../../src/report/index.ts';
import { runCli } from '../helpers.ts';
import { tempDir, writeSweepFixture } from './fixtures.ts';

let tmp: string;
beforeAll(async () => {
  tmp = tempDir('charts');
  expect((await runCli(['run', 'scenarios/quickstart.yaml', '--out', join(tmp, 'run'), '--quiet'])).code).toBe(0);
});

describe('report charts', () => {
  it('render run and sweep pages without Vega or Vega-Lite warnings', async () => {
    chartWarnings.length = 0;
    const dirs = [join(tmp, 'run'), ...(['grid', 'lhs', 'sobol', 'morris'] as const).map((design) =>
      writeSweepFixture(join(tmp, design), { design, arms: design === 'lhs' ? ['only'] : ['base', 'cash', 'mixed'], points: design === 'grid' ? 12 : 30, replications: 2 }))];
    for (const d of dirs) {
      const r = await buildReport(d);
      expect(r.ok, d).toBe(true);
    }
    expect(chartWarnings).toEqual([]);
  });

  it('renames SVG ids by chart and order, not by process history', () => {
    const svg = '<svg><clipPath id="clip17"><rect/></clipPath><g clip-path="url(#clip17)"/><use href="#clip17"/><g id="x9"/></svg>';
    expect(renameIds(svg, 'c3')).toBe('<svg><clipPath id="c3-1"><rect/></clipPath><g clip-path="url(#c3-1)"/><use href="#c3-1"/><g id="c3-2"/></svg>');
  });

  it('estimates text widths like a browser sans-serif font, not 0.8 em per character', () => {
    const w = textWidth('organizations hosted', 11);
    expect(w).toBeGreaterThan(90);
    expect(w).toBeLessThan(130);
  });
});
