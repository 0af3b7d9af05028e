/** Column layouts of the result tables, shared by the file writers and the in-memory API. */
import type { CityYearRecord, DecisionRecord, EventRecord, OrgYearRecord } from '../model/engine.ts';
import { TERM_NAMES, type UtilityTerms } from '../model/scoring.ts';
import { STOCKS } from '../model/stocks.ts';

/** The terms of a utility as CSV columns (snake case), in the order of TERM_NAMES, then the utility. */
export const TERM_COLS = TERM_NAMES.map((t) => t.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`));
const EVAL_COLS = [...TERM_COLS, 'utility'];
const termCells = (e: { terms: UtilityTerms; utility: number } | undefined) =>
  e ? [...TERM_NAMES.map((t) => e.terms[t]), e.utility] : EVAL_COLS.map(() => undefined);

export const EVENT_HEADER = ['year', 'type', 'org', 'city', 'from', 'to', 'contest', 'round', 'value', 'probability', 'detail',
  'chosen', ...EVAL_COLS.map((c) => `chosen_${c}`), 'runner_up', ...EVAL_COLS.map((c) => `runner_up_${c}`),
  'weight_security', 'weight_resources', 'weight_operations', 'weight_values'];

export function eventRow(e: EventRecord): unknown[] {
  return [e.year, e.type, e.org, e.city, e.from, e.to, e.contest, e.round, e.value, e.probability, e.detail,
    e.chosen?.id, ...termCells(e.chosen), e.runnerUp?.id, ...termCells(e.runnerUp),
    e.weights?.security, e.weights?.resources, e.weights?.operations, e.weights?.values];
}

export function cityYearHeader(domains: string[]): string[] {
  return ['year', 'city', 'hosted_orgs', 'hosted_offices', 'hosted_staff', 'budget_musd', 'spend_total_musd', 'budget_left_musd',
    'spend_commitments_musd', 'spend_free_offices_musd', 'spend_tax_exemption_musd', 'spend_subsidy_musd', 'spend_grants_musd',
    'spend_one_off_musd', ...STOCKS.map((s) => `spend_${s}_musd`), 'spend_leadership_musd',
    'level_free_offices', 'level_tax_exemption', 'level_subsidy_musd', 'level_grant_musd_per_staff',
    'security_score', ...STOCKS.map((s) => `stock_${s}`),
    ...domains.map((d) => `orgs_${d}`), ...domains.map((d) => `staff_${d}`), ...domains.map((d) => `leadership_${d}`)];
}

export function cityYearRow(r: CityYearRecord): unknown[] {
  const s = r.spend;
  return [r.year, r.city, r.hostedOrgs, r.hostedOffices, r.hostedStaff, r.budget, r.spendTotal, r.budgetLeft,
    s.commitments, s.freeOffices, s.taxExemption, s.subsidy, s.grants, s.oneOff, ...STOCKS.map((x) => s[x]), s.leadership,
    r.levels.freeOffices, r.levels.taxExemption, r.levels.subsidyMusd, r.levels.grantMusdPerStaff, r.security, ...r.attributes,
    ...r.orgsByDomain, ...r.staffByDomain, ...r.leadership];
}

export const ORG_YEAR_HEADER = ['year', 'org', 'seat', 'office', 'stage', 'age', 'staff', 'budget_musd', 'seat_utility', 'review_hazard', 'reviewed', 'moved'];

export function orgYearRow(r: OrgYearRecord): unknown[] {
  return [r.year, r.org, r.seat, r.office || undefined, r.stage, r.age, r.staff, r.budget, Number.isNaN(r.seatUtility) ? undefined : r.seatUtility, r.hazard,
    r.reviewed ? 1 : 0, r.moved ? 1 : 0];
}

/**
 * decisions.csv: one row per candidate of every decision (seat reviews and contests), with every term of its
 * utility; the terms add up to `utility`. For votes the utility is the organization's plus the balance bonus all
 * members give; each member adds its own home, region, endorsement and taste terms (see `hqsim explain`).
 */
export const DECISION_HEADER = ['year', 'decision', 'org', 'rule', 'city', 'role', 'chosen', 'probability', 'votes', 'money_musd', ...EVAL_COLS];

export function decisionRow(d: DecisionRecord): unknown[] {
  return [d.year, d.decision, d.org, d.rule, d.city, d.role, d.chosen ? 1 : 0, d.probability ?? undefined, d.votes ?? undefined, d.moneyMusd,
    ...termCells(d)];
}
