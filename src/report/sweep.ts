/** The report of a sweep (an experiment over factors and arms): response curves, arm differences, sensitivity, points. */
import { summarize } from '../experiment/stats.ts';
import { armDiffs, concatPanels, envelopePanel, featureHeatmap, histogramPanel, levelDiffPanel, primLimits, primTrajectory, renderSvg, responsePanel, tornado, type Datum } from './charts.ts';
import { fmt, type Block, type Cell, type DataTable, type Figure, type Page, type Section } from './html.ts';
import type { SweepData, Value } from './load.ts';

export const SWEEP_LIMITS = { bins: 8, maxLevels: 12, pointRows: 300, histBins: 12, histMetrics: 12, series: 6 };
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
  // Yearly series are drawn as envelopes (Distributions), not year by year here.
  const inSeries = new Set(seriesOf(d).flatMap((x) => x.years.map((y) => y.metric)));
  for (const metric of m.metrics.filter((x) => !inSeries.has(x))) {
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
  const inSeries = new Set(seriesOf(d).flatMap((x) => x.years.map((y) => y.metric)));
  const rows = d.arms.filter((a) => a.mean_diff !== null && a.by === 'all' && !inSeries.has(a.metric));
  if (!rows.length) return d.manifest.arms.length > 1 ? { id: 'arms', heading: 'Arm comparison', blocks: [{ kind: 'note', text: 'arms.csv has no differences to show.' }] } : null;
  const metrics = d.manifest.metrics.filter((m) => rows.some((r) => r.metric === m));
  const data: Datum[] = rows.map((r) => {
    const lo = r.ci_low ?? r.mean_diff!, hi = r.ci_high ?? r.mean_diff!;
    return { metric: r.metric, label: `${r.arm} - ${r.baseline}`, mean: r6(r.mean_diff), lo: r6(lo), hi: r6(hi),
      verdict: lo > 0 ? 'above baseline' : hi < 0 ? 'below baseline' : 'CI includes 0' };
  });
  const title = 'Arm comparison: paired differences from the baseline';
  const blocks: Block[] = [{ kind: 'figure', figure: await fig(ctx, 'arms', title,
    'Mean over paired runs (same point, same replication seed) of the arm\'s metric minus the baseline\'s, with a 95% confidence interval: '
    + 'Newcombe\'s paired score interval for 0/1 metrics (contests won), Student-t otherwise. Intervals that do not cross zero (dashed line) are coloured; '
    + 'a metric whose difference never varies has no interval (flag "constant" in the table).',
    armDiffs({ title: { text: title, subtitle: 'mean difference and 95% CI, in each metric\'s own units' }, data, metrics, arms: [...new Set(rows.map((r) => r.arm))], columns: Math.min(3, metrics.length) }),
    { columns: ['arm', 'baseline', 'metric', 'pairs', 'mean difference', 'sd', 'CI low', 'CI high', 'interval', 'flags'],
      rows: rows.map((r) => [r.arm, r.baseline, r.metric, r.n, r.mean_diff, r.sd_diff, r.ci_low, r.ci_high, r.interval, r.flags]) }) }];
  // Spending-adjusted comparison: what each arm spent, and the difference per USD m of spending difference.
  const spent = rows.filter((r) => r.arm_spend_musd !== null);
  if (spent.length) {
    const cost = typeof (d.manifest.raw.cost as { metric?: unknown } | undefined)?.metric === 'string' ? (d.manifest.raw.cost as { metric: string }).metric : null;
    blocks.push({ kind: 'table', id: 'arms-spending', open: true, title: `Spending-adjusted comparison${cost ? ` (spending: ${cost}, USD m per run)` : ''}`, table: {
      columns: ['arm', 'baseline', 'metric', 'mean difference', 'arm spends', 'baseline spends', 'spending difference', 'difference per USD m', 'CI low', 'CI high', 'flags'],
      rows: spent.filter((r) => r.metric !== cost).map((r) => [r.arm, r.baseline, r.metric, r.mean_diff, r.arm_spend_musd, r.baseline_spend_musd, r.spend_diff_musd, r.diff_per_musd, r.per_musd_ci_low, r.per_musd_ci_high, r.flags]),
      note: 'Difference per USD m = mean difference in the metric / mean difference in spending, over the same paired runs, with Fieller\'s 95% interval; '
        + 'empty when the spending difference cannot be told from zero (flag ratio_unbounded). A positive value: the arm that spends more gets more of the metric.',
    } });
  }
  // Differences per level of each factor with few levels.
  const byLevel = d.arms.filter((a) => a.by !== 'all' && a.by !== 'point' && a.mean_diff !== null && !inSeries.has(a.metric));
  for (const f of d.manifest.factors.map((x) => x.name).filter((n) => byLevel.some((r) => r.by === n))) {
    const mine = byLevel.filter((r) => r.by === f);
    const levels = [...new Set(mine.map((r) => r.level))];
    const armsHere = [...new Set(mine.map((r) => r.arm))];
    const panels = metrics.filter((m) => mine.some((r) => r.metric === m)).map((m) => levelDiffPanel({
      data: mine.filter((r) => r.metric === m).map((r) => ({ arm: r.arm, level: r.level, mean: r6(r.mean_diff), lo: r6(r.ci_low ?? r.mean_diff), hi: r6(r.ci_high ?? r.mean_diff) })),
      levels, arms: armsHere, title: m, xTitle: f, yTitle: `${m}: arm - baseline`,
    }));
    const t = `Arm differences at each level of ${f}`;
    blocks.push({ kind: 'figure', figure: await fig(ctx, `arms-by-${f}`, t,
      `Paired differences from the baseline (${rows[0].baseline}) in the runs at each value of ${f}, with 95% intervals: does the ranking of the arms depend on ${f}? Every design point's own differences are in arms.csv (by = point).`,
      concatPanels({ title: { text: t, subtitle: 'mean difference and 95% CI per level' }, panels, columns: Math.min(3, panels.length) }),
      { columns: ['arm', 'metric', f, 'pairs', 'mean difference', 'CI low', 'CI high', 'flags'], rows: mine.map((r) => [r.arm, r.metric, r.level, r.n, r.mean_diff, r.ci_low, r.ci_high, r.flags]) }) });
  }
  return { id: 'arms', heading: 'Arm comparison', blocks };
}

/** Yearly series among the metrics: cityYear metrics named <stem>_<year> for three or more years, by stem. */
function seriesOf(d: SweepData): { stem: string; column: string; years: { year: number; metric: string }[] }[] {
  const specs = (Array.isArray(d.manifest.raw.metrics) ? d.manifest.raw.metrics : []) as { name?: string; kind?: string; city?: string; column?: string; year?: number }[];
  const groups = new Map<string, { stem: string; column: string; years: { year: number; metric: string }[] }>();
  for (const m of specs) {
    if (!m || m.kind !== 'cityYear' || typeof m.year !== 'number' || typeof m.name !== 'string' || !m.name.endsWith(`_${m.year}`)) continue;
    const stem = m.name.slice(0, -String(m.year).length - 1);
    const k = `${m.city}/${m.column}/${stem}`;
    const g = groups.get(k) ?? groups.set(k, { stem, column: String(m.column), years: [] }).get(k)!;
    g.years.push({ year: m.year, metric: m.name });
  }
  return [...groups.values()].filter((g) => g.years.length >= 3).map((g) => ({ ...g, years: g.years.sort((a, b) => a.year - b.year) }));
}

/** Quantile of sorted values (linear interpolation, type 7). */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q, lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)]) - sorted[lo]);
}

/** Bins of a metric over all arms: whole numbers when the values are few integers, else equal-width bins. */
function binsOf(values: number[]): { label: string; lo: number; hi: number }[] {
  const lo = Math.min(...values), hi = Math.max(...values);
  const ints = values.every((v) => Number.isInteger(v));
  if (ints && hi - lo + 1 <= SWEEP_LIMITS.histBins) return Array.from({ length: hi - lo + 1 }, (_, i) => ({ label: String(lo + i), lo: lo + i, hi: lo + i }));
  if (lo === hi) return [{ label: fmt(lo), lo, hi }];
  const k = SWEEP_LIMITS.histBins, w = (hi - lo) / k;
  return Array.from({ length: k }, (_, i) => {
    const a = lo + i * w, b = i === k - 1 ? hi : lo + (i + 1) * w;
    return ints ? { label: `${Math.ceil(a)}-${Math.floor(b)}`, lo: a, hi: b } : { label: `${fmt(r6(a))}-${fmt(r6(b))}`, lo: a, hi: b };
  });
}

async function distributionSection(ctx: Ctx): Promise<Section | null> {
  const { d } = ctx;
  if (!d.runs.length) return null;
  const arms = armsOf(d).map(armName);
  const inSeries = new Set(seriesOf(d).flatMap((s) => s.years.map((y) => y.metric)));
  const metrics = d.manifest.metrics.filter((m) => !inSeries.has(m));
  const blocks: Block[] = [];
  const constant: string[] = [];
  const panels: object[] = [];
  const rows: Cell[][] = [];
  for (const metric of metrics.slice(0, SWEEP_LIMITS.histMetrics)) {
    const vals = d.runs.filter((r) => r.metrics[metric] !== null).map((r) => ({ arm: armName(r.arm), v: r.metrics[metric] as number }));
    if (!vals.length) continue;
    if (vals.every((x) => x.v === vals[0].v)) { constant.push(`${metric} (${fmt(vals[0].v)})`); continue; }
    const bins = binsOf(vals.map((x) => x.v));
    const data: Datum[] = [];
    for (const arm of arms) {
      const mine = vals.filter((x) => x.arm === arm);
      if (!mine.length) continue;
      const counts = bins.map(() => 0);
      for (const x of mine) {
        let i = bins.findIndex((b) => x.v <= b.hi + 1e-12);
        if (i < 0) i = bins.length - 1;
        counts[i]++;
      }
      bins.forEach((b, i) => { data.push({ arm, bin: b.label, count: counts[i], share: r6(counts[i] / mine.length) }); rows.push([metric, arm, b.label, counts[i], r6(counts[i] / mine.length)]); });
    }
    panels.push(histogramPanel({ data, bins: bins.map((b) => b.label), arms, title: metric, xTitle: `${metric}${metricUnit(d, metric)}` }));
  }
  if (panels.length) {
    const t = 'Outcome distributions per arm';
    blocks.push({ kind: 'figure', figure: await fig(ctx, 'distributions', t,
      'Share of runs (all design points and replications) in each range of every metric, side by side per arm: the whole spread of outcomes, not just their mean.'
      + (metrics.length > SWEEP_LIMITS.histMetrics ? ` The first ${SWEEP_LIMITS.histMetrics} metrics are shown.` : ''),
      concatPanels({ title: { text: t, subtitle: 'share of runs per value range' }, panels, columns: Math.min(3, panels.length) }),
      { columns: ['metric', 'arm', 'range', 'runs', 'share of runs'], rows }) });
  }
  if (constant.length) blocks.push({ kind: 'note', text: `Never varies in any run (flagged "constant" in points.csv and arms.csv; check the metric measures what you meant): ${constant.join(', ')}.` });
  // Envelopes of yearly series.
  const series = seriesOf(d).slice(0, SWEEP_LIMITS.series);
  const epanels: object[] = [];
  const erows: Cell[][] = [];
  for (const s of series) {
    const data: Datum[] = [];
    for (const arm of armsOf(d)) {
      const mine = d.runs.filter((r) => r.arm === arm);
      for (const { year, metric } of s.years) {
        const v = mine.map((r) => r.metrics[metric]).filter((x): x is number => x !== null).sort((a, b) => a - b);
        if (!v.length) continue;
        const row = { arm: armName(arm), year, min: r6(v[0]), p10: r6(quantile(v, 0.1)), median: r6(quantile(v, 0.5)), p90: r6(quantile(v, 0.9)), max: r6(v[v.length - 1]) };
        data.push(row);
        erows.push([s.stem, row.arm, year, v.length, row.min, row.p10, row.median, row.p90, row.max]);
      }
    }
    if (data.length) epanels.push(envelopePanel({ data, arms, title: s.stem, yTitle: s.column }));
  }
  if (epanels.length) {
    const t = 'Yearly series across runs';
    blocks.push({ kind: 'figure', figure: await fig(ctx, 'envelopes', t,
      'Median (line), 10-90% band (darker) and full range (lighter) over every run of each arm (all design points and replications), year by year.',
      concatPanels({ title: { text: t, subtitle: 'median, 10-90% and min-max envelopes per arm' }, panels: epanels, columns: Math.min(2, epanels.length) }),
      { columns: ['series', 'arm', 'year', 'runs', 'min', 'p10', 'median', 'p90', 'max'], rows: erows }) });
  }
  return blocks.length ? { id: 'distributions', heading: 'Distributions', blocks } : null;
}

async function discoverSection(ctx: Ctx): Promise<Section | null> {
  const { d } = ctx;
  if (!d.discover.length) return null;
  const blocks: Block[] = [];
  for (const x of d.discover) {
    const side = x.case.above !== undefined ? `above ${x.case.above}` : `below ${x.case.below}`;
    const key = x.file.replace(/^discover\//, '').replace(/\.json$/, '').replace(/[^A-Za-z0-9_-]/g, '_');
    const what = `${x.metric} ${side} (arm ${x.arm})`;
    const traj: Datum[] = x.trajectory.map((t) => ({ box: t.box, coverage: r6(t.coverage), density: r6(t.density), mass: r6(t.mass), restricted: t.restricted,
      chosen: t.box === x.chosen, label: t.box === x.chosen ? `box ${t.box}` : '' }));
    const t1 = `PRIM peeling trajectory: ${what}`;
    blocks.push({ kind: 'figure', figure: await fig(ctx, `discover-${key}-trajectory`, t1,
      `Each point is a box of the peeling trajectory, from the whole input space (coverage 1, density ${fmt(r6(x.cases / x.rows))}: the share of the ${x.rows} runs that are cases) `
      + `towards smaller, purer boxes; the chosen box (${x.choice}) is marked.`,
      primTrajectory({ title: { text: t1, subtitle: `${x.cases} of ${x.rows} runs are cases; coverage against density` }, data: traj }),
      { columns: ['box', 'coverage', 'density', 'mass', 'inputs restricted'], rows: traj.map((t) => [t.box, t.coverage, t.density, t.mass, t.restricted]) }) });
    const lims: Datum[] = x.box.limits.map((l) => {
      const p = l.quasiP === null ? '' : `, quasi-p ${l.quasiP < 1e-4 ? l.quasiP.toExponential(1) : String(Number(l.quasiP.toPrecision(2)))}`;
      if (l.kind === 'range') {
        const span = l.max - l.min || 1;
        return { input: l.factor, from: r6((l.lo - l.min) / span), to: r6((l.hi - l.min) / span), label: `${fmt(r6(l.lo))} to ${fmt(r6(l.hi))} (of ${fmt(r6(l.min))} to ${fmt(r6(l.max))})${p}` };
      }
      return { input: l.factor, from: 0, to: 1, label: `${l.values.join(', ')} (of ${l.all.join(', ')})${p}` };
    });
    if (lims.length) {
      const t2 = `PRIM box ${x.chosen}: ${what}`;
      blocks.push({ kind: 'figure', figure: await fig(ctx, `discover-${key}-box`, t2,
        `The inputs the box restricts, each as a share of its sampled range: ${x.box.cases} of the box's ${x.box.n} runs are cases (density ${fmt(r6(x.box.density))}), `
        + `and it holds ${fmt(r6(100 * x.box.coverage))}% of all cases (coverage). Quasi-p: the one-sided binomial probability of the box's density if the restriction were dropped; `
        + `a restriction with a large quasi-p adds little.${x.box.unrestricted.length ? ` Unrestricted: ${x.box.unrestricted.join(', ')}.` : ''}`,
        primLimits({ title: { text: t2, subtitle: `density ${fmt(r6(x.box.density))}, coverage ${fmt(r6(x.box.coverage))}` }, data: lims, inputs: lims.map((l) => String(l.input)) }),
        { columns: ['input', 'limits', 'from (share of range)', 'to (share of range)'], rows: lims.map((l) => [l.input, l.label, l.from, l.to]) }) });
    }
    if (x.scores.length) {
      const inputs = x.scores[0].inputs.map((i) => i.factor);
      const data: Datum[] = x.scores.flatMap((s) => s.inputs.map((i) => ({ metric: `${s.metric} (R² ${s.oobR2.toFixed(2)})`, input: i.factor, importance: r6(Math.max(0, i.importance)) })));
      const t3 = `Feature scores (arm ${x.arm})`;
      blocks.push({ kind: 'figure', figure: await fig(ctx, `discover-${key}-scores`, t3,
        `Permutation importance of a ${x.options.trees}-tree random forest: how much of each metric's variance the forest loses when the input is shuffled (out-of-bag). `
        + 'R² is how much of the variance the inputs explain together; what they do not explain is the runs\' own randomness.',
        featureHeatmap({ title: { text: t3, subtitle: 'share of the metric\'s variance lost without the input' }, data, metrics: x.scores.map((s) => `${s.metric} (R² ${s.oobR2.toFixed(2)})`), inputs }),
        { columns: ['metric', 'out-of-bag R²', 'input', 'importance', 'share'], rows: x.scores.flatMap((s) => s.inputs.map((i) => [s.metric, r6(s.oobR2), i.factor, r6(i.importance), r6(i.share)])) }) });
    }
  }
  return { id: 'discover', heading: 'Scenario discovery', intro: 'Results of hqsim discover: under which input ranges the runs of interest concentrate (PRIM), and which inputs drive each metric.', blocks };
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
  const distS = await distributionSection(ctx); if (distS) sections.push(distS);
  const armsS = await armsSection(ctx); if (armsS) sections.push(armsS);
  const discS = await discoverSection(ctx); if (discS) sections.push(discS);
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
    const diffs = d.arms.filter((a) => a.metric === metric && a.mean_diff !== null && a.by === 'all');
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
