/**
 * `hqsim explain`: one contest of one run, term by term. For a named city (default: the winner) its full utility
 * breakdown against every rival and the gap per term; for votes, the members and the rounds (tallies, eliminations,
 * withdrawals and endorsements). Pure apart from running the engine; the CLI prints the text or the JSON.
 */
import { simulate } from '../model/engine.ts';
import type { ContestOutcome } from '../model/contest.ts';
import { TERM_NAMES, type TermName } from '../model/scoring.ts';
import type { Scenario } from '../scenario/load.ts';

export interface CandidateTerms { city: string; role: string; terms: Record<TermName, number>; utility: number; probability: number | null; moneyMusd: number; homeStates: number; regionMembers: number }
export interface RoundInfo { round: number; kind: string; tally: { city: string; votes: number }[]; eliminated: string | null; withdrawn: { city: string; endorsed: string | null }[]; byLot: boolean; decided: boolean }

export interface Explanation {
  scenario: string; arm: string | null; seed: number; contest: string; org: string; year: number; rule: 'organization' | 'vote';
  winner: string; runnerUp: string | null; city: string;
  candidates: CandidateTerms[];
  /** the named city minus each rival, per term and in all (positive: the named city is ahead) */
  gaps: { rival: string; total: number; terms: Record<TermName, number> }[];
  members: { count: number; byRegion: Record<string, number>; homeStates: { country: string; city: string }[] } | null;
  rounds: RoundInfo[];
}

export class ExplainError extends Error {}

/** Run the scenario once and explain contest `contest` for `city` (default: the winner). */
export function explain(sc: Scenario, opts: { contest: string; city?: string; seed?: number }): Explanation {
  const seed = opts.seed ?? sc.seed;
  if (!sc.contests.some((c) => c.id === opts.contest)) throw new ExplainError(`${sc.file} has no contest "${opts.contest}"; contests: ${sc.contests.map((c) => c.id).join(', ') || 'none'}`);
  let ids: string[] = [];
  let found: { year: number; org: string; outcome: ContestOutcome } | null = null;
  simulate(sc, { seed, recorder: {
    wants: { events: [], orgYears: false, cityYears: [], decisions: false },
    begin: (info) => { ids = info.cities; },
    event() {}, cityYear() {}, orgYear() {},
    contest: (c) => { if (c.id === opts.contest && !found) found = { year: c.year, org: c.org, outcome: c.outcome }; },
  } });
  if (!found) throw new ExplainError(`contest "${opts.contest}" did not take place in this run (its year is after the last simulated year, or its organization was not active)`);
  const { year, org, outcome: out } = found as { year: number; org: string; outcome: ContestOutcome };
  const id = (c: number) => ids[c];
  const homes = new Map<string, number>(), regions = new Map<string, number>();
  for (const m of out.members ?? []) { homes.set(m.country, (homes.get(m.country) ?? 0) + 1); regions.set(m.region, (regions.get(m.region) ?? 0) + 1); }
  const country = new Map(sc.cities.map((c) => [c.id, c]));
  const candidates: CandidateTerms[] = out.candidates.map((x, i) => {
    const terms = Object.fromEntries(TERM_NAMES.map((t) => [t, t === 'balance' ? x.balance : x.eval.terms[t]])) as Record<TermName, number>;
    const def = country.get(id(x.city));
    return { city: id(x.city), role: x.eval.role, terms, utility: x.eval.utility + x.balance, probability: out.probabilities ? out.probabilities[i] : null, moneyMusd: x.eval.moneyMusd,
      homeStates: def ? homes.get(def.country) ?? 0 : 0, regionMembers: def ? regions.get(def.region) ?? 0 : 0 };
  });
  const city = opts.city ?? id(out.winner.city);
  const mine = candidates.find((c) => c.city === city);
  if (!mine) throw new ExplainError(`"${city}" is not a candidate of contest "${opts.contest}" in this run; candidates: ${candidates.map((c) => c.city).join(', ')}`);
  const gaps = candidates.filter((c) => c !== mine).map((r) => ({
    rival: r.city, total: mine.utility - r.utility,
    terms: Object.fromEntries(TERM_NAMES.map((t) => [t, mine.terms[t] - r.terms[t]])) as Record<TermName, number>,
  }));
  const members = out.members ? {
    count: out.members.length,
    byRegion: Object.fromEntries([...regions.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    homeStates: candidates.flatMap((c) => { const d = country.get(c.city); return d && homes.get(d.country) && out.members!.some((m) => m.id === d.country) ? [{ country: d.country, city: c.city }] : []; }),
  } : null;
  const rounds: RoundInfo[] = out.rounds.map((r) => ({
    round: r.round, kind: r.kind, tally: r.votes.map(([c, v]) => ({ city: id(c), votes: v })), eliminated: r.eliminated === null ? null : id(r.eliminated),
    withdrawn: r.withdrawn.map((x) => ({ city: id(x.city), endorsed: x.endorsed === null ? null : id(x.endorsed) })), byLot: r.byLot, decided: r.decided,
  }));
  return { scenario: sc.name, arm: sc.arm ?? null, seed, contest: opts.contest, org, year, rule: out.rule, winner: id(out.winner.city),
    runnerUp: out.runnerUp ? id(out.runnerUp.city) : null, city, candidates, gaps, members, rounds };
}

const f3 = (x: number) => (Math.abs(x) < 5e-4 ? '0' : x.toFixed(3));
const sign = (x: number) => (x >= 0 ? '+' : '') + f3(x);

/** The explanation as text for a terminal. */
export function formatExplanation(e: Explanation): string {
  const L: string[] = [];
  L.push(`hqsim explain: ${e.scenario}${e.arm ? ` [arm ${e.arm}]` : ''}, contest ${e.contest} (${e.org}, ${e.year}), decided by ${e.rule === 'vote' ? `a vote of ${e.members?.count ?? '?'} members` : 'the organization'}; seed ${e.seed}`);
  L.push(`  winner: ${e.winner}${e.runnerUp ? ` (runner-up ${e.runnerUp})` : ''}`);
  const used = TERM_NAMES.filter((t) => e.candidates.some((c) => Math.abs(c.terms[t]) >= 5e-4));
  const w = Math.max(6, ...e.candidates.map((c) => c.city.length));
  const head = ['city'.padEnd(w), ...used.map((t) => t.padStart(Math.max(8, t.length))), 'utility'.padStart(8), e.rule === 'organization' ? 'p(chosen)' : 'money USD m/yr'];
  L.push('');
  L.push('  utility, term by term (utility units; the terms add up to the utility' + (e.rule === 'vote' ? '; each member adds its home-country, region, endorsement and taste terms' : '') + ')');
  L.push('  ' + head.join(' '));
  for (const c of e.candidates) {
    L.push('  ' + [c.city.padEnd(w), ...used.map((t) => f3(c.terms[t]).padStart(Math.max(8, t.length))), f3(c.utility).padStart(8),
      e.rule === 'organization' ? (c.probability === null ? '-' : c.probability.toFixed(3)).padStart(9) : c.moneyMusd.toFixed(2).padStart(9)].join(' ') + (c.city === e.city ? '   <' : ''));
  }
  L.push('');
  L.push(`  ${e.city} against each rival (positive: ${e.city} ahead), largest gaps first`);
  for (const g of e.gaps) {
    const parts = used.map((t) => [t, g.terms[t]] as [string, number]).filter(([, v]) => Math.abs(v) >= 5e-4).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
    L.push(`    vs ${g.rival}: total ${sign(g.total)}; ${parts.map(([t, v]) => `${t} ${sign(v)}`).join(', ') || 'no difference'}`);
  }
  if (e.members) {
    L.push('');
    L.push(`  members: ${e.members.count} (${Object.entries(e.members.byRegion).map(([r, n]) => `${r} ${n}`).join(', ')}); home states: ${e.members.homeStates.map((h) => `${h.country} (${h.city})`).join(', ') || 'none'}`);
  }
  if (e.rounds.length) {
    L.push('');
    L.push('  vote, round by round');
    for (const r of e.rounds) {
      const name = r.kind === 'sounding' ? 'sounding before the ballots' : r.kind === 'points' ? `round ${r.round} (points)` : `round ${r.round}`;
      const extra = [
        ...(r.eliminated ? [`${r.eliminated} eliminated${r.byLot && !r.decided ? ' by lot' : ''}`] : []),
        ...r.withdrawn.map((x) => `${x.city} withdrew${x.endorsed ? ` endorsing ${x.endorsed}` : ''}`),
        ...(r.decided ? [r.byLot ? 'decided by lot' : `decided: ${r.tally[0].city}`] : []),
      ];
      L.push(`    ${name}: ${r.tally.map((t) => `${t.city} ${t.votes}`).join(', ')}${extra.length ? `; ${extra.join('; ')}` : ''}`);
    }
  }
  return L.join('\n');
}
