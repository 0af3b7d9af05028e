/**
 * Synthetic population: cities and organizations generated deterministically from the seed, for world-scale
 * scenarios and benchmarks. Attributes are drawn around the seeded cities' ranges; ids are zero-padded so that
 * sorted order equals generation order.
 */
import type { CityDef, OrgDef } from '../scenario/schema.ts';
import { CITY_TYPES, ORG_KINDS, REGIONS } from '../scenario/schema.ts';
import { Streams, type Stream } from './rng.ts';

const r2 = (x: number) => Math.round(x * 100) / 100;
const beta2 = (r: Stream, lo: number, hi: number) => r2(lo + (hi - lo) * (r() + r()) / 2);
const pick = <T>(r: Stream, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const pad = (i: number, n: number) => String(i).padStart(String(Math.max(1, n - 1)).length, '0');

export const DEFAULT_DOMAINS = ['agriculture', 'climate', 'culture', 'development', 'education', 'energy', 'environment', 'finance',
  'health', 'human_rights', 'humanitarian', 'labour', 'migration', 'peace_security', 'science', 'trade', 'transport', 'urban'];

export function syntheticCities(seed: number, n: number, domains: string[]): CityDef[] {
  const s = new Streams(seed);
  const out: CityDef[] = [];
  for (let i = 0; i < n; i++) {
    const id = `syn_city_${pad(i, n)}`;
    const r = s.stream('population', id, 0);
    const type = pick(r, CITY_TYPES);
    out.push({
      id, name: `Synthetic city ${i}`, country: 'ZZ', region: pick(r, REGIONS), type,
      safety: beta2(r, 0.3, 1), connectivity: beta2(r, 0.1, 1), officeCost: beta2(r, 0.1, 1), livingCost: beta2(r, 0.1, 1),
      workforce: beta2(r, 0.1, 1), livability: beta2(r, 0.2, 1), legal: beta2(r, 0, 1), nationalSupport: beta2(r, 0, 1),
      conference: beta2(r, 0, 1), schools: beta2(r, 0, 1), openness: beta2(r, 0.2, 1),
      hostedIos: Math.floor(r() * r() * 20), focusDomains: type === 'specialized' ? [pick(r, domains)] : [],
      budgetMusd: r2(r() * 20), strategy: type, levers: {}, schedule: [], offers: [],
      source: 'synthetic (population generator)',
    });
  }
  return out;
}

/** Organizations seated in the given cities (uniformly), founded up to 80 years before `start`. */
export function syntheticOrgs(seed: number, n: number, start: number, cityIds: string[], domains: string[]): OrgDef[] {
  const s = new Streams(seed);
  const out: OrgDef[] = [];
  for (let i = 0; i < n; i++) {
    const id = `syn_org_${pad(i, n)}`;
    const r = s.stream('population', id, 1);
    const staff = Math.max(1, Math.round(-Math.log(1 - r()) * 60));
    out.push({
      id, name: `Synthetic organization ${i}`, kind: pick(r, ORG_KINDS), domain: pick(r, domains),
      seat: pick(r, cityIds), founded: start - Math.floor(r() * 80), staff,
      localShare: r2(0.1 + 0.5 * r()), veto: r2(r() * r() * 0.5), region: 'global', source: 'synthetic (population generator)',
    });
  }
  return out;
}
