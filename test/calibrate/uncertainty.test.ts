/**
 * Parameter draws from a calibration's posterior (src/calibrate/uncertainty.ts): reproducible per replication
 * seed, centred on the posterior, never touching the coefficients a scenario sets itself; and the reading of a
 * calibration file, every problem located in one pass.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drawOverrides, drawParams, parsePosterior, readPosterior, type Posterior } from '../../src/calibrate/uncertainty.ts';
import { getPath, resolveParams } from '../../src/model/params.ts';
import { ScenarioError } from '../../src/scenario/errors.ts';

const tmp = mkdtempSync(join(tmpdir(), 'hqsim-unc-'));
const num = (o: unknown, p: string) => getPath(o, p) as number;

/** Two log coordinates with correlated draws: sd 0.5 each, correlation 0.6. */
const POST: Posterior = {
  coordinates: [{ path: 'contest.campaignNoise', transform: 'log' }, { path: 'choice.stayBonus', transform: 'log' }],
  mean: [Math.log(0.1), Math.log(0.2)],
  covariance: [[0.25, 0.15], [0.15, 0.25]],
};

/** Every kind of coordinate: a log-ratio of stage weights, a share with the rest of its group, a coefficient with a companion. */
const KINDS: Posterior = {
  coordinates: [
    { path: 'stages.founding.resources', base: 'stages.founding.security', transform: 'logratio' },
    { path: 'drivers.resources.offer', transform: 'logit', rest: ['drivers.resources.officeCost', 'drivers.resources.nationalSupport'] },
    { path: 'choice.temperature', transform: 'log', companions: ['choice.nestScale'] },
  ],
  mean: [0.3, 0, Math.log(0.05)],
  covariance: [[0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]],
};

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe('drawParams', () => {
  it('property: a replication seed always draws the same coefficients, and another seed others', () => {
    fc.assert(fc.property(seeds, seeds, (a, b) => {
      expect(drawParams(POST, a)).toEqual(drawParams(POST, a));
      expect(drawOverrides(KINDS, a)).toEqual(drawOverrides(KINDS, a));
      if (a !== b) expect(num(drawParams(POST, a), 'choice.stayBonus')).not.toBe(num(drawParams(POST, b), 'choice.stayBonus'));
    }), { numRuns: 200 });
  });

  it('draws around the posterior: mean, spread and correlation of many draws on the transformed scale', () => {
    const N = 4000;
    const xs: number[][] = [];
    for (let s = 0; s < N; s++) {
      const p = drawParams(POST, s);
      xs.push([Math.log(num(p, 'contest.campaignNoise')), Math.log(num(p, 'choice.stayBonus'))]);
    }
    const mean = [0, 1].map((j) => xs.reduce((a, x) => a + x[j], 0) / N);
    const cov = (i: number, j: number) => xs.reduce((a, x) => a + (x[i] - mean[i]) * (x[j] - mean[j]), 0) / (N - 1);
    // Standard error of a mean: 0.5 / sqrt(4000) = 0.008; of a variance near 0.25: about 0.006.
    expect(Math.abs(mean[0] - POST.mean[0])).toBeLessThan(0.04);
    expect(Math.abs(mean[1] - POST.mean[1])).toBeLessThan(0.04);
    expect(Math.abs(cov(0, 0) - 0.25)).toBeLessThan(0.03);
    expect(Math.abs(cov(1, 1) - 0.25)).toBeLessThan(0.03);
    expect(Math.abs(cov(0, 1) / Math.sqrt(cov(0, 0) * cov(1, 1)) - 0.6)).toBeLessThan(0.05);
  });

  it('leaves every other coefficient at its default', () => {
    const d = resolveParams();
    const p = drawParams(POST, 3);
    expect({ ...p, contest: { ...p.contest, campaignNoise: 0 }, choice: { ...p.choice, stayBonus: 0 } })
      .toEqual({ ...d, contest: { ...d.contest, campaignNoise: 0 }, choice: { ...d.choice, stayBonus: 0 } });
  });

  it('property: keeps what each transform promises (a weight group sums to 1, a companion keeps its ratio, a base weight stays)', () => {
    const d = resolveParams();
    fc.assert(fc.property(seeds, (s) => {
      const p = drawParams(KINDS, s);
      expect(p.stages.founding.security).toBe(d.stages.founding.security);
      expect(p.drivers.resources.offer).toBeGreaterThan(0);
      expect(p.drivers.resources.offer).toBeLessThan(1);
      expect(p.drivers.resources.offer + p.drivers.resources.officeCost + p.drivers.resources.nationalSupport).toBeCloseTo(1, 12);
      expect(p.choice.nestScale / p.choice.temperature).toBeCloseTo(d.choice.nestScale / d.choice.temperature, 12);
      expect(p.choice.nestScale).toBeLessThanOrEqual(p.choice.temperature);
    }), { numRuns: 100 });
  });

  it('property: never draws a coefficient the scenario sets, and draws the others as it would without it (arms stay paired)', () => {
    fc.assert(fc.property(seeds, fc.double({ min: 0.01, max: 5, noNaN: true }), (s, v) => {
      const free = drawParams(POST, s);
      const own = drawParams(POST, s, { choice: { stayBonus: v } });
      expect(own.choice.stayBonus).toBe(v);
      expect(own.contest.campaignNoise).toBe(free.contest.campaignNoise);
      // A companion or a member of a weight group set by the scenario holds its coordinate back entirely.
      const kinds = drawParams(KINDS, s, { choice: { nestScale: 0.01 }, drivers: { resources: { nationalSupport: 0.2 } } });
      expect(kinds.choice.nestScale).toBe(0.01);
      expect(kinds.choice.temperature).toBe(resolveParams().choice.temperature);
      expect(kinds.drivers.resources.offer).toBe(resolveParams().drivers.resources.offer);
      expect(kinds.drivers.resources.nationalSupport).toBe(0.2);
      expect(kinds.stages.founding.resources).toBe(drawParams(KINDS, s).stages.founding.resources);
    }), { numRuns: 100 });
  });
});

describe('reading a calibration', () => {
  const file = (name: string, text: string) => { const f = join(tmp, name); writeFileSync(f, text); return f; };
  const problems = (f: () => unknown) => {
    try { f(); } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as ScenarioError).problems.map((p) => `${p.line ?? '-'}:${p.col ?? '-'}: ${p.path}: ${p.message}`);
    }
    throw new Error('no error');
  };

  it('reads the uncertainty block of a calibration file', () => {
    const f = file('ok.yaml', `# calibration\nparameters: { choice: { stayBonus: 0.2 } }\nuncertainty:\n  coordinates:\n    - { path: contest.campaignNoise, transform: log }\n    - { path: choice.stayBonus, transform: log }\n  mean: [-2.3, -1.6]\n  covariance: [[0.25, 0.15], [0.15, 0.25]]\n`);
    expect(readPosterior(f)).toEqual({ coordinates: POST.coordinates, mean: [-2.3, -1.6], covariance: POST.covariance });
  });

  it('names a missing file, and a file without an uncertainty block', () => {
    expect(problems(() => readPosterior(join(tmp, 'none.yaml')))).toEqual(['-:-: : cannot read a calibration: no such file']);
    expect(problems(() => parsePosterior('parameters: {}\n', 'p.yaml'))[0]).toMatch(/^1:1: uncertainty: not a calibration file with an uncertainty: block/);
  });

  it('reports every problem of the block in one pass, at its line', () => {
    const text = `uncertainty:
  coordinates:
    - { path: contest.campaignNoize, transform: log }
    - { path: choice.stayBonus, transform: lg }
    - { path: stages.founding.values, transform: logratio }
  mean: [1, 2]
  covariance: [[1, 0, 0], [0, 1, 0], [0, 0]]
`;
    expect(problems(() => parsePosterior(text, 'c.yaml'))).toEqual([
      '4:44: uncertainty.coordinates[1].transform: "lg" is not one of log, logit, logratio (did you mean "log"?)',
      '3:15: uncertainty.coordinates[0].path: "contest.campaignNoize" is not a coefficient of the model (did you mean "contest.campaignNoise"?)',
      '5:7: uncertainty.coordinates[2]: a logratio coordinate needs "base", the weight it is measured against',
      '6:9: uncertainty.mean: 2 values for 3 coordinates',
      '7:38: uncertainty.covariance[2]: 2 values for 3 coordinates',
    ]);
  });

  it('refuses a covariance that is not symmetric or not positive definite, and numbers that are not finite', () => {
    const block = (cov: string, mean = '[0, 0]') => `uncertainty:\n  coordinates: [{ path: contest.campaignNoise, transform: log }, { path: choice.stayBonus, transform: log }]\n  mean: ${mean}\n  covariance: ${cov}\n`;
    expect(problems(() => parsePosterior(block('[[1, 0.5], [0.4, 1]]'), 'c.yaml'))).toEqual(['4:20: uncertainty.covariance[0][1]: the covariance is not symmetric: [0][1] = 0.5, [1][0] = 0.4']);
    expect(problems(() => parsePosterior(block('[[1, 2], [2, 1]]'), 'c.yaml'))).toEqual(['4:15: uncertainty.covariance: the covariance is not positive definite']);
    expect(problems(() => parsePosterior(block('[[1, 0], [0, 1]]', '[0, .nan]'), 'c.yaml'))[0]).toMatch(/^3:13: uncertainty\.mean\[1\]: /);
  });

  it('refuses a path that two coordinates share', () => {
    const text = 'uncertainty:\n  coordinates: [{ path: choice.stayBonus, transform: log }, { path: choice.stayBonus, transform: log }]\n  mean: [0, 0]\n  covariance: [[1, 0], [0, 1]]\n';
    expect(problems(() => parsePosterior(text, 'c.yaml'))).toEqual(['2:69: uncertainty.coordinates[1].path: "choice.stayBonus" is also the path of coordinates[0]']);
  });
});
