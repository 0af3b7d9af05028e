/**
 * Vega-Lite specs rendered to static SVG strings in Node (no DOM, no browser runtime in the page).
 * Every chart shares one look: colour-blind-safe palettes, titles, axis titles with units.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Okabe-Ito colours (colour-blind safe), yellow moved last: it is weak on white. */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'];
export const OTHER_GREY = '#9a9a9a';
/** Tableau 10: for categories beyond Okabe-Ito's seven usable colours (spending levers). */
export const TABLEAU10 = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** Two-role colours: chosen city vs runner-up, favours chosen vs favours runner-up. */
export const ROLE_COLOURS = ['#0072B2', '#E69F00'];

/** Short generic family in the SVG; the page's CSS sets the actual font stack for SVG text. */
const FONT = 'sans-serif';

export const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 8,
  title: { anchor: 'start', fontSize: 15, fontWeight: 600, subtitleFontSize: 12, subtitleColor: '#555', offset: 12, color: '#1a1a1a' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelColor: '#333', titleColor: '#222', gridColor: '#e8e8e8', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 220 },
  header: { labelFontSize: 12, titleFontSize: 12, labelColor: '#222', labelLimit: 260 },
  view: { stroke: '#ddd' },
  range: { category: OKABE_ITO },
  line: { strokeWidth: 2 },
  // Per-mark ARIA labels would repeat every data point in the SVG; the page gives each chart's data as a table instead.
  aria: false,
} as const;

/**
 * Make a static SVG lighter: drop empty placeholder paths and interaction-only attributes, and round path and
 * transform coordinates to 0.1 px (invisible at the drawn size). Text content is left untouched.
 */
export function slimSvg(svg: string): string {
  const round = (v: string) => v.replace(/-?\d+\.\d{2,}/g, (n) => { const r = String(Math.round(Number(n) * 10) / 10); return r === '-0' ? '0' : r; });
  return svg
    .replace(/<path class="(?:background|foreground)"[^>]*?(?:d="M0,0h0v0h0Z"|display="none")[^>]*\/>/g, '')
    .replace(/ (?:pointer-events="none"|opacity="1")/g, '')
    .replace(/ (d|transform)="([^"]*)"/g, (_m, k: string, v: string) => ` ${k}="${round(v)}"`);
}

// Advance widths of Helvetica/Arial for ASCII 32..126 (per 1000 em), scaled up 10% to cover wider sans fonts
// (DejaVu Sans on Linux). Vega's fallback without a canvas guesses 0.8 em per character, far too wide, which
// truncates labels and wastes space; this keeps layout deterministic and close to what browsers draw.
const ASCII_WIDTHS = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
  611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584];

/** Estimated width in px of `text` at `size` px; bold text is about 8% wider. */
export function textWidth(text: string, size: number, bold = false): number {
  let w = 0;
  for (const ch of text) { const c = ch.codePointAt(0)!; w += c >= 32 && c <= 126 ? ASCII_WIDTHS[c - 32] : 600; }
  return (w / 1000) * size * 1.1 * (bold ? 1.08 : 1);
}

interface TextItem { fontSize?: number; fontWeight?: string | number; limit?: number }
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
metrics.width = (item, text) => {
  const s = text == null ? '' : String(text).trim();
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  const w = textWidth(s, size, bold);
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
};

/** Give every id in one SVG a chart-specific, sequential name, so several SVGs can share a page and output does not depend on render order. */
export function renameIds(svg: string, prefix: string): string {
  const ids = [...new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))];
  if (ids.length === 0) return svg;
  const map = new Map(ids.map((id, i) => [id, `${prefix}-${i + 1}`]));
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(\\sid="|url\\(#|href="#)(${ids.map(esc).join('|')})(?=[")])`, 'g');
  return svg.replace(re, (_m, lead: string, id: string) => lead + map.get(id));
}

/**
 * Vega and Vega-Lite warnings, collected instead of printed (they would interleave with CLI output); tests assert
 * there are none beyond KNOWN_HARMLESS. Each entry names the chart.
 */
export const chartWarnings: string[] = [];
/** Vega-Lite says this for every facet with independent scales and layers; the sizes it worries about are checked by the browser test. */
export const KNOWN_HARMLESS = [/faceted independent scales that union domain/];

function collectingLogger(chart: string) {
  let lvl = 2;
  const keep = (kind: string) => (...args: unknown[]) => { if (!KNOWN_HARMLESS.some((re) => re.test(String(args[0])))) chartWarnings.push(`${chart}: ${kind}: ${args.map(String).join(' ')}`); };
  const logger = {
    level(l?: number) { if (l === undefined) return lvl; lvl = l; return logger; },
    error: keep('error'), warn: keep('warning'), info: () => logger, debug: () => logger,
  };
  return logger as never;
}

/** Render a Vega-Lite spec to an SVG string (static; scales to the page width through its viewBox). */
export async function renderSvg(spec: TopLevelSpec, id: string, label: string): Promise<string> {
  const vg = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, { logger: collectingLogger(label) }).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logger: collectingLogger(label) });
  try {
    let svg = slimSvg(await view.toSVG());
    svg = renameIds(svg, id);
    const w = /^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1];
    // Keep the natural size as a maximum, but let narrow windows shrink the chart.
    svg = svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" style="max-width:100%;height:auto;width:${w ?? 600}px" `);
    return svg;
  } finally {
    view.finalize();
  }
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Facet labels of the form "first line|second line" are drawn on two lines. */
export const LINE_BREAK = '|';
const TWO_LINE_HEADER = { labelFontWeight: 600, labelFontSize: 11, labelExpr: `split(datum.label, '${LINE_BREAK}')`, labelLimit: 250 };

export type Datum = Record<string, string | number | null | boolean>;

export interface ChartTitle { text: string; subtitle?: string }
const title = (t: ChartTitle) => (t.subtitle ? { text: t.text, subtitle: t.subtitle } : { text: t.text });

/** Lines over years, one per series, with an explicit colour per series. */
export function lineChart(o: { title: ChartTitle; data: Datum[]; x: string; xTitle: string; y: string; yTitle: string; series: string; seriesTitle: string;
  colours: { domain: string[]; range: string[] }; yDomain?: [number, number]; width?: number; height?: number; points?: boolean; yFormat?: string }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title), width: o.width ?? 620, height: o.height ?? 260,
    data: { values: o.data },
    mark: { type: 'line', point: o.points ? { size: 18, filled: true } : false },
    encoding: {
      x: { field: o.x, type: 'quantitative', title: o.xTitle, axis: { format: 'd', tickMinStep: 1 }, scale: { zero: false, nice: false } },
      y: { field: o.y, type: 'quantitative', title: o.yTitle, ...(o.yDomain ? { scale: { domain: o.yDomain } } : {}), axis: { tickMinStep: o.yFormat === 'd' ? 1 : undefined, format: o.yFormat } },
      color: { field: o.series, type: 'nominal', title: o.seriesTitle, scale: { domain: o.colours.domain, range: o.colours.range }, sort: o.colours.domain },
    },
  } as TopLevelSpec;
}

/** Small multiples of lines (one panel per facet value). */
export function facetLines(o: { title: ChartTitle; data: Datum[]; facet: string; facetTitle: string; facetOrder: string[]; columns: number; x: string; xTitle: string;
  y: string; yTitle: string; series: string; seriesTitle: string; colours: { domain: string[]; range: string[] }; width?: number; height?: number }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title),
    data: { values: o.data },
    facet: { field: o.facet, type: 'nominal', title: null, sort: o.facetOrder, header: { labelFontWeight: 600 } },
    columns: o.columns,
    spec: {
      width: o.width ?? 180, height: o.height ?? 110,
      mark: { type: 'line', strokeWidth: 1.8 },
      encoding: {
        x: { field: o.x, type: 'quantitative', title: o.xTitle, axis: { format: 'd', tickCount: 4 }, scale: { zero: false, nice: false } },
        y: { field: o.y, type: 'quantitative', title: o.yTitle, axis: { tickMinStep: 1, format: 'd', tickCount: 4 } },
        color: { field: o.series, type: 'nominal', title: o.seriesTitle, scale: { domain: o.colours.domain, range: o.colours.range }, sort: o.colours.domain },
      },
    },
  } as TopLevelSpec;
}

/** Stacked areas over years per facet (spending by lever per city). */
export function facetStackedArea(o: { title: ChartTitle; data: Datum[]; facet: string; facetOrder: string[]; columns: number; x: string; xTitle: string;
  y: string; yTitle: string; stack: string; stackTitle: string; colours: { domain: string[]; range: string[] } }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title),
    data: { values: o.data },
    facet: { field: o.facet, type: 'nominal', title: null, sort: o.facetOrder, header: { labelFontWeight: 600 } },
    columns: o.columns,
    spec: {
      width: 200, height: 130,
      mark: { type: 'area', interpolate: 'step-after', opacity: 0.9 },
      encoding: {
        x: { field: o.x, type: 'quantitative', title: o.xTitle, axis: { format: 'd', tickCount: 4 }, scale: { zero: false, nice: false } },
        y: { field: o.y, type: 'quantitative', title: o.yTitle, stack: 'zero' },
        color: { field: o.stack, type: 'nominal', title: o.stackTitle, scale: { domain: o.colours.domain, range: o.colours.range }, sort: o.colours.domain },
        order: { field: 'stackOrder', type: 'quantitative' },
      },
    },
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

/** A from -> to matrix with counts written in the cells. */
export function flowMatrix(o: { title: ChartTitle; data: Datum[]; fromOrder: string[]; toOrder: string[]; fromTitle: string; toTitle: string; countTitle: string }): TopLevelSpec {
  const max = Math.max(1, ...o.data.map((d) => Number(d.count)));
  const cell = 34;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title),
    width: Math.max(120, cell * o.toOrder.length), height: Math.max(60, cell * o.fromOrder.length),
    data: { values: o.data },
    encoding: {
      x: { field: 'to', type: 'nominal', title: o.toTitle, sort: o.toOrder, scale: { domain: o.toOrder }, axis: { orient: 'top', labelAngle: -40, labelLimit: 140 } },
      y: { field: 'from', type: 'nominal', title: o.fromTitle, sort: o.fromOrder, scale: { domain: o.fromOrder }, axis: { labelLimit: 160 } },
    },
    layer: [
      { mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: { color: { field: 'count', type: 'quantitative', title: o.countTitle, scale: { scheme: 'blues', domainMin: 0 }, legend: { format: 'd', tickMinStep: 1 } } } },
      { mark: { type: 'text', fontSize: 12, fontWeight: 600 },
        encoding: { text: { field: 'count', type: 'quantitative', format: 'd' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: '#111' } } },
    ],
  } as TopLevelSpec;
}

/** Grouped bars per facet: votes per city in each round of a contest. */
export function voteRounds(o: { title: ChartTitle; data: Datum[]; facetOrder: string[]; cityOrder: string[]; columns: number }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title),
    data: { values: o.data },
    facet: { field: 'contest', type: 'nominal', title: null, sort: o.facetOrder, header: TWO_LINE_HEADER },
    columns: o.columns,
    spec: {
      width: 230, height: { step: 16 },
      encoding: {
        y: { field: 'city', type: 'nominal', title: 'candidate city', sort: o.cityOrder },
        yOffset: { field: 'round', type: 'ordinal' },
        x: { field: 'votes', type: 'quantitative', title: 'votes (members)', axis: { tickMinStep: 1, format: 'd' } },
      },
      layer: [
        { mark: { type: 'bar' }, encoding: { color: { field: 'round', type: 'ordinal', title: 'vote round', scale: { scheme: 'blues' } } } },
        { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { text: { field: 'votes', type: 'quantitative' } } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** Driver scores of the chosen city against the runner-up, one panel per decision. */
export function driverScores(o: { title: ChartTitle; data: Datum[]; facetOrder: string[]; columns: number; drivers: string[] }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title),
    data: { values: o.data },
    facet: { field: 'decision', type: 'nominal', title: null, sort: o.facetOrder, header: TWO_LINE_HEADER },
    columns: o.columns,
    spec: {
      width: 210, height: { step: 13 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'driver', type: 'nominal', title: null, sort: o.drivers },
        yOffset: { field: 'role', type: 'nominal', sort: ['chosen city', 'runner-up'] },
        x: { field: 'score', type: 'quantitative', title: 'driver score (0-1)', scale: { domain: [0, 1] } },
        color: { field: 'role', type: 'nominal', title: 'city', scale: { domain: ['chosen city', 'runner-up'], range: ROLE_COLOURS } },
      },
    },
  } as TopLevelSpec;
}

/** Signed contributions to the utility gap (chosen minus runner-up), one panel per decision. */
export function utilityGap(o: { title: ChartTitle; data: Datum[]; facetOrder: string[]; columns: number; components: string[] }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title),
    data: { values: o.data },
    facet: { field: 'decision', type: 'nominal', title: null, sort: o.facetOrder, header: TWO_LINE_HEADER },
    columns: o.columns,
    spec: {
      width: 210, height: { step: 15 },
      encoding: { y: { field: 'component', type: 'nominal', title: null, sort: o.components } },
      layer: [
        { mark: { type: 'bar' }, encoding: {
          x: { field: 'contribution', type: 'quantitative', title: 'utility difference (chosen - runner-up)' },
          color: { field: 'favours', type: 'nominal', title: 'favours', scale: { domain: ['chosen city', 'runner-up'], range: ROLE_COLOURS } } } },
        { mark: { type: 'rule', color: '#333' }, encoding: { x: { datum: 0 } } },
      ],
    },
  } as TopLevelSpec;
}

/** Response curves with a confidence band (quantitative x) or points with error bars (nominal x). */
export function responsePanel(o: { data: Datum[]; xTitle: string; yTitle: string; nominal: boolean; arms: string[]; title?: string; width?: number; height?: number }) {
  const colour = { field: 'arm', type: 'nominal', title: 'arm', scale: { domain: o.arms, range: OKABE_ITO.slice(0, Math.max(1, o.arms.length)) }, legend: o.arms.length > 1 ? { symbolOpacity: 1 } : null };
  const x = o.nominal
    ? { field: 'x', type: 'nominal', title: o.xTitle, sort: null, axis: { labelAngle: 0 } }
    : { field: 'x', type: 'quantitative', title: o.xTitle, scale: { zero: false, nice: false } };
  const layers = o.nominal
    ? [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, xOffset: o.arms.length > 1 ? { field: 'arm' } : undefined, y: { field: 'lo', type: 'quantitative', title: o.yTitle, scale: { zero: false } }, y2: { field: 'hi' }, color: colour } },
      { mark: { type: 'point', filled: true, size: 50 }, encoding: { x, xOffset: o.arms.length > 1 ? { field: 'arm' } : undefined, y: { field: 'mean', type: 'quantitative' }, color: colour } },
    ]
    : [
      { mark: { type: 'area', opacity: 0.22 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: o.yTitle, scale: { zero: false } }, y2: { field: 'hi' }, color: colour } },
      { mark: { type: 'line', point: { filled: true, size: 30 } }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color: colour } },
    ];
  return { ...(o.title ? { title: { text: o.title, fontSize: 12, fontWeight: 600 } } : {}), width: o.width ?? 220, height: o.height ?? 160, data: { values: o.data }, layer: layers };
}

/** Several panels side by side (wrapping) under one title. */
export function concatPanels(o: { title: ChartTitle; panels: object[]; columns: number }): TopLevelSpec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: title(o.title), concat: o.panels, columns: o.columns,
    resolve: { scale: { color: 'shared', xOffset: 'independent' } } } as TopLevelSpec;
}

/** Mean differences with their confidence intervals against zero, one row per arm, one panel per metric. */
export function armDiffs(o: { title: ChartTitle; data: Datum[]; metrics: string[]; arms: string[]; columns: number }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title),
    data: { values: o.data },
    facet: { field: 'metric', type: 'nominal', title: null, sort: o.metrics, header: { labelFontWeight: 600 } },
    columns: o.columns,
    spec: {
      width: 240, height: { step: 26 },
      encoding: { y: { field: 'label', type: 'nominal', title: null, sort: null } },
      layer: [
        { mark: { type: 'rule', color: '#888', strokeDash: [3, 3] }, encoding: { x: { datum: 0 } } },
        { mark: { type: 'rule', strokeWidth: 2.5 }, encoding: {
          x: { field: 'lo', type: 'quantitative', title: 'arm - baseline (metric units)' }, x2: { field: 'hi' },
          color: { field: 'verdict', type: 'nominal', title: 'difference', scale: { domain: ['above baseline', 'below baseline', 'CI includes 0'], range: ['#0072B2', '#D55E00', '#8c8c8c'] } } } },
        { mark: { type: 'point', filled: true, size: 60 }, encoding: { x: { field: 'mean', type: 'quantitative' }, color: { field: 'verdict', type: 'nominal' } } },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  } as TopLevelSpec;
}

/** Sensitivity indices as sorted horizontal bars (a tornado), with confidence intervals when known. */
export function tornado(o: { title: ChartTitle; data: Datum[]; metrics: string[]; indices: string[]; xTitle: string; columns: number; xDomain?: [number, number] }): TopLevelSpec {
  const x = { field: 'value', type: 'quantitative', title: o.xTitle, ...(o.xDomain ? { scale: { domain: o.xDomain } } : {}) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.title),
    data: { values: o.data },
    facet: { field: 'metric', type: 'nominal', title: null, sort: o.metrics, header: { labelFontWeight: 600 } },
    columns: o.columns,
    spec: {
      width: 240, height: { step: 14 },
      encoding: {
        y: { field: 'factor', type: 'nominal', title: null, sort: { field: 'rank', op: 'min', order: 'ascending' } },
        yOffset: { field: 'index', type: 'nominal', sort: o.indices },
      },
      layer: [
        { mark: { type: 'bar', clip: true }, encoding: {
          x,
          color: { field: 'index', type: 'nominal', title: 'index', sort: o.indices, scale: { domain: o.indices, range: OKABE_ITO.slice(0, o.indices.length) } } } },
        { mark: { type: 'rule', color: '#222', clip: true }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      ],
    },
    // A fixed domain (Sobol shares, 0-1) is shared; otherwise each metric keeps its own units and scale.
    resolve: { scale: { y: 'independent', x: o.xDomain ? 'shared' : 'independent' } },
  } as TopLevelSpec;
}

const armColour = (arms: string[], legend = true) => ({ field: 'arm', type: 'nominal', title: 'arm', scale: { domain: arms, range: OKABE_ITO.slice(0, Math.max(1, arms.length)) }, legend: legend && arms.length > 1 ? { symbolOpacity: 1 } : null });

/** A histogram panel: share of runs per bin (ordered labels), bars side by side per arm. */
export function histogramPanel(o: { data: Datum[]; bins: string[]; arms: string[]; title: string; xTitle: string; width?: number; height?: number }) {
  return {
    title: { text: o.title, fontSize: 12, fontWeight: 600 }, width: o.width ?? 230, height: o.height ?? 140, data: { values: o.data },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'bin', type: 'ordinal', title: o.xTitle, sort: o.bins, scale: { domain: o.bins }, axis: { labelAngle: o.bins.some((b) => b.length > 4) ? -40 : 0, labelLimit: 90 } },
      xOffset: o.arms.length > 1 ? { field: 'arm', type: 'nominal', sort: o.arms, scale: { domain: o.arms } } : undefined,
      y: { field: 'share', type: 'quantitative', title: 'share of runs', axis: { format: '.0%' } },
      color: armColour(o.arms),
    },
  };
}

/** Envelope of a yearly series: min-max and 10-90% bands and the median line, per arm. */
export function envelopePanel(o: { data: Datum[]; arms: string[]; title: string; yTitle: string; width?: number; height?: number }) {
  const x = { field: 'year', type: 'quantitative', title: 'year', axis: { format: 'd', tickMinStep: 1 }, scale: { zero: false, nice: false } };
  const colour = armColour(o.arms);
  return {
    title: { text: o.title, fontSize: 12, fontWeight: 600 }, width: o.width ?? 300, height: o.height ?? 170, data: { values: o.data },
    layer: [
      { mark: { type: 'area', opacity: 0.12 }, encoding: { x, y: { field: 'min', type: 'quantitative', title: o.yTitle }, y2: { field: 'max' }, color: colour } },
      { mark: { type: 'area', opacity: 0.28 }, encoding: { x, y: { field: 'p10', type: 'quantitative' }, y2: { field: 'p90' }, color: colour } },
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'median', type: 'quantitative' }, color: colour } },
    ],
  };
}

/** PRIM's peeling trajectory: density against coverage per box, the chosen box marked. */
export function primTrajectory(o: { title: ChartTitle; data: Datum[] }): TopLevelSpec {
  const x = { field: 'coverage', type: 'quantitative', title: 'coverage (share of the cases inside the box)', scale: { domain: [0, 1] } };
  const y = { field: 'density', type: 'quantitative', title: 'density (share of the box that are cases)', scale: { domain: [0, 1] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: title(o.title), width: 420, height: 280, data: { values: o.data },
    layer: [
      { mark: { type: 'line', color: '#9a9a9a', strokeWidth: 1 }, encoding: { x, y, order: { field: 'box' } } },
      { mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y,
        color: { field: 'restricted', type: 'ordinal', title: 'inputs restricted', scale: { scheme: 'viridis' } } } },
      { transform: [{ filter: 'datum.chosen' }], mark: { type: 'point', shape: 'diamond', size: 220, filled: false, strokeWidth: 2.5, color: '#D55E00' }, encoding: { x, y } },
      { transform: [{ filter: 'datum.chosen' }], mark: { type: 'text', dx: 10, dy: -10, align: 'left', fontSize: 11, fontWeight: 600, color: '#D55E00' },
        encoding: { x, y, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

/** The limits of a PRIM box on each restricted input, as a share of its sampled range, with labels. */
export function primLimits(o: { title: ChartTitle; data: Datum[]; inputs: string[] }): TopLevelSpec {
  const y = { field: 'input', type: 'nominal', title: null, sort: o.inputs, axis: { labelLimit: 200 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: title(o.title), width: 420, height: { step: 34 }, data: { values: o.data },
    encoding: { y },
    layer: [
      { mark: { type: 'rule', color: '#d0d0d0', strokeWidth: 8 }, encoding: { x: { datum: 0, type: 'quantitative', scale: { domain: [0, 1] }, title: 'share of the sampled range (0 = lowest, 1 = highest value)' }, x2: { datum: 1 } } },
      { mark: { type: 'rule', color: '#0072B2', strokeWidth: 8 }, encoding: { x: { field: 'from', type: 'quantitative', title: 'share of the sampled range (0 = lowest, 1 = highest value)' }, x2: { field: 'to' } } },
      { mark: { type: 'text', align: 'left', dy: -13, fontSize: 11 }, encoding: { x: { datum: 0, type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

/** Feature scores as a heat map: metrics x inputs, the importance written in each cell. */
export function featureHeatmap(o: { title: ChartTitle; data: Datum[]; metrics: string[]; inputs: string[] }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: title(o.title),
    width: Math.max(160, 90 * o.inputs.length), height: Math.max(40, 26 * o.metrics.length), data: { values: o.data },
    encoding: {
      x: { field: 'input', type: 'nominal', title: 'input', sort: o.inputs, axis: { orient: 'top', labelAngle: -30, labelLimit: 160 } },
      y: { field: 'metric', type: 'nominal', title: null, sort: o.metrics, axis: { labelLimit: 200 } },
    },
    layer: [
      { mark: { type: 'rect', stroke: 'white' }, encoding: { color: { field: 'importance', type: 'quantitative', title: 'importance', scale: { scheme: 'blues', domainMin: 0 } } } },
      { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'importance', type: 'quantitative', format: '.2f' },
        color: { condition: { test: 'datum.importance > 0.5', value: 'white' }, value: '#111' } } },
    ],
  } as TopLevelSpec;
}

/** Arm differences at each level of a factor: points with 95% intervals, one panel per metric. */
export function levelDiffPanel(o: { data: Datum[]; levels: string[]; arms: string[]; title: string; xTitle: string; yTitle: string }) {
  const x = { field: 'level', type: 'ordinal', title: o.xTitle, sort: o.levels, axis: { labelAngle: 0 } };
  const colour = armColour(o.arms);
  return {
    title: { text: o.title, fontSize: 12, fontWeight: 600 }, width: 220, height: 150, data: { values: o.data },
    layer: [
      { mark: { type: 'rule', color: '#888', strokeDash: [3, 3] }, encoding: { y: { datum: 0 } } },
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, xOffset: o.arms.length > 1 ? { field: 'arm' } : undefined, y: { field: 'lo', type: 'quantitative', title: o.yTitle }, y2: { field: 'hi' }, color: colour } },
      { mark: { type: 'point', filled: true, size: 45 }, encoding: { x, xOffset: o.arms.length > 1 ? { field: 'arm' } : undefined, y: { field: 'mean', type: 'quantitative' }, color: colour } },
    ],
  };
}
