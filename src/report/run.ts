/** The report of one run: from the loaded result files to the sections of the page. */
import { humanSummary } from '../cli/main.ts';
import type { Summary } from '../model/engine.ts';
import { driverScores, facetLines, LINE_BREAK, facetStackedArea, flowMatrix, lineChart, OKABE_ITO, OTHER_GREY, renderSvg, TABLEAU10, utilityGap, voteRounds, type Datum } from './charts.ts';
import { fmt, type Block, type Cell, type DataTable, type Figure, type Page, type Section } from './html.ts';
import { DRIVERS, LEVERS, TERMS, type EventRow, type RunData } from './load.ts';

/** Limits that keep the page small for big runs: more cities or decisions are summed or listed in tables only. */
export const LIMITS = { topCities: 7, flowCities: 12, spendCities: 6, contests: 9, decisions: 8, listRows: 300 };
const OTHER = 'other cities';

const byKey = <T>(xs: T[], key: (x: T) => string) => { const m = new Map<string, T[]>(); for (const x of xs) { const k = key(x); (m.get(k) ?? m.set(k, []).get(k)!).push(x); } return m; };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
/** A two-line facet label as one line, for tables. */
const plain = (label: unknown) => String(label).split(LINE_BREAK).join(': ');

function capRows(rows: Cell[][], what: string, file: string): { rows: Cell[][]; note?: string } {
  if (rows.length <= LIMITS.listRows) return { rows };
  return { rows: rows.slice(0, LIMITS.listRows), note: `First ${LIMITS.listRows} of ${rows.length} ${what}; all of them are in ${file}.` };
}

interface Ctx { d: RunData; years: number[]; cityRank: string[]; top: string[]; cityColours: { domain: string[]; range: string[] }; fig: number }

function rankCities(d: RunData, lastYear: number): string[] {
  const stats = new Map<string, { last: number; max: number; staff: number }>();
  for (const r of d.cityYears) {
    const s = stats.get(r.city) ?? { last: 0, max: 0, staff: 0 };
    if (r.year === lastYear) { s.last = r.hosted_orgs; s.staff = r.hosted_staff; }
    s.max = Math.max(s.max, r.hosted_orgs);
    stats.set(r.city, s);
  }
  return [...stats.entries()].sort((a, b) => b[1].last - a[1].last || b[1].max - a[1].max || b[1].staff - a[1].staff || cmp(a[0], b[0])).map(([c]) => c);
}

async function fig(ctx: Ctx, key: string, title: string, caption: string, spec: Parameters<typeof renderSvg>[0], table: DataTable): Promise<Figure> {
  const id = `fig-${key}`;
  ctx.fig++;
  return { id, title, caption, svg: await renderSvg(spec, `c${ctx.fig}`, title), table };
}

// ---------------------------------------------------------------------------------------------

async function hostingSection(ctx: Ctx): Promise<Section> {
  const { d, top, years } = ctx;
  const group = (c: string) => (top.includes(c) ? c : OTHER);
  const hasOther = ctx.cityRank.length > top.length;
  const series = [...top, ...(hasOther ? [OTHER] : [])];
  const acc = new Map<string, number>();
  const accDom = new Map<string, number>();
  for (const r of d.cityYears) {
    const k = `${r.year}|${group(r.city)}`;
    acc.set(k, (acc.get(k) ?? 0) + r.hosted_orgs);
    for (const dom of d.domains) {
      const n = r.orgsByDomain[dom] ?? 0;
      const kd = `${r.year}|${group(r.city)}|${dom}`;
      accDom.set(kd, (accDom.get(kd) ?? 0) + n);
    }
  }
  const data: Datum[] = [];
  for (const y of years) for (const c of series) data.push({ year: y, city: c, orgs: acc.get(`${y}|${c}`) ?? 0 });
  const title = 'Organizations hosted per city';
  const overall = await fig(ctx, 'hosted', title,
    `Number of modelled organizations with their seat in each city at the end of each year${hasOther ? `; the ${top.length} cities hosting most at the end, the other ${ctx.cityRank.length - top.length} summed as "${OTHER}"` : ''}.`,
    lineChart({ title: { text: title, subtitle: `top ${top.length} cities by organizations hosted in ${years[years.length - 1]}` }, data, x: 'year', xTitle: 'year', y: 'orgs', yTitle: 'organizations hosted',
      series: 'city', seriesTitle: 'city', colours: ctx.cityColours, points: years.length <= 40, yFormat: 'd' }),
    { columns: ['year', ...series], rows: years.map((y) => [y, ...series.map((c) => acc.get(`${y}|${c}`) ?? 0)]) });

  const used = d.domains.filter((dom) => d.cityYears.some((r) => (r.orgsByDomain[dom] ?? 0) > 0));
  const domData: Datum[] = [];
  // In each domain panel, only the cities that ever hosted an organization of that domain (no flat lines at zero).
  for (const dom of used) for (const c of series) {
    if (!years.some((y) => (accDom.get(`${y}|${c}|${dom}`) ?? 0) > 0)) continue;
    for (const y of years) domData.push({ year: y, city: c, domain: dom.replace(/_/g, ' '), orgs: accDom.get(`${y}|${c}|${dom}`) ?? 0 });
  }
  const blocks: Block[] = [{ kind: 'figure', figure: overall }];
  if (used.length) {
    const t2 = 'Organizations hosted per city, by issue domain';
    const byDomain = await fig(ctx, 'hosted-domain', t2, 'One panel per issue domain that had any organization; same cities and colours as above. A domain cluster attracts organizations of its own domain.',
      facetLines({ title: { text: t2, subtitle: 'one panel per domain' }, data: domData, facet: 'domain', facetTitle: 'domain', facetOrder: used.map((x) => x.replace(/_/g, ' ')),
        columns: Math.min(4, used.length), x: 'year', xTitle: 'year', y: 'orgs', yTitle: 'organizations', series: 'city', seriesTitle: 'city', colours: ctx.cityColours }),
      { columns: ['year', 'domain', ...series], rows: used.flatMap((dom) => years.map((y) => [y, dom, ...series.map((c) => accDom.get(`${y}|${c}|${dom}`) ?? 0)])) });
    blocks.push({ kind: 'more', summary: `Show by issue domain (${used.length} domain${used.length === 1 ? '' : 's'})`, figures: [byDomain] });
  }
  return { id: 'hosting', heading: 'Hosting over time', blocks };
}

async function flowSection(ctx: Ctx): Promise<Section> {
  const { d } = ctx;
  const moves = d.events.filter((e) => e.type === 'relocation' && e.from && e.to);
  const founds = d.events.filter((e) => e.type === 'founding' && (e.to ?? e.city));
  const NEW = '(newly founded)';
  const blocks: Block[] = [];
  if (moves.length + founds.length === 0) {
    blocks.push({ kind: 'note', text: 'No organization moved or was founded in this run.' });
  } else {
    const vol = new Map<string, number>();
    for (const e of moves) { vol.set(e.from!, (vol.get(e.from!) ?? 0) + 1); vol.set(e.to!, (vol.get(e.to!) ?? 0) + 1); }
    for (const e of founds) { const c = (e.to ?? e.city)!; vol.set(c, (vol.get(c) ?? 0) + 1); }
    const keep = [...vol.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).slice(0, LIMITS.flowCities).map(([c]) => c);
    const g = (c: string) => (keep.includes(c) ? c : OTHER);
    const counts = new Map<string, number>();
    for (const e of moves) { const k = `${g(e.from!)}|${g(e.to!)}`; counts.set(k, (counts.get(k) ?? 0) + 1); }
    for (const e of founds) { const k = `${NEW}|${g((e.to ?? e.city)!)}`; counts.set(k, (counts.get(k) ?? 0) + 1); }
    const hasOther = [...counts.keys()].some((k) => k.includes(OTHER));
    const order = [...keep.filter((c) => [...counts.keys()].some((k) => k.split('|').includes(c))), ...(hasOther ? [OTHER] : [])];
    // Rows and columns list the same cities in the same order, so the diagonal (no move) is easy to find.
    const fromOrder = [...(founds.length ? [NEW] : []), ...order.filter((c) => moves.length > 0 && [...counts.keys()].some((k) => k.split('|').includes(c)))];
    const toOrder = order;
    const data: Datum[] = [...counts.entries()].map(([k, n]) => { const [from, to] = k.split('|'); return { from, to, count: n }; })
      .sort((a, b) => cmp(String(a.from), String(b.from)) || cmp(String(a.to), String(b.to)));
    const title = 'Relocations and foundings: from -> to';
    blocks.push({ kind: 'figure', figure: await fig(ctx, 'flows', title,
      `Each cell counts organizations that left the row city for the column city (${moves.length} relocation${moves.length === 1 ? '' : 's'})`
      + `${founds.length ? `; the top row counts new organizations by the city where they were founded (${founds.length})` : ''}.`
      + `${hasOther ? ` Cities beyond the ${keep.length} busiest are summed as "${OTHER}".` : ''}`,
      flowMatrix({ title: { text: title, subtitle: `${d.summary.firstYear}-${d.summary.lastYear}, counts of organizations` }, data, fromOrder, toOrder,
        fromTitle: 'from (old seat)', toTitle: 'to (new seat)', countTitle: 'organizations' }),
      { columns: ['from', 'to', 'organizations'], rows: data.map((x) => [x.from, x.to, x.count]) }) });
    const list = [...moves, ...founds].sort((a, b) => a.year - b.year || cmp(a.org ?? '', b.org ?? ''));
    const capped = capRows(list.map((e) => [e.year, e.org, e.type === 'founding' ? NEW : e.from, e.to ?? e.city, e.type === 'founding' ? 'founding' : e.contest ? `contest ${e.contest}` : 'seat review',
      e.probability === null ? null : round6(e.probability)]), 'moves', 'events.csv');
    blocks.push({ kind: 'table', id: 'moves', title: 'Every relocation and founding', table: { columns: ['year', 'organization', 'from', 'to', 'how', 'choice probability'], ...capped } });
  }
  return { id: 'flows', heading: 'Relocation flows', blocks };
}

async function spendingSection(ctx: Ctx): Promise<Section> {
  const { d, years } = ctx;
  const total = new Map<string, number>();
  for (const r of d.cityYears) total.set(r.city, (total.get(r.city) ?? 0) + r.spend_total_musd);
  const spenders = [...total.entries()].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).slice(0, LIMITS.spendCities).map(([c]) => c);
  if (spenders.length === 0) return { id: 'spending', heading: 'Spending by lever', blocks: [{ kind: 'note', text: 'No city spent anything on its levers in this run.' }] };
  const levers = LEVERS.filter((l) => d.cityYears.some((r) => spenders.includes(r.city) && (r.spend[l.col] ?? 0) > 0));
  const rows = d.cityYears.filter((r) => spenders.includes(r.city)).sort((a, b) => spenders.indexOf(a.city) - spenders.indexOf(b.city) || a.year - b.year);
  const data: Datum[] = [];
  for (const r of rows) levers.forEach((l, i) => data.push({ year: r.year, city: r.city, lever: l.label, musd: round6(r.spend[l.col] ?? 0), stackOrder: i }));
  const title = 'Spending by lever per city';
  const others = total.size - spenders.length;
  return { id: 'spending', heading: 'Spending by lever', intro: 'Cash levers (offices, tax, subsidies, grants, commitments) act while they are paid; schools, security and issue leadership build stocks that last.', blocks: [{ kind: 'figure', figure: await fig(ctx, 'spending', title,
    `Yearly spending of the ${spenders.length} cities that spent most over the run, stacked by policy lever, in millions of US dollars per year${others > 0 ? ` (${others} other cities not shown; see city_year.csv)` : ''}.`,
    facetStackedArea({ title: { text: title, subtitle: `USD m per year, ${years[0]}-${years[years.length - 1]}` }, data, facet: 'city', facetOrder: spenders, columns: Math.min(3, spenders.length),
      x: 'year', xTitle: 'year', y: 'musd', yTitle: 'spending (USD m / year)', stack: 'lever', stackTitle: 'lever', colours: { domain: levers.map((l) => l.label), range: TABLEAU10.slice(0, levers.length) } }),
    { columns: ['year', 'city', ...levers.map((l) => `${l.label} (USD m)`), 'total (USD m)'], rows: rows.map((r) => [r.year, r.city, ...levers.map((l) => r.spend[l.col] ?? 0), r.spend_total_musd]) }) }] };
}

function parseVotes(detail: string | null): { city: string; votes: number }[] {
  const head = (detail ?? '').split(';')[0];
  return head.split(/\s+/).filter(Boolean).map((t) => { const i = t.lastIndexOf(':'); return { city: t.slice(0, i), votes: Number(t.slice(i + 1)) }; })
    .filter((v) => v.city && Number.isFinite(v.votes));
}

async function contestSection(ctx: Ctx): Promise<Section> {
  const { d } = ctx;
  const results = d.events.filter((e) => e.type === 'contest_result' && e.contest);
  const rounds = byKey(d.events.filter((e) => e.type === 'vote_round' && e.contest), (e) => e.contest!);
  const blocks: Block[] = [];
  if (results.length === 0) return { id: 'contests', heading: 'Contests', blocks: [{ kind: 'note', text: 'No site contest was held in this run.' }] };
  // Decisive = decided by member votes; the most rounds first, then the closest final round.
  const margin = (c: string) => { const rs = rounds.get(c)!; const v = parseVotes(rs[rs.length - 1].detail).map((x) => x.votes).sort((a, b) => b - a); return (v[0] ?? 0) - (v[1] ?? 0); };
  const voted = results.filter((r) => rounds.has(r.contest!))
    .sort((a, b) => rounds.get(b.contest!)!.length - rounds.get(a.contest!)!.length || margin(a.contest!) - margin(b.contest!) || a.year - b.year || cmp(a.contest!, b.contest!))
    .slice(0, LIMITS.contests).sort((a, b) => a.year - b.year || cmp(a.contest!, b.contest!));
  if (voted.length) {
    const label = (r: EventRow) => `${r.contest} (${r.year})${LINE_BREAK}won by ${r.city}`;
    const data: Datum[] = [];
    const cities = new Set<string>();
    for (const r of voted) for (const vr of rounds.get(r.contest!)!) for (const v of parseVotes(vr.detail)) {
      cities.add(v.city);
      data.push({ contest: label(r), round: vr.round ?? 0, city: v.city, votes: v.votes });
    }
    const title = 'Contests decided by vote: votes per round';
    blocks.push({ kind: 'figure', figure: await fig(ctx, 'votes', title,
      'Member votes for each candidate city in each round; the weakest candidate is eliminated after a round until one has the required majority (as in the four rounds of the UNFCCC seat contest that Bonn won).',
      voteRounds({ title: { text: title, subtitle: `${voted.length} contest${voted.length === 1 ? '' : 's'} with member votes` }, data, facetOrder: voted.map(label), cityOrder: [...cities].sort(cmp), columns: Math.min(3, voted.length) }),
      { columns: ['contest', 'round', 'city', 'votes'], rows: data.map((x) => [plain(x.contest), x.round, x.city, x.votes]) }) });
  } else blocks.push({ kind: 'note', text: 'No contest in this run went to a vote of members; the organizations chose themselves.' });
  const capped = capRows(results.map((r) => {
    const rs = rounds.get(r.contest!) ?? [];
    return [r.year, r.contest, r.org, r.detail, r.city, r.runner_up, rs.length || null, rs.map((x) => `R${x.round}: ${x.detail}`).join(' | ') || null];
  }), 'contests', 'events.csv');
  blocks.push({ kind: 'table', id: 'contest-table', title: 'Every contest', table: { columns: ['year', 'contest', 'organization', 'rule', 'winner', 'runner-up', 'rounds', 'votes'], ...capped }, open: results.length <= 12 });
  return { id: 'contests', heading: 'Contests', blocks };
}

/** Contest results first (vote contests with most rounds first), then relocations of the largest organizations; at most LIMITS.decisions. */
function notableDecisions(d: RunData): EventRow[] {
  const withScores = (e: EventRow) => e.chosen && e.runner_up && e.chosenEval.utility !== null && e.runnerUpEval.utility !== null;
  const contests = d.events.filter((e) => e.type === 'contest_result' && withScores(e));
  const contestIds = new Set(contests.map((e) => `${e.year}|${e.org}`));
  const staff = new Map<string, number>();
  for (const r of d.orgYears) if (r.staff !== null) staff.set(`${r.year}|${r.org}`, r.staff);
  const moves = d.events.filter((e) => e.type === 'relocation' && withScores(e) && !contestIds.has(`${e.year}|${e.org}`))
    .sort((a, b) => (staff.get(`${b.year}|${b.org}`) ?? 0) - (staff.get(`${a.year}|${a.org}`) ?? 0) || a.year - b.year || cmp(a.org ?? '', b.org ?? ''));
  const vetoes = d.events.filter((e) => e.type === 'veto' && withScores(e));
  const roundsOf = new Map<string, number>();
  for (const e of d.events) if (e.type === 'vote_round' && e.contest) roundsOf.set(e.contest, Math.max(roundsOf.get(e.contest) ?? 0, e.round ?? 0));
  const cs = [...contests].sort((a, b) => (roundsOf.get(b.contest!) ?? 0) - (roundsOf.get(a.contest!) ?? 0) || a.year - b.year || cmp(a.contest!, b.contest!));
  const picked = [...cs.slice(0, Math.ceil(LIMITS.decisions / 2)), ...moves.slice(0, Math.ceil(LIMITS.decisions / 4))];
  for (const e of [...cs, ...moves, ...vetoes]) { if (picked.length >= LIMITS.decisions) break; if (!picked.includes(e)) picked.push(e); }
  return picked.slice(0, LIMITS.decisions).sort((a, b) => a.year - b.year || cmp(a.org ?? '', b.org ?? ''));
}

async function whySection(ctx: Ctx): Promise<Section> {
  const { d } = ctx;
  const picked = notableDecisions(d);
  if (picked.length === 0) return { id: 'why', heading: 'Why: notable decisions', blocks: [{ kind: 'note', text: 'No contest, relocation or veto with a runner-up was recorded in this run.' }] };
  const verb = (e: EventRow) => (e.type === 'contest_result' ? 'contest' : e.type === 'veto' ? 'vetoed move' : 'move');
  const label = (e: EventRow) => `${e.year} ${e.org} (${verb(e)})${LINE_BREAK}${e.chosen} (chosen) vs ${e.runner_up}`;
  const labels = picked.map(label);
  const terms = TERMS.filter((k) => picked.some((e) => (e.chosenEval[k] ?? 0) !== 0 || (e.runnerUpEval[k] ?? 0) !== 0));
  const name = (k: string) => k.replace(/_/g, ' ');
  const scores: Datum[] = [];
  for (const e of picked) for (const k of terms) {
    scores.push({ decision: label(e), driver: name(k), role: 'chosen city', city: e.chosen, score: e.chosenEval[k] });
    scores.push({ decision: label(e), driver: name(k), role: 'runner-up', city: e.runner_up, score: e.runnerUpEval[k] });
  }
  const t1 = 'Why: the terms of the utility of the chosen city and the runner-up';
  const scoreFig = await fig(ctx, 'why-scores', t1,
    'For each notable decision (contest results, the largest relocations, vetoed moves), every term of the utility of the city chosen and of the best alternative: each driver (weight x score), the money offered, the cluster pull, the moving cost (negative), the stay bonus of the seat and, in votes, the geographic-balance bonus. The terms add up to the utility.',
    driverScores({ title: { text: t1, subtitle: `${picked.length} notable decision${picked.length === 1 ? '' : 's'}; utility units` }, data: scores, facetOrder: labels, columns: Math.min(3, picked.length), drivers: terms.map(name) }),
    { columns: ['decision', 'city', 'role', ...terms.map(name), 'utility', ...DRIVERS.map((k) => `weight ${k}`)],
      rows: picked.flatMap((e) => [
        [plain(label(e)), e.chosen, 'chosen', ...terms.map((k) => e.chosenEval[k]), e.chosenEval.utility, ...DRIVERS.map((k) => e.weights[k])],
        [plain(label(e)), e.runner_up, 'runner-up', ...terms.map((k) => e.runnerUpEval[k]), e.runnerUpEval.utility, ...DRIVERS.map((k) => e.weights[k])],
      ]) });
  const blocks: Block[] = [{ kind: 'figure', figure: scoreFig }];

  // Utility gap by term: chosen minus runner-up.
  const complete = picked.filter((e) => e.chosenEval.utility !== null && e.runnerUpEval.utility !== null);
  if (complete.length) {
    const gap: Datum[] = [];
    const rows: Cell[][] = [];
    for (const e of complete) {
      const vals = terms.map((k) => round6((e.chosenEval[k] ?? 0) - (e.runnerUpEval[k] ?? 0)));
      vals.forEach((v, i) => gap.push({ decision: label(e), component: name(terms[i]), contribution: v, favours: v >= 0 ? 'chosen city' : 'runner-up' }));
      rows.push([plain(label(e)), ...vals, round6(e.chosenEval.utility! - e.runnerUpEval.utility!)]);
    }
    const t2 = 'Why: what the utility gap between chosen city and runner-up is made of';
    blocks.push({ kind: 'figure', figure: await fig(ctx, 'why-gap', t2,
      'Each term of the chosen city minus the same term of the runner-up. Bars to the right favoured the chosen city. In contests decided by vote, members add their own home-country, regional and taste terms, so they may pick a city the organization itself rated lower (negative total); `hqsim explain` shows them round by round.',
      utilityGap({ title: { text: t2, subtitle: 'chosen minus runner-up, utility units' }, data: gap, facetOrder: complete.map(label), columns: Math.min(3, complete.length), components: terms.map(name) }),
      { columns: ['decision', ...terms.map(name), 'total utility difference'], rows }) });
  }
  return { id: 'why', heading: 'Why: notable decisions', intro: 'An organization values each candidate city term by term (its four drivers weighted by its development stage, the money offered relative to its budget, the cluster, the cost of moving); these charts show what separated the chosen city from the runner-up.', blocks };
}

async function concentrationSection(ctx: Ctx): Promise<Section> {
  const { d, years } = ctx;
  const byYear = byKey(d.cityYears, (r) => String(r.year));
  const data: Datum[] = [];
  const rows: Cell[][] = [];
  const hhi = (xs: number[]) => { const t = xs.reduce((s, x) => s + x, 0); return t > 0 ? xs.reduce((s, x) => s + (x / t) ** 2, 0) : null; };
  for (const y of years) {
    const rs = byYear.get(String(y)) ?? [];
    const orgs = rs.map((r) => r.hosted_orgs);
    const total = orgs.reduce((s, x) => s + x, 0);
    const top5 = total > 0 ? [...orgs].sort((a, b) => b - a).slice(0, 5).reduce((s, x) => s + x, 0) / total : null;
    const vals = { 'HHI of organizations': hhi(orgs), 'HHI of staff': hhi(rs.map((r) => r.hosted_staff)), 'top-5 cities share of organizations': top5 };
    for (const [k, v] of Object.entries(vals)) if (v !== null) data.push({ year: y, measure: k, value: round6(v) });
    rows.push([y, ...Object.values(vals).map((v) => (v === null ? null : round6(v))), total]);
  }
  const measures = ['HHI of organizations', 'HHI of staff', 'top-5 cities share of organizations'];
  const title = 'Concentration of hosting over time';
  return { id: 'concentration', heading: 'Concentration', blocks: [{ kind: 'figure', figure: await fig(ctx, 'concentration', title,
    'Herfindahl-Hirschman index (sum of squared city shares; 1 = all in one city, 1/n = spread evenly over n cities) of organizations and of staff, and the share of organizations in the five largest hosts.',
    lineChart({ title: { text: title, subtitle: 'index or share, 0-1' }, data, x: 'year', xTitle: 'year', y: 'value', yTitle: 'index or share (0-1)', series: 'measure', seriesTitle: 'measure',
      colours: { domain: measures, range: [OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2]] }, yDomain: [0, 1] }),
    { columns: ['year', ...measures, 'organizations hosted'], rows }) }] };
}

export async function runPage(d: RunData, version: string): Promise<Page> {
  const s = d.summary;
  const years = [...new Set(d.cityYears.map((r) => r.year))].sort((a, b) => a - b);
  const cityRank = rankCities(d, years[years.length - 1]);
  const top = cityRank.slice(0, LIMITS.topCities);
  const hasOther = cityRank.length > top.length;
  const cityColours = { domain: [...top, ...(hasOther ? [OTHER] : [])], range: [...OKABE_ITO.slice(0, top.length), ...(hasOther ? [OTHER_GREY] : [])] };
  const ctx: Ctx = { d, years, cityRank, top, cityColours, fig: 0 };
  const sections: Section[] = [];
  // Sequential on purpose: figure numbering (and so SVG ids) must not depend on timing.
  for (const make of [hostingSection, flowSection, spendingSection, contestSection, whySection, concentrationSection]) sections.push(await make(ctx));
  const text = humanSummary(s as unknown as Summary, '').split('\n').filter((l) => !l.trimStart().startsWith('results:')).join('\n');
  const m = d.manifest;
  const arm = s.arm ?? (typeof m.arm === 'string' ? m.arm : null);
  const totalSpend = Object.values(s.byCity).reduce((a, c) => a + c.spendMusd, 0);
  return {
    title: `hqsim report: ${s.scenario}${arm ? ` [arm ${arm}]` : ''}, seed ${s.seed}`,
    subtitle: `Run of ${s.firstYear}-${s.lastYear}: ${s.organizations} organizations, ${s.cities} cities. hqsim ${typeof m.hqsim === 'string' ? m.hqsim : version}.`,
    summaryText: text,
    facts: [
      { label: 'relocations', value: String(s.relocations) },
      { label: 'foundings', value: String(s.foundings) },
      { label: 'contests', value: String(s.contests) },
      { label: 'seat reviews', value: String(s.reviews) },
      { label: 'vetoed moves', value: String(s.vetoes) },
      { label: 'HHI of organizations (end)', value: s.concentration.hhiOrgs.toFixed(3) },
      { label: 'top-5 share of organizations (end)', value: `${(100 * s.concentration.top5ShareOrgs).toFixed(1)}%` },
      { label: 'spent by all cities (USD m)', value: fmt(Math.round(totalSpend * 10) / 10) },
    ],
    sections,
    footer: `Generated by hqsim ${version} from manifest.json, summary.json, events.csv, city_year.csv and org_year.csv of this directory. Inputs: ${
      Array.isArray(m.inputs) ? (m.inputs as { file?: string; sha256?: string }[]).map((i) => `${i.file ?? '?'} (sha256 ${String(i.sha256 ?? '').slice(0, 12)})`).join(', ') : 'not recorded'}.`,
  };
}
