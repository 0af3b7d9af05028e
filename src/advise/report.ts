/**
 * The focal-city page of an advice: the paragraph for a briefing, the winning offer and its cost, the cost curve,
 * the score breakdown against every rival, what money cannot buy, and how the numbers were made. Built with the
 * report machinery of runs and sweeps (static SVG charts, one offline page, a Content-Security-Policy).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, OKABE_ITO, type Datum } from '../report/charts.ts';
import { renderPage, type Block, type DataTable, type Figure, type Page, type Section } from '../report/html.ts';
import type { ReportProblem } from '../report/load.ts';
import { VERSION } from '../version.ts';
import type { Advice } from './index.ts';
import { COMPONENT_INFO, COMPONENTS, describe, emptyOffer, money, type FullOffer } from './offer.ts';
import { gapPhrase, leverPhrase } from './text.ts';
import type { Offer } from '../scenario/schema.ts';
import { annuity } from '../model/scoring.ts';

const TERM_LABELS: Record<string, string> = {
  security: 'security', resources: 'resources (no offer)', offer: 'offer', operations: 'operations', values: 'values', cluster: 'cluster',
  moveCost: 'moving cost', stayBonus: 'stay bonus', balance: 'geographic balance', officeSetup: 'office setup',
};
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const full = (o: Offer): FullOffer => { const f = emptyOffer(o.term ?? 1); for (const k of COMPONENTS) f[k] = o[k] ?? 0; return f; };
const p2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

let figures = 0;
async function fig(id: string, title: string, subtitle: string, caption: string, spec: Omit<TopLevelSpec, 'title'>, table: DataTable): Promise<Figure> {
  figures++;
  return { id: `fig-${id}`, title, caption, svg: await renderSvg({ ...spec, title: { text: title, subtitle } } as TopLevelSpec, `a${figures}`, title), table };
}

function curveSpec(a: Advice): { spec: Omit<TopLevelSpec, 'title'>; table: DataTable } {
  const data: Datum[] = [];
  const checks: Datum[] = [];
  const modes = Object.keys(a.assumptions) as (keyof Advice['assumptions'])[];
  const name = (m: string) => (m === 'respond' ? 'rivals respond' : 'rivals passive');
  for (const m of modes) {
    const pr = a.assumptions[m]!;
    for (const c of pr.curve) data.push({ assumption: name(m), cost: c.costMusd, p: c.probability });
    checks.push({ assumption: name(m), cost: pr.costMusd, p: pr.probability.estimate, lo: pr.probability.low, hi: pr.probability.high });
  }
  const domain = modes.map(name);
  const colour = { field: 'assumption', type: 'nominal', title: 'rivals', scale: { domain, range: OKABE_ITO.slice(0, domain.length) } };
  const spec = {
    $schema: SCHEMA, width: 560, height: 260,
    layer: [
      { data: { values: data }, mark: { type: 'line', point: { filled: true, size: 40 }, interpolate: 'step-after' },
        encoding: { x: { field: 'cost', type: 'quantitative', title: 'cost to the city (USD m, present value)' }, y: { field: 'p', type: 'quantitative', title: 'probability of winning', scale: { domain: [0, 1] } }, color: colour } },
      { data: { values: checks }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'cost', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: colour } },
      { data: { values: checks }, mark: { type: 'point', shape: 'diamond', size: 110, filled: true }, encoding: { x: { field: 'cost', type: 'quantitative' }, y: { field: 'p', type: 'quantitative' }, color: colour } },
      { data: { values: [{ target: a.target }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { field: 'target', type: 'quantitative' } } },
    ],
  };
  const rows = modes.flatMap((m) => a.assumptions[m]!.curve.map((c) => [name(m), c.costMusd, c.probability, describe(full(c.offer))]));
  return { spec: spec as Omit<TopLevelSpec, 'title'>, table: { columns: ['rivals', 'cost (USD m, present value)', 'probability (search estimate)', 'offer'], rows } };
}

function gapSpec(a: Advice): { spec: Omit<TopLevelSpec, 'title'>; table: DataTable; rivals: string[] } {
  const me = a.breakdown.find((b) => b.city === a.city);
  const rivals = a.breakdown.filter((b) => b.city !== a.city).map((b) => b.city);
  const terms = Object.keys(TERM_LABELS).filter((t) => a.breakdown.some((b) => Math.abs(b.terms[t] ?? 0) > 1e-9));
  const data: Datum[] = [];
  for (const r of a.breakdown) {
    if (r.city === a.city || !me) continue;
    for (const t of terms) {
      const d = (me.terms[t] ?? 0) - (r.terms[t] ?? 0);
      data.push({ rival: r.city, term: TERM_LABELS[t], difference: d, favours: d >= 0 ? a.city : 'the rival' });
    }
  }
  const spec = {
    $schema: SCHEMA, data: { values: data },
    facet: { field: 'rival', type: 'nominal', title: null, sort: rivals, header: { labelFontWeight: 600 } }, columns: Math.min(3, Math.max(1, rivals.length)),
    spec: {
      width: 220, height: { step: 15 },
      encoding: { y: { field: 'term', type: 'nominal', title: null, sort: terms.map((t) => TERM_LABELS[t]) } },
      layer: [
        { mark: { type: 'bar' }, encoding: { x: { field: 'difference', type: 'quantitative', title: `utility, ${a.city} minus rival` },
          color: { field: 'favours', type: 'nominal', title: 'favours', scale: { domain: [a.city, 'the rival'], range: ['#0072B2', '#E69F00'] } } } },
        { mark: { type: 'rule', color: '#333' }, encoding: { x: { datum: 0 } } },
      ],
    },
  };
  const columns = ['city', 'runs', 'wins', 'utility', ...terms.map((t) => TERM_LABELS[t])];
  const rows = a.breakdown.map((b) => [b.city, b.runs, b.wins, b.utility, ...terms.map((t) => b.terms[t] ?? 0)]);
  return { spec: spec as Omit<TopLevelSpec, 'title'>, table: { columns, rows, note: 'Mean utility terms over the search runs with the advised offer (balance: the bonus member states give for geographic balance, votes only).' }, rivals };
}

function rateSpec(a: Advice): { spec: Omit<TopLevelSpec, 'title'>; table: DataTable } {
  const data: Datum[] = COMPONENTS.map((k) => ({ component: COMPONENT_INFO[k].label, rate: a.perUsd[k] ?? 0, bound: a.perUsd[k] === null || a.perUsd[k] === undefined ? 'at its limit' : 'can grow' }));
  const spec = {
    $schema: SCHEMA, width: 420, height: { step: 22 }, data: { values: data },
    layer: [
      { mark: { type: 'bar' }, encoding: { y: { field: 'component', type: 'nominal', title: null, sort: null }, x: { field: 'rate', type: 'quantitative', title: 'probability per USD m more (present value)' },
        color: { field: 'bound', type: 'nominal', title: null, scale: { domain: ['can grow', 'at its limit'], range: ['#0072B2', '#9a9a9a'] } } } },
      { mark: { type: 'rule', color: '#333' }, encoding: { x: { datum: 0 } } },
    ],
  };
  return { spec: spec as Omit<TopLevelSpec, 'title'>, table: { columns: ['component', 'probability per USD m', 'unit'], rows: COMPONENTS.map((k) => [COMPONENT_INFO[k].label, a.perUsd[k] ?? 'at its limit', COMPONENT_INFO[k].unit]) } };
}

function offerTable(a: Advice): DataTable {
  const o = full(a.offer);
  const ann = annuity(o.term, a.discountRate);
  const rows = COMPONENTS.filter((k) => o[k] > 0).map((k) => [COMPONENT_INFO[k].label, o[k], COMPONENT_INFO[k].unit]);
  rows.push(['term', o.term, 'years (yearly terms)']);
  return { columns: ['component', 'amount', 'unit'], rows, note: `Cost to the city: USD ${money(a.costMusd)} in present value at ${(100 * a.discountRate).toFixed(1)}% a year (yearly terms x ${ann.toFixed(3)}, the annuity factor of ${o.term} years, plus money paid at once). To run this offer, add under arms: ${JSON.stringify(a.scenarioArm)}` };
}

/** The page of an advice as HTML (deterministic: the same advice gives the same bytes). */
export async function adviceHtml(a: Advice, inputs?: { file?: string; sha256?: string }[]): Promise<string> {
  figures = 0;
  const sections: Section[] = [];
  const city = a.city.replace(/_/g, ' ');
  const pr = a.probability;
  const main = a.assumptions[a.rivals]!;

  const offerBlocks: Block[] = [{ kind: 'table', id: 'offer', title: a.feasible ? 'The cheapest offer reaching the target' : 'The best offer found (it does not reach the target)', table: offerTable(a), open: true }];
  const prices = (Object.keys(a.assumptions) as (keyof Advice['assumptions'])[]).map((m) => {
    const x = a.assumptions[m]!;
    return [m, x.feasible ? 'yes' : 'no', x.costMusd, x.probability.estimate, x.probability.low, x.probability.high, x.effect.estimate, x.effect.low, x.effect.high, x.scaledShare, describe(full(x.offer))];
  });
  offerBlocks.push({ kind: 'table', id: 'prices', title: 'Price under each assumption about rivals', open: true,
    table: { columns: ['rivals', 'reaches target', 'cost (USD m)', 'p(win) checked', 'low', 'high', 'effect', 'low', 'high', 'share scaled to budget', 'offer'], rows: prices,
      note: 'p(win) checked: wins in fresh runs with the 95% Wilson interval; effect: the change in the win rate the offer makes on the same runs, with the 95% Newcombe interval for paired proportions.' } });
  const lead = a.feasible
    ? `${cap(describe(full(a.offer)))}: it reaches the target of ${p2(a.target)} at a cost of USD ${money(a.costMusd)} in present value.`
    : a.costMusd > 0
      ? `No offer the search could try reaches the target of ${p2(a.target)}; the best found is ${describe(full(a.offer))}.`
      : `No offer the search could try reaches the target of ${p2(a.target)}: offers costing up to USD ${money(main.maxTried.costMusd)} in present value leave the probability at ${p2(main.maxTried.probability)}.`;
  sections.push({ id: 'offer', heading: 'The offer', intro: `${lead} ${cap(city)}'s attraction budget in the scenario is USD ${money(a.cityBudget.budgetMusd)} a year, which leaves USD ${money(a.cityBudget.yearlyRoomMusd)} a year for new yearly terms and USD ${money(a.cityBudget.onceRoomMusd)} for money paid at once in ${a.year}; offers must fit both.`, blocks: offerBlocks });

  const cv = curveSpec(a);
  sections.push({ id: 'curve', heading: 'Cost curve', blocks: [{ kind: 'figure', figure: await fig('curve', 'Probability of winning against the cost of the offer', `each step adds money to the component that buys most; diamonds: checked on ${pr.runs} fresh runs with 95% intervals`,
    `The search's path: probability of winning (mean over ${a.runs.search} runs decided with the same random draws) against the present value the offer costs the city; the dashed line is the target. A flat line means money stopped helping.`, cv.spec, cv.table) }] });

  const rate = rateSpec(a);
  const rateBlocks: Block[] = [{ kind: 'figure', figure: await fig('per-usd', 'Probability bought per USD m, by component', 'a little more of each component at the advised offer',
    'Change in the probability of winning per USD m more of each component (present value). Components at their limit (shares at 100%, or the city\'s budget room spent) are grey. The organization values money at its cost whatever its form, so equal bars are expected; the relocation grant differs because it lowers the cost of moving.', rate.spec, rate.table) }];
  if (!COMPONENTS.some((k) => (a.perUsd[k] ?? 0) !== 0)) rateBlocks.push({ kind: 'note', text: 'Flagged: this measure never varies here. No component changes the probability of winning at this offer, either because every component is at its limit or because money does not move the decision.' });
  sections.push({ id: 'per-dollar', heading: 'What each component buys', blocks: rateBlocks });

  const gs = gapSpec(a);
  const gapBlocks: Block[] = [];
  if (gs.rivals.length) gapBlocks.push({ kind: 'figure', figure: await fig('breakdown', `Score breakdown: ${city} against every rival`, 'mean utility terms with the advised offer',
    `Each bar is a term of the organization's utility: ${city}'s value minus the rival's (positive: it favours ${city}). The terms add up to the utility.`, gs.spec, gs.table) });
  const gapRows = a.gaps.terms.flatMap((g) => (g.levers.length ? g.levers.map((l) => [g.term, g.gap, l.label, l.now, l.needed ?? 'out of range', leverPhrase(l, a.domain)]) : [[g.term, g.gap, '-', null, null, g.fixed ?? 'no city lever moves it']]));
  gapBlocks.push({ kind: 'table', id: 'gaps', title: `Where ${city} trails ${a.gaps.rival ?? 'its rivals'}, and what would close each gap alone`, open: true,
    table: { columns: ['term', 'gap (utility)', 'lever', 'level now', 'level needed', 'how'], rows: gapRows, note: 'Gaps are means over the search runs of the city\'s utility terms minus those of its strongest rival in each run. Investable levers are translated into years of spending at the yearly sum shown (the model\'s stock dynamics: delay, saturating gain, decay); fixed attributes are named as such.' } });
  const gapNotes: Block[] = a.gaps.terms.map((g) => ({ kind: 'note', text: gapPhrase(g, a.domain) }));
  sections.push({ id: 'gaps', heading: 'What money cannot buy',
    intro: a.gaps.terms.length && a.gaps.rival
      ? `Where ${cap(city)} trails ${a.gaps.rival.replace(/_/g, ' ')} (its strongest rival in ${Math.round(100 * a.gaps.rivalShare)}% of the runs) with this offer, in utility, and what would close each gap on its own:`
      : `${cap(city)} trails its strongest rival on no term with this offer.`,
    blocks: [...gapNotes, ...gapBlocks] });

  const notes: Block[] = [
    { kind: 'note', text: `Search: ${a.runs.search} replications, each simulated up to the contest and decided again for every offer tried with the same random draws (common random numbers); check: ${a.runs.check} fresh replications. ${a.runs.seeds}.` },
    { kind: 'note', text: `Cost: yearly terms over the term and money paid at once, in present value at ${(100 * a.discountRate).toFixed(1)}% a year (money.discountRate). Rivals: ${a.rivals === 'respond' ? 'they answer with the best offer their budgets allow' : 'they keep the offers the scenario gives them'}.` },
    ...a.warnings.map((w): Block => ({ kind: 'note', text: w })),
  ];
  sections.push({ id: 'method', heading: 'How these numbers were made', blocks: notes });

  const page: Page = {
    title: `What would it take for ${city.charAt(0).toUpperCase() + city.slice(1)} to win the ${a.org.replace(/_/g, ' ')}?`,
    subtitle: `${a.scenario}${a.arm ? ` [arm ${a.arm}]` : ''}, contest ${a.contest} (${a.year}, decided by ${a.rule === 'vote' ? 'member states' : 'the organization'}); target ${p2(a.target)}; rivals ${a.rivals}. hqsim ${a.hqsim}.`,
    summaryText: a.summary,
    facts: [
      a.feasible ? { label: 'price (USD m, present value)', value: money(a.costMusd) } : { label: `no offer reaches the target (money tried up to USD ${money(main.maxTried.costMusd)})`, value: 'none' },
      { label: `p(win) with the offer, checked (95%: ${p2(pr.low)}-${p2(pr.high)})`, value: p2(pr.estimate) },
      { label: 'p(win) without an offer', value: p2(a.baseline.noOffer) },
      { label: 'strongest rival', value: a.gaps.rival ?? '-' },
      { label: 'best buy per dollar', value: a.bestComponent ? COMPONENT_INFO[a.bestComponent].label : '-' },
      ...(a.assumptions.respond && a.assumptions.passive ? [{ label: `price if rivals ${a.rivals === 'respond' ? 'stay passive' : 'respond'}`, value: (() => { const o = a.assumptions[a.rivals === 'respond' ? 'passive' : 'respond']!; return o.feasible ? money(o.costMusd) : 'none'; })() }] : []),
    ],
    sections,
    footer: `Generated by hqsim ${VERSION} from advice.json${inputs?.length ? `; inputs: ${inputs.map((i) => `${i.file ?? '?'} (sha256 ${String(i.sha256 ?? '').slice(0, 12)})`).join(', ')}` : ''}.`,
  };
  return renderPage(page);
}

/** `hqsim report` on an advice directory: read advice.json (and the manifest's inputs) and build the page. */
export async function adviceReport(dir: string): Promise<{ ok: true; html: string; kind: 'advice'; charts: number } | { ok: false; problem: ReportProblem }> {
  const file = join(dir, 'advice.json');
  if (!existsSync(file)) return { ok: false, problem: { file, problem: 'missing (the result directory is incomplete; rerun hqsim advise)' } };
  let a: Advice;
  try { a = JSON.parse(readFileSync(file, 'utf8')) as Advice; } catch (e) { return { ok: false, problem: { file, problem: `is not valid JSON (${(e as Error).message})` } }; }
  const missing = ['city', 'contest', 'offer', 'curve', 'probability', 'gaps', 'breakdown', 'assumptions', 'summary'].filter((k) => !(k in (a as object)));
  if (a.kind !== 'advice' || missing.length) return { ok: false, problem: { file, problem: a.kind !== 'advice' ? 'is not an advice (kind "advice" expected)' : `lacks ${missing.join(', ')}` } };
  let inputs: { file?: string; sha256?: string }[] | undefined;
  try { inputs = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { inputs?: typeof inputs }).inputs; } catch { inputs = undefined; }
  const html = await adviceHtml(a, inputs);
  return { ok: true, html, kind: 'advice', charts: (html.match(/<figure class="chart"/g) ?? []).length };
}
