/**
 * Shocks at the seat produce moves at documented rates (docs/ODD.md, section 7.13): a body of the growth stage
 * (founded 1990, 60 staff, 30% local) in a city with two slightly weaker rivals, 200 seeds, event in 2003, moves
 * counted until 2007. Without an event it never moves.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.ts';
import { build, city, org, type Obj } from '../helpers.ts';

const N = 200;
function rate(events: Obj[], extra: { offer?: boolean; kind?: string } = {}): number {
  const offers = extra.offer ? [{ org: 'body', freeOffices: 1, subsidyMusd: 1, relocationGrantMusdPerStaff: 0.03, term: 10 }] : [];
  let moved = 0;
  for (let seed = 1; seed <= N; seed++) {
    const r = runScenario(build({
      seed, start: 2000, years: 8, events,
      cities: [city('home', { safety: 0.85, connectivity: 0.7, country: 'HH' }), city('r1', { safety: 0.8, connectivity: 0.65, country: 'R1', budgetMusd: 20, offers }),
        city('r2', { safety: 0.75, connectivity: 0.7, country: 'R2', region: 'asia' })],
      organizations: [org('body', 'home', { founded: 1990, staff: 60, localShare: 0.3, domain: 'health', kind: extra.kind ?? 'intergovernmental' })],
    }));
    if (r.events.some((e) => e.type === 'relocation' && e.org === 'body')) moved++;
  }
  return moved / N;
}

describe('moves after shocks at the seat', () => {
  it('without any event (or offer) the body stays', () => {
    expect(rate([])).toBe(0);
  });
  it('a severe security shock (size 0.8: war) moves it in about half the runs within five years; a moderate one (0.5) rarely', () => {
    const war = rate([{ year: 2003, type: 'securityShock', city: 'home', size: 0.8 }]);
    expect(war).toBeGreaterThan(0.35);
    expect(war).toBeLessThan(0.7);
    expect(rate([{ year: 2003, type: 'securityShock', city: 'home', size: 0.5 }])).toBeLessThan(0.15);
  });
  it('a host refusing privileges and immunities moves it in about two runs in three', () => {
    const r = rate([{ year: 2003, type: 'privilegesWithdrawn', city: 'home' }]);
    expect(r).toBeGreaterThan(0.5);
    expect(r).toBeLessThan(0.8);
  });
  it('an expiring host agreement moves it in about one run in three, and somewhat more often when a rival courts it', () => {
    const alone = rate([{ year: 2003, type: 'leaseExpiry', org: 'body' }]);
    expect(alone).toBeGreaterThan(0.2);
    expect(alone).toBeLessThan(0.5);
    expect(rate([], { offer: true })).toBe(0);
    const courted = rate([{ year: 2003, type: 'leaseExpiry', org: 'body' }], { offer: true, kind: 'ngo' });
    expect(courted).toBeGreaterThan(0.3);
    expect(courted).toBeLessThan(0.6);
  });
});
