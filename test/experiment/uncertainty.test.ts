/**
 * Parameter uncertainty in experiment plans (in-process): the option and its command-line override, the
 * calibration named and identified in the plan, arms paired on the draw, coefficients set by a factor or an arm
 * never drawn, a bad calibration reported with everything else in one pass.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperiment, planHash, pointOverrides, replicationSeed, type Plan } from '../../src/experiment/file.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { drawParams } from '../../src/calibrate/uncertainty.ts';
import { uncertaintyLine, uncertaintyRecord } from '../../src/experiment/posterior.ts';
import { ScenarioError } from '../../src/scenario/errors.ts';
import { ROOT } from '../helpers.ts';
import { CALIBRATION } from './calibration-fixture.ts';

const tmp = mkdtempSync(join(tmpdir(), 'hqsim-exp-unc-'));
const QUICK = join(ROOT, 'scenarios/quickstart.yaml');
const write = (name: string, text: string) => { const f = join(tmp, name); writeFileSync(f, text); return f; };

const CAL = write('cal.yaml', CALIBRATION);
mkdirSync(join(tmp, 'cal'));
const CAL_COPY = join(tmp, 'cal', 'same.yaml');
copyFileSync(CAL, CAL_COPY);
const CAL_OTHER = write('other.yaml', CALIBRATION.replace('[0.25, 0], [0, 0.25]', '[0.5, 0], [0, 0.5]'));

const experiment = (name: string, extra = '') => write(`${name}.sweep.yaml`, `name: ${name}
scenario: ${JSON.stringify(QUICK)}
years: 12
${extra}factors:
  - { name: stay, path: parameters.choice.stayBonus, values: [0.05, 0.4] }
arms:
  cash: {}
  no_cash: { overrides: { cities.bonn.levers.freeOffices: 0 } }
  calm: { overrides: { parameters.contest.campaignNoise: 0.01 } }
replications: 2
metrics: [relocations]
`);

const problems = (f: () => unknown) => {
  try { f(); } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems.map((p) => `${p.file.replace(tmp, '<tmp>')}:${p.line ?? '-'}:${p.col ?? '-'}: ${p.path}: ${p.message}`);
  }
  throw new Error('no error');
};

describe('parameterUncertainty in an experiment', () => {
  it('reads the calibration named by the experiment (relative to it) into the plan; off by default', () => {
    const off = loadExperiment(experiment('off'));
    expect(off.parameterUncertainty).toBeUndefined();
    const on = loadExperiment(experiment('on', 'parameterUncertainty: cal.yaml\n'));
    expect(on.parameterUncertainty).toMatchObject({ file: 'cal.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(on.parameterUncertainty!.posterior.coordinates.map((c) => c.path)).toEqual(['contest.campaignNoise', 'choice.stayBonus']);
    expect(uncertaintyRecord(on.parameterUncertainty)).toMatchObject({ calibration: 'cal.yaml', coefficients: ['contest.campaignNoise', 'choice.stayBonus'] });
    expect(uncertaintyLine(uncertaintyRecord(on.parameterUncertainty)!)).toBe('intervals include parameter uncertainty (calibration cal.yaml)');
  });

  it('lets the command line override the file: on with a file, on with another, off', () => {
    const file = experiment('flag', 'parameterUncertainty: cal.yaml\n');
    expect(loadExperiment(file, { parameterUncertainty: false }).parameterUncertainty).toBeUndefined();
    expect(loadExperiment(file, { parameterUncertainty: CAL_OTHER }).parameterUncertainty!.posterior.covariance).toEqual([[0.5, 0], [0, 0.5]]);
    // A file given on the command line is named relative to the experiment file.
    expect(loadExperiment(experiment('flag2'), { parameterUncertainty: CAL_COPY }).parameterUncertainty!.file).toBe('cal/same.yaml');
  });

  it('is part of the plan identity by content, never by path', () => {
    const file = experiment('identity');
    const off = planHash(loadExperiment(file));
    const on = planHash(loadExperiment(file, { parameterUncertainty: CAL }));
    expect(on).not.toBe(off);
    expect(planHash(loadExperiment(file, { parameterUncertainty: CAL_COPY }))).toBe(on);
    expect(planHash(loadExperiment(file, { parameterUncertainty: CAL_OTHER }))).not.toBe(on);
    // A plan as plan.json holds it hashes the same.
    const plan = loadExperiment(file, { parameterUncertainty: CAL });
    expect(planHash(JSON.parse(JSON.stringify(plan)) as Plan)).toBe(on);
  });

  it('reports a bad calibration at the option, with its own problems and every other problem of the experiment', () => {
    write('broken.yaml', CALIBRATION.replace('campaignNoise, transform', 'campaignNoize, transform'));
    const file = write('bad.sweep.yaml', `name: bad
scenario: ${JSON.stringify(QUICK)}
parameterUncertainty: broken.yaml
metrics: [relocatons]
`);
    expect(problems(() => loadExperiment(file))).toEqual([
      '<tmp>/bad.sweep.yaml:3:23: parameterUncertainty: the calibration does not load: 1 problem(s), first: uncertainty.coordinates[0].path: "contest.campaignNoize" is not a coefficient of the model (did you mean "contest.campaignNoise"?)',
      '<tmp>/broken.yaml:5:15: uncertainty.coordinates[0].path: "contest.campaignNoize" is not a coefficient of the model (did you mean "contest.campaignNoise"?)',
      '<tmp>/bad.sweep.yaml:4:11: metrics[0].summary: no summary field "relocatons" (did you mean "relocations"?)',
    ]);
    expect(problems(() => loadExperiment(experiment('missing'), { parameterUncertainty: join(tmp, 'nope.yaml') })))
      .toEqual(['<tmp>/nope.yaml:-:-: : cannot read a calibration: no such file']);
    expect(problems(() => loadExperiment(write('typo.sweep.yaml', `name: t\nscenario: ${JSON.stringify(QUICK)}\nparameterUncertainty: 3\nmetrics: [relocations]\n`)))[0])
      .toMatch(/^<tmp>\/typo\.sweep\.yaml:3:23: parameterUncertainty: /);
  });
});

describe('what each run draws', () => {
  const plan = loadExperiment(experiment('draws'), { parameterUncertainty: CAL });
  const post = plan.parameterUncertainty!.posterior;
  /** The coefficients replication r of (point p, arm a) runs with, as a worker resolves them. */
  const paramsOf = (p: number, a: number, r: number) => {
    const sc = loadScenario(plan.scenario.path, { arm: plan.arms[a].scenarioArm, overrides: pointOverrides(plan, p, a), years: plan.years ?? undefined });
    return drawParams(post, replicationSeed(plan.seed, r), sc.paramOverrides);
  };

  it('pairs arms: replication r draws the same coefficients in every arm and point that leaves them free', () => {
    for (let r = 0; r < 3; r++) {
      const base = paramsOf(0, 0, r).contest.campaignNoise;
      expect(paramsOf(0, 1, r).contest.campaignNoise).toBe(base);
      expect(paramsOf(1, 0, r).contest.campaignNoise).toBe(base);
      expect(paramsOf(1, 1, r).contest.campaignNoise).toBe(base);
    }
    // Replications differ.
    expect(paramsOf(0, 0, 0).contest.campaignNoise).not.toBe(paramsOf(0, 0, 1).contest.campaignNoise);
  });

  it('never draws a coefficient a factor or an arm sets', () => {
    for (let r = 0; r < 3; r++) {
      expect(paramsOf(0, 0, r).choice.stayBonus).toBe(0.05);
      expect(paramsOf(1, 1, r).choice.stayBonus).toBe(0.4);
      expect(paramsOf(0, 2, r).contest.campaignNoise).toBe(0.01);
    }
  });
});
