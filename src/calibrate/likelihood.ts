/**
 * The simulated likelihood of documented contests. For each contest the model's probability of every candidate
 * comes from `predict` (exact for contests an organization decides; the share of replications won for votes, all
 * parameter sets seeing the same replication seeds: common random numbers). The evidence of a contest is its
 * winner, and, where the number of ballots is documented, that number (the two are taken as independent pieces of
 * evidence). Probabilities are mixed with the uniform by `SMOOTHING`, so that a finite simulation never gives
 * an observed outcome probability 0.
 */
import { resolveParams, type ParamOverrides } from '../model/params.ts';
import { predict, smooth, SMOOTHING, type Prediction, type Replay } from '../backtest/replay.ts';

export interface Observation {
  replay: Replay;
  /** times each candidate (order of replay.cities) was observed to win: one 1 for a documented contest */
  wins: number[];
  /** observed ballot counts that matched the documented one, and those that did not (none when not documented) */
  rounds: { match: number; miss: number };
}

/** The documented outcome of a replayed contest as an observation. */
export function observe(r: Replay): Observation {
  const wins = r.cities.map((c) => (c === r.contest.winner ? 1 : 0));
  const documented = (r.contest.vote?.rounds.length ?? 0) > 0;
  return { replay: r, wins, rounds: { match: documented ? 1 : 0, miss: 0 } };
}

/** Negative log-likelihood of one contest's observations given the model's prediction. */
export function contestNll(pr: Prediction, wins: number[], rounds: { match: number; miss: number }): number {
  const ps = smooth(pr.p);
  let l = 0;
  wins.forEach((k, j) => { if (k) l -= k * Math.log(ps[j]); });
  if (pr.roundsMatch !== null && (rounds.match || rounds.miss)) {
    const q = (1 - SMOOTHING) * pr.roundsMatch + SMOOTHING / 2;
    l -= rounds.match * Math.log(q) + rounds.miss * Math.log(1 - q);
  }
  return l;
}

export interface Fit { nll: number; perContest: { id: string; nll: number; prediction: Prediction }[] }

/** Negative log-likelihood of the observations under parameter overrides `ov` (in this thread). */
export function negLogLik(obs: Observation[], ov: ParamOverrides, runs: number, seed: number): Fit {
  const p = resolveParams(ov);
  let nll = 0;
  const perContest = obs.map((o) => {
    const pr = predict(o.replay, p, runs, seed);
    const l = contestNll(pr, o.wins, o.rounds);
    nll += l;
    return { id: o.replay.contest.id, nll: l, prediction: pr };
  });
  return { nll, perContest };
}
