/**
 * The advice in words: the paragraph a mayor's adviser can paste into a briefing (generated from the numbers of
 * the result, never written per scenario), and the text `hqsim advise` prints.
 */
import type { Advice, Price } from './index.ts';
import { COMPONENT_INFO, COMPONENTS, describe, emptyOffer, money, type FullOffer } from './offer.ts';
import type { LeverNeed, TermGap } from './levers.ts';
import type { Offer } from '../scenario/schema.ts';

const TERM_WORDS: Record<string, string> = {
  security: 'security', resources: 'resources (office cost, national support)', operations: 'operations (connections, workforce, schools, hub)',
  values: 'values (issue leadership, openness)', cluster: 'its cluster of same-domain organizations', moveCost: 'the cost of moving',
  stayBonus: "the incumbent seat's advantage", balance: 'geographic balance', officeSetup: 'office setup', offer: 'money offered',
};

const p2 = (x: number) => x.toFixed(2);
const pct = (x: number) => `${Math.round(100 * x)}%`;
const full = (o: Offer): FullOffer => { const f = emptyOffer(o.term ?? 1); for (const k of COMPONENTS) f[k] = o[k] ?? 0; return f; };
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** How one lever would close a gap on its own, in its units. */
export function leverPhrase(l: LeverNeed, domain?: string): string {
  if (l.count) {
    if (l.count.needed === null) return `${l.label}: beyond reach of any count`;
    const more = Math.max(0, l.count.needed - l.count.now);
    return `${l.label}: about ${more < 10 ? more.toFixed(1) : Math.round(more)} more ${l.count.unit} (${l.count.now.toFixed(1)} now)`;
  }
  if (l.fixed) return `${l.label}: ${l.fixed}${l.needed === null ? '' : ` (${p2(l.now)} would have to reach ${p2(l.needed)})`}`;
  if (l.needed === null) return `${l.label}: no level up to 1 closes the gap (${p2(l.now)} now)`;
  if (l.invest) {
    const where = l.attribute === 'leadership' && domain ? ` in ${domain.replace(/_/g, ' ')}` : '';
    const spend = `USD ${money(l.invest.spendMusdPerYear)} a year (${l.invest.scenarioLever}${where})`;
    return l.invest.years === null
      ? `${l.label}: ${p2(l.now)} would have to reach ${p2(l.needed)}, out of reach at ${spend}: it levels off near ${p2(l.invest.reachable)}`
      : `${l.label}: from ${p2(l.now)} to ${p2(l.needed)}, about ${l.invest.years} year${l.invest.years === 1 ? '' : 's'} of spending ${spend}`;
  }
  return `${l.label}: from ${p2(l.now)} to ${p2(l.needed)}`;
}

/** The gap on one term and the levers that would close it alone. */
export function gapPhrase(g: TermGap, domain?: string): string {
  const what = `${TERM_WORDS[g.term] ?? g.term} (${g.gap.toFixed(3)} utility)`;
  if (!g.levers.length) return `${what}: ${g.fixed ?? 'no city lever moves it'}`;
  return `${what}: ${g.levers.map((l) => leverPhrase(l, domain)).join('; or ')}`;
}

const SHORT: Record<string, string> = {
  security: 'security', resources: 'resources', operations: 'operations', values: 'values', cluster: 'its cluster', moveCost: 'the cost of moving',
  stayBonus: "the incumbent's advantage", balance: 'geographic balance', officeSetup: 'office setup', offer: 'money',
};

/** The most actionable way to close a gap, in a few words (for the briefing paragraph). */
export function shortGap(g: TermGap, domain?: string): string {
  const dom = domain ? domain.replace(/_/g, ' ') : '';
  const invest = g.levers.filter((l) => l.invest && l.invest.years !== null).sort((a, b) => a.invest!.years! - b.invest!.years!)[0];
  const count = g.levers.find((l) => l.count && l.count.needed !== null);
  let how: string;
  if (invest) how = `${invest.attribute === 'leadership' && dom ? `leadership in ${dom}` : invest.label} from ${p2(invest.now)} to ${p2(invest.needed!)} would take about ${invest.invest!.years} years at USD ${money(invest.invest!.spendMusdPerYear)} a year`;
  else if (count) how = `about ${Math.max(0, count.count!.needed! - count.count!.now).toFixed(1)} more ${count.attribute === 'cluster' && dom ? `${dom} organizations hosted` : count.count!.unit}`;
  else {
    const unreachable = g.levers.find((l) => l.invest);
    if (unreachable) how = `${unreachable.attribute === 'leadership' && dom ? `leadership in ${dom}` : unreachable.label} cannot be built that far (${p2(unreachable.now)} to ${unreachable.needed === null ? 'above 1' : p2(unreachable.needed)})`;
    else if (g.levers.length) how = `${g.levers.map((l) => l.label.replace(/ \(.*\)$/, '')).join(', ')}: ${g.levers.length > 1 ? 'fixed attributes' : 'a fixed attribute'}`;
    else how = g.fixed ?? 'no city lever moves it';
  }
  return `${SHORT[g.term] ?? g.term} by ${(-g.gap).toFixed(3)} utility (${how})`;
}

function ruleWords(a: Advice): string {
  return a.rule === 'vote' ? "decided by its member states' vote" : 'decided by the organization itself';
}

function priceSentence(a: Advice, pr: Price, lead: string): string {
  if (pr.feasible) {
    return `${lead} the cheapest offer reaching ${p2(a.target)} costs about USD ${money(pr.costMusd)} in present value and won ${pct(pr.probability.estimate)} of ${pr.probability.runs} further simulated futures (95% interval ${p2(pr.probability.low)}-${p2(pr.probability.high)}).`;
  }
  return `${lead} no offer ${a.budgetMusd !== null ? `up to USD ${money(a.budgetMusd)}` : 'the city can afford'} reaches ${p2(a.target)}: the best found, costing about USD ${money(pr.costMusd)}, won ${pct(pr.probability.estimate)} of ${pr.probability.runs} further futures (95% interval ${p2(pr.probability.low)}-${p2(pr.probability.high)}).`;
}

/** The paragraph for a briefing. */
export function briefing(a: Advice): string {
  const s: string[] = [];
  const org = a.org.replace(/_/g, ' ');
  const own = a.baseline.scenarioBid.offer ? `, and ${p2(a.baseline.scenarioBid.probability)} with the bid the scenario gives it` : '';
  const role = a.role === 'seat' ? 'keeps' : 'wins';
  const respondNone = a.rivals === 'respond' && a.assumptions.respond ? ` (${p2(a.assumptions.respond.noOffer)} if rivals answer with their best offers)` : '';
  s.push(`In ${a.runs.search} simulated futures of the ${a.scenario} scenario${a.arm ? ` (arm ${a.arm})` : ''}, ${cap(a.city.replace(/_/g, ' '))} ${role} the seat of the ${org} (${a.year}, ${ruleWords(a)}) with probability ${p2(a.baseline.noOffer)} if it offers nothing${respondNone}${own}.`);
  const offer = describe(full(a.offer));
  if (a.feasible) {
    if (a.costMusd <= 0) s.push(`It needs no offer to reach the target of ${p2(a.target)}: it won ${pct(a.probability.estimate)} of ${a.probability.runs} further futures without one (95% interval ${p2(a.probability.low)}-${p2(a.probability.high)}).`);
    else {
      s.push(`The cheapest offer found that lifts this to at least ${p2(a.target)} is ${offer}. It would cost the city about USD ${money(a.costMusd)} in present value (discounted at ${(100 * a.discountRate).toFixed(1)}% a year${a.scaledShare > 0 ? `; in ${pct(a.scaledShare)} of the futures it does not fit the city's budget and would be scaled down` : ''}), and it won ${pct(a.probability.estimate)} of ${a.probability.runs} further simulated futures (95% interval ${p2(a.probability.low)}-${p2(a.probability.high)}).`);
      if (a.bestComponent) s.push(`At that price, a further dollar buys the most probability as ${COMPONENT_INFO[a.bestComponent].label}.`);
    }
  } else {
    const pr = a.assumptions[a.rivals]!;
    const limit = a.budgetMusd !== null ? `costing up to USD ${money(a.budgetMusd)}` : 'within reach of its budget';
    if (a.costMusd <= 0) s.push(`No offer ${limit} lifts this to ${p2(a.target)}: offers costing up to USD ${money(pr.maxTried.costMusd)} in present value leave its chance at ${p2(pr.maxTried.probability)}.`);
    else s.push(`No offer ${limit} lifts this to ${p2(a.target)}: the best found, ${offer}, costing about USD ${money(a.costMusd)}, won ${pct(a.probability.estimate)} of ${a.probability.runs} further futures (95% interval ${p2(a.probability.low)}-${p2(a.probability.high)}).`);
  }
  const lead = a.gaps.terms.filter((g) => g.gap <= -0.005).slice(0, 3);
  if (a.gaps.rival && lead.length) {
    const why = lead.map((g) => shortGap(g, a.domain)).join('; ');
    s.push(`${a.feasible ? 'Even with the offer, ' : 'Money cannot close the gap: '}${cap(a.gaps.rival.replace(/_/g, ' '))}, the strongest rival in ${pct(a.gaps.rivalShare)} of the futures, leads on ${why}.`);
    if (!a.feasible && a.gaps.fixedOnly) s.push('None of these gaps can be closed by a lever the city controls.');
  }
  const other = a.rivals === 'respond' ? a.assumptions.passive : undefined;
  if (a.rivals === 'respond' && other) {
    s.push(priceSentence(a, other, 'If rivals kept the offers the scenario gives them,'));
    s.push(`These figures assume that rivals answer with the best offer their budgets allow${Object.keys(a.silentRivals).length ? ` (${Object.keys(a.silentRivals).join(', ')} had no budget left to answer in some futures)` : ''}.`);
  } else {
    s.push(`These figures assume that rivals keep the offers the scenario gives them${a.passiveRivals.length ? `, and ${a.passiveRivals.join(', ')} never bid at all (no budget or levers)` : ''}; hqsim advise --rivals respond prices the seat against rivals that answer with their best offers.`);
  }
  return s.join(' ');
}

const fmt = (x: number | null | undefined, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

/** The text `hqsim advise` prints. */
export function formatAdvice(a: Advice, dir: string | null): string {
  const L: string[] = [];
  L.push(`hqsim advise: ${a.scenario}${a.arm ? ` [arm ${a.arm}]` : ''}, contest ${a.contest} (${a.org}, ${a.year}, decided by ${a.rule}), city ${a.city}, target ${fmt(a.target, 2)}, rivals ${a.rivals}`);
  L.push(`  as the scenario stands: p(win) ${fmt(a.baseline.noOffer)} with no offer from ${a.city}${a.baseline.scenarioBid.offer ? `, ${fmt(a.baseline.scenarioBid.probability)} with its scripted bid` : ''} (search estimate, ${a.runs.search} runs)`);
  const order = (Object.keys(a.assumptions) as (keyof Advice['assumptions'])[]).sort((x, y) => (x === a.rivals ? -1 : y === a.rivals ? 1 : 0));
  for (const r of order) {
    const pr = a.assumptions[r]!;
    L.push(`  ${r === a.rivals ? '' : 'also, '}rivals ${r} (p(win) ${fmt(pr.noOffer)} without an offer): ${pr.feasible ? 'cheapest offer reaching the target' : `no offer reaches the target (${stopWords(pr.stop)}); best found`}: ${describe(full(pr.offer))}`);
    if (!pr.feasible) L.push(`    money tried: up to USD ${money(pr.maxTried.costMusd)} present value, p(win) ${fmt(pr.maxTried.probability)} (search estimate)`);
    L.push(`    cost to the city: USD ${money(pr.costMusd)} present value (${money(pr.yearlyMusd)} yearly terms over ${pr.offer.term} years, ${money(pr.onceMusd)} paid once; discount rate ${(100 * a.discountRate).toFixed(1)}%)`);
    L.push(`    p(win) checked on ${pr.probability.runs} fresh runs: ${fmt(pr.probability.estimate)} (95% Wilson ${fmt(pr.probability.low)}-${fmt(pr.probability.high)}${pr.probability.varies ? '' : '; never varies: the same result in every run'}); search estimate ${fmt(pr.probability.search)}`);
    L.push(`    effect of the offer on the same runs: ${pr.effect.estimate >= 0 ? '+' : ''}${fmt(pr.effect.estimate)} (95% Newcombe ${fmt(pr.effect.low)} to ${fmt(pr.effect.high)})${pr.scaledShare > 0 ? `; scaled down to the city's budget in ${pct(pr.scaledShare)} of runs` : ''}`);
  }
  const rates = COMPONENTS.map((k) => [k, a.perUsd[k]] as const);
  L.push(`  probability per USD m more (present value), at this offer: ${rates.map(([k, v]) => `${COMPONENT_INFO[k].label} ${v === null || v === undefined ? 'at its bound' : fmt(v, 4)}`).join(', ')}${a.bestComponent ? `; best: ${COMPONENT_INFO[a.bestComponent].label}` : ''}`);
  L.push(`  cost curve (USD m -> p(win), search estimate): ${a.curve.map((c) => `${money(c.costMusd)} ${fmt(c.probability, 2)}`).join(', ')}`);
  if (a.gaps.rival) {
    L.push(`  strongest rival: ${a.gaps.rival} (${pct(a.gaps.rivalShare)} of runs); utility gap at this offer ${a.gaps.utilityGap >= 0 ? '+' : ''}${fmt(a.gaps.utilityGap)}; where ${a.city} trails (utility), and what would close each alone:`);
    for (const g of a.gaps.terms) L.push(`    ${gapPhrase(g, a.domain)}`);
    if (!a.gaps.terms.length) L.push('    nowhere');
  }
  if (a.passiveRivals.length) L.push(`  passive rivals (no budget or levers: they never bid): ${a.passiveRivals.join(', ')}`);
  if (Object.keys(a.silentRivals).length) L.push(`  rivals with nothing left to respond with: ${Object.entries(a.silentRivals).map(([k, v]) => `${k} (${v} runs)`).join(', ')}`);
  L.push(`  to run this offer: add under arms: ${JSON.stringify(a.scenarioArm)}`);
  L.push(`  ${a.runs.seeds}`);
  L.push('');
  L.push(wrap(a.summary, 110).map((l) => `  ${l}`).join('\n'));
  if (dir) { L.push(''); L.push(`  results: ${dir}`); }
  return L.join('\n');
}

function stopWords(s: Price['stop']): string {
  return s === 'budget' ? 'the --budget is spent' : s === 'bounds' ? "every component is at its limit: shares at 100%, the city's budget room spent" : s === 'plateau' ? 'more money stopped raising the probability' : 'step limit reached';
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) { out.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}
