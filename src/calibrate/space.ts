/**
 * The estimated coefficients: each is a coordinate of an unconstrained vector theta (its logarithm, its logit, or
 * a log-ratio of a stage's driver weights), with a weak normal prior centred on the source-based default.
 * `overridesOf(theta)` turns a vector into parameter overrides; `Params` are never edited in place.
 */
import { getPath, paramEntries, resolveParams, type ParamOverrides, type Params } from '../model/params.ts';

export type Transform = 'log' | 'logit' | 'logratio';

export interface Coordinate {
  /** the coefficient's path (for log-ratios: the weight in the numerator; the denominator is `base`) */
  path: string;
  transform: Transform;
  /** log-ratios: the weight of the same stage the numerator is measured against */
  base?: string;
  /** prior standard deviation on the transformed scale */
  priorSd: number;
  /** what this coordinate stands for, for reports */
  label: string;
  /** other coefficients that move with this one, keeping their ratio to it (e.g. the nest scale with the temperature) */
  companions?: string[];
  /** a share within a group of weights that sums to 1: the rest of the group, rescaled to fill what it leaves */
  rest?: string[];
}

const logit = (x: number) => Math.log(x / (1 - x));
const expit = (y: number) => 1 / (1 + Math.exp(-y));

/** Coordinates estimated from the documented contests (stage 1): what decides a seat. */
export const CONTEST_SPACE: Coordinate[] = [
  { path: 'stages.founding.resources', base: 'stages.founding.security', transform: 'logratio', priorSd: 1, label: 'founding stage: resources / security' },
  { path: 'stages.founding.operations', base: 'stages.founding.security', transform: 'logratio', priorSd: 1, label: 'founding stage: operations / security' },
  { path: 'stages.founding.values', base: 'stages.founding.security', transform: 'logratio', priorSd: 1, label: 'founding stage: values / security' },
  { path: 'drivers.resources.offer', transform: 'logit', priorSd: 1, label: "resources driver: share of the offer", rest: ['drivers.resources.officeCost', 'drivers.resources.nationalSupport'] },
  { path: 'money.halfValueShare', transform: 'log', priorSd: 1, label: 'money: half-value share of the budget' },
  { path: 'move.costWeight', transform: 'log', priorSd: 1, label: 'moving cost: utility per budget-year' },
  { path: 'choice.stayBonus', transform: 'log', priorSd: 1, label: 'stay bonus of the current seat' },
  { path: 'choice.temperature', transform: 'log', priorSd: 1, label: 'choice temperature (nest scale in proportion)', companions: ['choice.nestScale'] },
  { path: 'contest.campaignNoise', transform: 'log', priorSd: 1, label: 'campaign shock of a vote candidate' },
  { path: 'choice.clusterWeight', transform: 'log', priorSd: 1, label: 'pull of a same-domain cluster' },
  { path: 'contest.balanceWeight', transform: 'log', priorSd: 1, label: 'geographic balance bonus' },
];

/** Coordinates estimated from pattern targets by simulated moments (stage 2): how often organizations move. */
export const DYNAMIC_SPACE: Coordinate[] = [
  { path: 'review.dissatisfactionHazard', transform: 'log', priorSd: 1, label: 'review hazard per unit of dissatisfaction' },
  { path: 'review.courtingHazard', transform: 'log', priorSd: 1, label: 'review hazard when courted' },
  { path: 'review.triggerHazard', transform: 'log', priorSd: 1, label: 'review hazard after a shock' },
  { path: 'anchor.ageWeight', transform: 'logit', priorSd: 1, label: 'anchoring of old organizations' },
  { path: 'choice.dutyOfCarePenalty', transform: 'log', priorSd: 1, label: 'utility lost per unit of safety below the duty-of-care threshold' },
];

/**
 * The source-based values of every estimated coefficient (and of the weights their coordinates are measured
 * against): the centre of the priors and the start of every fit. They stay fixed when the estimates become the
 * defaults, so that a refit (leave-one-out) is never centred on estimates that saw the contest it forecasts.
 */
/** The coefficients a coordinate moves: its own, the denominator of a log-ratio, its companions, the rest of its group. */
export const coordinatePaths = (c: Pick<Coordinate, 'path' | 'base' | 'companions' | 'rest'>): string[] =>
  [c.path, ...(c.base ? [c.base] : []), ...(c.companions ?? []), ...(c.rest ?? [])];

export const PRIOR_VALUES: ParamOverrides = (() => {
  const out: ParamOverrides = {};
  for (const c of [...CONTEST_SPACE, ...DYNAMIC_SPACE]) {
    for (const path of coordinatePaths(c)) {
      const spec = paramEntries().find(([q]) => q === path)![1];
      setPath(out, path, spec.prior ?? spec.default);
    }
  }
  return out;
})();

const num = (p: Params, path: string) => getPath(p, path) as number;

/** The prior mean of a space: the coordinates of PRIOR_VALUES. */
export const priorMean = (space: Coordinate[]): number[] => thetaOf(space, resolveParams(PRIOR_VALUES));

/** The coordinates of parameters `p` (the prior mean when `p` are the defaults). */
export function thetaOf(space: Coordinate[], p: Params): number[] {
  return space.map((c) => {
    const v = num(p, c.path);
    if (c.transform === 'log') return Math.log(v);
    if (c.transform === 'logit') return logit(v);
    return Math.log(v / num(p, c.base!));
  });
}

function setPath(o: ParamOverrides, path: string, v: number): void {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as ParamOverrides;
  cur[keys[keys.length - 1]] = v;
}

/** Merge overrides `b` into a copy of `a`. */
export function mergeOverrides(a: ParamOverrides, b: ParamOverrides): ParamOverrides {
  const out: ParamOverrides = structuredClone(a);
  const walk = (src: ParamOverrides, prefix: string) => {
    for (const [k, v] of Object.entries(src)) typeof v === 'number' ? setPath(out, prefix + k, v) : walk(v, `${prefix}${k}.`);
  };
  walk(b, '');
  return out;
}

/**
 * Overrides that put parameters `base` (resolved from `baseOverrides`) at coordinates `theta`. Log-ratio weights
 * keep the denominator weight as it is in `base`; companions keep their ratio to their coordinate's coefficient.
 */
export function overridesOf(space: Coordinate[], theta: number[], baseOverrides: ParamOverrides = {}): ParamOverrides {
  const base = resolveParams(baseOverrides);
  const out: ParamOverrides = structuredClone(baseOverrides);
  space.forEach((c, i) => {
    const y = theta[i];
    const old = num(base, c.path);
    const v = c.transform === 'log' ? Math.exp(y) : c.transform === 'logit' ? expit(y) : Math.exp(y) * num(base, c.base!);
    setPath(out, c.path, v);
    for (const q of c.companions ?? []) setPath(out, q, num(base, q) * (v / old));
    for (const q of c.rest ?? []) setPath(out, q, num(base, q) * ((1 - v) / (1 - old)));
  });
  return out;
}

/** Values of the coefficients at `theta` (for reports): path -> value. */
export function valuesOf(space: Coordinate[], theta: number[], baseOverrides: ParamOverrides = {}): Record<string, number> {
  const p = resolveParams(overridesOf(space, theta, baseOverrides));
  return Object.fromEntries(space.map((c) => [c.path, num(p, c.path)]));
}

/** Log density of the prior (up to a constant): independent normals on the transformed scale around `mean`. */
export function logPrior(space: Coordinate[], theta: number[], mean: number[]): number {
  let s = 0;
  space.forEach((c, i) => { s -= 0.5 * ((theta[i] - mean[i]) / c.priorSd) ** 2; });
  return s;
}
