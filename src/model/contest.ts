/**
 * Site contests: invited or volunteering cities bid; the organization itself chooses (nested logit), or its member
 * states vote in rounds (vote.ts). Who decides follows the contest's `rule`, else the organization's kind.
 */
import type { ContestDef, Offer, Weights } from '../scenario/schema.ts';
import { affordableScale, autoBid, scaleOffer } from './cities.ts';
import { choiceProbabilities, sampleChoice } from './choice.ts';
import type { Streams } from './rng.ts';
import { evaluate, hubCount, offerTerms, specificTerms, type CityTable, type Evaluation } from './scoring.ts';
import { composeMembers, drawMembers, runVote, type Member, type VoteCandidate, type VoteRound } from './vote.ts';
import { weightsOf, type OrgState, type World } from './world.ts';

export interface ContestCandidate {
  city: number;
  offer: Offer | null;
  eval: Evaluation;
  isSeat: boolean;
  /** geographic-balance bonus members give this candidate (votes only; 0 otherwise) */
  balance: number;
}

export interface ContestOutcome {
  rule: 'organization' | 'vote';
  winner: ContestCandidate;
  runnerUp: ContestCandidate | null;
  /** every candidate, ascending city index */
  candidates: ContestCandidate[];
  /** organization rule: each candidate's probability of being chosen (order of `candidates`); null for votes */
  probabilities: number[] | null;
  rounds: VoteRound[];
  members: Member[] | null;
  notes: { type: string; city?: number; detail: string; value?: number }[];
}

/** Kinds of organization whose seat is decided by the organization itself (its board or secretariat, as one). */
const DECIDES_ITSELF = new Set(['ngo', 'city_network', 'professional_association']);

/** Who decides: the contest's rule, else member states for intergovernmental kinds and the organization for the others. */
export function ruleFor(def: ContestDef, kind: string): 'organization' | 'vote' {
  return def.rule ?? (DECIDES_ITSELF.has(kind) ? 'organization' : 'vote');
}

/** The candidates and their evaluations; with `withNotes` false, the bid notes (formatted text) are not made. */
export function contestCandidates(w: World, t: CityTable, def: ContestDef, o: OrgState, weights: Weights, withNotes = true): { list: ContestCandidate[]; notes: ContestOutcome['notes'] } {
  const notes: ContestOutcome['notes'] = [];
  const invited = def.candidates ? [...new Set(def.candidates)].map((id) => w.cityIndex.get(id)!) : w.cities.map((c) => c.idx);
  invited.sort((a, b) => a - b);
  const role = (ci: number) => (ci === o.seat ? 'seat' : o.seat >= 0 ? 'move' : 'found');
  const stay = w.table.leaseOpen[o.idx] ? 0 : w.params.choice.stayBonus;
  const make = (ci: number, offer: Offer | null): ContestCandidate => {
    const c = w.cities[ci];
    const spec = specificTerms(c, o, w.year, offer ? offerTerms(offer) : null);
    return { city: ci, offer, isSeat: ci === o.seat, balance: 0, eval: evaluate(w, t, o, c, weights, role(ci), spec, stay) };
  };
  let list: ContestCandidate[] = [];
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
    list.push(make(ci, offer));
  }
  if (def.includeSeat && o.seat >= 0 && !list.some((x) => x.isSeat)) list.push(make(o.seat, null));
  if (list.filter((x) => !x.isSeat).length === 0 && !def.candidates) {
    // Nobody bid: the organization considers every city on its merits.
    for (const c of w.cities) if (!list.some((x) => x.city === c.idx)) list.push(make(c.idx, null));
    notes.push({ type: 'no_bids', detail: 'no city bid; every city considered without offers' });
  }
  if (!def.candidates) {
    // Open contests keep a shortlist: the bids the organization values most (and its seat).
    const k = w.params.contest.shortlist;
    const movers = list.filter((x) => !x.isSeat).sort((a, b) => b.eval.utility - a.eval.utility || a.city - b.city);
    if (movers.length > k) {
      const keep = new Set(movers.slice(0, k).map((x) => x.city));
      list = list.filter((x) => x.isSeat || keep.has(x.city));
    }
  }
  list.sort((a, b) => a.city - b.city);
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

/** Organizations hosted per country (headquarters, weighted offices, background), for geographic balance. */
export function hostedByCountry(w: World): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of w.cities) m.set(c.def.country, (m.get(c.def.country) ?? 0) + hubCount(c, w.params));
  return m;
}

/** Run a contest; `withNotes` false skips the bid notes (when no recorder reads them). */
export function runContest(w: World, t: CityTable, def: ContestDef, o: OrgState, streams: Streams, withNotes = true): ContestOutcome {
  const p = w.params;
  const weights = weightsOf(o, w.year, p);
  const { list, notes } = contestCandidates(w, t, def, o, weights, withNotes);
  const rule = ruleFor(def, o.def.kind);
  const byUtility = (a: ContestCandidate, b: ContestCandidate) => b.eval.utility - a.eval.utility || a.city - b.city;

  if (rule === 'organization' || list.length === 1) {
    const seat = list.find((x) => x.isSeat);
    const movers = list.filter((x) => !x.isSeat);
    const r = streams.stream('contest', `${def.id}`, w.year);
    const u1 = r(), u2 = r();
    const pr = choiceProbabilities(seat ? seat.eval.utility : null, null, movers.map((m) => m.eval.utility), p);
    const pick = sampleChoice(pr, u1, u2);
    const winner = pick.kind === 'move' ? movers[pick.index] : seat!;
    const runnerUp = list.filter((x) => x !== winner).sort(byUtility)[0] ?? null;
    const probabilities = list.map((x) => (x.isSeat ? pr.stay : pr.moves[movers.indexOf(x)]));
    return { rule: 'organization', winner, runnerUp, candidates: list, probabilities, rounds: [], members: null, notes };
  }

  // Member states vote in rounds.
  const hosted = hostedByCountry(w);
  const regionOf = new Map(w.cities.map((c) => [c.def.country, c.def.region] as [string, string]));
  for (const x of list) x.balance = p.contest.balanceWeight * Math.exp(-(hosted.get(w.cities[x.city].def.country) ?? 0) / p.contest.balanceScale);
  const vcands: VoteCandidate[] = list.map((x) => ({ city: x.city, country: w.cities[x.city].def.country, region: w.cities[x.city].def.region, isSeat: x.isSeat, eval: x.eval, balance: x.balance }));
  const composition = composeMembers(def, vcands, o.def.kind, o.def.region, p.org.defaultMemberCount, (c) => regionOf.get(c));
  const members = drawMembers(def, weights, w.year, composition, streams, p);
  const out = runVote(def, vcands, members, w.year, streams, p, (c) => w.cities[c].def.id);
  const winner = list.find((x) => x.city === out.winner)!;
  const runnerUp = (out.runnerUp !== null ? list.find((x) => x.city === out.runnerUp) : undefined) ?? list.filter((x) => x !== winner).sort(byUtility)[0] ?? null;
  return { rule: 'vote', winner, runnerUp, candidates: list, probabilities: null, rounds: out.rounds, members, notes };
}
