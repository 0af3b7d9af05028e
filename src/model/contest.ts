/**
 * Site contests: invited or volunteering cities bid; the organization itself chooses (nested logit), or a body
 * of member states votes in rounds, eliminating the weakest candidate until one reaches the threshold.
 */
import type { ContestDef, Offer, Weights } from '../scenario/schema.ts';
import { affordableScale, autoBid, offerTerms, scaleOffer } from './cities.ts';
import { gumbel, normal, type Streams } from './rng.ts';
import { evaluate, sampleChoice, termsFor, type CityTable, type Evaluation } from './scoring.ts';
import { weightsOf, type OrgState, type Terms, type World } from './world.ts';

export interface ContestCandidate { city: number; offer: Offer | null; terms: Terms; eval: Evaluation; isSeat: boolean }

export interface ContestOutcome {
  winner: ContestCandidate;
  runnerUp: ContestCandidate | null;
  candidates: ContestCandidate[];
  rounds: { round: number; votes: [number, number][]; eliminated: number | null; byLot: boolean }[];
  probability: number | null;
  notes: { type: string; city?: number; detail: string; value?: number }[];
}

/** The candidates and their evaluations; with `withNotes` false, the bid notes (formatted text) are not made. */
export function contestCandidates(w: World, t: CityTable, def: ContestDef, o: OrgState, weights: Weights, withNotes = true): { list: ContestCandidate[]; notes: ContestOutcome['notes'] } {
  const notes: ContestOutcome['notes'] = [];
  const invited = def.candidates ? [...new Set(def.candidates)].map((id) => w.cityIndex.get(id)!) : w.cities.map((c) => c.idx);
  invited.sort((a, b) => a - b);
  const list: ContestCandidate[] = [];
  for (const ci of invited) {
    const c = w.cities[ci];
    const isSeat = ci === o.seat;
    let offer: Offer | null = def.bids?.[c.def.id] ?? (isSeat ? null : autoBid(c, o, w));
    if (offer) {
      const f = affordableScale(w, c, o, offer);
      if (f < 1 - 1e-12) {
        if (withNotes) notes.push({ type: 'bid_scaled', city: ci, detail: `offer scaled to ${(100 * f).toFixed(1)}% to fit the budget`, value: f });
        offer = scaleOffer(offer, f);
      }
      if (withNotes) notes.push({ type: 'bid', city: ci, detail: describeOffer(offer), value: (offer.oneOffMusd ?? 0) + (offer.subsidyMusd ?? 0) });
    } else if (!def.candidates && !isSeat) continue; // open contest: only bidders take part
    const terms = termsFor(c, o, offer ? offerTerms(offer) : undefined);
    list.push({ city: ci, offer, terms, isSeat, eval: evaluate(w, t, o, c, weights, isSeat ? 'seat' : o.seat >= 0 ? 'move' : 'found', terms) });
  }
  if (def.includeSeat && o.seat >= 0 && !list.some((x) => x.isSeat)) {
    const c = w.cities[o.seat];
    const terms = termsFor(c, o);
    list.push({ city: o.seat, offer: null, terms, isSeat: true, eval: evaluate(w, t, o, c, weights, 'seat', terms) });
    list.sort((a, b) => a.city - b.city);
  }
  if (list.length === 0) {
    // Nobody bid: the organization considers every city on its merits.
    for (const c of w.cities) {
      const terms = termsFor(c, o);
      list.push({ city: c.idx, offer: null, terms, isSeat: c.idx === o.seat, eval: evaluate(w, t, o, c, weights, c.idx === o.seat ? 'seat' : o.seat >= 0 ? 'move' : 'found', terms) });
    }
    notes.push({ type: 'no_bids', detail: 'no city bid; every city considered without offers' });
  }
  return { list, notes };
}

export function describeOffer(o: Offer): string {
  const parts: string[] = [];
  if (o.freeOffices) parts.push(`free offices ${(100 * o.freeOffices).toFixed(0)}%`);
  if (o.subsidyMusd) parts.push(`subsidy ${o.subsidyMusd.toFixed(3)} USD m/yr`);
  if (o.taxExemption) parts.push(`tax exemption ${(100 * o.taxExemption).toFixed(0)}%`);
  if (o.relocationGrantMusdPerStaff) parts.push(`grant ${(1000 * o.relocationGrantMusdPerStaff).toFixed(1)} USD k/staff`);
  if (o.oneOffMusd) parts.push(`one-off ${o.oneOffMusd.toFixed(3)} USD m`);
  parts.push(`term ${o.term ?? 1} yr`);
  return parts.join('; ');
}

/** Run a contest; `withNotes` false skips the bid notes (when no recorder reads them). */
export function runContest(w: World, t: CityTable, def: ContestDef, o: OrgState, streams: Streams, withNotes = true): ContestOutcome {
  const p = w.params;
  const weights = weightsOf(o, w.year, p);
  const { list, notes } = contestCandidates(w, t, def, o, weights, withNotes);
  const byUtility = (a: ContestCandidate, b: ContestCandidate) => b.eval.utility - a.eval.utility || a.city - b.city;

  if (def.rule === 'organization' || list.length === 1) {
    const seat = list.find((x) => x.isSeat);
    const movers = list.filter((x) => !x.isSeat);
    const r = streams.stream('contest', `${def.id}`, w.year);
    const u1 = r(), u2 = r();
    const pick = sampleChoice(seat ? seat.eval.utility : null, movers.map((m) => m.eval.utility), p, u1, u2);
    const winner = pick < 0 ? seat! : movers[pick];
    const runnerUp = list.filter((x) => x !== winner).sort(byUtility)[0] ?? null;
    return { winner, runnerUp, candidates: list, rounds: [], probability: null, notes };
  }

  // Vote by member states in rounds.
  const nMembers = def.members ?? p.org.defaultMemberCount;
  const threshold = def.threshold ?? p.contest.threshold;
  const regions = memberRegions(def, list.map((x) => w.cities[x.city].def.region), nMembers, o.def.region);
  const members = regions.map((region, m) => {
    const r = streams.stream('member', `${def.id}:${m}`, w.year);
    const raw = [weights.security, weights.resources, weights.operations, weights.values].map((x) => Math.max(1e-3, x + p.contest.memberWeightSpread * normal(r)));
    const s = raw.reduce((a, b) => a + b, 0);
    return { region, w: raw.map((x) => x / s) };
  });
  let remaining = list.slice();
  const rounds: ContestOutcome['rounds'] = [];
  // Taste shock of member mi for candidate c in a round: the first uniform of stream 'vote',
  // `${contest}:${mi}:${round}:${city id}`, year (names hashed without building them).
  const shock = streams.keyed('vote', `${def.id}:`);
  for (let round = 1; round <= list.length + 1; round++) {
    const votes = new Map<number, number>(remaining.map((x) => [x.city, 0]));
    members.forEach((m, mi) => {
      // Taste shocks are keyed by member, round and candidate: adding or dropping a candidate leaves the
      // shocks every other candidate receives unchanged (common random numbers).
      let bestU = -Infinity;
      let best: number[] = [];
      for (const x of remaining) {
        const e = x.eval;
        const u = m.w[0] * e.security + m.w[1] * e.resources + m.w[2] * e.operations + m.w[3] * e.values
          + p.choice.clusterWeight * e.cluster - e.moveCost + (x.isSeat ? p.choice.stayBonus : 0)
          + (w.cities[x.city].def.region === m.region ? p.contest.regionAffinity : 0)
          + (p.contest.voteNoise > 0 ? p.contest.voteNoise * gumbel(shock.begin().int(mi).char(':').int(round).char(':').str(w.cities[x.city].def.id).char('/').int(w.year).char('/').uniform()) : 0);
        if (u > bestU + 1e-12) { bestU = u; best = [x.city]; } else if (u >= bestU - 1e-12) best.push(x.city);
      }
      // A member indifferent between candidates picks one by lot.
      const choice = best.length === 1 ? best[0] : best[Math.floor(streams.uniform('tiebreak', `${def.id}:${mi}:${round}`, w.year) * best.length)];
      votes.set(choice, votes.get(choice)! + 1);
    });
    const tally = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const [topCity, topVotes] = tally[0];
    const needed = remaining.length === 2 ? 0.5 : threshold;
    const wins = topVotes > nMembers / 2 && topVotes >= needed * nMembers - 1e-9;
    if (wins || remaining.length === 1) {
      rounds.push({ round, votes: tally, eliminated: null, byLot: false });
      const winner = remaining.find((x) => x.city === topCity)!;
      const runnerUp = remaining.length > 1 ? remaining.find((x) => x.city === tally[1][0])! : [...list].filter((x) => x !== winner).sort(byUtility)[0] ?? null;
      return { winner, runnerUp, candidates: list, rounds, probability: null, notes };
    }
    if (remaining.length === 2) {
      // A tied run-off is settled by lot.
      const lot = streams.uniform('tiebreak', `${def.id}:final`, w.year);
      const winCity = lot < 0.5 ? tally[0][0] : tally[1][0];
      rounds.push({ round, votes: tally, eliminated: null, byLot: true });
      const winner = remaining.find((x) => x.city === winCity)!;
      return { winner, runnerUp: remaining.find((x) => x !== winner)!, candidates: list, rounds, probability: null, notes };
    }
    const minVotes = tally[tally.length - 1][1];
    const lowest = tally.filter(([, v]) => v === minVotes).map(([c]) => c).sort((a, b) => a - b);
    let out = lowest[0];
    let byLot = false;
    if (lowest.length > 1) {
      out = lowest[Math.floor(streams.uniform('tiebreak', `${def.id}:${round}`, w.year) * lowest.length)];
      byLot = true;
    }
    rounds.push({ round, votes: tally, eliminated: out, byLot });
    remaining = remaining.filter((x) => x.city !== out);
  }
  throw new Error('unreachable: a vote always ends');
}

/**
 * Member regions: from the contest's memberRegions; else, for a regional organization, all members from its
 * region; else (a global organization) one equal bloc per candidate region.
 */
export function memberRegions(def: ContestDef, candidateRegions: string[], n: number, orgRegion = 'global'): string[] {
  let weights: [string, number][];
  if (def.memberRegions) weights = Object.entries(def.memberRegions).filter(([, v]) => v > 0) as [string, number][];
  else if (orgRegion !== 'global') weights = [[orgRegion, 1]];
  else weights = [...new Set(candidateRegions)].sort().map((r) => [r, 1]);
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

