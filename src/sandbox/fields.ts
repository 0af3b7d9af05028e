/**
 * The sandbox's controls, derived from the scenario schema: every field of a city's levers (LeversSchema) and
 * of an offer (OfferSchema) becomes a control with its label, description, unit and bounds, so that a lever
 * added to the schema appears in the sandbox without a change here. Runs in Node when the page is written; the
 * page receives the plain descriptors.
 */
import { z } from 'zod';
import { CitySchema, LeversSchema, OfferSchema, ScenarioFileSchema } from '../scenario/schema.ts';

export type { FieldKind, FieldSpec } from './ranges.ts';
import type { FieldSpec } from './ranges.ts';

interface Bounds { min: number | null; max: number | null; integer: boolean }

type AnySchema = z.core.$ZodType;

/** Strip optional/default/nullable wrappers and pipes down to the schema that carries the checks. */
function core(s: AnySchema): AnySchema {
  let cur: AnySchema = s;
  for (let i = 0; i < 20; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) cur = cur.unwrap() as AnySchema;
    else if (cur instanceof z.ZodPipe) cur = (cur.out instanceof z.ZodNumber || !(cur.in instanceof z.ZodNumber) ? cur.out : cur.in) as AnySchema;
    else break;
  }
  return cur;
}

/** Bounds of a number schema, across pipes (the tightest of each side). */
function numberBounds(s: AnySchema): Bounds | null {
  const out: Bounds = { min: null, max: null, integer: false };
  let found = false;
  const visit = (x: AnySchema, depth: number): void => {
    if (depth > 20) return;
    if (x instanceof z.ZodOptional || x instanceof z.ZodNullable || x instanceof z.ZodDefault) return visit(x.unwrap() as AnySchema, depth + 1);
    if (x instanceof z.ZodPipe) { visit(x.in as AnySchema, depth + 1); visit(x.out as AnySchema, depth + 1); return; }
    if (x instanceof z.ZodNumber) {
      found = true;
      const lo = x.minValue, hi = x.maxValue;
      if (typeof lo === 'number' && Number.isFinite(lo)) out.min = out.min === null ? lo : Math.max(out.min, lo);
      if (typeof hi === 'number' && Number.isFinite(hi)) out.max = out.max === null ? hi : Math.min(out.max, hi);
      if (x.isInt) out.integer = true;
    }
  };
  visit(s, 0);
  return found ? out : null;
}

/** "operatingSubsidyMusd" -> "Operating subsidy"; "relocationGrantMusdPerStaff" -> "Relocation grant". */
export function labelOf(key: string): string {
  const words = key.replace(/MusdPerStaff$|Musd$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The unit of a field, from the project's naming convention (money in USD millions carries the suffix Musd,
 * MusdPerStaff is per staff member; shares are bounded to [0, 1]) and its description (per year / one-off).
 */
export function unitOf(key: string, description: string, b: Bounds | null): string {
  const d = description.toLowerCase();
  if (b && b.min === 0 && b.max === 1 && !b.integer) return 'share (0-1)';
  if (/MusdPerStaff$/.test(key)) return 'USD m per staff member';
  if (/Musd$/.test(key)) return /per year|yearly|annual|a year/.test(d) ? 'USD m per year' : /one-off/.test(d) ? 'USD m, once' : 'USD m';
  if (key === 'years' || key === 'term' || /^years\b/.test(d)) return 'years';
  const tail = description.split(', ').pop();
  return tail && tail !== description && /^(USD|years|share|people|staff|%)/.test(tail) ? tail : '';
}

/** One control descriptor for a schema field. */
export function fieldSpec(key: string, schema: AnySchema): FieldSpec {
  const description = (schema as { description?: string }).description ?? '';
  const c = core(schema);
  const base = { key, label: labelOf(key), description };
  if (c instanceof z.ZodNumber) {
    const b = numberBounds(schema)!;
    return { ...base, kind: 'number', unit: unitOf(key, description, b), min: b.min, max: b.max, integer: b.integer };
  }
  if (c instanceof z.ZodRecord) {
    const b = numberBounds(c.valueType as AnySchema);
    if (b) return { ...base, kind: 'perDomain', unit: unitOf(key, description, b), min: b.min, max: b.max, integer: b.integer };
  }
  if (c instanceof z.ZodArray && core(c.element as AnySchema) instanceof z.ZodString) {
    return { ...base, kind: 'domains', unit: 'domains', min: null, max: null, integer: false };
  }
  if (c instanceof z.ZodEnum) {
    return { ...base, kind: 'choice', unit: '', min: null, max: null, integer: false, options: c.options.map(String) };
  }
  return { ...base, kind: 'other', unit: '', min: null, max: null, integer: false };
}

function specsOf(shape: Record<string, AnySchema>): FieldSpec[] {
  return Object.entries(shape).map(([k, s]) => fieldSpec(k, s));
}

export interface FieldCatalogue {
  /** Every lever of a city's strategy (LeversSchema), in schema order. */
  levers: FieldSpec[];
  /** Every term of an offer or contest bid (OfferSchema), in schema order. */
  offer: FieldSpec[];
  budget: FieldSpec;
  strategy: FieldSpec;
  years: FieldSpec;
}

export function fieldCatalogue(): FieldCatalogue {
  const city = CitySchema.shape;
  const years = fieldSpec('years', ScenarioFileSchema.shape.years);
  return {
    levers: specsOf(LeversSchema.shape as Record<string, AnySchema>),
    offer: specsOf(OfferSchema.shape as Record<string, AnySchema>),
    budget: fieldSpec('budgetMusd', city.budgetMusd),
    strategy: fieldSpec('strategy', city.strategy),
    years: { ...years, label: 'Years simulated', unit: 'years' },
  };
}
