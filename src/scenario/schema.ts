/**
 * The scenario file format, as zod schemas. Two layers:
 * - `ScenarioFileSchema`: what a user writes (cities/organizations may be seed ids or partial overrides);
 * - `CitySchema` / `OrgSchema`: a complete agent after seed rows and overrides are merged.
 * Units: money in USD millions (suffix Musd), shares and attributes in [0, 1], time in calendar years.
 */
import { z } from 'zod';
import { PARAM_SPECS, isSpec, type ParamSpec } from '../model/params.ts';

export const REGIONS = ['africa', 'asia', 'europe', 'latin_america', 'middle_east', 'north_america', 'oceania'] as const;
export const CITY_TYPES = ['rising', 'specialized', 'node'] as const;
export const STRATEGIES = ['fixed', 'rising', 'specialized', 'node', 'adaptive'] as const;
export const ORG_KINDS = ['un_body', 'treaty_secretariat', 'intergovernmental', 'development_bank', 'eu_agency', 'ngo',
  'city_network', 'professional_association'] as const;
export const CITY_ATTRIBUTES = ['safety', 'connectivity', 'officeCost', 'livingCost', 'workforce', 'livability', 'legal',
  'nationalSupport', 'conference', 'schools', 'openness'] as const;
export type CityAttribute = (typeof CITY_ATTRIBUTES)[number];

const num = z.number({ error: (iss) => (typeof iss.input === 'number' ? 'must be a finite number' : undefined) })
  .refine(Number.isFinite, { message: 'must be a finite number' });
const share = num.pipe(z.number().min(0).max(1));
const nonneg = num.pipe(z.number().min(0));
const year = z.number().int().min(1000).max(3000);
export const Id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are lowercase letters, digits and _ (e.g. new_york)');

/** A bid or standing offer: what a city promises an organization. */
export const OfferSchema = z.strictObject({
  freeOffices: share.optional().describe('share of office cost the city pays (0-1)'),
  subsidyMusd: nonneg.optional().describe('operating subsidy, USD m per year'),
  relocationGrantMusdPerStaff: nonneg.optional().describe('relocation grant, USD m per staff member moved'),
  taxExemption: share.optional().describe('staff tax exemption and privileges level (0-1)'),
  oneOffMusd: nonneg.optional().describe('one-off money (building, fit-out), USD m'),
  term: z.number().int().min(1).max(200).optional().describe('years the yearly terms bind the city budget'),
});
export type Offer = z.infer<typeof OfferSchema>;

export const LeversSchema = z.strictObject({
  freeOffices: share.optional().describe('share of office cost paid for hosted organizations of target domains (0-1)'),
  taxExemption: share.optional().describe('tax exemption level for staff of hosted organizations of target domains (0-1)'),
  operatingSubsidyMusd: nonneg.optional().describe('operating subsidy per hosted organization of target domains, USD m per year'),
  relocationGrantMusdPerStaff: nonneg.optional().describe('grant per staff member of an arriving organization, USD m'),
  schoolsMusd: nonneg.optional().describe('yearly investment in international schools, USD m'),
  securityMusd: nonneg.optional().describe('yearly investment in security, USD m'),
  leadershipMusd: z.record(Id, nonneg).optional().describe('yearly investment in issue leadership per domain, USD m'),
  targets: z.array(Id).optional().describe('domains the cash levers apply to (default: all)'),
});
export type Levers = z.infer<typeof LeversSchema>;

export const AllocationSchema = z.strictObject({
  cash: share, schools: share, security: share, leadership: share,
}).describe('budget shares for strategy-driven cities (sum to 1)');

const cityFields = {
  id: Id,
  name: z.string().min(1),
  country: z.string().min(2).max(3),
  region: z.enum(REGIONS),
  type: z.enum(CITY_TYPES),
  safety: share, connectivity: share, officeCost: share, livingCost: share, workforce: share, livability: share,
  legal: share, nationalSupport: share, conference: share, schools: share, openness: share,
  hostedIos: nonneg.describe('background count of hosted organizations not modelled as agents'),
  focusDomains: z.array(Id).describe('issue domains of the city: its background organizations (hostedIos) are spread over them, and specialized strategies invest in them'),
  leadership: z.record(Id, share).optional().describe('issue leadership the city starts with, per domain (0-1): a brand built by conferences and initiatives, not by the organizations it hosts'),
  budgetMusd: nonneg.describe('annual budget for attracting organizations, USD m'),
  strategy: z.enum(STRATEGIES),
  levers: LeversSchema,
  allocation: AllocationSchema.optional(),
  schedule: z.array(z.strictObject({
    from: year, to: year.optional(), levers: LeversSchema,
  })).describe('lever settings that replace `levers` for a span of years (fixed strategy)'),
  offers: z.array(OfferSchema.extend({ org: Id })).describe('standing offers to court named organizations'),
  bid: OfferSchema.optional().describe('offer this city makes in open contests (fixed strategy); strategy cities derive theirs'),
  source: z.string().optional(),
  note: z.string().optional(),
  lat: num.optional(), lon: num.optional(),
};
export const CitySchema = z.strictObject(cityFields);
export type CityDef = z.infer<typeof CitySchema>;

export const WeightsSchema = z.strictObject({ security: share, resources: share, operations: share, values: share });
export type Weights = z.infer<typeof WeightsSchema>;

const orgFields = {
  id: Id,
  name: z.string().min(1),
  kind: z.enum(ORG_KINDS),
  domain: Id,
  seat: Id.nullable().describe('city id, or null for an organization whose seat is decided by a contest when founded'),
  founded: year,
  staff: num.pipe(z.number().min(1)),
  budgetMusd: nonneg.optional(),
  localShare: share.optional(),
  veto: share.describe('probability that a powerful member blocks a move'),
  weights: WeightsSchema.optional(),
  region: z.enum([...REGIONS, 'global']).describe("membership region: a regional organization's members (all from this region) vote in its contests unless the contest names memberRegions"),
  source: z.string().optional(),
  note: z.string().optional(),
};
export const OrgSchema = z.strictObject(orgFields);
export type OrgDef = z.infer<typeof OrgSchema>;

/** What a user writes for a city or organization: a seed id, or an object whose fields override the seed row. */
export const CityEntrySchema = z.union([Id, z.strictObject(cityFields).partial().required({ id: true })]);
export const OrgEntrySchema = z.union([Id, z.strictObject(orgFields).partial().required({ id: true })]);

export const EventSchema = z.discriminatedUnion('type', [
  z.strictObject({ year, type: z.literal('nationalSupport'), city: Id, value: share, note: z.string().optional() }),
  z.strictObject({ year, type: z.literal('securityShock'), city: Id, size: share, note: z.string().optional() }),
  z.strictObject({ year, type: z.literal('budgetChange'), city: Id, factor: nonneg.optional(), budgetMusd: nonneg.optional(), note: z.string().optional() }),
  z.strictObject({ year, type: z.literal('hostWithdrawal'), city: Id, orgs: z.array(Id).optional(), search: z.boolean().optional(), note: z.string().optional() }),
  z.strictObject({ year, type: z.literal('privilegesWithdrawn'), city: Id, orgs: z.array(Id).optional(), search: z.boolean().optional(), note: z.string().optional() })
    .describe('the host state refuses privileges and immunities to the listed organizations (default: all seated in the city): there they lose legal protection and tax exemption until they move'),
  z.strictObject({ year, type: z.literal('leaseExpiry'), org: Id, search: z.boolean().optional(), note: z.string().optional() })
    .describe('the lease or host agreement of an organization expires: it reviews its seat that year without a status-quo bonus'),
  z.strictObject({ year, type: z.literal('orgBudgetCut'), org: Id, share, note: z.string().optional() }),
]);
export type EventDef = z.infer<typeof EventSchema>;

export const ContestSchema = z.strictObject({
  id: Id,
  org: Id,
  year,
  candidates: z.array(Id).optional().describe('invited cities (default: every city that bids)'),
  bids: z.record(Id, OfferSchema).optional().describe('scripted offers by city; other candidates bid by their strategy'),
  rule: z.enum(['organization', 'vote']).optional().describe("who decides: the organization (its board or secretariat, as one) or its member states voting in rounds; default by the organization's kind (member states for intergovernmental bodies, UN bodies, treaty secretariats, EU agencies and development banks; the organization for NGOs, city networks and professional associations)"),
  members: z.number().int().min(1).max(500).optional().describe('number of voting members (default org.defaultMemberCount; 27 EU states for an EU agency): one home state per candidate country plus others by region'),
  memberRegions: z.partialRecord(z.enum([...REGIONS, 'global']), nonneg).optional().describe('relative number of members per region besides the home states (default: by candidates)'),
  voters: z.array(z.strictObject({
    country: z.string().min(2).max(40).describe('country code (ISO 3166-1 alpha-2, as in the city files)'),
    region: z.enum([...REGIONS, 'global']).optional().describe('region (default: that of a city of this country in the scenario, else global)'),
  })).optional().describe('the voting member states, listed (replaces members and memberRegions)'),
  blocs: z.record(Id, z.array(z.string().min(2))).optional().describe('blocs of members that share their preferences and taste shocks: name -> country codes or region names'),
  threshold: z.number().gt(0).max(1).optional().describe('share of votes needed while more than two candidates remain (a majority is always needed)'),
  firstRoundPoints: z.array(nonneg).min(1).max(10).optional().describe('points each member gives its first, second, ... choice in the first round (EU 2017: [3, 2, 1]); a candidate first for a majority wins, else the best firstRoundKeep go on'),
  firstRoundKeep: z.number().int().min(2).max(50).optional().describe('candidates kept after a scored first round (default 3; ties at the cut are kept)'),
  consolation: z.record(Id, share).optional().describe('offices promised to losing candidates: city -> share of the organization\'s staff placed there if it loses'),
  includeSeat: z.boolean().default(true).describe("the organization's current seat stays a candidate"),
});
export type ContestDef = z.infer<typeof ContestSchema>;

const leafSchema = (s: ParamSpec) => {
  let n = num as z.ZodType<number>;
  let b = z.number();
  if (s.integer) b = b.int();
  if (s.min !== undefined) b = b.min(s.min);
  if (s.max !== undefined) b = b.max(s.max);
  n = n.pipe(b);
  return n.optional().describe(`${s.meaning} [${s.unit}; default ${s.default}]`);
};
function paramsSchema(tree: Record<string, unknown>): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(tree)) shape[k] = isSpec(v) ? leafSchema(v) : paramsSchema(v as Record<string, unknown>).optional();
  return z.strictObject(shape);
}
export const ParametersSchema = paramsSchema(PARAM_SPECS as unknown as Record<string, unknown>);

export const ScenarioFileSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a scenario name is letters, digits, _ . - (it names the results directory)').describe('scenario name; results go to results/<name>/seed-<seed>/'),
  description: z.string().optional(),
  start: year.describe('first simulated year'),
  years: z.number().int().min(1).max(1000).describe('number of simulated years'),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  seeds: z.strictObject({
    cities: z.string().optional().describe('CSV of reference cities, relative to the scenario file (default: bundled seeds/cities.csv)'),
    organizations: z.string().optional().describe('CSV of reference organizations (default: bundled seeds/organizations.csv)'),
    includeAllCities: z.boolean().optional().describe('include every city of the seed file'),
    includeAllOrganizations: z.boolean().optional().describe('include every organization of the seed file'),
    defaultBudgets: z.boolean().optional().describe("seed cities take the default attraction budget of the seed file (default_budget_musd, by income group, hosting and type; seeds/README.md) and the strategy of their type, unless the scenario sets them; default false: seed cities have no budget and stay passive"),
  }).optional(),
  defaults: z.strictObject({
    city: z.strictObject(cityFields).omit({ id: true }).partial().optional().describe('fields applied to every city before its own'),
  }).optional(),
  parameters: ParametersSchema.optional(),
  cities: z.array(CityEntrySchema).default([]),
  organizations: z.array(OrgEntrySchema).default([]),
  events: z.array(EventSchema).default([]),
  contests: z.array(ContestSchema).default([]),
  population: z.strictObject({
    cities: z.number().int().min(0).max(100000).default(0).describe('synthetic cities generated from the seed'),
    organizations: z.number().int().min(0).max(1000000).default(0).describe('synthetic organizations generated from the seed'),
    domains: z.array(Id).optional().describe('domain mix of synthetic organizations (uniform)'),
  }).optional(),
  arms: z.record(Id, z.record(z.string(), z.unknown())).optional().describe('named policy variants: path -> value overrides, e.g. cities.shanghai.levers.freeOffices: 1'),
});
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;
