/**
 * The yearly review hazard: every active organization draws its block of uniforms and decides whether to
 * review its seat this year. This pass touches every organization every year, so it reads the organization
 * table's arrays directly; the reviews themselves (a few percent of organizations) are decided afterwards by
 * the engine, in organization order. Pure: no I/O.
 */
import { offerTerms } from './cities.ts';
import { drawRow, seedRow, type Streams } from './rng.ts';
import { advertisedBest, advertisedPull, evaluate, seatUtility, termsFor, type Adverts, type CityTable } from './scoring.ts';
import { stageIndex, weightsAt, type World } from './world.ts';

/** Organizations that review this year, in organization order, with what the review needs. */
export interface Reviewers {
  n: number;
  org: number[];
  stage: number[];
  /** seat utility without the stay bonus (the new reference utility) */
  seatUtility: number[];
  /** the year's choice uniforms and veto draw */
  u1: number[];
  u2: number[];
  veto: number[];
}

export const newReviewers = (): Reviewers => ({ n: 0, org: [], stage: [], seatUtility: [], u1: [], u2: [], veto: [] });

/** Per-organization values of this year for the org-year records (filled only when given). */
export interface HazardTrace { seatUtility: Float64Array; hazard: Float64Array; reviewed: Uint8Array }

/**
 * `seatU` is `seatTable(w, t)`; `anchorOfAge` the age anchoring 1 - exp(-age/scale). Organizations in
 * `inContest` draw but do not review. Fills `out` (reset first).
 */
export function hazardPass(w: World, t: CityTable, adverts: Adverts, seatU: Float64Array, year: number, inContest: Set<number>,
  streams: Streams, anchorOfAge: (age: number) => number, out: Reviewers, trace: HazardTrace | null): void {
  const p = w.params, T = w.table;
  // the table's arrays, read once: no organization is added during the pass
  const seats = T.seat, act = T.active, founded = T.founded, staffs = T.staff, budgets = T.budgetMusd, locals = T.localShare;
  const plain = T.plain, committed = T.committed, domains = T.domain, refU = T.refUtility, stress = T.stress, trigger = T.trigger;
  const seeded = T.seeded, rng = T.rng;
  const nOrgs = T.size, nc = w.cities.length, nd = w.domains.length;
  const rv = p.review;
  const anchorMax = p.anchor.max, ageWeight = p.anchor.ageWeight, localWeight = p.anchor.localWeight;
  const block = BLOCK;
  out.n = 0; out.org.length = 0; out.stage.length = 0; out.seatUtility.length = 0; out.u1.length = 0; out.u2.length = 0; out.veto.length = 0;
  for (let i = 0; i < nOrgs; i++) {
    const seat = seats[i];
    if (!act[i] || seat < 0) continue;
    // Each organization draws a fixed block per active year from its own stream, whatever happens, so the
    // k-th block always belongs to the same year: common random numbers across policy arms.
    if (!seeded[i]) { seedRow(rng, i, streams.key('org', w.orgs[i].def.id, 0, 'yearly')); seeded[i] = 1; }
    drawRow(rng, i, block);
    if (inContest.size && inContest.has(i)) continue;
    const age = year - founded[i];
    const stageIdx = stageIndex(age, p);
    const localShare = locals[i];
    let us: number, courting: number;
    if (plain[i] && !committed[i]) {
      // Stage weights, general terms at the seat, no standing offers: the shared yearly tables give the seat
      // utility and (the seat being valued with the stage's weights) the advertised pull exactly.
      const k = domains[i];
      us = seatU[(stageIdx * nc + seat) * nd + k];
      const best = advertisedBest(adverts, stageIdx * nd + k, seat, staffs[i], budgets[i], localShare, p);
      courting = best === -Infinity ? 0 : Math.max(0, best - us);
    } else {
      const o = w.orgs[i];
      const weights = weightsAt(o, stageIdx, p);
      const seatC = w.cities[seat];
      const seatTerms = termsFor(seatC, o);
      us = seatUtility(w, t, o, seatC, weights, seatTerms);
      courting = advertisedPull(adverts, w, t, o, stageIdx, seatTerms);
      if (o.offers.size) for (const [ci, offer] of o.offers) {
        if (ci === seat) continue;
        const c = w.cities[ci];
        const e = evaluate(w, t, o, c, weights, 'move', termsFor(c, o, offerTerms(offer)));
        courting = Math.max(courting, e.utility - us);
      }
    }
    if (Number.isNaN(refU[i])) refU[i] = us;
    const dissatisfaction = Math.max(0, refU[i] - us - rv.tolerance);
    const anchor = Math.min(anchorMax, ageWeight * anchorOfAge(age) + localWeight * localShare);
    const lambda = (rv.baseHazard + rv.dissatisfactionHazard * dissatisfaction + rv.stressHazard * stress[i]
      + rv.courtingHazard * courting) * (1 - anchor) + rv.triggerHazard * trigger[i];
    const hazard = 1 - Math.exp(-lambda);
    const reviewed = hazard > 0 && block[0] < hazard;
    if (trace) { trace.seatUtility[i] = us; trace.hazard[i] = hazard; trace.reviewed[i] = reviewed ? 1 : 0; }
    if (!reviewed) continue;
    out.org.push(i); out.stage.push(stageIdx); out.seatUtility.push(us); out.u1.push(block[1]); out.u2.push(block[2]); out.veto.push(block[3]);
    out.n++;
  }
}

/** one organization's draws of the year: review, two choice uniforms, veto */
const BLOCK = new Float64Array(4);
