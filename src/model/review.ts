/**
 * The seat-review decision: stay, or move to another city, by nested logit over every city.
 * `reviewReference` evaluates every city one by one; `reviewFast` uses the exact grouped prefix sums of
 * fastchoice.ts when the organization qualifies. Both return the same decision for the same uniforms
 * (up to floating-point rounding); tests hold them to that.
 */
import type { Weights } from '../scenario/schema.ts';
import { offerTerms } from './cities.ts';
import type { ChoiceIndex } from './fastchoice.ts';
import { choiceProbabilities, evaluate, sampleChoice, termsFor, type CityTable, type Evaluation } from './scoring.ts';
import type { OrgState, Terms, World } from './world.ts';

export interface ReviewDecision {
  /** -1: stay; else the destination city index */
  choice: number;
  probability: number;
  chosen: Evaluation;
  runnerUp: Evaluation | null;
  /** terms the organization gets at the destination */
  terms: Terms | null;
  /** (organization, city) evaluations this decision stands for */
  evaluations: number;
}

/** exact utilities under standing offers, for an organization without any */
const NONE: ReadonlyMap<number, number> = new Map();

function destinationTerms(w: World, o: OrgState, ci: number): Terms {
  const offer = o.offers.get(ci);
  return termsFor(w.cities[ci], o, offer ? offerTerms(offer) : undefined);
}

export function reviewReference(w: World, t: CityTable, o: OrgState, weights: Weights, seatEval: Evaluation, u1: number, u2: number): ReviewDecision {
  const p = w.params;
  const alts: Evaluation[] = [];
  for (const c of w.cities) {
    if (c.idx === o.seat) continue;
    alts.push(evaluate(w, t, o, c, weights, 'move', destinationTerms(w, o, c.idx)));
  }
  const utilities = alts.map((a) => a.utility);
  const pick = sampleChoice(seatEval.utility, utilities, p, u1, u2);
  const probs = choiceProbabilities(seatEval.utility, utilities, p);
  const chosen = pick < 0 ? seatEval : alts[pick];
  const others = pick < 0 ? alts : [seatEval, ...alts.filter((_, j) => j !== pick)];
  const runnerUp = others.reduce<Evaluation | null>((b, e) => (!b || e.utility > b.utility ? e : b), null);
  return {
    choice: pick < 0 ? -1 : chosen.city, probability: pick < 0 ? probs.stay : probs.moves[pick], chosen, runnerUp,
    terms: pick < 0 ? null : destinationTerms(w, o, chosen.city), evaluations: alts.length,
  };
}

/** The evaluation of city ci for the record: the seat's own, or a move there under the terms on offer. */
function evalAt(w: World, t: CityTable, o: OrgState, weights: Weights, seatEval: Evaluation, ci: number): Evaluation {
  return ci === o.seat ? seatEval : evaluate(w, t, o, w.cities[ci], weights, 'move', destinationTerms(w, o, ci));
}

/** Fast exact path; falls back to the reference when the organization has its own weight profile or grants are too varied. */
export function reviewFast(w: World, t: CityTable, idx: ChoiceIndex, o: OrgState, weights: Weights, stageIndex: number, seatEval: Evaluation, u1: number, u2: number): ReviewDecision {
  if (o.ownWeights || !idx.usable) return reviewReference(w, t, o, weights, seatEval, u1, u2);
  let offers = NONE;
  if (o.offers.size) {
    const m = new Map<number, number>();
    for (const [ci, offer] of o.offers) {
      if (ci !== o.seat) m.set(ci, evaluate(w, t, o, w.cities[ci], weights, 'move', termsFor(w.cities[ci], o, offerTerms(offer))).utility);
    }
    offers = m;
  }
  const d = idx.decide(o, stageIndex, seatEval.utility, offers, u1, u2);
  if (!d) return reviewReference(w, t, o, weights, seatEval, u1, u2);
  const chosen = d.choice < 0 ? seatEval : evalAt(w, t, o, weights, seatEval, d.choice);
  return {
    choice: d.choice, probability: d.probability, chosen, runnerUp: d.runnerUp >= 0 ? evalAt(w, t, o, weights, seatEval, d.runnerUp) : null,
    terms: d.choice < 0 ? null : destinationTerms(w, o, d.choice), evaluations: w.cities.length - 1,
  };
}
