/** The sandbox's controls come from the scenario schema: every lever and offer term, with unit and range. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { LeversSchema, OfferSchema, STRATEGIES } from '../../src/scenario/schema.ts';
import { fieldCatalogue, fieldSpec, labelOf, unitOf } from '../../src/sandbox/fields.ts';
import { niceCeil, rangeText, sliderRange, type FieldSpec } from '../../src/sandbox/ranges.ts';
import { LIMITS } from '../../src/limits/index.ts';

describe('control descriptors from the schema', () => {
  const cat = fieldCatalogue();

  it('has one control per lever and per offer term, in schema order, with the schema descriptions', () => {
    expect(cat.levers.map((f) => f.key)).toEqual(Object.keys(LeversSchema.shape));
    expect(cat.offer.map((f) => f.key)).toEqual(Object.keys(OfferSchema.shape));
    const desc = (shape: object, k: string) => (shape as Record<string, { description?: string }>)[k].description;
    for (const f of cat.levers) expect(f.description).toBe(desc(LeversSchema.shape, f.key));
    for (const f of cat.offer) expect(f.description).toBe(desc(OfferSchema.shape, f.key));
    for (const f of [...cat.levers, ...cat.offer]) expect(f.description.length, f.key).toBeGreaterThan(0);
  });

  it('gives every number a unit and its schema bounds (shares 0-1, terms 1-200)', () => {
    for (const f of [...cat.levers, ...cat.offer, cat.budget, cat.years]) {
      if (f.kind !== 'number' && f.kind !== 'perDomain') continue;
      expect(f.unit, f.key).not.toBe('');
      expect(f.min, f.key).not.toBeNull();
    }
    const share = cat.levers.find((f) => f.key === 'freeOffices')!;
    expect(share).toMatchObject({ kind: 'number', unit: 'share (0-1)', min: 0, max: 1, integer: false });
    expect(cat.offer.find((f) => f.key === 'term')).toMatchObject({ kind: 'number', unit: 'years', min: 1, max: 200, integer: true });
    // Money carries the input limit as its schema maximum (USD 1 trillion).
    expect(cat.levers.find((f) => f.key === 'operatingSubsidyMusd')).toMatchObject({ unit: 'USD m per year', min: 0, max: LIMITS.money.value });
    expect(cat.levers.find((f) => f.key === 'relocationGrantMusdPerStaff')).toMatchObject({ unit: 'USD m per staff member' });
    expect(cat.offer.find((f) => f.key === 'oneOffMusd')).toMatchObject({ unit: 'USD m, once' });
    expect(cat.levers.find((f) => f.key === 'leadershipMusd')).toMatchObject({ kind: 'perDomain', unit: 'USD m per year', min: 0 });
    expect(cat.levers.find((f) => f.key === 'targets')).toMatchObject({ kind: 'domains' });
    expect(cat.budget).toMatchObject({ unit: 'USD m per year', min: 0 });
    expect(cat.strategy).toMatchObject({ kind: 'choice', options: [...STRATEGIES] });
    expect(cat.years).toMatchObject({ min: 1, max: 1000, integer: true, unit: 'years' });
  });

  it('picks up a field added to a schema without any change to the sandbox', () => {
    const Extended = LeversSchema.extend({
      parkingMusd: z.number().min(0).max(40).optional().describe('yearly parking subsidy, USD m'),
      visaShare: z.number().min(0).max(1).optional().describe('share of visas fast-tracked (0-1)'),
      mode: z.enum(['soft', 'hard']).optional().describe('how hard the city pushes'),
    });
    const specs = Object.entries(Extended.shape).map(([k, s]) => fieldSpec(k, s));
    expect(specs.find((f) => f.key === 'parkingMusd')).toMatchObject({ kind: 'number', label: 'Parking', unit: 'USD m per year', min: 0, max: 40 });
    expect(specs.find((f) => f.key === 'visaShare')).toMatchObject({ kind: 'number', unit: 'share (0-1)', min: 0, max: 1 });
    expect(specs.find((f) => f.key === 'mode')).toMatchObject({ kind: 'choice', options: ['soft', 'hard'] });
  });

  it('labels and units follow the naming convention', () => {
    expect(labelOf('operatingSubsidyMusd')).toBe('Operating subsidy');
    expect(labelOf('relocationGrantMusdPerStaff')).toBe('Relocation grant');
    expect(labelOf('taxExemption')).toBe('Tax exemption');
    expect(unitOf('budgetMusd', 'annual budget', { min: 0, max: null, integer: false })).toBe('USD m per year');
    expect(unitOf('someCount', 'a count', { min: 0, max: null, integer: true })).toBe('');
  });
});

describe('slider ranges', () => {
  const number = (o: Partial<FieldSpec>): FieldSpec => ({ key: 'x', label: 'X', description: '', kind: 'number', unit: 'USD m per year', min: 0, max: null, integer: false, ...o });
  const ctx = { current: 0, cityBudget: 20, maxBudget: 30, scenarioYears: 25 };

  it('uses schema bounds for shares and documented maxima for open money fields', () => {
    expect(sliderRange(number({ unit: 'share (0-1)', max: 1 }), ctx)).toEqual({ min: 0, max: 1, step: 0.005 });
    expect(sliderRange(number({}), ctx).max).toBe(20);
    expect(sliderRange(number({}), { ...ctx, cityBudget: 3 }).max).toBe(10);
    expect(sliderRange(number({ unit: 'USD m per staff member' }), ctx).max).toBe(0.1);
    expect(sliderRange(number({ key: 'budgetMusd' }), ctx).max).toBe(100);
    expect(sliderRange(number({ key: 'term', unit: 'years', min: 1, max: 200, integer: true }), ctx)).toEqual({ min: 1, max: 50, step: 1 });
    expect(sliderRange(number({ key: 'years', unit: 'years', min: 1, max: 1000, integer: true }), ctx).max).toBe(50);
    expect(rangeText(number({}), { min: 0, max: 20, step: 0.1 })).toBe('0-20+');
    // A money field bounded only by the input limit slides over the documented range, not up to the limit.
    const money = number({ max: LIMITS.money.value });
    expect(sliderRange(money, ctx)).toEqual({ min: 0, max: 20, step: 0.1 });
    expect(sliderRange({ ...money, key: 'budgetMusd' }, ctx).max).toBe(100);
    expect(sliderRange({ ...money, unit: 'USD m per staff member' }, ctx).max).toBe(0.1);
    expect(sliderRange(number({ max: 5 }), ctx).max).toBe(5);
    expect(rangeText(money, { min: 0, max: 20, step: 0.1 })).toBe('0-20 (up to 1,000,000 typed)');
    expect(rangeText(number({ key: 'term', min: 1, max: 200, integer: true }), { min: 1, max: 50, step: 1 })).toBe('1-50 (up to 200 typed)');
  });

  it('always covers the value in effect, within the schema bounds, with a positive step', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 500, noNaN: true }), fc.boolean(), fc.constantFrom('USD m per year', 'USD m per staff member', 'USD m, once'),
      fc.constantFrom(null, LIMITS.money.value),
      (current, budget, integer, unit, schemaMax) => {
        const f = number({ unit, integer, key: integer ? 'n' : 'x', max: schemaMax });
        const r = sliderRange(f, { ...ctx, current, cityBudget: budget });
        expect(r.max).toBeGreaterThanOrEqual(current);
        expect(r.max).toBeLessThanOrEqual(schemaMax ?? Infinity);
        expect(r.min).toBe(0);
        expect(r.step).toBeGreaterThan(0);
        expect((r.max - r.min) / r.step).toBeLessThanOrEqual(integer ? Infinity : 400);
      }));
  });

  it('rounds maxima up to 1, 2, 2.5 or 5 times a power of ten', () => {
    fc.assert(fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (x) => {
      const n = niceCeil(x);
      expect(n).toBeGreaterThanOrEqual(x * (1 - 1e-9));
      expect(n).toBeLessThanOrEqual(x * 2.5 + 1e-12);
      const m = n / 10 ** Math.floor(Math.log10(n) + 1e-12);
      expect([1, 2, 2.5, 5, 10].some((k) => Math.abs(m - k) < 1e-9)).toBe(true);
    }));
  });
});
