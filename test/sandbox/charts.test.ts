/** The sandbox's inline SVG charts: well formed, titled, every mark with its numbers on hover. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clip, divergingSvg, fanSvg, oddsSvg, tableHtml, ticks } from '../../src/sandbox/charts.ts';
import type { FanRow, OddsRow } from '../../src/sandbox/aggregate.ts';

/** Tags open and close in order, and attributes are quoted (enough to catch broken string building). */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<]*")*)\s*(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) { if (stack.pop() !== name) return false; } else stack.push(name);
  }
  const tags = (svg.match(/</g) ?? []).length;
  const parsed = [...svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<]*")*)\s*(\/?)>/g)].length;
  return stack.length === 0 && tags === parsed;
}

const fanRow = (year: number, m: number): FanRow => ({ year, n: 10, p05: m - 2, p25: m - 1, p50: m, p75: m + 1, p95: m + 2, mean: m });

describe('charts', () => {
  it('fan chart: title, both series, a hover strip per year with its numbers', () => {
    const cur = [2000, 2001, 2002].map((y, i) => fanRow(y, 3 + i));
    const base = [2000, 2001, 2002].map((y) => fanRow(y, 2));
    const svg = fanSvg({ id: 'f', title: 'Bonn: hosted organizations by year', subtitle: '10 runs', current: cur, baseline: base, yTitle: 'organizations hosted' });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('<title id="f-t">Bonn: hosted organizations by year</title>');
    expect(svg).toContain('role="img"');
    expect(svg.match(/class="hover"/g)).toHaveLength(3);
    expect(svg).toContain('2001: these settings median 4 (50%: 3-5, 90%: 2-6; 10 runs); baseline median 2');
    expect(svg).toContain('stroke-dasharray');
  });

  it('odds chart: the focal city always shown, intervals and baseline markers, escaped names', () => {
    const rows: OddsRow[] = 'abcdefgh'.split('').map((c, i) => ({ city: c, wins: 8 - i, p: (8 - i) / 36, lo: 0, hi: 0.5, candidateRuns: 10 }));
    const svg = oddsSvg({ id: 'o', title: 'k: <org> & co', subtitle: '', rows, baseline: rows.slice(0, 2), focal: 'h', names: { h: 'Hauptstadt "H"' }, limit: 4 });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('k: &lt;org&gt; &amp; co');
    expect(svg).toContain('Hauptstadt &quot;H&quot;');
    expect(svg.match(/<text class="lab/g)).toHaveLength(4);
    expect(svg).toContain('class="lab focal"');
    expect(svg).toMatch(/a: 22.2% \(95% interval 0%-50%; 8 wins\); baseline 22.2%/);
  });

  it('why chart: bars on both sides of zero, values in their own column', () => {
    const svg = divergingSvg({ id: 'w', title: 'Why', subtitle: '', labels: ['security', 'resources'], xTitle: 'gap',
      series: [{ name: 'won', colour: '#000', values: { security: 0.2, resources: -0.1 } }, { name: 'second', colour: '#111', values: { security: -0.05 } }] });
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    expect(svg).toContain('>+0.2</text>');
    expect(svg).toContain('>-0.1</text>');
  });

  it('cuts long titles to the width and keeps the whole in the accessible name', () => {
    const long = 'unfccc_seat: UN Framework Convention on Climate Change secretariat, 1995, and a little more';
    const svg = oddsSvg({ id: 'o', title: long, subtitle: long, rows: [], baseline: null, focal: 'x', names: {} });
    expect(svg).toContain(`<title id="o-t">${long}</title>`);
    expect(svg).toMatch(/<text class="ct" x="8" y="20">[^<]*…<\/text>/);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 50, max: 800 }), (s, px) => {
      const c = clip(s, px, 12);
      expect(c.length).toBeLessThanOrEqual(Math.max(s.length, Math.floor(px / (12 * 0.56))));
      if (c !== s) expect(c.endsWith('…')).toBe(true);
    }));
  });

  it('ticks are round and cover the range', () => {
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(50)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(ticks(0)).toEqual([0]);
  });

  it('tables escape their cells and right-align numbers', () => {
    const t = tableHtml(['city', 'p'], [['<b>', 0.5], ['x', null]]);
    expect(t).toContain('<td>&lt;b&gt;</td><td class="n">0.5</td>');
    expect(t).toContain('<th scope="col" class="n">p</th>');
  });
});
