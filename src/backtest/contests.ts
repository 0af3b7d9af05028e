/**
 * Documented headquarters contests (seeds/contests.yaml and any file in the same format): the schema, its
 * types and a loader that reports every problem of a file with line, column and field path.
 * Format and translation rules: seeds/README.md, section "contests.yaml".
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ScenarioError, suggest, type Problem } from '../scenario/errors.ts';
import { locate, pathString, readYaml, schemaKeys, zodProblems, type Located } from '../scenario/locate.ts';
import { ORG_KINDS, REGIONS, Id, OfferSchema } from '../scenario/schema.ts';
import { BUNDLED_CONTESTS, BUNDLED_SEEDS } from '../scenario/paths.ts';
import { readSeedCityIds } from '../scenario/history.ts';

export { BUNDLED_CONTESTS };

const num = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const share = num.pipe(z.number().min(0).max(1));
const nonneg = num.pipe(z.number().min(0));
const count = z.number().int().min(0);
const year = z.number().int().min(1800).max(2100);
const text = z.string().trim().min(1, 'must not be empty');
const VOTER_REGIONS = [...REGIONS, 'global'] as const;

export const ContestOrgSchema = z.strictObject({
  id: Id,
  name: text,
  kind: z.enum(ORG_KINDS),
  domain: Id,
  founded: year.describe('year of the founding instrument or of the start of operations'),
  staff: num.pipe(z.number().min(1)).describe('staff at the seat near the decision (documented or estimated, basis in notes.org)'),
  budgetMusd: nonneg.describe('annual budget near the decision, USD m of the decision year'),
  localShare: share.describe('share of seat staff hired locally'),
  region: z.enum(VOTER_REGIONS).describe('membership region'),
  seat: Id.nullable().describe('seat at the time of the decision (interim or old), or null'),
});

export const WithdrawalSchema = z.union([
  Id,
  z.strictObject({
    city: Id,
    round: z.number().int().min(0).nullable().optional().describe('0 = before the first ballot; k = after ballot k; null = not known'),
    note: z.string().optional(),
  }),
]);

export const RoundSchema = z.strictObject({
  round: z.number().int().min(1),
  tally: z.record(Id, nonneg).optional().describe('votes (or points) by city id; partial tallies allowed'),
  eliminated: z.array(Id).default([]),
  withdrawn: z.array(Id).default([]).describe('candidates that withdrew after this round'),
  note: z.string().optional(),
});

export const VoteSchema = z.strictObject({
  members: z.number().int().min(1).describe('number of voters'),
  memberRegions: z.partialRecord(z.enum(VOTER_REGIONS), count).optional().describe('number of voters per region'),
  threshold: z.number().gt(0).max(1).describe('share of votes needed to win'),
  firstRoundPoints: z.array(nonneg).min(1).optional().describe('points each voter gives in round 1, best first'),
  rounds: z.array(RoundSchema).default([]),
});

export const HostingSchema = z.strictObject({
  total: count.nullable().describe('international organizations hosted at the time of the decision'),
  sameDomain: count.nullable().describe("of which in the organization's domain"),
  basis: text,
});

export const ContestEntrySchema = z.strictObject({
  id: Id,
  year,
  org: ContestOrgSchema,
  notes: z.object({ org: text }).catchall(z.string()).describe('bases of estimates: notes.org for the organization fields'),
  candidates: z.array(Id).min(2),
  withdrawn: z.array(WithdrawalSchema).default([]),
  winner: Id,
  from: Id.nullable().default(null).describe('old seat for forced or actual moves, else null'),
  rule: z.enum(['organization', 'vote']),
  decidedBy: text,
  vote: VoteSchema.optional(),
  bids: z.record(Id, OfferSchema).default({}),
  translation: z.record(Id, text).default({}),
  hosting: z.record(Id, HostingSchema).default({}),
  context: z.string().default(''),
  consolation: z.record(Id, text).default({}),
  sources: z.array(text).min(1),
});

export const ContestFileSchema = z.array(ContestEntrySchema).min(1, 'a contest file lists at least one contest');

type Entry = z.infer<typeof ContestEntrySchema>;
export type ContestOrg = z.infer<typeof ContestOrgSchema>;
export type ContestRound = z.infer<typeof RoundSchema>;
export type ContestVote = z.infer<typeof VoteSchema>;
export interface Withdrawal { city: string; round: number | null; note?: string }
/** One documented contest, withdrawals in one shape. */
export type Contest = Omit<Entry, 'withdrawn'> & { withdrawn: Withdrawal[] };
export interface ContestSet { file: string; contests: Contest[] }

export interface ContestOptions {
  /** City seed file whose ids the contests may name (default: the bundled seeds/cities.csv). */
  cities?: string;
}

let vocabulary: Set<string> | undefined;
const knownKeys = () => (vocabulary ??= schemaKeys(ContestEntrySchema));

/** Load and check a contest file. Throws ScenarioError listing every problem of the file. */
export function loadContests(file: string = BUNDLED_CONTESTS, opts: ContestOptions = {}): ContestSet {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError([{ file, path: '', message: `cannot read contests: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}` }]);
  }
  return parseContests(text, file, opts);
}

export function parseContests(text: string, file: string, opts: ContestOptions = {}): ContestSet {
  const { src, raw } = readYaml(text, file);
  if (!Array.isArray(raw)) throw new ScenarioError([{ file, line: 1, col: 1, path: '', message: 'a contest file is a list of contests (- id: ...)' }]);
  if (!raw.length) throw new ScenarioError([{ file, line: 1, col: 1, path: '', message: 'a contest file lists at least one contest' }]);
  // Each contest is checked on its own, so that one pass reports the format problems of some contests and the
  // cross-reference problems of the others.
  const problems: Problem[] = [];
  const entries: { e: Entry; i: number }[] = [];
  raw.forEach((x, i) => {
    const r = ContestEntrySchema.safeParse(x);
    if (r.success) entries.push({ e: r.data, i });
    else problems.push(...zodProblems(src, r.error.issues.map((iss) => ({ ...iss, path: [i, ...iss.path] })), knownKeys()));
  });
  const cityFile = opts.cities ?? BUNDLED_SEEDS.cities;
  const cityIds = new Set(readSeedCityIds(cityFile).keys());
  const contests = entries.map(({ e, i }) => checkContest(e, i, src, cityIds, cityFile, problems));
  const ids = new Map<string, number>();
  entries.forEach(({ e, i }) => {
    if (ids.has(e.id)) at(problems, src, [i, 'id'], `duplicate contest id "${e.id}" (also [${ids.get(e.id)}])`);
    else ids.set(e.id, i);
  });
  if (problems.length) throw new ScenarioError(problems);
  return { file, contests };
}

function at(problems: Problem[], src: Located, path: (string | number)[], message: string, key?: string): void {
  problems.push({ file: src.file, ...locate(src, path, key), path: pathString(key === undefined ? path : [...path, key]), message });
}

const hint = (id: string, ids: Iterable<string>) => { const s = suggest(id, ids); return s ? ` (did you mean "${s}"?)` : ''; };

/** Cross-references and sums of one contest; problems are appended, the normalised contest returned. */
function checkContest(e: Entry, i: number, src: Located, cityIds: Set<string>, cityFile: string, problems: Problem[]): Contest {
  const p = (path: (string | number)[], message: string, key?: string) => at(problems, src, [i, ...path], message, key);
  const cand = new Set(e.candidates);
  const city = (path: (string | number)[], id: string, key?: string) => {
    if (!cityIds.has(id)) p(path, `unknown city "${id}"${hint(id, cityIds)}: not in ${cityFile}`, key);
  };
  const candidate = (path: (string | number)[], id: string, what: string, key?: string) => {
    if (!cand.has(id)) p(path, `${what} "${id}" is not among the candidates${hint(id, cand)}`, key);
  };
  const seen = new Set<string>();
  e.candidates.forEach((c, j) => {
    city(['candidates', j], c);
    if (seen.has(c)) p(['candidates', j], `candidate "${c}" is listed twice`);
    seen.add(c);
  });
  if (e.org.seat !== null) city(['org', 'seat'], e.org.seat);
  if (e.from !== null) city(['from'], e.from);
  candidate(['winner'], e.winner, 'winner');

  const withdrawn: Withdrawal[] = e.withdrawn.map((w, j) => {
    const wd: Withdrawal = typeof w === 'string' ? { city: w, round: null } : { city: w.city, round: w.round ?? null, ...(w.note ? { note: w.note } : {}) };
    candidate(['withdrawn', j], wd.city, 'withdrawn city');
    if (wd.city === e.winner) p(['withdrawn', j], `the winner "${wd.city}" cannot have withdrawn`);
    return wd;
  });

  if (e.rule === 'vote' && !e.vote) p([], 'a contest decided by vote needs a "vote:" block (members, threshold, rounds)', 'rule');
  if (e.rule === 'organization' && e.vote) p(['vote'], 'a "vote:" block belongs to contests with rule: vote');
  if (e.vote) checkVote(e.vote, (path, m, key) => p(['vote', ...path], m, key), (path, id, what, key) => candidate(['vote', ...path], id, what, key), e.winner);

  for (const [kind, rec] of [['bids', e.bids], ['translation', e.translation], ['hosting', e.hosting], ['consolation', e.consolation]] as const) {
    for (const id of Object.keys(rec)) candidate([kind], id, `${kind} entry for`, id);
  }
  for (const id of Object.keys(e.bids)) if (!(id in e.translation)) p(['bids'], `bid of "${id}" has no translation (how the documented offer became these fields)`, id);
  for (const [id, h] of Object.entries(e.hosting)) {
    if (h.total !== null && h.sameDomain !== null && h.sameDomain > h.total) p(['hosting', id, 'sameDomain'], `sameDomain (${h.sameDomain}) exceeds total (${h.total})`);
  }
  return { ...e, withdrawn };
}

function checkVote(v: ContestVote, p: (path: (string | number)[], m: string, key?: string) => void,
  candidate: (path: (string | number)[], id: string, what: string, key?: string) => void, winner: string): void {
  if (v.memberRegions) {
    const s = Object.values(v.memberRegions).reduce((a, b) => a + (b ?? 0), 0);
    if (s !== v.members) p(['memberRegions'], `voters by region sum to ${s}, not members (${v.members})`);
  }
  const points = v.firstRoundPoints ? v.firstRoundPoints.reduce((a, b) => a + b, 0) : 1;
  const out = new Set<string>();
  let last = 0;
  v.rounds.forEach((r, j) => {
    if (r.round <= last) p(['rounds', j, 'round'], `round ${r.round} does not follow round ${last}`);
    last = r.round;
    const tally = r.tally ?? {};
    for (const id of Object.keys(tally)) {
      candidate(['rounds', j, 'tally'], id, 'tally entry for', id);
      if (out.has(id)) p(['rounds', j, 'tally'], `"${id}" has votes after it was eliminated or withdrew`, id);
    }
    const total = Object.values(tally).reduce((a, b) => a + b, 0);
    const max = v.members * (r.round === 1 ? points : 1);
    if (total > max) p(['rounds', j, 'tally'], `tally sums to ${total}, more than ${max} possible (${v.members} voters${r.round === 1 && v.firstRoundPoints ? ` x ${points} points` : ''})`);
    for (const [kind, list] of [['eliminated', r.eliminated], ['withdrawn', r.withdrawn]] as const) {
      list.forEach((id, k) => {
        candidate(['rounds', j, kind, k], id, `${kind} city`);
        if (id === winner) p(['rounds', j, kind, k], `the winner "${id}" cannot be ${kind}`);
        out.add(id);
      });
    }
  });
}
