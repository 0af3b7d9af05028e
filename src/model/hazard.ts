/**
 * The yearly review hazard: every active organization draws its block of uniforms and decides whether to
 * review its seat this year. This pass touches every organization every year, so it reads the organization
 * table's arrays directly; the reviews themselves (a few percent of organizations) are decided afterwards by
 * the engine, in organization order. Courting is measured on the same consideration set and with the same
 * utility as the review choice (choice.ts): the best considered city against the seat with its stay bonus.
 * Pure: no I/O.
 */
import { bestMove, consideredCities, listBound, listPosition, positionOf, listUtilityThere, moveUtility, type ListView, type Shortlists } from './choice.ts';
import { drawRow, seedRow, type Streams } from './rng.ts';
import { evaluate, offerScore, OrgMove, plainMoveUtility, type CityTable } from './scoring.ts';
import { stageIndex, stageWeightsAt, weightsAt, type World } from './world.ts';
import { termsIn } from './choice.ts';

/**
 * Organizations that review this year, in organization order, with what the review needs: the first `n` entries of
 * each array (typed arrays kept from year to year and grown as needed).
 */
export interface Reviewers {
  n: number;
  org: Int32Array;
  stage: Int32Array;
  /** seat utility without the stay bonus (the new reference utility) */
  seatUtility: Float64Array;
  /** the year's choice uniforms and veto draw */
  u1: Float64Array;
  u2: Float64Array;
  veto: Float64Array;
}

export const newReviewers = (capacity = 64): Reviewers => ({ n: 0, org: new Int32Array(capacity), stage: new Int32Array(capacity), seatUtility: new Float64Array(capacity),
  u1: new Float64Array(capacity), u2: new Float64Array(capacity), veto: new Float64Array(capacity) });

/** Room for one more reviewer (the capacity doubles, the entries so far kept). */
function makeRoom(out: Reviewers): void {
  if (out.n < out.org.length) return;
  const grown = newReviewers(2 * out.org.length);
  grown.org.set(out.org); grown.stage.set(out.stage); grown.seatUtility.set(out.seatUtility); grown.u1.set(out.u1); grown.u2.set(out.u2); grown.veto.set(out.veto);
  out.org = grown.org; out.stage = grown.stage; out.seatUtility = grown.seatUtility; out.u1 = grown.u1; out.u2 = grown.u2; out.veto = grown.veto;
}

/** Per-organization values of this year for the org-year records (filled only when given). */
export interface HazardTrace { seatUtility: Float64Array; hazard: Float64Array; reviewed: Uint8Array }

/**
 * `lists` are the year's shortlists; `anchorByAge[age]` the age anchoring 1 - exp(-age/scale), for every age of an
 * active organization. Organizations in `inContest` or in an interim seat draw but do not review. Fills `out` (reset
 * first).
 */
export function hazardPass(w: World, t: CityTable, lists: Shortlists, year: number, inContest: Set<number>,
  streams: Streams, anchorByAge: Float64Array, out: Reviewers, trace: HazardTrace | null): void {
  const p = w.params, T = w.table;
  // the table's arrays, read once: no organization is added during the pass
  const seats = T.seat, act = T.active, founded = T.founded, staffs = T.staff, budgets = T.budgetMusd, locals = T.localShare;
  const plain = T.plain, committed = T.committed, domains = T.domain, refU = T.refUtility, stress = T.stress, trigger = T.trigger;
  const office = T.officeCity, noPriv = T.noPrivileges, leaseOpen = T.leaseOpen;
  const seeded = T.seeded, rng = T.rng;
  const targeted = t.targeted, perStaff = t.perStaff, fixed = t.fixed;
  const nOrgs = T.size;
  const rv = p.review;
  const K = p.choice.considerationSize;
  const anchorMax = p.anchor.max, ageWeight = p.anchor.ageWeight, localWeight = p.anchor.localWeight;
  const block = BLOCK;
  const stageW = [0, 1, 2].map((si) => stageWeightsAt(si, p));
  const nd = w.domains.length;
  /** the year's seat base utilities per (stage, domain), fetched once */
  const seatBases: (Float64Array | undefined)[] = new Array(3 * nd);
  /** and the year's shortlists */
  const views: (ListView | undefined)[] = new Array(3 * nd);
  out.n = 0;
  for (let i = 0; i < nOrgs; i++) {
    const seat = seats[i];
    if (!act[i] || seat < 0) continue;
    // Each organization draws a fixed block per active year from its own stream, whatever happens, so the
    // k-th block always belongs to the same year: common random numbers across policy arms.
    if (!seeded[i]) { seedRow(rng, i, streams.key('org', w.orgs[i].def.id, 0, 'yearly')); seeded[i] = 1; }
    drawRow(rng, i, block);
    T.deathDraw[i] = block[4];
    if ((inContest.size && inContest.has(i)) || T.interimUntil[i] > year) continue;
    const age = year - founded[i];
    const si = stageIndex(age, p);
    const k = domains[i];
    const localShare = locals[i];
    const bonus = leaseOpen[i] ? 0 : p.choice.stayBonus;
    let us: number, best = -Infinity;
    if (plain[i] && !committed[i] && noPriv[i] < 0) {
      // Stage weights, general terms everywhere, no offers or withdrawn privileges: numbers from the table. An
      // office city is considered too, with the share of staff already there.
      const staff = staffs[i], budget = budgets[i], oc = office[i], wt = stageW[si];
      const sk = si * nd + k;
      // plainSeatUtility written out (the same arithmetic), so that no number crosses a call: the seat's base utility
      // plus the offer score of its general terms' money
      const money = targeted[seat * nd + k] ? perStaff[seat] * staff + fixed[seat] : 0 * staff + 0;
      us = (seatBases[sk] ??= lists.seatBase(si, k))[seat] + wt.resources * offerScore(money, budget, p);
      const v = (views[sk] ??= lists.view(si, k)), mu = move.set(staff, budget, localShare, p);
      // the list's cities only when its bound shows one of them might beat the seat (else none courts: same term)
      const listed = listBound(v, mu, positionOf(v, seat)) > us + bonus;
      if (oc < 0 || oc === seat) { if (listed) { bestMove(v, K, seat, mu, -1, BEST); best = BEST[0]; } }
      else {
        // the office city with the share of staff already there, and the rest of the list as without an office
        const share = T.officeShare[i], j = listPosition(v, K, seat, oc);
        BEST[0] = j >= 0 ? listUtilityThere(v, j, mu, share) : plainMoveUtility(t, w.cities[oc], wt, k, staff, budget, localShare, p, share);
        best = BEST[0];
        if (listed) { bestMove(v, K, seat, mu, j, BEST); if (BEST[0] > best) best = BEST[0]; }
      }
    } else {
      fullScreen(w, t, lists, i, si, K, BEST);
      us = BEST[0]; best = BEST[1];
    }
    const courting = best === -Infinity ? 0 : Math.max(0, best - (us + bonus));
    if (Number.isNaN(refU[i])) refU[i] = us;
    const dissatisfaction = Math.max(0, refU[i] - us - rv.tolerance);
    const anchor = Math.min(anchorMax, ageWeight * anchorByAge[age] + localWeight * localShare);
    const lambda = (rv.baseHazard + rv.dissatisfactionHazard * dissatisfaction + rv.stressHazard * stress[i]
      + rv.courtingHazard * courting) * (1 - anchor) + rv.triggerHazard * trigger[i];
    const hazard = 1 - Math.exp(-lambda);
    const reviewed = hazard > 0 && block[0] < hazard;
    if (trace) { trace.seatUtility[i] = us; trace.hazard[i] = hazard; trace.reviewed[i] = reviewed ? 1 : 0; }
    if (!reviewed) continue;
    makeRoom(out);
    const r = out.n++;
    out.org[r] = i; out.stage[r] = si; out.seatUtility[r] = us; out.u1[r] = block[1]; out.u2[r] = block[2]; out.veto[r] = block[3];
  }
}

/**
 * An organization with its own weights, specific terms or withdrawn privileges: its seat's utility without the stay
 * bonus (out[0]) and its best considered alternative (out[1], -Infinity when none), each evaluated in full.
 */
function fullScreen(w: World, t: CityTable, lists: Shortlists, i: number, si: number, K: number, out: Float64Array): void {
  const o = w.orgs[i], seat = o.seat, wt = weightsAt(o, si, w.params);
  out[0] = evaluate(w, t, o, w.cities[seat], wt, 'seat', termsIn(w, o, seat), 0).utility;
  let best = -Infinity;
  for (const c of consideredCities(o, lists.get(si, o.domain), K)) { const u = moveUtility(w, t, o, c, wt); if (u > best) best = u; }
  out[1] = best;
}

/**
 * The organization-side parts of a move utility, one organization at a time, and the numbers the screen's helpers
 * hand back (written here, not returned: a number returned from a call that is not inlined is allocated on the heap,
 * and a variable that may hold such a number is then allocated at every assignment, once per organization and year;
 * so `us` and `best` only ever take numbers read from here or computed in the pass).
 */
const move = new OrgMove();
const BEST = new Float64Array(2);
/** one organization's draws of the year: review, two choice uniforms, veto, death */
const BLOCK = new Float64Array(5);
