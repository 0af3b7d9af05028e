/** Offers: their cost to the city in present value, and how they are written. */
import { describe, expect, it } from 'vitest';
import { describe as words, emptyOffer, meanBasis, offerCost, toScenarioOffer, unitCost, type CostBasis } from '../../src/advise/offer.ts';
import { annuity } from '../../src/model/scoring.ts';

const basis: CostBasis = { freeOffices: 0.6, taxExemption: 0.45, subsidyMusd: 1, moving: 25, rate: 0.05 };

describe('offer cost', () => {
  it('counts yearly terms over the term in present value and money paid at once at face value', () => {
    const o = { ...emptyOffer(10), freeOffices: 1, taxExemption: 0.5, subsidyMusd: 2, oneOffMusd: 3, relocationGrantMusdPerStaff: 0.03 };
    const yearly = 0.6 + 0.5 * 0.45 + 2;
    expect(offerCost(o, basis)).toBeCloseTo(yearly * annuity(10, 0.05) + 3 + 0.03 * 25, 12);
    // a hand check of the annuity: 10 years at 5% is 7.7217 years of money
    expect(annuity(10, 0.05)).toBeCloseTo(7.721735, 6);
    expect(unitCost('subsidyMusd', 20, basis)).toBeCloseTo(annuity(20, 0.05), 12);
    expect(unitCost('oneOffMusd', 20, basis)).toBe(1);
    expect(unitCost('relocationGrantMusdPerStaff', 20, basis)).toBe(25);
    expect(offerCost(emptyOffer(10), basis)).toBe(0);
  });

  it('averages bases over replications', () => {
    const m = meanBasis([basis, { ...basis, freeOffices: 0.8, moving: 35 }]);
    expect(m.freeOffices).toBeCloseTo(0.7, 12);
    expect(m.moving).toBeCloseTo(30, 12);
  });

  it('writes offers with six significant digits, never above what was found', () => {
    const o = { ...emptyOffer(10), subsidyMusd: 2.123456789, freeOffices: 1, oneOffMusd: 0.999999999 };
    const w = toScenarioOffer(o);
    expect(w).toEqual({ freeOffices: 1, subsidyMusd: 2.12345, oneOffMusd: 0.999999, term: 10 });
    expect(toScenarioOffer(emptyOffer(7))).toEqual({ term: 7 });
    expect(words(o)).toMatch(/free offices 100%.*operating subsidy USD 2.12m a year.*for 10 years/);
    expect(words(emptyOffer(10))).toBe('no offer');
  });
});
