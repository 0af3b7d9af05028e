/**
 * Seat votes by member states. Each member is an actor: a country and a region, its own driver weights (drawn
 * around the organization's), optionally a bloc whose members share their draws. In every round each member votes
 * for the remaining candidate it values most:
 *
 *   u_m(x) = sum_d w_md S_d(x) + cluster - moveCost + stayBonus[seat]                (the organization's evaluation)
 *          + homeBias [x is in m's country] + regionAffinity [x is in m's region]
 *          + balance(x) + endorsementBonus [x was endorsed by the candidate m supported]
 *          + campaignNoise * Gumbel_x + voteNoise * Gumbel_m,round,x
 *
 * balance(x) = balanceWeight * exp(-hosted(country of x) / balanceScale): geographic balance favours countries that
 * host few organizations. Gumbel_x is one draw per candidate and contest, shared by every member (the quality of a
 * campaign that the forecaster cannot see): it is what makes a vote of many members uncertain. Before the first ballot, and after every ballot, candidates whose share of (first
 * preference) votes is below `withdrawBelow` withdraw, and each candidate that leaves endorses the remaining
 * candidate its home state prefers. A first round may be scored with points (EU 2017: 3-2-1); then ballots
 * eliminate the weakest until one candidate has the threshold share and a majority; a tied run-off goes to lot.
 * Pure: no I/O. Draws: stream `member` (member or bloc), `campaign` (candidate), `vote` (member or bloc, round,
 * candidate), `tiebreak`.
 */
import type { ContestDef } from '../scenario/schema.ts';
import type { Params } from './params.ts';
import { gumbel, normal, type Streams } from './rng.ts';
import type { Evaluation } from './scoring.ts';
import type { Weights } from '../scenario/schema.ts';

/** The 27 member states of the European Union since 1 February 2020 (ISO 3166-1 alpha-2), who vote on EU agency seats. */
export const EU27 = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV',
  'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];

export interface Member { id: string; country: string; region: string; bloc: string | null; weights: number[] }

export interface VoteCandidate { city: number; country: string; region: string; isSeat: boolean; eval: Evaluation; balance: number }

export interface VoteRound {
  round: number;
  /** 'points' (a scored first round) or 'ballot' */
  kind: 'sounding' | 'points' | 'ballot';
  /** (city, votes or points), most first; ties by city index */
  votes: [number, number][];
  eliminated: number | null;
  withdrawn: { city: number; endorsed: number | null }[];
  byLot: boolean;
  decided: boolean;
}

export interface VoteOutcome { winner: number; runnerUp: number | null; rounds: VoteRound[]; members: Member[] }

/**
 * Member composition: the contest's `voters` if listed; else the 27 EU states for an EU agency; else one member
 * per candidate country (its home state) plus the rest of `members` spread over regions (the contest's
 * memberRegions, else the organization's region, else the UN membership of each region).
 */
export function composeMembers(def: ContestDef, candidates: { country: string; region: string }[], orgKind: string, orgRegion: string,
  defaultCount: number, regionOfCountry: (country: string) => string | undefined): { id: string; country: string; region: string }[] {
  if (def.voters && def.voters.length) {
    return def.voters.map((v) => ({ id: v.country, country: v.country, region: v.region ?? regionOfCountry(v.country) ?? 'global' }));
  }
  if (orgKind === 'eu_agency' && def.members === undefined) return EU27.map((c) => ({ id: c, country: c, region: 'europe' }));
  const homes = [...new Map(candidates.map((c) => [c.country, c.region])).entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const n = Math.max(def.members ?? defaultCount, homes.length);
  const out = homes.map(([country, region]) => ({ id: country, country, region }));
  const rest = memberRegions(def, n - homes.length, orgRegion);
  const seen = new Map<string, number>();
  for (const region of rest) {
    const i = (seen.get(region) ?? 0) + 1;
    seen.set(region, i);
    const id = `${region}_${i}`;
    out.push({ id, country: id, region });
  }
  return out;
}

/**
 * UN member states by region (193 in all: Africa 54, Asia 32 and the Middle East 14 of the Asia-Pacific and Western
 * Asian groups, Europe 44, Latin America and the Caribbean 33, North America 2, Oceania 14): the membership of a
 * global body whose contest does not say who votes.
 */
export const WORLD_MEMBERSHIP: Readonly<Record<string, number>> = { africa: 54, asia: 32, europe: 44, latin_america: 33, middle_east: 14, north_america: 2, oceania: 14 };

/**
 * Regions of `n` members: from the contest's memberRegions; else, for a regional organization, all members from its
 * region; else (a global organization) in proportion to the UN membership of each region; largest remainders.
 */
export function memberRegions(def: ContestDef, n: number, orgRegion = 'global'): string[] {
  if (n <= 0) return [];
  // a pure function of the contest's memberRegions, n and the region: computed once per contest definition (a sweep
  // replays the same definitions thousands of times); callers only read the list
  const key = `${n}|${orgRegion}`;
  let byKey = regionsCache.get(def);
  if (!byKey) regionsCache.set(def, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) byKey.set(key, (out = computeMemberRegions(def, n, orgRegion)));
  return out;
}
const regionsCache = new WeakMap<ContestDef, Map<string, string[]>>();

function computeMemberRegions(def: ContestDef, n: number, orgRegion: string): string[] {
  let weights: [string, number][];
  if (def.memberRegions) weights = Object.entries(def.memberRegions).filter(([, v]) => (v ?? 0) > 0) as [string, number][];
  else if (orgRegion !== 'global') weights = [[orgRegion, 1]];
  else weights = Object.entries(WORLD_MEMBERSHIP);
  if (weights.length === 0) weights = [['global', 1]];
  weights.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const total = weights.reduce((s, [, v]) => s + v, 0);
  const exact = weights.map(([r, v]) => [r, (v / total) * n] as [string, number]);
  const counts = exact.map(([r, x]) => [r, Math.floor(x)] as [string, number]);
  let left = n - counts.reduce((s, [, c]) => s + c, 0);
  const order = exact.map(([, x], i) => [x - Math.floor(x), i] as [number, number]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) { if (left <= 0) break; counts[i][1]++; left--; }
  return counts.flatMap(([r, c]) => Array<string>(c).fill(r));
}

/** The bloc of a member: the contest bloc that lists its country or its region, else none. */
function blocOf(def: ContestDef, m: { country: string; region: string }): string | null {
  if (!def.blocs) return null;
  for (const name of Object.keys(def.blocs).sort()) if (def.blocs[name].some((x) => x === m.country || x === m.region)) return name;
  return null;
}

/** Draw each member's weights (bloc members share their bloc's draw). */
export function drawMembers(def: ContestDef, base: Weights, year: number, list: { id: string; country: string; region: string }[], streams: Streams, p: Params): Member[] {
  const cache = new Map<string, number[]>();
  return list.map((m) => {
    const bloc = blocOf(def, m);
    const key = bloc ? `bloc:${bloc}` : m.id;
    let wts = cache.get(key);
    if (!wts) {
      // each driver's weight drawn around the organization's (in driver order), then normalized
      const r = streams.stream('member', `${def.id}:${key}`, year), spread = p.contest.memberWeightSpread;
      const a = Math.max(1e-3, base.security + spread * normal(r)), b = Math.max(1e-3, base.resources + spread * normal(r));
      const c = Math.max(1e-3, base.operations + spread * normal(r)), d = Math.max(1e-3, base.values + spread * normal(r));
      const s = a + b + c + d;
      wts = [a / s, b / s, c / s, d / s];
      cache.set(key, wts);
    }
    return { id: m.id, country: m.country, region: m.region, bloc, weights: wts };
  });
}

/** A member's systematic utility for a candidate (no taste shock, no endorsement). */
export function memberUtility(m: Member, x: VoteCandidate, p: Params): number {
  const e = x.eval;
  return m.weights[0] * e.security + m.weights[1] * e.resources + m.weights[2] * e.operations + m.weights[3] * e.values
    + p.choice.clusterWeight * e.cluster + e.terms.moveCost + e.terms.stayBonus
    + (x.country === m.country ? p.contest.homeBias : 0) + (x.region === m.region ? p.contest.regionAffinity : 0) + x.balance;
}

/** Run the vote among `cands` (ascending city index). `cityId` names cities for the taste-shock streams. */
export function runVote(def: ContestDef, cands: VoteCandidate[], members: Member[], year: number, streams: Streams, p: Params, cityId: (c: number) => string): VoteOutcome {
  const n = members.length;
  const threshold = def.threshold ?? p.contest.threshold;
  const shock = streams.keyed('vote', `${def.id}:`);
  const campaign = cands.map((x) => (p.contest.campaignNoise > 0 ? p.contest.campaignNoise * gumbel(streams.uniform('campaign', `${def.id}:${cityId(x.city)}`, year)) : 0));
  const base = members.map((m) => cands.map((x, j) => memberUtility(m, x, p) + campaign[j]));
  /** endorsed[m] = candidate (index into cands) member m favours after its candidate left, or -1 */
  const endorsed = new Int32Array(n).fill(-1);
  let remaining = cands.map((_, j) => j);
  const rounds: VoteRound[] = [];
  const drawKey = (m: Member) => (m.bloc ? `bloc:${m.bloc}` : m.id);

  // The taste shock of (member, round, candidate) is the first uniform of the stream named
  // `vote/<contest>:<member>:<round>:<city>/<year>/`; the hashing of each member's and round's prefix is done once.
  const cityIds = cands.map((x) => cityId(x.city));
  const memberState = members.map((m) => shock.begin().str(drawKey(m)).char(':').state());
  const roundState = new Float64Array(n);
  let stateRound = -1;
  const utility = (mi: number, j: number, round: number): number => {
    let u = base[mi][j] + (endorsed[mi] === j ? p.contest.endorsementBonus : 0);
    if (p.contest.voteNoise > 0) {
      if (round !== stateRound) { for (let k = 0; k < n; k++) roundState[k] = shock.from(memberState[k]).int(round).char(':').state(); stateRound = round; }
      u += p.contest.voteNoise * gumbel(shock.from(roundState[mi]).str(cityIds[j]).char('/').int(year).char('/').uniform());
    }
    return u;
  };
  /** each member's ranking of the remaining candidates in a round (best first; ties by lot) */
  const ranking = (mi: number, round: number): number[] => {
    const us = remaining.map((j) => [j, utility(mi, j, round)] as [number, number]);
    us.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    // a member indifferent between its best candidates picks one of them by lot
    let ties = 1;
    while (ties < us.length && us[ties][1] >= us[0][1] - 1e-12) ties++;
    if (ties > 1) {
      const pick = Math.floor(streams.uniform('tiebreak', `${def.id}:${drawKey(members[mi])}:${round}`, year) * ties);
      const [x] = us.splice(pick, 1);
      us.unshift(x);
    }
    return us.map(([j]) => j);
  };
  /** a member's first preference among the remaining candidates in a round: ranking(mi, round)[0], without sorting */
  const scratch = new Float64Array(cands.length);
  const first = (mi: number, round: number): number => {
    let best = -1, bu = -Infinity;
    for (const j of remaining) { const u = (scratch[j] = utility(mi, j, round)); if (u > bu || (u === bu && j < best)) { best = j; bu = u; } }
    let ties = 0;
    for (const j of remaining) if (scratch[j] >= bu - 1e-12) ties++;
    // near-ties are settled as ranking() settles them (by lot among the tied, in its order)
    return ties > 1 ? ranking(mi, round)[0] : best;
  };
  const tallyOf = (counts: Map<number, number>): [number, number][] =>
    [...counts.entries()].map(([j, v]) => [cands[j].city, v] as [number, number]).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const jOf = (city: number) => cands.findIndex((x) => x.city === city);

  /** candidate j leaves: its supporters turn to the remaining candidate its home state (else its supporters) prefer */
  const leave = (j: number, supporters: number[]): number | null => {
    remaining = remaining.filter((x) => x !== j);
    if (!remaining.length) return null;
    const home = members.findIndex((m) => m.country === cands[j].country);
    const judge = home >= 0 ? home : supporters[0];
    let target: number | null = null;
    if (judge !== undefined) {
      let bu = -Infinity;
      for (const r of remaining) { const u = base[judge][r]; if (u > bu + 1e-12) { bu = u; target = r; } }
    }
    if (target !== null) for (const mi of supporters) endorsed[mi] = target;
    return target === null ? null : cands[target].city;
  };

  // Sounding before the first ballot: hopeless candidates withdraw (first preferences, the round-0 shocks).
  if (remaining.length > 2 && p.contest.withdrawBelow > 0) {
    const prefs = members.map((_, mi) => first(mi, 0));
    const counts = new Map<number, number>(remaining.map((j) => [j, 0]));
    prefs.forEach((j) => counts.set(j, counts.get(j)! + 1));
    const tally = tallyOf(counts);
    const out = withdrawals(tally, n, p.contest.withdrawBelow);
    if (out.length) {
      const withdrawn = out.map((city) => { const j = jOf(city); return { city, endorsed: leave(j, prefs.flatMap((x, mi) => (x === j ? [mi] : []))) }; });
      rounds.push({ round: 0, kind: 'sounding', votes: tally, eliminated: null, withdrawn, byLot: false, decided: false });
    }
  }

  for (let round = 1; round <= cands.length + 2; round++) {
    if (remaining.length === 1) {
      rounds.push({ round, kind: 'ballot', votes: [[cands[remaining[0]].city, n]], eliminated: null, withdrawn: [], byLot: false, decided: true });
      return { winner: cands[remaining[0]].city, runnerUp: null, rounds, members };
    }
    const points = round === 1 && def.firstRoundPoints && def.firstRoundPoints.length ? def.firstRoundPoints : null;
    // full rankings for a scored round; first preferences otherwise
    const ranks = points ? members.map((_, mi) => ranking(mi, round)) : members.map((_, mi) => [first(mi, round)]);
    const counts = new Map<number, number>(remaining.map((j) => [j, 0]));
    const firsts = new Map<number, number>(remaining.map((j) => [j, 0]));
    ranks.forEach((r) => {
      firsts.set(r[0], firsts.get(r[0])! + 1);
      if (points) points.forEach((pt, q) => { if (q < r.length) counts.set(r[q], counts.get(r[q])! + pt); });
      else counts.set(r[0], counts.get(r[0])! + 1);
    });
    const tally = tallyOf(counts);
    const firstTally = tallyOf(firsts);
    if (points) {
      // A scored round: a candidate first for a majority of members wins; else the best `keep` go on (ties at the cut too).
      const [fc, fv] = firstTally[0];
      if (fv > n / 2 && fv >= threshold * n - 1e-9) {
        rounds.push({ round, kind: 'points', votes: tally, eliminated: null, withdrawn: [], byLot: false, decided: true });
        return { winner: fc, runnerUp: tally.find(([c]) => c !== fc)?.[0] ?? null, rounds, members };
      }
      const keep = Math.max(2, def.firstRoundKeep ?? 3);
      const cut = tally[Math.min(keep, tally.length) - 1][1];
      const out = tally.filter(([, v]) => v < cut).map(([c]) => c);
      const withdrawn = out.map((city) => { const j = jOf(city); return { city, endorsed: leave(j, ranks.flatMap((r, mi) => (r[0] === j ? [mi] : []))) }; });
      rounds.push({ round, kind: 'points', votes: tally, eliminated: null, withdrawn, byLot: false, decided: false });
      continue;
    }
    const [topCity, topVotes] = tally[0];
    const needed = remaining.length === 2 ? 0.5 : threshold;
    if (topVotes > n / 2 && topVotes >= needed * n - 1e-9) {
      rounds.push({ round, kind: 'ballot', votes: tally, eliminated: null, withdrawn: [], byLot: false, decided: true });
      return { winner: topCity, runnerUp: tally[1]?.[0] ?? null, rounds, members };
    }
    if (remaining.length === 2) {
      const lot = streams.uniform('tiebreak', `${def.id}:final`, year);
      const winner = lot < 0.5 ? tally[0][0] : tally[1][0];
      rounds.push({ round, kind: 'ballot', votes: tally, eliminated: null, withdrawn: [], byLot: true, decided: true });
      return { winner, runnerUp: winner === tally[0][0] ? tally[1][0] : tally[0][0], rounds, members };
    }
    const minVotes = tally[tally.length - 1][1];
    const lowest = tally.filter(([, v]) => v === minVotes).map(([c]) => c).sort((a, b) => a - b);
    let out = lowest[0];
    let byLot = false;
    if (lowest.length > 1) { out = lowest[Math.floor(streams.uniform('tiebreak', `${def.id}:${round}`, year) * lowest.length)]; byLot = true; }
    const supportersOf = (city: number) => { const j = jOf(city); return ranks.flatMap((r, mi) => (r[0] === j ? [mi] : [])); };
    leave(jOf(out), supportersOf(out));
    // Hopeless candidates withdraw as well (never the last two).
    const others = withdrawals(tally.filter(([c]) => c !== out), n, p.contest.withdrawBelow);
    const withdrawn = others.map((city) => ({ city, endorsed: leave(jOf(city), supportersOf(city)) }));
    rounds.push({ round, kind: 'ballot', votes: tally, eliminated: out, withdrawn, byLot, decided: false });
  }
  throw new Error('unreachable: a vote always ends');
}

/** Candidates in `tally` below the withdrawal share, weakest first, keeping at least two in the race. */
function withdrawals(tally: [number, number][], n: number, below: number): number[] {
  const out: number[] = [];
  let left = tally.length;
  for (let q = tally.length - 1; q >= 0; q--) {
    if (left <= 2 || tally[q][1] / n >= below) break;
    out.push(tally[q][0]);
    left--;
  }
  return out;
}
