/**
 * Pattern targets of the dynamic parameters (stage 2 of `hqsim calibrate`, the method of simulated moments) and
 * the simulations that measure them:
 *
 * - how often organizations move: relocations per organization-year, by age band, in the calibration world
 *   (scenarios/world.yaml with a smaller synthetic population, 2025-2054); target 0.2-0.3% a year [EU-Agency-Seats];
 * - moves after a shock: the share of the organizations seated in a city hit by a war-size security shock (0.8)
 *   that have left it five years later, in the same world; target: about half (judgement from the documented
 *   departures after wars: the African Development Bank left Abidjan in 2003, ESCWA left Beirut in 1982);
 * - Bonn's growth in scenarios/bonn-1994.yaml: organizations seated in Bonn in 2006, 2016, 2021 and 2025, against
 *   14, 18, 25 and 27 UN bodies [UN-Bonn], [Bonn-2025];
 * - concentration: Geneva and Vienna in 2025 in the same run (seated plus background organizations), against
 *   about 38 [OCSTAT-Geneva] and 50 [Vienna-IOs].
 *
 * Each moment's tolerance (the standard deviation the distance is scaled by) covers the spread of its source
 * and the difference between what the source counts and what the model counts. Pure apart from reading the
 * bundled scenarios.
 */
import { loadScenario } from '../scenario/load.ts';
import { BUNDLED_SCENARIOS_DIR } from '../scenario/paths.ts';
import { simulate, type Recorder } from '../model/engine.ts';
import type { ParamOverrides } from '../model/params.ts';
import { join } from 'node:path';

export interface Target { id: string; label: string; value: number; sd: number; source: string }

/** The city the calibration world's war hits: the largest host, so that the share gone is measured on many organizations. */
export const SHOCK_CITY = 'geneva';
export const SHOCK_YEAR_OFFSET = 5;
const BANDS: [number, number][] = [[0, 10], [10, 30], [30, Infinity]];

export const TARGETS: Target[] = [
  { id: 'moves_age_0_9', label: 'relocations per organization-year, aged 0-9', value: 0.0025, sd: 0.001, source: '[EU-Agency-Seats] (0.2-0.3% a year)' },
  { id: 'moves_age_10_29', label: 'relocations per organization-year, aged 10-29', value: 0.0025, sd: 0.001, source: '[EU-Agency-Seats] (0.2-0.3% a year)' },
  { id: 'moves_age_30', label: 'relocations per organization-year, aged 30 and more', value: 0.0025, sd: 0.001, source: '[EU-Agency-Seats] (0.2-0.3% a year)' },
  { id: 'left_after_war', label: 'share of organizations gone 5 years after a war-size shock', value: 0.5, sd: 0.2, source: 'judgement: AfDB (Abidjan 2003), ESCWA (Beirut 1982)' },
  { id: 'bonn_2006', label: 'organizations in Bonn, 2006', value: 14, sd: 4, source: '[UN-Bonn]' },
  { id: 'bonn_2016', label: 'organizations in Bonn, 2016', value: 18, sd: 4, source: '[UN-Bonn]' },
  { id: 'bonn_2021', label: 'organizations in Bonn, 2021', value: 25, sd: 4, source: '[Bonn-2025]' },
  { id: 'bonn_2025', label: 'organizations in Bonn, 2025', value: 27, sd: 4, source: '[Bonn-2025]' },
  { id: 'geneva_2025', label: 'organizations in Geneva, 2025 (with background)', value: 38, sd: 8, source: '[OCSTAT-Geneva]' },
  { id: 'vienna_2025', label: 'organizations in Vienna, 2025 (with background)', value: 50, sd: 10, source: '[Vienna-IOs]' },
];

/** Size of the calibration world's synthetic population (the bundled world has 200 cities, 2,000 organizations). */
export const CALIBRATION_WORLD = { cities: 60, organizations: 600 };

/** Scenario overrides (document paths) that put parameter overrides `ov` into a scenario. */
export function documentOverrides(ov: ParamOverrides, prefix = 'parameters'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (o: ParamOverrides, path: string) => { for (const [k, v] of Object.entries(o)) typeof v === 'number' ? (out[`${path}.${k}`] = v) : walk(v, `${path}.${k}`); };
  walk(ov, prefix);
  return out;
}

const silent = (r: Partial<Recorder>): Recorder => ({ event() {}, cityYear() {}, orgYear() {}, ...r });

/** Moments of one calibration-world run: moves and organization-years by age band, and who left the shocked city. */
export function worldMoments(ov: ParamOverrides, seed: number): { moves: number[]; years: number[]; shocked: number; left: number } {
  const base = loadScenario(join(BUNDLED_SCENARIOS_DIR, 'world.yaml'), {
    seed, overrides: { ...documentOverrides(ov), 'population.cities': CALIBRATION_WORLD.cities, 'population.organizations': CALIBRATION_WORLD.organizations },
  });
  const shockYear = base.start + SHOCK_YEAR_OFFSET;
  const sc = { ...base, events: [...base.events, { year: shockYear, type: 'securityShock' as const, city: SHOCK_CITY, size: 0.8 }] };
  const moves = BANDS.map(() => 0), years = BANDS.map(() => 0);
  const band = (age: number) => BANDS.findIndex(([a, b]) => age >= a && age < b);
  const founded = new Map<string, number>();
  const atShock = new Set<string>();
  const seatAfter = new Map<string, string>();
  simulate(sc, { seed, recorder: silent({
    wants: { events: ['relocation'], orgYears: true, cityYears: [], decisions: false },
    orgYear(r) {
      if (!founded.has(r.org)) founded.set(r.org, r.year - r.age);
      if (r.seat) years[band(r.age)]++;
      if (r.year === shockYear - 1 && r.seat === SHOCK_CITY) atShock.add(r.org);
      if (r.year === shockYear + 4 && atShock.has(r.org)) seatAfter.set(r.org, r.seat);
    },
    event(e) {
      // the permanent seat that ends an interim one is part of a founding, not a move
      if (e.type !== 'relocation' || !e.org || e.contest?.startsWith('seat_')) return;
      const f = founded.get(e.org);
      if (f !== undefined) moves[band(e.year - f)]++;
    },
  }) });
  let left = 0;
  for (const o of atShock) if ((seatAfter.get(o) ?? '') !== SHOCK_CITY) left++;
  return { moves, years, shocked: atShock.size, left };
}

/** Bonn, Geneva and Vienna in scenarios/bonn-1994.yaml: organizations in the target years (with background). */
export function bonnMoments(ov: ParamOverrides, seed: number): Record<string, number> {
  const sc = loadScenario(join(BUNDLED_SCENARIOS_DIR, 'bonn-1994.yaml'), { seed, overrides: documentOverrides(ov) });
  const background = new Map(sc.cities.map((c) => [c.id, c.hostedIos]));
  const want: Record<string, number[]> = { bonn: [2006, 2016, 2021, 2025], geneva: [2025], vienna: [2025] };
  const out: Record<string, number> = {};
  simulate(sc, { seed, recorder: silent({
    wants: { events: [], orgYears: false, cityYears: Object.keys(want), decisions: false },
    cityYear(r) {
      if (want[r.city]?.includes(r.year)) out[`${r.city}_${r.year}`] = r.hostedOrgs + (r.city === 'bonn' ? 0 : background.get(r.city) ?? 0);
    },
  }) });
  return out;
}

/** The simulated value of every target from runs of both scenarios under `ov`, pooled over `seeds`. */
export function moments(world: ReturnType<typeof worldMoments>[], bonn: Record<string, number>[]): Record<string, number> {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const m: Record<string, number> = {};
  BANDS.forEach((_, i) => {
    const id = TARGETS[i].id;
    m[id] = sum(world.map((w) => w.moves[i])) / Math.max(1, sum(world.map((w) => w.years[i])));
  });
  m.left_after_war = sum(world.map((w) => w.left)) / Math.max(1, sum(world.map((w) => w.shocked)));
  for (const t of TARGETS.slice(4)) m[t.id] = sum(bonn.map((b) => b[t.id] ?? 0)) / Math.max(1, bonn.length);
  return m;
}

/** The distance of simulated moments from the targets: half the sum of squared scaled gaps (a negative log-likelihood). */
export function momentLoss(m: Record<string, number>, targets: Target[] = TARGETS): number {
  return targets.reduce((s, t) => s + 0.5 * ((m[t.id] - t.value) / t.sd) ** 2, 0);
}
