/** Column layouts of the result tables, shared by the file writers and the in-memory API. */
import type { CityYearRecord, EventRecord, OrgYearRecord } from '../model/engine.ts';

const EVAL_FIELDS = ['security', 'resources', 'operations', 'values', 'cluster', 'moveCost', 'utility'] as const;
const EVAL_COLS = ['security', 'resources', 'operations', 'values', 'cluster', 'move_cost', 'utility'];

export const EVENT_HEADER = ['year', 'type', 'org', 'city', 'from', 'to', 'contest', 'round', 'value', 'probability', 'detail',
  'chosen', ...EVAL_COLS.map((c) => `chosen_${c}`), 'runner_up', ...EVAL_COLS.map((c) => `runner_up_${c}`),
  'weight_security', 'weight_resources', 'weight_operations', 'weight_values'];

export function eventRow(e: EventRecord): unknown[] {
  return [e.year, e.type, e.org, e.city, e.from, e.to, e.contest, e.round, e.value, e.probability, e.detail,
    e.chosen?.id, ...EVAL_FIELDS.map((f) => e.chosen?.[f]), e.runnerUp?.id, ...EVAL_FIELDS.map((f) => e.runnerUp?.[f]),
    e.weights?.security, e.weights?.resources, e.weights?.operations, e.weights?.values];
}

export function cityYearHeader(domains: string[]): string[] {
  return ['year', 'city', 'hosted_orgs', 'hosted_staff', 'budget_musd', 'spend_total_musd', 'budget_left_musd',
    'spend_commitments_musd', 'spend_free_offices_musd', 'spend_tax_exemption_musd', 'spend_subsidy_musd', 'spend_grants_musd',
    'spend_one_off_musd', 'spend_schools_musd', 'spend_security_musd', 'spend_leadership_musd',
    'level_free_offices', 'level_tax_exemption', 'level_subsidy_musd', 'level_grant_musd_per_staff',
    'stock_security', 'stock_schools',
    ...domains.map((d) => `orgs_${d}`), ...domains.map((d) => `staff_${d}`), ...domains.map((d) => `leadership_${d}`)];
}

export function cityYearRow(r: CityYearRecord): unknown[] {
  const s = r.spend;
  return [r.year, r.city, r.hostedOrgs, r.hostedStaff, r.budget, r.spendTotal, r.budgetLeft,
    s.commitments, s.freeOffices, s.taxExemption, s.subsidy, s.grants, s.oneOff, s.schools, s.security, s.leadership,
    r.levels.freeOffices, r.levels.taxExemption, r.levels.subsidyMusd, r.levels.grantMusdPerStaff, r.security, r.schools,
    ...r.orgsByDomain, ...r.staffByDomain, ...r.leadership];
}

export const ORG_YEAR_HEADER = ['year', 'org', 'seat', 'stage', 'age', 'staff', 'budget_musd', 'seat_utility', 'review_hazard', 'reviewed', 'moved'];

export function orgYearRow(r: OrgYearRecord): unknown[] {
  return [r.year, r.org, r.seat, r.stage, r.age, r.staff, r.budget, Number.isNaN(r.seatUtility) ? undefined : r.seatUtility, r.hazard,
    r.reviewed ? 1 : 0, r.moved ? 1 : 0];
}
