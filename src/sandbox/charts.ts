/**
 * The sandbox's charts as inline SVG strings: small, dependency-free and redrawn on every update. Each chart has
 * a title inside the SVG (and role="img" with a label), a <title> tooltip on every mark carrying its numbers,
 * and the page puts its data in a table beside it. Colours: Okabe-Ito (colour-blind safe).
 */
import { esc, fmt } from '../report/html.ts';
import { niceCeil } from './ranges.ts';
import type { FanRow, OddsRow } from './aggregate.ts';

export const BLUE = '#0072B2';
export const ORANGE = '#E69F00';
export const GREY = '#8c8c8c';
export const VERMILION = '#D55E00';

const W = 640;
const r1 = (x: number) => String(Math.round(x * 10) / 10);
const pct = (p: number) => (Number.isFinite(p) ? `${Math.round(p * 1000) / 10}%` : '-');

/** About five round tick values from 0 to max. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const step = niceCeil(max / count);
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9 * step; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/** Text cut to about `px` pixels at `size` px (a sans-serif averages some 0.56 em a character), with an ellipsis. */
export function clip(text: string, px: number, size: number): string {
  const max = Math.max(4, Math.floor(px / (size * 0.56)));
  return text.length <= max ? text : text.slice(0, max - 1).trimEnd() + '…';
}

function frame(id: string, title: string, subtitle: string, h: number, body: string): string {
  // The full title and subtitle stay in the accessible name; the drawn ones are cut to the width.
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-labelledby="${esc(id)}-t ${esc(id)}-s">`
    + `<title id="${esc(id)}-t">${esc(title)}</title><desc id="${esc(id)}-s">${esc(subtitle)}</desc>`
    + `<text class="ct" x="8" y="20">${esc(clip(title, W - 16, 15))}</text>`
    + `<text class="cs" x="8" y="37">${esc(clip(subtitle, W - 16, 12))}</text>${body}</svg>`;
}

export interface FanOptions {
  id: string;
  title: string;
  subtitle: string;
  current: FanRow[];
  baseline: FanRow[] | null;
  yTitle: string;
}

function bandPath(rows: FanRow[], lo: keyof FanRow, hi: keyof FanRow, x: (y: number) => number, y: (v: number) => number): string {
  if (rows.length === 0) return '';
  const top = rows.map((r) => `${r1(x(r.year))},${r1(y(r[hi]))}`);
  const bottom = rows.slice().reverse().map((r) => `${r1(x(r.year))},${r1(y(r[lo]))}`);
  return `M${top.join('L')}L${bottom.join('L')}Z`;
}

function linePath(rows: FanRow[], k: keyof FanRow, x: (y: number) => number, y: (v: number) => number): string {
  return rows.length ? 'M' + rows.map((r) => `${r1(x(r.year))},${r1(y(r[k]))}`).join('L') : '';
}

/** Hosted organizations over time: median, 50% and 90% bands of the settings, against the baseline's. */
export function fanSvg(o: FanOptions): string {
  const H = 320, L = 52, R = 16, T = 64, B = 44;
  const all = [...o.current, ...(o.baseline ?? [])];
  const years = all.map((r) => r.year);
  const y0 = Math.min(...years), y1 = Math.max(...years);
  const vmax = niceCeil(Math.max(1, ...all.map((r) => r.p95)));
  const x = (yr: number) => L + (y1 > y0 ? ((yr - y0) / (y1 - y0)) * (W - L - R) : (W - L - R) / 2);
  const y = (v: number) => H - B - (v / vmax) * (H - T - B);
  let g = '';
  for (const t of ticks(vmax)) g += `<line class="grid" x1="${L}" x2="${W - R}" y1="${r1(y(t))}" y2="${r1(y(t))}"/><text class="tick" x="${L - 6}" y="${r1(y(t) + 4)}" text-anchor="end">${fmt(t)}</text>`;
  const span = y1 - y0;
  const step = span <= 12 ? 2 : span <= 30 ? 5 : span <= 60 ? 10 : 20;
  for (let yr = Math.ceil(y0 / step) * step; yr <= y1; yr += step) g += `<text class="tick" x="${r1(x(yr))}" y="${H - B + 16}" text-anchor="middle">${yr}</text>`;
  g += `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`;
  g += `<text class="at" x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">year (end of)</text>`;
  g += `<text class="at" transform="translate(14 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yTitle)}</text>`;
  if (o.baseline?.length) {
    g += `<path d="${bandPath(o.baseline, 'p05', 'p95', x, y)}" fill="${ORANGE}" fill-opacity="0.13"/>`;
    g += `<path d="${bandPath(o.baseline, 'p25', 'p75', x, y)}" fill="${ORANGE}" fill-opacity="0.25"/>`;
    g += `<path d="${linePath(o.baseline, 'p50', x, y)}" fill="none" stroke="${ORANGE}" stroke-width="2" stroke-dasharray="6 4"/>`;
  }
  if (o.current.length) {
    g += `<path d="${bandPath(o.current, 'p05', 'p95', x, y)}" fill="${BLUE}" fill-opacity="0.16"/>`;
    g += `<path d="${bandPath(o.current, 'p25', 'p75', x, y)}" fill="${BLUE}" fill-opacity="0.32"/>`;
    g += `<path d="${linePath(o.current, 'p50', x, y)}" fill="none" stroke="${BLUE}" stroke-width="2.5"/>`;
  }
  // Legend.
  const lx = L + 8, ly = T - 14, lx2 = lx + 330;
  g += `<rect x="${lx}" y="${ly - 8}" width="18" height="10" fill="${BLUE}" fill-opacity="0.32"/><line x1="${lx}" x2="${lx + 18}" y1="${ly - 3}" y2="${ly - 3}" stroke="${BLUE}" stroke-width="2.5"/>`
    + `<text class="lg" x="${lx + 24}" y="${ly + 1}">these settings: median, 50% and 90% of runs</text>`;
  if (o.baseline?.length) {
    g += `<rect x="${lx2}" y="${ly - 8}" width="18" height="10" fill="${ORANGE}" fill-opacity="0.25"/><line x1="${lx2}" x2="${lx2 + 18}" y1="${ly - 3}" y2="${ly - 3}" stroke="${ORANGE}" stroke-width="2" stroke-dasharray="6 4"/>`
      + `<text class="lg" x="${lx2 + 24}" y="${ly + 1}">baseline (dashed)</text>`;
  }
  // One hover strip per year with its numbers.
  const byYear = new Map(o.baseline?.map((r) => [r.year, r]) ?? []);
  const colW = o.current.length > 1 ? (W - L - R) / (o.current.length - 1) : W - L - R;
  const describe = (r: FanRow) => `median ${fmt(r.p50)} (50%: ${fmt(r.p25)}-${fmt(r.p75)}, 90%: ${fmt(r.p05)}-${fmt(r.p95)}; ${r.n} runs)`;
  for (const r of o.current) {
    const b = byYear.get(r.year);
    g += `<rect class="hover" x="${r1(x(r.year) - colW / 2)}" y="${T}" width="${r1(colW)}" height="${H - T - B}"><title>${r.year}: these settings ${describe(r)}${b ? `; baseline ${describe(b)}` : ''}</title></rect>`;
  }
  return frame(o.id, o.title, o.subtitle, H, g);
}

export interface OddsOptions {
  id: string;
  title: string;
  subtitle: string;
  rows: OddsRow[];
  baseline: OddsRow[] | null;
  focal: string;
  names: Record<string, string>;
  /** At most this many cities (the focal city is always shown). */
  limit?: number;
}

/** Win probabilities of one contest with 95% Wilson intervals; the baseline's as a marker. */
export function oddsSvg(o: OddsOptions): string {
  const limit = o.limit ?? 6;
  let rows = o.rows.slice(0, limit);
  const focalRow = o.rows.find((r) => r.city === o.focal);
  if (focalRow && !rows.includes(focalRow)) rows = [...rows.slice(0, limit - 1), focalRow];
  const base = new Map(o.baseline?.map((r) => [r.city, r]) ?? []);
  const L = 150, R = 64, T = 70, rowH = 26, B = 34;
  const H = T + rows.length * rowH + B;
  const x = (p: number) => L + p * (W - L - R);
  let g = '';
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    g += `<line class="grid" x1="${r1(x(t))}" x2="${r1(x(t))}" y1="${T - 6}" y2="${H - B}"/><text class="tick" x="${r1(x(t))}" y="${H - B + 15}" text-anchor="middle">${t * 100}%</text>`;
  }
  g += `<text class="at" x="${(L + W - R) / 2}" y="${H - 4}" text-anchor="middle">probability of winning (95% interval)</text>`;
  rows.forEach((r, i) => {
    const cy = T + i * rowH + rowH / 2;
    const isFocal = r.city === o.focal;
    const b = base.get(r.city);
    const name = o.names[r.city] ?? r.city;
    const tip = `${name}: ${pct(r.p)} (95% interval ${pct(r.lo)}-${pct(r.hi)}; ${r.wins} wins)${o.baseline ? `; baseline ${b ? `${pct(b.p)} (${pct(b.lo)}-${pct(b.hi)})` : '0%'}` : ''}`;
    g += `<g><title>${esc(tip)}</title>`;
    g += `<text class="${isFocal ? 'lab focal' : 'lab'}" x="${L - 8}" y="${r1(cy + 4)}" text-anchor="end">${esc(name)}</text>`;
    g += `<rect x="${L}" y="${r1(cy - 8)}" width="${r1(Math.max(0, x(r.p) - L))}" height="16" fill="${isFocal ? BLUE : '#9ecae1'}"/>`;
    g += `<path d="M${r1(x(r.lo))},${r1(cy - 5)}v10M${r1(x(r.lo))},${r1(cy)}H${r1(x(r.hi))}M${r1(x(r.hi))},${r1(cy - 5)}v10" stroke="#222" stroke-width="1.3" fill="none"/>`;
    if (o.baseline) {
      const bp = b ? b.p : 0;
      g += `<path d="M${r1(x(bp))},${r1(cy - 10)}l5,10l-5,10l-5,-10z" fill="${ORANGE}" stroke="#fff" stroke-width="0.8"/>`;
    }
    g += `<text class="val" x="${W - R + 6}" y="${r1(cy + 4)}">${pct(r.p)}</text></g>`;
  });
  if (o.baseline) g += `<path d="M${L + 4},${T - 25}l4,7l-4,7l-4,-7z" fill="${ORANGE}"/><text class="lg" x="${L + 14}" y="${T - 14}">baseline</text>`;
  return frame(o.id, o.title, o.subtitle, H, g);
}

export interface BarsOptions {
  id: string;
  title: string;
  subtitle: string;
  /** Rows of labelled values per series (missing values are left out). */
  labels: string[];
  series: { name: string; colour: string; values: Record<string, number> }[];
  xTitle: string;
}

/** Horizontal bars around zero, one group per label and one bar per series (the why-breakdown). */
export function divergingSvg(o: BarsOptions): string {
  const L = 150, R = 80, T = 64, B = 36;
  const groupH = 8 + o.series.length * 14;
  const H = T + o.labels.length * groupH + B;
  const vmax = Math.max(1e-9, ...o.series.flatMap((s) => Object.values(s.values).map(Math.abs)));
  const x0 = (L + W - R) / 2;
  const x = (v: number) => x0 + (v / vmax) * ((W - L - R) / 2);
  let g = `<line class="axis" x1="${x0}" x2="${x0}" y1="${T - 4}" y2="${H - B}"/>`;
  g += `<text class="tick" x="${L}" y="${H - B + 15}">favours the rival</text><text class="tick" x="${W - R}" y="${H - B + 15}" text-anchor="end">favours this city</text>`;
  g += `<text class="at" x="${x0}" y="${H - 4}" text-anchor="middle">${esc(o.xTitle)}</text>`;
  o.series.forEach((s, j) => {
    const lx = L + j * 230;
    g += `<rect x="${lx}" y="${T - 26}" width="12" height="10" fill="${s.colour}"/><text class="lg" x="${lx + 18}" y="${T - 17}">${esc(s.name)}</text>`;
  });
  o.labels.forEach((label, i) => {
    const gy = T + i * groupH + 4;
    g += `<text class="lab" x="${L - 8}" y="${r1(gy + (o.series.length * 14) / 2 + 3)}" text-anchor="end">${esc(label)}</text>`;
    o.series.forEach((s, j) => {
      const v = s.values[label];
      if (typeof v !== 'number' || !Number.isFinite(v)) return;
      const y = gy + j * 14;
      const a = Math.min(x(0), x(v)), w = Math.abs(x(v) - x(0));
      g += `<rect x="${r1(a)}" y="${y}" width="${r1(Math.max(w, 0.5))}" height="11" fill="${s.colour}"><title>${esc(`${label}, ${s.name}: ${fmt(v)}`)}</title></rect>`;
      // Values in a column of their own at the right, so that long bars to the left never run into the labels.
      g += `<text class="val" x="${W - 6}" y="${y + 9}" text-anchor="end" fill="${s.colour}">${v > 0 ? '+' : ''}${fmt(v)}</text>`;
    });
  });
  return frame(o.id, o.title, o.subtitle, H, g);
}

/** A plain HTML table (header row, text or number cells). */
export function tableHtml(columns: string[], rows: (string | number | null | undefined)[][], caption?: string): string {
  const num = columns.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === 'number'));
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${columns.map((c, i) => `<th scope="col"${num[i] ? ' class="n"' : ''}>${esc(c)}</th>`).join('')}</tr></thead><tbody>`
    + rows.map((r) => `<tr>${r.map((c, i) => `<td${num[i] ? ' class="n"' : ''}>${esc(typeof c === 'number' ? fmt(c) : c ?? '')}</td>`).join('')}</tr>`).join('') + '</tbody></table>';
}
