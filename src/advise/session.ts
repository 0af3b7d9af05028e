/**
 * A set of replications of one scenario, each simulated up to the moment the contest is decided and kept there
 * (a snapshot), so that the contest can be decided again for any offer of the focal city on the very same state
 * and with the very same random draws: common random numbers across every offer the search tries.
 *
 * A bid enters the model only when its contest is decided, so the state before the contest does not depend on
 * the offer: deciding the contest again with another bid gives exactly what a run of the scenario with that bid
 * would give (test/advise checks it against `hqsim odds`).
 */
import type { Scenario } from '../scenario/load.ts';
import type { Offer } from '../scenario/schema.ts';
import { simulate, type ContestProbe, type Recorder } from '../model/engine.ts';
import { runContest, type ContestOutcome } from '../model/contest.ts';
import { affordableScale, termsCost } from '../model/cities.ts';
import { TERM_NAMES } from '../model/scoring.ts';
import { makeTerms, weightsOf } from '../model/world.ts';
import { Streams } from '../model/rng.ts';
import { createHash } from 'node:crypto';
import { bestResponse, budgetRoom, movingStaff } from './rivals.ts';
import type { CostBasis } from './offer.ts';
import { leverContext, type LeverContext } from './levers.ts';

export type Rivals = 'passive' | 'respond';

/**
 * Extra draws of a vote per snapshot. A vote's outcome, given the world it is held in, is still random (members'
 * weights and taste shocks); the search averages the city's wins over the engine's own draw and these further
 * independent draws of the vote's random numbers (common to every offer), a smoother and less noisy win share
 * than one draw per run. The check counts the engine's own draw only, as a run does.
 */
export const VOTE_DRAWS = 4;

interface Snapshot {
  probe: ContestProbe;
  /** the engine's streams and further independent streams for the vote's draws (votes only) */
  streams: Streams[];
  /** the contest as the scenario decides it */
  base: ContestOutcome;
  focal: number;
  /** rivals' best responses (computed on first use) and the rivals with nothing to offer */
  respond?: { bids: Record<string, Offer>; silent: string[] };
}

/** Thrown by the recorder to end a run once the contest is decided, so that its state stays as it was. */
class Captured extends Error {}

/** What every replication knows before any offer: its cost basis and the scenario's own outcome for the city. */
export interface RepInfo {
  basis: CostBasis;
  /** the organization's annual budget at the contest (USD m) */
  orgBudgetMusd: number;
  /** the city's probability with the scenario's own bid (or none), and whether it won */
  scenarioP: number;
  scenarioWin: boolean;
  /** the city's budget room: yearly beside its commitments, and this year's money left (USD m) */
  roomYearly: number;
  roomOnce: number;
}

/** One offer decided in every replication of a session. */
export interface OfferResult {
  /** probability the city wins: the organization's choice probability, or 1/0 for a vote */
  p: Float64Array;
  /** 1 where the city won as the engine decided it (the draws the run itself would use) */
  win: Uint8Array;
  /** 1 where the offer did not fit the city's budget and was scaled down */
  scaled: Uint8Array;
}

/** Every candidate of one replication, term by term (utility units, balance included), with the utility. */
export interface CandidateTerms { city: string; terms: number[]; utility: number; won: boolean }

export const TERM_KEYS = [...TERM_NAMES] as string[];

export class Session {
  private readonly snaps: Snapshot[] = [];

  constructor(sc: Scenario, readonly contest: string, readonly city: string, seeds: number[]) {
    for (const seed of seeds) {
      let got: Snapshot | null = null;
      const rec: Recorder = {
        wants: { events: [], orgYears: false, cityYears: [], decisions: false },
        event() {}, cityYear() {}, orgYear() {},
        contest: (c) => {
          if (c.id !== contest) return;
          const focal = c.probe.world.cityIndex.get(city);
          if (focal === undefined) throw new Error(`city ${city} is not in the world`);
          got = { probe: c.probe, base: c.outcome, focal, streams: [c.probe.streams, ...(c.outcome.rule === 'vote' ? extraStreams(seed) : [])] };
          throw new Captured();
        },
      };
      try { simulate(sc, { seed, recorder: rec }); } catch (e) { if (!(e instanceof Captured)) throw e; }
      if (!got) throw new Error(`contest ${contest} did not take place in the run with seed ${seed} (is its year within the simulated years?)`);
      this.snaps.push(got);
    }
  }

  get size(): number { return this.snaps.length; }

  info(): RepInfo[] {
    return this.snaps.map((s) => {
      const { world: w, org: o } = s.probe;
      const c = w.cities[s.focal], p = w.params;
      const unit = (f: number, sub: number, x: number) => termsCost(c, o.staff, makeTerms(f, sub, x, 0), p);
      const i = s.base.candidates.findIndex((x) => x.city === s.focal);
      const room = budgetRoom(w, c);
      return {
        basis: { freeOffices: unit(1, 0, 0), subsidyMusd: unit(0, 1, 0), taxExemption: unit(0, 0, 1), moving: movingStaff(o, s.focal, w), rate: p.money.discountRate },
        orgBudgetMusd: o.budgetMusd,
        scenarioP: probabilityOf(s.base, i, s.focal),
        scenarioWin: s.base.winner.city === s.focal,
        roomYearly: room.yearly, roomOnce: room.once,
      };
    });
  }

  private bids(s: Snapshot, rivals: Rivals): Record<string, Offer> {
    if (rivals === 'passive') return s.probe.def.bids ?? {};
    return this.respond(s).bids;
  }

  /** Rivals' best responses within their budgets (every other candidate of the contest as the scenario runs it). */
  private respond(s: Snapshot): NonNullable<Snapshot['respond']> {
    if (s.respond) return s.respond;
    const { world: w, table: t, org: o, def } = s.probe;
    const bids: Record<string, Offer> = { ...(def.bids ?? {}) };
    const silent: string[] = [];
    for (const x of s.base.candidates) {
      if (x.city === s.focal) continue;
      const c = w.cities[x.city];
      const best = bestResponse(w, t, o, c);
      if (best) bids[c.def.id] = best; else silent.push(c.def.id);
    }
    return (s.respond = { bids, silent });
  }

  /** Rivals that cannot respond (nothing left in their budget), with the number of replications in which they could not. */
  silentRivals(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.snaps) for (const id of this.respond(s).silent) out[id] = (out[id] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }

  private decide(s: Snapshot, offer: Offer, rivals: Rivals, streams = s.probe.streams): ContestOutcome {
    const { world, table, org, def } = s.probe;
    return runContest(world, table, { ...def, bids: { ...this.bids(s, rivals), [this.city]: offer } }, org, streams, false);
  }

  evaluate(offers: Offer[], rivals: Rivals): OfferResult[] {
    return offers.map((offer) => {
      const n = this.snaps.length;
      const r: OfferResult = { p: new Float64Array(n), win: new Uint8Array(n), scaled: new Uint8Array(n) };
      this.snaps.forEach((s, k) => {
        let p = 0;
        s.streams.forEach((st, j) => {
          const out = this.decide(s, offer, rivals, st);
          p += probabilityOf(out, out.candidates.findIndex((x) => x.city === s.focal), s.focal);
          if (j === 0) r.win[k] = out.winner.city === s.focal ? 1 : 0;
        });
        r.p[k] = p / s.streams.length;
        const { world: w, org: o } = s.probe;
        r.scaled[k] = affordableScale(w, w.cities[s.focal], o, offer) < 1 - 1e-12 ? 1 : 0;
      });
      return r;
    });
  }

  /** Every candidate's terms in every replication with this offer (for score breakdowns and gaps). */
  candidates(offer: Offer, rivals: Rivals): CandidateTerms[][] {
    return this.snaps.map((s) => {
      const out = this.decide(s, offer, rivals);
      const ids = s.probe.world.cities;
      return out.candidates.map((x) => ({
        city: ids[x.city].def.id,
        terms: TERM_NAMES.map((n) => (n === 'balance' ? x.balance : x.eval.terms[n])),
        utility: x.eval.utility + x.balance,
        won: x === out.winner,
      }));
    });
  }

  /** What the levers of the city stand at in the first replication (to translate gaps into lever units). */
  levers(): LeverContext {
    const s = this.snaps[0];
    const { world: w, table: t, org: o } = s.probe;
    return leverContext(w, t, o, w.cities[s.focal], weightsOf(o, w.year, w.params));
  }

  /** Facts about the contest (same in every replication). */
  facts(): { org: string; year: number; rule: string; candidates: string[]; seat: string | null; domain: string; staff: number; role: string } {
    const s = this.snaps[0];
    const { world: w, org: o } = s.probe;
    return {
      org: o.def.id, year: w.year, rule: s.base.rule,
      candidates: [...new Set(this.snaps.flatMap((x) => x.base.candidates.map((c) => w.cities[c.city].def.id)))].sort(),
      seat: o.seat >= 0 ? w.cities[o.seat].def.id : null, domain: w.domains[o.domain], staff: o.staff,
      role: o.seat < 0 ? 'found' : o.seat === s.focal ? 'seat' : 'move',
    };
  }
}

/** Streams for the further draws of a vote in the run with this seed (named, so the same every time). */
function extraStreams(seed: number): Streams[] {
  return Array.from({ length: VOTE_DRAWS - 1 }, (_, j) => new Streams(createHash('sha256').update(`hqsim-advise-vote/${seed}/${j + 1}`).digest().readUInt32BE(0) >>> 1));
}

function probabilityOf(out: ContestOutcome, i: number, focal: number): number {
  if (i < 0) return 0;
  if (out.probabilities) return out.probabilities[i];
  return out.winner.city === focal ? 1 : 0;
}
