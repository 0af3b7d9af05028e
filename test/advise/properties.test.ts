/**
 * Property over random contests: no offer the search passed on its way (each cheaper than the reported optimum)
 * wins more often than the optimum, beyond noise, when both are checked on fresh replications.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAdvise } from '../../src/advise/index.ts';
import { Session } from '../../src/advise/session.ts';
import { pairedEffect } from '../../src/advise/stats.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { replicationSeed } from '../../src/experiment/file.ts';
import { city, org } from '../helpers.ts';

const u = fc.double({ min: 0.05, max: 0.95, noNaN: true });
const attrs = fc.record({ safety: u, connectivity: u, officeCost: u, livingCost: u, workforce: u, livability: u, legal: u, nationalSupport: u, conference: u, schools: u, openness: u });
const bid = fc.record({ freeOffices: fc.double({ min: 0, max: 1, noNaN: true }), subsidyMusd: fc.double({ min: 0, max: 3, noNaN: true }), term: fc.constantFrom(5, 10) });

const contestArb = fc.record({
  a: attrs, b: attrs, c: attrs, bidB: bid, bidC: bid,
  budget: fc.double({ min: 1, max: 30, noNaN: true }),
  staff: fc.integer({ min: 10, max: 300 }),
  vote: fc.boolean(),
  target: fc.double({ min: 0.3, max: 0.8, noNaN: true }),
});

describe('advise: properties over random contests', () => {
  it('an offer cheaper than the optimum never wins more often than it, beyond noise (fresh replications)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hqsim-advise-prop-'));
    let n = 0, checked = 0;
    await fc.assert(fc.asyncProperty(contestArb, async (x) => {
      const file = join(dir, `c${n++}.json`);
      writeFileSync(file, JSON.stringify({
        name: 'prop', start: 2000, years: 1, seed: 3,
        cities: [
          city('a', { ...x.a, country: 'AA', budgetMusd: x.budget, strategy: 'fixed', levers: {} }),
          city('b', { ...x.b, country: 'BB', budgetMusd: 20, strategy: 'fixed', levers: {} }),
          city('c', { ...x.c, country: 'CC', budgetMusd: 20, strategy: 'fixed', levers: {} }),
        ],
        organizations: [org('o', null, { founded: 2000, staff: x.staff, kind: x.vote ? 'intergovernmental' : 'ngo' })],
        contests: [{ id: 'k', org: 'o', year: 2000, candidates: ['a', 'b', 'c'], bids: { b: x.bidB, c: x.bidC }, ...(x.vote ? { members: 9 } : {}) }],
      }));
      const { advice } = await runAdvise(file, { contest: 'k', city: 'a', runs: 30, workers: 1, target: x.target });
      // what the search claims of its own path
      if (advice.feasible) for (const p of advice.curve.slice(0, -1)) expect(p.probability).toBeLessThan(x.target);
      const cheaper = advice.curve.filter((p) => p.costMusd < advice.costMusd - 1e-9).map((p) => p.offer);
      if (!cheaper.length) return;
      const fresh = new Session(loadScenario(file), 'k', 'a', Array.from({ length: 80 }, (_, r) => replicationSeed(3, 5000 + r)));
      const [best, ...rest] = fresh.evaluate([advice.offer, ...cheaper], 'passive');
      checked++;
      for (const r of rest) expect(pairedEffect(r.win, best.win).low).toBeLessThanOrEqual(0);
    }), { numRuns: 12, seed: 20261 }); // fixed: each case simulates 140 runs, so the cases are few and chosen once
    // the generator must give contests where money matters, or the property would hold vacuously
    expect(checked).toBeGreaterThanOrEqual(4);
  }, 240_000);
});
