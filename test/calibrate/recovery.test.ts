/**
 * Parameter recovery: `hqsim calibrate`'s contest stage, given winners simulated from the model with known
 * coefficients, finds those coefficients again. Synthetic data: each bundled contest decided 50 times by the
 * model at the true coefficients (winners drawn from its forecast), in the regime of the estimates. Tolerance:
 * every recovered coordinate within 0.4 of the truth on its log scale (a factor of 1.5) and within three of its
 * reported standard deviations; the campaign shock's standard deviation a third of its prior's or less.
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { loadContests } from '../../src/backtest/contests.ts';
import { smooth, type Prediction } from '../../src/backtest/replay.ts';
import { contestData } from '../../src/calibrate/index.ts';
import { fitContests, memoryCache, type ContestData } from '../../src/calibrate/fit.ts';
import { overridesOf, type Coordinate } from '../../src/calibrate/space.ts';
import { taskRunner } from '../../src/calibrate/pool.ts';
import { BUNDLED_CONTESTS } from '../../src/scenario/paths.ts';

const SPACE: Coordinate[] = [
  { path: 'money.halfValueShare', transform: 'log', priorSd: 1, label: 'money' },
  { path: 'contest.campaignNoise', transform: 'log', priorSd: 1, label: 'campaign' },
  { path: 'contest.balanceWeight', transform: 'log', priorSd: 1, label: 'balance' },
];
const TRUTH = [Math.log(0.05), Math.log(0.08), Math.log(0.15)];
/** The regime of the estimates (docs/validation.md): founding bodies weigh resources most, so money decides. */
const BASE = { stages: { founding: { resources: 0.9, operations: 0.13, values: 0.15 } } };
const COPIES = 50;

describe('parameter recovery of the contest stage', () => {
  it('finds the coefficients that generated the winners', async () => {
    const contests = loadContests(BUNDLED_CONTESTS).contests;
    const runner = taskRunner(2);
    try {
      const base = contestData(BUNDLED_CONTESTS, contests);
      const truth = overridesOf(SPACE, TRUTH, BASE);
      const preds = (await runner.run(base.items.map((it) => ({ kind: 'predict' as const, file: BUNDLED_CONTESTS, index: it.index, overrides: truth, runs: 400, seed: 99 })))) as Prediction[];
      const rng = seedrandom.alea('recovery') as () => number;
      const data: ContestData = {
        file: BUNDLED_CONTESTS,
        items: base.items.map((it, i) => {
          const p = smooth(preds[i].p), wins = p.map(() => 0);
          for (let k = 0; k < COPIES; k++) {
            let u = rng(), j = 0;
            while (j < p.length - 1 && u >= p[j]) { u -= p[j]; j++; }
            wins[j]++;
          }
          return { ...it, wins, rounds: { match: 0, miss: 0 } };
        }),
      };
      const fit = await fitContests(data, runner, { runs: 64, seed: 1, maxEvals: 150, dynamicMaxEvals: 0, hessianStep: 0.6 }, memoryCache(), undefined, { space: SPACE, base: BASE });
      const report = fit.theta.map((x, i) => `${SPACE[i].path}: estimate ${Math.exp(x).toFixed(4)}, truth ${Math.exp(TRUTH[i]).toFixed(4)}, sd ${fit.laplace!.sd[i].toFixed(3)}`).join('; ');
      fit.theta.forEach((x, i) => {
        expect(Math.abs(x - TRUTH[i]), report).toBeLessThan(0.4);
        expect(Math.abs(x - TRUTH[i]), report).toBeLessThan(3 * fit.laplace!.sd[i]);
      });
      // the campaign shock, which every vote informs, is identified by the data rather than the prior
      expect(fit.laplace!.priorRatio[1], report).toBeLessThan(0.35);
    } finally {
      await runner.close();
    }
  }, 600_000);
});
