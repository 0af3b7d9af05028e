/**
 * The scenario file format, as zod schemas. Two layers:
 * - `ScenarioFileSchema`: what a user writes (cities/organizations may be seed ids or partial overrides);
 * - `CitySchema` / `OrgSchema`: a complete agent after seed rows and overrides are merged.
 * Units: money in USD millions (suffix Musd), shares and attributes in [0, 1], time in calendar years.
 */
import { z } from 'zod';
import { PARAM_SPECS, isSpec, type ParamSpec } from '../model/params.ts';
import { leverShareProblems } from '../model/levers.ts';
import { LIMITS } from '../limits/index.ts';

import { CITY_ATTRIBUTES, CITY_TYPES, ORG_KINDS, REGIONS, STRATEGIES } from './vocab.ts';
export { CITY_ATTRIBUTES, CITY_TYPES, ORG_KINDS, REGIONS, STRATEGIES, type CityAttribute } from './vocab.ts';

// Plain bounded numbers (zod rejects NaN and infinities itself), so the bounds reach the JSON Schema (hqsim schema).
// Every number is within +-LIMITS.number; money (the non-negative amounts) at most LIMITS.money USD m.
const BIG = LIMITS.number.value;
const finite = () => z.number({ error: (iss) => (iss.code === 'invalid_type' && typeof iss.input === 'number' ? 'must be a finite number' : undefined) });
const num = finite().min(-BIG).max(BIG);
const share = finite().min(0).max(1);
const nonneg = finite().min(0).max(LIMITS.money.value, `must be at most ${LIMITS.money.value} (money is in USD m: at most USD 1 trillion)`);
const year = z.number().int().min(1000).max(3000);
const note = z.string().optional().describe('free text for the reader (not used by the model)');
const attr = (what: string) => share.describe(`${what} (0-1)`);
export const Id = z.string().max(LIMITS.idLength.value).regex(/^[a-z][a-z0-9_]*$/, 'ids are lowercase letters, digits and _ (e.g. new_york)');

/** A bid or standing offer: what a city promises an organization. */
export const OfferSchema = z.strictObject({
  freeOffices: share.optional().describe('share of office cost the city pays (0-1)'),
  subsidyMusd: nonneg.optional().describe('operating subsidy, USD m per year'),
  relocationGrantMusdPerStaff: nonneg.optional().describe('relocation grant, USD m per staff member moved'),
  taxExemption: share.optional().describe('staff tax exemption and privileges level (0-1)'),
  oneOffMusd: nonneg.optional().describe('one-off money (building, fit-out), USD m'),
  term: z.number().int().min(1).max(200).optional().describe('years the yearly terms bind the city budget'),
}).describe('what a city promises an organization');
export type Offer = z.infer<typeof OfferSchema>;

export const LeversSchema = z.strictObject({
  freeOffices: share.optional().describe('share of office cost paid for hosted organizations of target domains (0-1)'),
  taxExemption: share.optional().describe('tax exemption level for staff of hosted organizations of target domains (0-1)'),
  operatingSubsidyMusd: nonneg.optional().describe('operating subsidy per hosted organization of target domains, USD m per year'),
  relocationGrantMusdPerStaff: nonneg.optional().describe('grant per staff member of an arriving organization, USD m'),
  schoolsMusd: nonneg.optional().describe('yearly investment in international schools, USD m'),
  securityMusd: nonneg.optional().describe('yearly investment in security (host-state guarantees, protected areas), USD m'),
  connectivityMusd: nonneg.optional().describe('yearly investment in connectivity (air links, route development), USD m'),
  conferenceMusd: nonneg.optional().describe('yearly investment in conference capacity (venues, a convention centre), USD m'),
  legalMusd: nonneg.optional().describe('yearly investment in host-state law and one-stop services (registration, visas, privileges), USD m'),
  livabilityMusd: nonneg.optional().describe('yearly investment in livability for international staff (housing, services, culture), USD m'),
  workforceMusd: nonneg.optional().describe('yearly investment in a skilled multilingual workforce (language programmes, courses), USD m'),
  opennessMusd: nonneg.optional().describe('yearly investment in openness (city networks, international exchange, sister cities), USD m'),
  leadershipMusd: z.record(Id, nonneg).optional().describe('yearly investment in issue leadership per domain, USD m'),
  schoolsShare: share.optional().describe('yearly investment in international schools as a share of the city\'s budget that year (0-1), instead of schoolsMusd'),
  securityShare: share.optional().describe('yearly investment in security as a share of the city\'s budget that year (0-1), instead of securityMusd'),
  connectivityShare: share.optional().describe('yearly investment in connectivity as a share of the city\'s budget that year (0-1), instead of connectivityMusd'),
  conferenceShare: share.optional().describe('yearly investment in conference capacity as a share of the city\'s budget that year (0-1), instead of conferenceMusd'),
  legalShare: share.optional().describe('yearly investment in host-state law and one-stop services as a share of the city\'s budget that year (0-1), instead of legalMusd'),
  livabilityShare: share.optional().describe('yearly investment in livability as a share of the city\'s budget that year (0-1), instead of livabilityMusd'),
  workforceShare: share.optional().describe('yearly investment in the workforce as a share of the city\'s budget that year (0-1), instead of workforceMusd'),
  opennessShare: share.optional().describe('yearly investment in openness as a share of the city\'s budget that year (0-1), instead of opennessMusd'),
  leadershipShare: z.record(Id, share).optional().describe('yearly investment in issue leadership per domain as a share of the city\'s budget that year (0-1), instead of leadershipMusd'),
  targets: z.array(Id).optional().describe('domains the cash levers apply to (default: all)'),
}).describe('lever settings of a fixed-strategy city: levels (0-1), amounts in USD m, or investments as shares of the budget').superRefine((l, ctx) => {
  for (const p of leverShareProblems(l)) ctx.addIssue({ code: 'custom', path: [p.key], message: p.message });
});
export type Levers = z.infer<typeof LeversSchema>;

export const AllocationSchema = z.strictObject({
  cash: share.optional().describe('share of the budget for cash levers (free offices, operating subsidies, tax exemption)'),
  security: share.optional().describe('share of the budget for security'),
  schools: share.optional().describe('share of the budget for international schools'),
  connectivity: share.optional().describe('share of the budget for connectivity (air links)'),
  conference: share.optional().describe('share of the budget for conference capacity'),
  legal: share.optional().describe('share of the budget for host-state law and one-stop services'),
  livability: share.optional().describe('share of the budget for livability'),
  workforce: share.optional().describe('share of the budget for a skilled multilingual workforce'),
  openness: share.optional().describe('share of the budget for openness (city networks, exchange)'),
  leadership: share.optional().describe('share of the budget for issue leadership (focus domains; all domains for node cities)'),
}).describe('budget shares for strategy-driven cities over the lever groups (missing groups are 0; the shares sum to 1)');

const cityFields = {
  id: Id.describe('city id: a seed city of seeds/cities.csv, or a new one defined here'),
  name: z.string().min(1).describe('display name'),
  country: z.string().min(2).max(3).describe('ISO country code'),
  region: z.enum(REGIONS).describe('world region'),
  type: z.enum(CITY_TYPES).describe('city type: rising, specialized or node'),
  safety: attr('safety and security'), connectivity: attr('air and transport connectivity'), officeCost: attr('office cost level'),
  livingCost: attr('cost of living'), workforce: attr('skilled international workforce'), livability: attr('livability'),
  legal: attr('legal framework for international organizations (host-country agreements, privileges)'),
  nationalSupport: attr('support of the national government'), conference: attr('conference capacity'),
  schools: attr('international schools'), openness: attr('openness and values fit'),
  hostedIos: nonneg.describe('background count of hosted organizations not modelled as agents'),
  focusDomains: z.array(Id).describe('issue domains of the city: its background organizations (hostedIos) are spread over them, and specialized strategies invest in them'),
  history: z.partialRecord(z.enum([...CITY_ATTRIBUTES, 'hostedIos']), z.array(z.tuple([year, nonneg])).min(1)).optional()
    .describe('dated values of attributes, [year, value] pairs in ascending years: the attribute follows the straight lines between them, the first value before them and the last after them (seed cities get theirs from seeds/city_history.csv)'),
  leadership: z.record(Id, share).optional().describe('issue leadership the city starts with, per domain (0-1): a brand built by conferences and initiatives, not by the organizations it hosts'),
  budgetMusd: nonneg.describe('annual budget for attracting organizations, USD m'),
  strategy: z.enum(STRATEGIES).describe('how the city sets its levers: fixed (as written in levers), or by type (rising, specialized, node), or adaptive'),
  levers: LeversSchema,
  allocation: AllocationSchema.optional(),
  schedule: z.array(z.strictObject({
    from: year.describe('first year'), to: year.optional().describe('last year (default: to the end)'), levers: LeversSchema,
  }).describe('lever settings for a span of years')).describe('lever settings that replace `levers` for a span of years (fixed strategy)'),
  offers: z.array(OfferSchema.extend({ org: Id.describe('the organization courted') })).describe('standing offers to court named organizations'),
  bid: OfferSchema.optional().describe('offer this city makes in open contests (fixed strategy); strategy cities derive theirs'),
  source: z.string().optional().describe('where the figures come from'),
  note,
  lat: num.optional().describe('latitude, degrees'), lon: num.optional().describe('longitude, degrees'),
};
export const CitySchema = z.strictObject(cityFields);
export type CityDef = z.infer<typeof CitySchema>;

export const WeightsSchema = z.strictObject({
  security: share.describe('weight of the security driver'), resources: share.describe('weight of the resources driver'),
  operations: share.describe('weight of the operations driver'), values: share.describe('weight of the values driver'),
}).describe('driver weights of the organization (sum to 1; default by stage)');
export type Weights = z.infer<typeof WeightsSchema>;

const orgFields = {
  id: Id.describe('organization id: a seed organization of seeds/organizations.csv, or a new one defined here'),
  name: z.string().min(1).describe('display name'),
  kind: z.enum(ORG_KINDS).describe('kind of organization'),
  domain: Id.describe('issue domain, e.g. climate'),
  seat: Id.nullable().describe('city id, or null for an organization whose seat is decided by a contest when founded'),
  founded: year.describe('year founded (a later year: founded during the run)'),
  staff: num.min(1).describe('staff at headquarters'),
  budgetMusd: nonneg.optional().describe('yearly budget, USD m (default: staff x org.budgetPerStaffMusd)'),
  localShare: share.optional().describe('share of staff hired locally (lost when the organization moves)'),
  veto: share.describe('probability that a powerful member blocks a move'),
  weights: WeightsSchema.optional(),
  region: z.enum([...REGIONS, 'global']).describe("membership region: a regional organization's members (all from this region) vote in its contests unless the contest names memberRegions"),
  source: z.string().optional().describe('where the figures come from'),
  note,
};
export const OrgSchema = z.strictObject(orgFields);
export type OrgDef = z.infer<typeof OrgSchema>;

/** What a user writes for a city or organization: a seed id, or an object whose fields override the seed row. */
export const CityEntrySchema = z.union([Id, z.strictObject(cityFields).partial().required({ id: true })]).describe('a seed city id, or a city: overrides of a seed city or a complete new one');
export const OrgEntrySchema = z.union([Id, z.strictObject(orgFields).partial().required({ id: true })]).describe('a seed organization id, or an organization: overrides of a seed row or a complete new one');

const evYear = year.describe('year the event happens');
const evCity = Id.describe('city id');
const evOrg = Id.describe('organization id');
export const EventSchema = z.discriminatedUnion('type', [
  z.strictObject({ year: evYear, type: z.literal('nationalSupport').describe('the national government\'s support changes'), city: evCity, value: share.describe('new national support (0-1)'), note }),
  z.strictObject({ year: evYear, type: z.literal('securityShock').describe('a security incident lowers safety'), city: evCity, size: share.describe('drop in safety (0-1)'), note }),
  z.strictObject({ year: evYear, type: z.literal('budgetChange').describe('the city\'s attraction budget changes'), city: evCity, factor: nonneg.optional().describe('multiply the budget by this'),
    budgetMusd: nonneg.optional().describe('new budget, USD m'), note }),
  z.strictObject({ year: evYear, type: z.literal('hostWithdrawal').describe('the host withdraws its support (its commitments end): its organizations review their seats'), city: evCity,
    orgs: z.array(Id).optional().describe('the organizations affected (default: all it hosts)'), search: z.boolean().optional().describe('the organizations must search for a new seat'), note }),
  z.strictObject({ year: evYear, type: z.literal('privilegesWithdrawn').describe('the host state refuses privileges and immunities: there the organizations lose legal protection and tax exemption until they move'), city: evCity,
    orgs: z.array(Id).optional().describe('the organizations affected (default: all it hosts)'), search: z.boolean().optional().describe('the organizations must search for a new seat'), note }),
  z.strictObject({ year: evYear, type: z.literal('leaseExpiry').describe('an organization\'s lease or host agreement expires: it reviews its seat that year without a status-quo bonus'), org: evOrg,
    search: z.boolean().optional().describe('the organization must search for a new seat'), note }),
  z.strictObject({ year: evYear, type: z.literal('orgBudgetCut').describe('an organization\'s budget is cut'), org: evOrg, share: share.describe('share of the budget cut (0-1)'), note }),
]).describe('a scheduled event');
export type EventDef = z.infer<typeof EventSchema>;

export const ContestSchema = z.strictObject({
  id: Id.describe('contest id (metrics and hqsim odds refer to it)'),
  org: Id.describe('the organization whose seat is contested'),
  year: year.describe('year of the contest'),
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
}).describe('a site contest for an organization\'s seat');
export type ContestDef = z.infer<typeof ContestSchema>;

const leafSchema = (s: ParamSpec) => {
  let b = num;
  if (s.integer) b = b.int();
  if (s.min !== undefined) b = b.min(s.min);
  if (s.max !== undefined) b = b.max(s.max);
  return b.optional().describe(`${s.meaning} [${s.unit}; default ${s.default}]`);
};
function paramsSchema(tree: Record<string, unknown>, prefix = ''): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(tree)) shape[k] = isSpec(v) ? leafSchema(v) : paramsSchema(v as Record<string, unknown>, `${prefix}${k}`).optional();
  return z.strictObject(shape).describe(prefix ? `model coefficients ${prefix}.* (see hqsim params)` : 'model coefficients (see hqsim params and docs/ODD.md); all have documented defaults');
}
export const ParametersSchema = paramsSchema(PARAM_SPECS as unknown as Record<string, unknown>);

export const ScenarioFileSchema = z.strictObject({
  $schema: z.string().optional().describe('JSON Schema of this file, for editors (hqsim schema)'),
  name: z.string().max(LIMITS.nameLength.value).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a scenario name is letters, digits, _ . - (it names the results directory)').describe('scenario name; results go to results/<name>/seed-<seed>/'),
  description: z.string().optional().describe('free text, copied to the manifest'),
  start: year.describe('first simulated year'),
  years: z.number().int().min(1).max(1000).describe('number of simulated years'),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1).describe('random seed (hqsim run --seed overrides)'),
  seeds: z.strictObject({
    cities: z.string().optional().describe('CSV of reference cities, relative to the scenario file (default: bundled seeds/cities.csv)'),
    organizations: z.string().optional().describe('CSV of reference organizations (default: bundled seeds/organizations.csv)'),
    includeAllCities: z.boolean().optional().describe('include every city of the seed file'),
    includeAllOrganizations: z.boolean().optional().describe('include every organization of the seed file'),
    history: z.string().optional().describe('CSV of dated city attributes, relative to the scenario file (default: bundled seeds/city_history.csv)'),
    defaultBudgets: z.boolean().optional().describe("seed cities take the default attraction budget of the seed file (default_budget_musd, by income group, hosting and type; seeds/README.md) and the strategy of their type, unless the scenario sets them; default false: seed cities have no budget and stay passive"),
  }).optional().describe('reference data files'),
  cityHistory: z.boolean().optional().describe('seed cities take the attributes of each simulated year from their dated history (default true); attributes the scenario sets stay as set'),
  defaults: z.strictObject({
    city: z.strictObject(cityFields).omit({ id: true }).partial().optional().describe('fields applied to every city before its own'),
  }).optional().describe('defaults for the entries below'),
  parameters: ParametersSchema.optional(),
  cities: z.array(CityEntrySchema).default([]).describe('the cities: seed ids or objects'),
  organizations: z.array(OrgEntrySchema).default([]).describe('the organizations: seed ids or objects'),
  events: z.array(EventSchema).default([]).describe('scheduled events'),
  contests: z.array(ContestSchema).default([]).describe('site contests for new or moving organizations'),
  population: z.strictObject({
    cities: z.number().int().min(0).max(100000).default(0).describe('synthetic cities generated from the seed'),
    organizations: z.number().int().min(0).max(1000000).default(0).describe('synthetic organizations generated from the seed'),
    domains: z.array(Id).optional().describe('domain mix of synthetic organizations (uniform)'),
  }).optional().describe('synthetic cities and organizations added to the listed ones'),
  arms: z.record(Id, z.record(z.string(), z.unknown())).optional().describe('named policy variants: path -> value overrides, e.g. cities.shanghai.levers.freeOffices: 1'),
});
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;
