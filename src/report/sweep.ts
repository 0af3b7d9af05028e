/** The report of a sweep (an experiment over factors and arms): response curves, arm differences, sensitivity, points. */
import { summarize } from '../experiment/stats.ts';
import { armDiffs, concatPanels, renderSvg, responsePanel, tornado, type Datum } from './charts.ts';
import { fmt, type Block, type Cell, type DataTable, type Figure, type Page, type Section } from './html.ts';
import type { SweepData, Value } from './load.ts';

export const SWEEP_LIMITS = { bins: 8, maxLevels: 12, pointRows: 300 };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const r6 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1e6) / 1e6);

interface Ctx { d: SweepData; fig: number }

async function fig(ctx: Ctx, key: string, title: string, caption: string, spec: Parameters<typeof renderSvg>[0], table: DataTable): Promise<Figure> {
  ctx.fig++;
  return { id: `fig-${key}`, title, caption, svg: await renderSvg(spec, `c${ctx.fig}`, title), table };
}

const armsOf = (d: SweepData) => {
  const seen = [...new Set([...d.runs.map((r) => r.arm), ...d.points.map((p) => p.arm)])];
  const listed = d.manifest.arms.filter((a) => seen.includes(a));
  return [...listed, ...seen.filter((a) => !listed.includes(a)).sort(cmp)];
};
const armName = (a: string) => (a === '' ? 'base' : a);

interface Group { x: Value; xLabel: string; n: number; mean: number; lo: number | null; hi: number | null }

/** Mean response per factor level (or per equal-count bin of a continuous factor), pooled over the other factors' values. */
function marginal(values: { x: Value; y: number }[]): { nominal: boolean; binned: boolean; groups: Group[] } {
  const nominal = values.some((v) => typeof v.x !== 'number');
  const levels = [...new Set(values.map((v) => (v.x === null ? '' : String(v.x))))];
  const stat = (xs: number[]) => { const s = summarize(xs); return { n: s.n, mean: s.mean, lo: Number.isFinite(s.lo) ? s.lo : null, hi: Number.isFinite(s.hi) ? s.hi : null }; };
  if (nominal || levels.length <= SWEEP_LIMITS.maxLevels) {
    const by = new Map<string, { x: Value; ys: number[] }>();
    for (const v of values) { const k = v.x === null ? '' : String(v.x); (by.get(k) ?? by.set(k, { x: v.x, ys: [] }).get(k)!).ys.push(v.y); }
    const keys = [...by.keys()].sort((a, b) => (nominal ? cmp(a, b) : Number(a) - Number(b)));
    return { nominal, binned: false, groups: keys.map((k) => ({ x: by.get(k)!.x, xLabel: k, ...stat(by.get(k)!.ys) })) };
  }
  const sorted = [...values].sort((a, b) => (a.x as number) - (b.x as number) || a.y - b.y);
  const bins = SWEEP_LIMITS.bins;
  const groups: Group[] = [];
  for (let b = 0; b < bins; b++) {
    const part = sorted.slice(Math.floor((b * sorted.length) / bins), Math.floor(((b + 1) * sorted.length) / bins));
    if (!part.length) continue;
    const xs = part.map((p) => p.x as number);
    const xm = xs.reduce((s, x) => s + x, 0) / xs.length;
    groups.push({ x: r6(xm), xLabel: `${fmt(xs[0])} - ${fmt(xs[xs.length - 1])}`, ...stat(part.map((p) => p.y)) });
  }
  return { nominal: false, binned: true, groups };
}

async function responseSection(ctx: Ctx): Promise<Section> {
  const { d } = ctx;
  const m = d.manifest;
  const arms = armsOf(d);
  const blocks: Block[] = [];
  if (d.runs.length === 0) return { id: 'response', heading: 'Response to each factor', blocks: [{ kind: 'note', text: 'runs.csv has no rows: nothing to plot.' }] };
  let anyBinned = false;
  for (const metric of m.metrics) {
    const panels: object[] = [];
    const rows: Cell[][] = [];
    for (const f of m.factors) {
      const data: Datum[] = [];
      let nominal = false;
      for (const arm of arms) {
        const vals = d.runs.filter((r) => r.arm === arm && r.metrics[metric] !== null && r.factors[f.name] !== null)
          .map((r) => ({ x: r.factors[f.name], y: r.metrics[metric] as number }));
        if (!vals.length) continue;
        const g = marginal(vals);
        nominal ||= g.nominal; anyBinned ||= g.binned;
        for (const x of g.groups) {
          data.push({ arm: armName(arm), x: x.x, mean: r6(x.mean), lo: r6(x.lo ?? x.mean), hi: r6(x.hi ?? x.mean) });
          rows.push([f.name, armName(arm), x.xLabel, x.n, r6(x.mean), r6(x.lo), r6(x.hi)]);
        }
      }
      if (!data.length) continue;
      if (nominal) for (const x of data) x.x = String(x.x);
      panels.push(responsePanel({ data, xTitle: f.name + (typeof f.unit === 'string' ? ` (${f.unit})` : ''), yTitle: `${metric}${metricUnit(d, metric)}`, nominal, arms: arms.map(armName), title: f.name }));
    }
    if (!panels.length) continue;
    const title = `Response of ${metric} to each factor`;
    blocks.push({ kind: 'figure', figure: await fig(ctx, `response-${metric}`, title,
      `Mean of ${metric} over all runs at each factor value (other factors varying as designed), with a 95% Student-t confidence band over runs.`
      + (anyBinned ? ` Factors with many distinct values are grouped into ${SWEEP_LIMITS.bins} equal-count bins, plotted at the bin mean.` : ''),
      concatPanels({ title: { text: title, subtitle: `mean and 95% CI over runs${arms.length > 1 ? ', by arm' : ''}` }, panels, columns: Math.min(3, panels.length) }),
      { columns: ['factor', 'arm', 'factor value', 'runs', `mean ${metric}`, 'CI low', 'CI high'], rows }) });
  }
  return { id: 'response', heading: 'Response to each factor', blocks };
}

function metricUnit(d: SweepData, metric: string): string {
  const raw = (d.manifest.raw.metrics as unknown[]).find((x) => x && typeof x === 'object' && (x as { name?: string }).name === metric) as { unit?: unknown } | undefined;
  return raw && typeof raw.unit === 'string' ? ` (${raw.unit})` : '';
}

async function armsSection(ctx: Ctx): Promise<Section | null> {
  const { d } = ctx;
  const rows = d.arms.filter((a) => a.mean_diff !== null);
  if (!rows.length) return d.manifest.arms.length > 1 ? { id: 'arms', heading: 'Arm comparison', blocks: [{ kind: 'note', text: 'arms.csv has no differences to show.' }] } : null;
  const metrics = d.manifest.metrics.filter((m) => rows.some((r) => r.metric === m));
  const data: Datum[] = rows.map((r) => {
    const lo = r.ci_low ?? r.mean_diff!, hi = r.ci_high ?? r.mean_diff!;
    return { metric: r.metric, label: `${r.arm} - ${r.baseline}`, mean: r6(r.mean_diff), lo: r6(lo), hi: r6(hi),
      verdict: lo > 0 ? 'above baseline' : hi < 0 ? 'below baseline' : 'CI includes 0' };
  });
  const title = 'Arm comparison: paired differences from the baseline';
  return { id: 'arms', heading: 'Arm comparison', blocks: [{ kind: 'figure', figure: await fig(ctx, 'arms', title,
    'Mean over paired runs (same point, same replication seed) of the arm\'s metric minus the baseline\'s, with a 95% confidence interval. Intervals that do not cross zero (dashed line) are coloured.',
    armDiffs({ title: { text: title, subtitle: 'mean difference and 95% CI, in each metric\'s own units' }, data, metrics, arms: [...new Set(rows.map((r) => r.arm))], columns: Math.min(3, metrics.length) }),
    { columns: ['arm', 'baseline', 'metric', 'pairs', 'mean difference', 'sd', 'CI low', 'CI high'], rows: rows.map((r) => [r.arm, r.baseline, r.metric, r.n, r.mean_diff, r.sd_diff, r.ci_low, r.ci_high]) }) }] };
}

async function sensitivitySection(ctx: Ctx): Promise<Section | null> {
  const { d } = ctx;
  if (!d.sensitivity.length) return null;
  const blocks: Block[] = [];
  for (const method of [...new Set(d.sensitivity.map((s) => s.method))].sort(cmp)) {
    const rows = d.sensitivity.filter((s) => s.method === method && s.value !== null);
    const isMorris = method.toLowerCase().startsWith('morris') || rows.some((r) => r.index === 'mu_star');
    const indices = isMorris ? ['mu_star', 'sigma'] : ['S1', 'ST'];
    const main = isMorris ? 'mu_star' : 'ST';
    const shown = rows.filter((r) => indices.includes(r.index));
    if (!shown.length) continue;
    // One panel per metric (and per arm when the sweep analysed several arms).
    const sensArms = [...new Set(shown.map((r) => r.arm))];
    const armOrder = armsOf(d);
    sensArms.sort((a, b) => armOrder.indexOf(a) - armOrder.indexOf(b) || cmp(a, b));
    const panel = (r: { metric: string; arm: string }) => (sensArms.length > 1 ? `${r.metric} [${armName(r.arm)}]` : r.metric);
    const metrics = d.manifest.metrics.flatMap((m) => sensArms.map((arm) => ({ metric: m, arm }))).filter((x) => shown.some((r) => r.metric === x.metric && r.arm === x.arm)).map(panel);
    const rank = new Map<string, number>();
    for (const key of metrics) {
      const mine = shown.filter((r) => panel(r) === key);
      const mainRows = mine.filter((r) => r.index === main).sort((a, b) => (b.value! - a.value!) || cmp(a.factor, b.factor));
      const factors = [...mainRows.map((r) => r.factor), ...[...new Set(mine.map((r) => r.factor))].filter((f) => !mainRows.some((r) => r.factor === f)).sort(cmp)];
      factors.forEach((f, i) => rank.set(`${key}|${f}`, i));
    }
    const data: Datum[] = shown.map((r) => ({ metric: panel(r), factor: r.factor, index: r.index, value: r6(r.value), lo: r6(r.ci_low ?? r.value), hi: r6(r.ci_high ?? r.value), rank: rank.get(`${panel(r)}|${r.factor}`) ?? 0 }));
    const outside = data.some((x) => [x.value, x.lo, x.hi].some((v) => typeof v === 'number' && (v < 0 || v > 1)));
    const empty = metrics.filter((k) => data.every((x) => x.metric !== k || x.value === 0));
    const title = isMorris ? 'Morris screening: which factors matter (tornado)' : 'Sobol sensitivity indices (tornado)';
    blocks.push({ kind: 'figure', figure: await fig(ctx, `sensitivity-${method}`, title,
      isMorris
        ? 'Mean absolute elementary effect (mu_star: overall influence) and its standard deviation (sigma: non-linearity or interactions) of each factor, in the metric\'s units; factors sorted by mu_star, with confidence intervals where estimated.'
          + (empty.length ? ` Empty panels: the metric did not vary (${empty.join(', ')}).` : '')
        : 'First-order (S1: share of output variance due to the factor alone) and total (ST: including interactions) Sobol indices with 95% confidence intervals; factors sorted by ST.'
          + (outside ? ' Some estimates or interval ends fall outside 0-1 (sampling noise of a small design) and are cut at the edge of the chart; the table gives them in full.' : '')
          + (empty.length ? ` Empty panels: the metric did not vary (${empty.join(', ')}).` : ''),
      tornado({ title: { text: title, subtitle: isMorris ? 'mu_star and sigma per factor, metric units' : 'share of output variance (0-1)' }, data, metrics, indices,
        xTitle: isMorris ? 'elementary effect (metric units)' : 'Sobol index (share of variance)', columns: Math.min(3, metrics.length), xDomain: isMorris ? undefined : [0, 1] }),
      { columns: ['method', 'arm', 'metric', 'factor', 'index', 'value', 'CI low', 'CI high'], rows: rows.map((r) => [r.method, armName(r.arm), r.metric, r.factor, r.index, r.value, r.ci_low, r.ci_high]) }) });
  }
  return blocks.length ? { id: 'sensitivity', heading: 'Sensitivity', blocks } : null;
}

function pointsSection(d: SweepData): Section {
  const fnames = d.manifest.factors.map((f) => f.name);
  const metrics = d.manifest.metrics;
  const keyed = new Map<string, { point: number; arm: string; factors: Record<string, Value>; byMetric: Map<string, (typeof d.points)[number]> }>();
  for (const p of d.points) {
    const k = `${p.point}|${p.arm}`;
    const e = keyed.get(k) ?? keyed.set(k, { point: p.point, arm: p.arm, factors: p.factors, byMetric: new Map() }).get(k)!;
    e.byMetric.set(p.metric, p);
  }
  const arms = armsOf(d);
  const entries = [...keyed.values()].sort((a, b) => a.point - b.point || arms.indexOf(a.arm) - arms.indexOf(b.arm));
  const all = entries.map((e) => [e.point, armName(e.arm), ...fnames.map((f) => e.factors[f]),
    ...metrics.flatMap((m) => { const p = e.byMetric.get(m); return p ? [p.n, p.mean, p.ci_low === null ? null : `${fmt(p.ci_low)} - ${fmt(p.ci_high)}`] : [null, null, null]; })]);
  const rows = all.slice(0, SWEEP_LIMITS.pointRows);
  const table: DataTable = {
    columns: ['point', 'arm', ...fnames, ...metrics.flatMap((m) => [`${m} n`, `${m} mean`, `${m} 95% CI`])], rows,
    note: all.length > rows.length ? `First ${rows.length} of ${all.length} point-arm rows; all of them are in points.csv.` : undefined,
  };
  return { id: 'points', heading: 'Design points', intro: 'Each design point (a combination of factor values) in each arm, with the mean and 95% CI of every metric over its replications.',
    blocks: [{ kind: 'table', id: 'points-table', title: 'Table of points', table, open: true }] };
}

function designText(d: SweepData): string {
  const des = d.manifest.design;
  const extra = Object.entries(des).filter(([k, v]) => k !== 'type' && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')).map(([k, v]) => `${k} ${v}`);
  return `${des.type}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function factorText(f: SweepData['manifest']['factors'][number]): string {
  const range = Array.isArray(f.range) ? `[${f.range.join(', ')}]` : Array.isArray(f.values) ? `{${f.values.join(', ')}}` : Array.isArray(f.levels) ? `{${f.levels.join(', ')}}`
    : typeof f.min === 'number' && typeof f.max === 'number' ? `[${f.min}, ${f.max}]` : '';
  return `${f.name}${f.path && f.path !== f.name ? ` = ${f.path}` : ''}${range ? ` ${range}` : ''}`;
}

export async function sweepPage(d: SweepData, version: string): Promise<Page> {
  const m = d.manifest;
  const ctx: Ctx = { d, fig: 0 };
  const sections: Section[] = [];
  // Sequential on purpose: figure numbering (and so SVG ids) must not depend on timing.
  sections.push(await responseSection(ctx));
  const armsS = await armsSection(ctx); if (armsS) sections.push(armsS);
  const sensS = await sensitivitySection(ctx); if (sensS) sections.push(sensS);
  sections.push(pointsSection(d));

  const points = new Set(d.points.map((p) => p.point)).size;
  const arms = armsOf(d);
  const lines = [
    `hqsim ${m.hqsim ?? version}: experiment ${m.experiment}${m.scenario ? ` on scenario ${m.scenario}` : ''}; design ${designText(d)}; ${points} points x ${m.replications ?? '?'} replications${arms.length > 1 ? ` x ${arms.length} arms` : ''} = ${d.runs.length} runs${m.seed !== null ? `, seed ${m.seed}` : ''}`,
    `  factors: ${m.factors.map(factorText).join('; ')}`,
    `  metrics: ${m.metrics.join(', ')}`,
  ];
  if (arms.length > 1) lines.push(`  arms: ${arms.map(armName).join(', ')}${m.baseline ? ` (baseline ${m.baseline})` : ''}`);
  for (const metric of m.metrics) {
    const firstArm = d.sensitivity[0]?.arm;
    const sens = d.sensitivity.filter((s) => s.metric === metric && s.arm === firstArm && (s.index === 'ST' || s.index === 'mu_star') && s.value !== null).sort((a, b) => b.value! - a.value! || cmp(a.factor, b.factor));
    const diffs = d.arms.filter((a) => a.metric === metric && a.mean_diff !== null);
    const parts: string[] = [];
    if (sens.length) parts.push(`most influential${firstArm ? ` (arm ${firstArm})` : ''} ${sens.slice(0, 3).map((s) => `${s.factor} (${s.index} ${fmt(r6(s.value))})`).join(', ')}`);
    for (const a of diffs) parts.push(`${a.arm} - ${a.baseline}: ${fmt(r6(a.mean_diff))} [${fmt(r6(a.ci_low))}, ${fmt(r6(a.ci_high))}]`);
    if (parts.length) lines.push(`  ${metric}: ${parts.join('; ')}`);
  }
  const sum: Cell = d.runs.length;
  return {
    title: `hqsim sweep report: ${m.experiment}`,
    subtitle: `${m.scenario ? `Scenario ${m.scenario}; ` : ''}design ${designText(d)}; ${m.factors.length} factor${m.factors.length === 1 ? '' : 's'}, ${m.metrics.length} metric${m.metrics.length === 1 ? '' : 's'}.`,
    summaryText: lines.join('\n'),
    facts: [
      { label: 'design points', value: String(points) },
      { label: 'runs', value: fmt(sum) },
      { label: 'replications per point', value: m.replications === null ? '-' : String(m.replications) },
      { label: 'factors', value: String(m.factors.length) },
      { label: 'metrics', value: String(m.metrics.length) },
      { label: 'arms', value: String(Math.max(1, arms.length)) },
    ],
    sections,
    footer: `Generated by hqsim ${version} from manifest.json, runs.csv, points.csv${d.arms.length ? ', arms.csv' : ''}${d.sensitivity.length ? ', sensitivity.csv' : ''} of this directory.`,
  };
}
