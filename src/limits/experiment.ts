/**
 * Limits of experiment files, computed from the file alone (never by generating the design): values per
 * factor, arms, design points, runs, metrics and bootstrap work. Each problem names the key it is about.
 */
import { gridLevels } from '../experiment/design.ts';
import type { ExperimentFile, PlanFactor } from '../experiment/file.ts';
import { overLimit } from './index.ts';

export interface LimitProblem { path: (string | number)[]; message: string }

/** The number of design points the file asks for, computed without generating them. */
export function designPointCount(ex: Pick<ExperimentFile, 'design'>, factors: PlanFactor[]): number {
  const d = ex.design;
  const k = factors.length;
  switch (d.type) {
    case 'grid':
      return factors.reduce((n, f) => n * (f.kind === 'values' ? f.values.length
        : gridLevels({ name: f.name, kind: 'range', min: f.min, max: f.max, integer: f.integer, log: f.log }, f.levels ?? d.levels).length), 1);
    case 'lhs': return d.points;
    case 'sobol': return d.n * (k + 2);
    case 'morris': return d.trajectories * (k + 1);
  }
}

/** Values per factor, arms and design points: checked before the experiment's scenarios are loaded. */
export function experimentLimitProblems(ex: ExperimentFile, factors: PlanFactor[], arms: number): LimitProblem[] {
  const out: LimitProblem[] = [];
  const push = (path: (string | number)[], m: string | undefined) => { if (m) out.push({ path, message: m }); };
  factors.forEach((f, i) => { if (f.kind === 'values') push(['factors', i, 'values'], overLimit('factorValues', f.values.length)); });
  push(['arms'], overLimit('arms', arms));
  push(['design'], overLimit('designPoints', designPointCount(ex, factors)));
  return out;
}

/** Runs, metrics and bootstrap work, once the metrics and the replication cap are known. */
export function runLimitProblems(ex: ExperimentFile, points: number, arms: number, replications: number, metrics: number): LimitProblem[] {
  const out: LimitProblem[] = [];
  const push = (path: (string | number)[], m: string | undefined) => { if (m) out.push({ path, message: m }); };
  push(['replications'], overLimit('runs', points * arms * replications));
  push(['metrics'], overLimit('metrics', metrics));
  const d = ex.design;
  if (d.type === 'sobol' || d.type === 'morris') push(['design', 'bootstrap'], overLimit('bootstrapWork', d.bootstrap * points * arms * metrics));
  return out;
}
