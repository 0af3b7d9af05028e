/**
 * `hqsim advise`: the price of a seat for a city. The cheapest offer that gives the city at least a target
 * probability of winning a contest, what it costs in present value, how sure that is, which component of an offer
 * buys most, and what money cannot buy (the gaps to the strongest rival, in the units of the levers that move them).
 *
 * Replications 0..runs-1 of the scenario (replication seeds as in `hqsim odds`) are simulated up to the contest
 * and the search decides the contest on them again for every offer it tries; replications runs..2 runs-1 then
 * check the advised offer afresh, counting wins as the engine decides them (Wilson interval).
 */
import { resolve } from 'node:path';
import type { Offer } from '../scenario/schema.ts';
import { loadScenario, type Scenario } from '../scenario/load.ts';
import { suggest } from '../scenario/errors.ts';
import { replicationSeed } from '../experiment/file.ts';
import { annuity } from '../model/scoring.ts';
import { VERSION } from '../version.ts';
import { COMPONENTS, emptyOffer, meanBasis, offerCost, round6, toScenarioOffer, type Component, type CostBasis, type FullOffer } from './offer.ts';
import { openEvaluator, type Evaluator, type Facts } from './pool.ts';
import { marginalRates, search, type SearchResult } from './search.ts';
import { TERM_KEYS, type CandidateTerms, type Rivals } from './session.ts';
import { leverNeeds, type TermGap } from './levers.ts';
import { pairedEffect, winInterval, type Interval } from './stats.ts';
import { passiveCities, passivityWarnings } from './rivals.ts';
import { briefing } from './text.ts';

/** Bad use of advise (exit 2). */
export class AdviseUsageError extends Error {}

export interface AdviseOptions {
  contest: string;
  city: string;
  /** probability to reach (default 0.5) */
  target?: number;
  /** the most the offer may cost the city, USD m in present value (default: no limit but the city's budget) */
  budgetMusd?: number;
  /** search replications; as many again check the result (default 200) */
  runs?: number;
  rivals?: Rivals;
  arm?: string;
  years?: number;
  seed?: number;
  workers?: number;
}

export interface PricePoint { costMusd: number; probability: number; offer: Offer }

/** The price under one assumption about rivals. */
export interface Price {
  rivals: Rivals;
  feasible: boolean;
  /** why the search stopped (target reached, budget spent, money stopped helping, step limit) */
  stop: SearchResult['stop'];
  offer: Offer;
  costMusd: number;
  /** the yearly part and the one-off part of the cost, USD m */
  yearlyMusd: number;
  onceMusd: number;
  /** checked on fresh replications: wins / runs with its 95% Wilson interval (and the search's own estimate) */
  probability: Interval & { search: number; runs: number; varies: boolean };
  /** change the offer makes to the win rate on the check replications (paired, 95% Newcombe interval) */
  effect: Interval & { varies: boolean };
  /** share of check replications in which the offer did not fit the city's budget and was scaled down */
  scaledShare: number;
  /** the city's probability without any offer under this assumption (search estimate) */
  noOffer: number;
  /** the costliest offer the search tried (search estimate): how far money was pushed */
  maxTried: { costMusd: number; probability: number };
  curve: PricePoint[];
}

export interface Breakdown { city: string; runs: number; wins: number; terms: Record<string, number>; utility: number }

/** The advice: the price under the chosen assumption about rivals (its fields at the top level), and the rest. */
export interface Advice extends Pick<Price, 'feasible' | 'offer' | 'costMusd' | 'probability' | 'effect' | 'scaledShare' | 'curve'> {
  kind: 'advice';
  hqsim: string;
  scenario: string;
  arm: string | null;
  contest: string;
  org: string;
  year: number;
  rule: string;
  city: string;
  /** the organization's issue domain */
  domain: string;
  /** what the organization does if the city wins: move there, be founded there, or stay (the city is its seat) */
  role: string;
  target: number;
  rivals: Rivals;
  budgetMusd: number | null;
  seed: number;
  runs: { search: number; check: number; seeds: string };
  /** the discount rate of the cost (money.discountRate) */
  discountRate: number;
  /** the city's attraction budget in the scenario and what it leaves for this offer at the contest in every run (USD m a year for yearly terms, USD m for money paid at once) */
  cityBudget: { budgetMusd: number; yearlyRoomMusd: number; onceRoomMusd: number };
  /** the city's chances without an offer and with the scenario's own bid (search replications) */
  baseline: { noOffer: number; scenarioBid: { offer: Offer | null; probability: number } };
  /** probability bought per USD m (present value) by a little more of each component at the offer; null at its bound */
  perUsd: Partial<Record<Component, number | null>>;
  bestComponent: Component | null;
  gaps: { rival: string | null; rivalShare: number; utilityGap: number; terms: TermGap[]; fixedOnly: boolean };
  breakdown: Breakdown[];
  /** the price under both assumptions about rivals (with --rivals respond) */
  assumptions: Partial<Record<Rivals, Price>>;
  /** rivals with nothing left in their budget to respond with (respond), with the replications in which they could not */
  silentRivals: Record<string, number>;
  passiveRivals: string[];
  /** the scenario override that makes this offer the city's bid (paste it under `arms:` to run it) */
  scenarioArm: Record<string, Offer>;
  warnings: string[];
  summary: string;
}

/** A gap some lever of the city can close on its own: a stock within reach, or organizations to host. */
const closable = (g: TermGap) => g.levers.some((l) => (l.invest && l.invest.years !== null) || (l.count && l.count.needed !== null));

const minOf = (xs: number[]) => xs.reduce((a, b) => (b < a ? b : a), Infinity);
const mean = (xs: ArrayLike<number>) => { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return xs.length ? s / xs.length : NaN; };

function checkInputs(sc: Scenario, file: string, o: AdviseOptions) {
  const def = sc.contests.find((c) => c.id === o.contest);
  if (!def) {
    const ids = sc.contests.map((c) => c.id);
    const s = suggest(o.contest, ids);
    throw new AdviseUsageError(`${file} has no contest "${o.contest}"${s ? ` (did you mean "${s}"?)` : ''}; contests: ${ids.join(', ') || 'none'}`);
  }
  if (!sc.cities.some((c) => c.id === o.city)) {
    const s = suggest(o.city, sc.cities.map((c) => c.id));
    throw new AdviseUsageError(`${file} has no city "${o.city}"${s ? ` (did you mean "${s}"?)` : ''}`);
  }
  if (def.candidates && !def.candidates.includes(o.city)) throw new AdviseUsageError(`${o.city} is not a candidate in contest ${def.id} (candidates: ${def.candidates.join(', ')}); only invited cities can bid`);
  if (def.year >= sc.start + sc.years) throw new AdviseUsageError(`contest ${def.id} is held in ${def.year}, after the last simulated year ${sc.start + sc.years - 1}; give --years ${def.year - sc.start + 1} or more`);
  const target = o.target ?? 0.5;
  if (!(target > 0 && target <= 1)) throw new AdviseUsageError('--target must be a probability above 0 and at most 1');
  return { def, target };
}

/** The offer as the engine takes it during the search (exact numbers; only the components it has). */
function engineOffer(o: FullOffer): Offer {
  const out: Offer = { term: o.term };
  for (const k of COMPONENTS) if (o[k] > 0) out[k] = o[k];
  return out;
}

function fromScenario(o: Offer, term: number): FullOffer {
  const f = emptyOffer(o.term ?? term);
  for (const k of COMPONENTS) f[k] = o[k] ?? 0;
  return f;
}

/** Mean terms of each candidate, and the city's gaps to its strongest rival, per replication averaged. */
function analyse(reps: CandidateTerms[][], city: string) {
  const by = new Map<string, { runs: number; wins: number; terms: number[]; utility: number }>();
  const gap = TERM_KEYS.map(() => 0);
  let gapU = 0, n = 0;
  const rivalCount = new Map<string, number>();
  for (const rep of reps) {
    for (const c of rep) {
      const b = by.get(c.city) ?? { runs: 0, wins: 0, terms: TERM_KEYS.map(() => 0), utility: 0 };
      b.runs++; if (c.won) b.wins++; c.terms.forEach((x, i) => { b.terms[i] += x; }); b.utility += c.utility;
      by.set(c.city, b);
    }
    const me = rep.find((c) => c.city === city);
    const rival = rep.filter((c) => c.city !== city).sort((a, b) => b.utility - a.utility || (a.city < b.city ? -1 : 1))[0];
    if (!me || !rival) continue;
    n++;
    me.terms.forEach((x, i) => { gap[i] += x - rival.terms[i]; });
    gapU += me.utility - rival.utility;
    rivalCount.set(rival.city, (rivalCount.get(rival.city) ?? 0) + 1);
  }
  const breakdown: Breakdown[] = [...by.entries()].map(([c, b]) => ({
    city: c, runs: b.runs, wins: b.wins, utility: b.utility / b.runs, terms: Object.fromEntries(TERM_KEYS.map((k, i) => [k, b.terms[i] / b.runs])),
  })).sort((a, b) => b.utility - a.utility || (a.city < b.city ? -1 : 1));
  const top = [...rivalCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return {
    breakdown, rival: top ? top[0] : null, rivalShare: top && n ? top[1] / n : 0, utilityGap: n ? gapU / n : 0,
    termGaps: Object.fromEntries(TERM_KEYS.map((k, i) => [k, n ? gap[i] / n : 0])),
  };
}

/** What advise writes beside advice.json: the inputs (with their hashes), the options and the parameters. */
export interface AdviceManifest {
  kind: 'advice'; hqsim: string; scenario: string; arm: string | null; inputs: Scenario['inputs']; node: string;
  options: { contest: string; city: string; target: number; budgetMusd: number | null; runs: number; rivals: Rivals; seed: number; years: number };
  parameters: Scenario['params']; files: string[];
}

export async function runAdvise(file: string, o: AdviseOptions): Promise<{ advice: Advice; manifest: AdviceManifest }> {
  const sc = loadScenario(file, { arm: o.arm, years: o.years });
  const { def, target } = checkInputs(sc, file, o);
  const rivals = o.rivals ?? 'passive';
  const runs = o.runs ?? 200;
  const seed = o.seed ?? sc.seed;
  const workers = o.workers ?? 1;
  const budget = o.budgetMusd ?? Infinity;
  const spec = { scenario: resolve(file), arm: o.arm, years: o.years, contest: def.id, city: o.city };
  const p = sc.params;
  const term = p.strategy.bidTerm;

  const searchEv = await openEvaluator({ ...spec, seeds: Array.from({ length: runs }, (_, r) => replicationSeed(seed, r)) }, workers);
  let facts: Facts, basis: CostBasis, analysis: ReturnType<typeof analyse>, levers: Awaited<ReturnType<Evaluator['levers']>>;
  let silent: Record<string, number> = {};
  const results: Partial<Record<Rivals, SearchResult>> = {};
  let scenarioBid = { offer: null as Offer | null, probability: NaN }, noOffer = NaN;
  let perUsd: Advice['perUsd'] = {};
  let cityBudget: Advice['cityBudget'] = { budgetMusd: 0, yearlyRoomMusd: 0, onceRoomMusd: 0 };
  let roomUsed = { yearly: 0, once: 0 };
  try {
    facts = await searchEv.facts();
    const infos = await searchEv.info();
    basis = meanBasis(infos.map((i) => i.basis));
    cityBudget = { budgetMusd: sc.cities.find((c) => c.id === o.city)!.budgetMusd, yearlyRoomMusd: minOf(infos.map((i) => i.roomYearly)), onceRoomMusd: minOf(infos.map((i) => i.roomOnce)) };
    const orgBudget = mean(infos.map((i) => i.orgBudgetMusd));
    const step = Math.max(1e-3, 0.01 * orgBudget * annuity(p.money.horizonYears, p.money.discountRate));
    const probeFor = (r: Rivals) => async (offers: FullOffer[]) => (await searchEv.evaluate(offers.map(engineOffer), r)).map((x) => mean(x.p));
    const own = def.bids?.[o.city] ?? null;
    scenarioBid = { offer: own, probability: mean(infos.map((i) => i.scenarioP)) };
    const modes: Rivals[] = rivals === 'respond' ? ['passive', 'respond'] : ['passive'];
    // The offer must fit the city's budget in every search run (the engine scales down a bid that does not).
    const room = { yearly: minOf(infos.map((i) => i.roomYearly)), once: minOf(infos.map((i) => i.roomOnce)) };
    for (const r of modes) {
      const probe = probeFor(r);
      const run = (t: number) => search(probe, { target, start: emptyOffer(t), basis, step, budgetMusd: budget, room });
      let best = await run(term);
      // When the city's yearly budget is what stops it, a longer term spreads the same value thinner.
      if (!best.feasible && best.stop === 'bounds') {
        for (const t of [2 * term, 3 * term]) {
          const alt = await run(t);
          if ((alt.feasible && (!best.feasible || alt.costMusd < best.costMusd - 1e-9)) || (!alt.feasible && !best.feasible && alt.probability > best.probability + 1e-12)) best = alt;
        }
      }
      results[r] = best;
      if (r === 'passive') noOffer = best.curve[0].probability;
    }
    roomUsed = room;
    if (rivals === 'respond') silent = await searchEv.silentRivals();
    const main = results[rivals]!;
    const final = fromScenario(toScenarioOffer(main.offer), main.offer.term);
    perUsd = await marginalRates(probeFor(rivals), final, basis, Math.max(step, 0.1 * offerCost(final, basis)), roomUsed);
    analysis = analyse(await searchEv.candidates(engineOffer(final), rivals), o.city);
    levers = await searchEv.levers();
  } finally { await searchEv.close(); }

  // Fresh replications check each price.
  const checkEv = await openEvaluator({ ...spec, seeds: Array.from({ length: runs }, (_, r) => replicationSeed(seed, runs + r)) }, workers);
  const prices: Partial<Record<Rivals, Price>> = {};
  try {
    for (const r of Object.keys(results) as Rivals[]) {
      const res = results[r]!;
      const offer = toScenarioOffer(res.offer);
      const full = fromScenario(offer, res.offer.term);
      const [withOffer, without] = await checkEv.evaluate([offer, { term: full.term }], r);
      const wins = withOffer.win.reduce((s, x) => s + x, 0);
      const yearly = offerCost({ ...full, oneOffMusd: 0, relocationGrantMusdPerStaff: 0 }, basis);
      prices[r] = {
        rivals: r, feasible: res.feasible, stop: res.stop, offer, costMusd: round6(offerCost(full, basis)), yearlyMusd: round6(yearly), onceMusd: round6(offerCost(full, basis) - yearly),
        probability: { ...winInterval(wins, runs), search: res.probability, runs },
        effect: pairedEffect(withOffer.win, without.win),
        scaledShare: mean(withOffer.scaled), noOffer: res.curve[0].probability, maxTried: { costMusd: round6(res.maxTried.costMusd), probability: res.maxTried.probability },
        curve: res.curve.map((c) => ({ costMusd: round6(c.costMusd), probability: c.probability, offer: toScenarioOffer(c.offer) })),
      };
    }
  } finally { await checkEv.close(); }

  const main = prices[rivals]!;
  const gapTerms = leverNeeds(Object.fromEntries(Object.entries(analysis.termGaps).filter(([k]) => k !== 'offer')), levers);
  const candidates = new Set(facts.candidates);
  const passiveRivals = passiveCities(sc).filter((x) => x.id !== o.city && (candidates.has(x.id) || def.candidates?.includes(x.id))).map((x) => x.id);
  const rates = Object.entries(perUsd).filter((e): e is [Component, number] => typeof e[1] === 'number' && e[1] > 1e-12);
  const bestComponent = rates.length ? rates.reduce((a, b) => (b[1] > a[1] * (1 + 1e-9) ? b : a))[0] : null;
  const advice: Advice = {
    kind: 'advice', hqsim: VERSION, scenario: sc.name, arm: o.arm ?? null, contest: def.id, org: facts.org, year: facts.year, rule: facts.rule,
    city: o.city, domain: facts.domain, role: facts.role, target, rivals, budgetMusd: Number.isFinite(budget) ? budget : null, seed,
    runs: { search: runs, check: runs, seeds: `search: replications 0-${runs - 1}, check: replications ${runs}-${2 * runs - 1} of seed ${seed} (replication seeds as in hqsim odds)` },
    discountRate: p.money.discountRate,
    feasible: main.feasible, offer: main.offer, costMusd: main.costMusd, probability: main.probability, effect: main.effect, scaledShare: main.scaledShare, curve: main.curve,
    cityBudget, baseline: { noOffer, scenarioBid },
    perUsd, bestComponent,
    gaps: { rival: analysis.rival, rivalShare: analysis.rivalShare, utilityGap: analysis.utilityGap, terms: gapTerms, fixedOnly: gapTerms.length > 0 && !gapTerms.some(closable) },
    breakdown: analysis.breakdown,
    assumptions: prices,
    silentRivals: silent, passiveRivals,
    scenarioArm: { [`contests.${def.id}.bids.${o.city}`]: main.offer },
    warnings: passivityWarnings(sc),
    summary: '',
  };
  advice.summary = briefing(advice);
  const manifest: AdviceManifest = {
    kind: 'advice', hqsim: VERSION, scenario: sc.name, arm: o.arm ?? null, inputs: sc.inputs, node: process.version,
    options: { contest: def.id, city: o.city, target, budgetMusd: advice.budgetMusd, runs, rivals, seed, years: sc.years },
    parameters: p, files: ['manifest.json', 'advice.json'],
  };
  return { advice, manifest };
}
