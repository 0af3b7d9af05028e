/** The contest data format: the bundled fitting set loads, and broken files give every problem with its location. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContests, parseContests } from '../../src/backtest/contests.ts';
import { ScenarioError, formatProblem } from '../../src/scenario/errors.ts';

function problems(text: string, opts = {}): string[] {
  try {
    parseContests(text, 'c.yaml', opts);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

const ONE = `- id: test_2000
  year: 2000
  org: { id: t, name: Test body, kind: treaty_secretariat, domain: climate, founded: 1999, staff: 20, budgetMusd: 2,
         localShare: 0.3, region: global, seat: geneva }
  notes: { org: "all estimates" }
  candidates: [bonn, geneva, vienna]
  winner: bonn
  rule: vote
  decidedBy: "a vote"
  vote:
    members: 10
    memberRegions: { europe: 6, asia: 4 }
    threshold: 0.5
    rounds:
      - { round: 1, tally: { bonn: 4, geneva: 3, vienna: 3 }, eliminated: [vienna] }
      - { round: 2, tally: { bonn: 6, geneva: 4 } }
  bids:
    bonn: { freeOffices: 1, subsidyMusd: 1, term: 20 }
  translation:
    bonn: "free offices and USD 1m a year"
  sources: ["A. Author (2000). A report."]
`;

describe('seeds/contests.yaml', () => {
  const set = loadContests();
  it('holds exactly the twelve fitting contests, each winner among its candidates', () => {
    expect(set.contests.map((c) => c.id).sort()).toEqual(['adb_1965', 'cbd_1995', 'ema_2017', 'gcf_2012', 'iclei_2010', 'ipbes_2012',
      'irena_2009', 'unccd_1997', 'unep_1972', 'unfccc_1995', 'unv_1995', 'wada_2001']);
    for (const c of set.contests) {
      expect(c.candidates, c.id).toContain(c.winner);
      expect(c.sources.length, c.id).toBeGreaterThan(0);
      expect(c.notes.org.length, c.id).toBeGreaterThan(20);
      for (const id of c.candidates) expect(c.translation[id] ?? c.bids[id], `${c.id}: ${id} has neither a bid nor a "not documented" translation`).toBeDefined();
    }
  });
  it('records the documented ballots where known', () => {
    const ema = set.contests.find((c) => c.id === 'ema_2017')!;
    expect(ema.from).toBe('london');
    expect(ema.vote?.firstRoundPoints).toEqual([3, 2, 1]);
    expect(ema.vote?.rounds.at(-1)?.tally).toEqual({ milan: 13, amsterdam: 13 });
    const wada = set.contests.find((c) => c.id === 'wada_2001')!;
    expect(wada.withdrawn).toEqual([{ city: 'lille', round: 0, note: expect.any(String) }]);
    expect(wada.vote?.rounds.map((r) => r.eliminated[0] ?? null)).toEqual(['bonn', 'stockholm', 'vienna', null]);
  });
  it('cites no internal file names', () => {
    for (const c of set.contests) for (const s of c.sources) expect(s).not.toMatch(/\.txt|DOMAIN\.md|shared\//);
  });
});

describe('contest file errors', () => {
  it('accepts a well-formed file in the same format, normalising withdrawals', () => {
    expect(problems(ONE)).toEqual([]);
    const set = parseContests(ONE.replace('  winner: bonn', '  withdrawn: [vienna]\n  winner: bonn'), 'c.yaml');
    expect(set.contests[0].withdrawn).toEqual([{ city: 'vienna', round: null }]);
    expect(set.contests[0].from).toBeNull();
  });
  it('a top-level mapping is refused with a clear message', () => {
    expect(problems('id: x\n')).toEqual(['c.yaml:1:1: (file): a contest file is a list of contests (- id: ...)']);
  });
  it('a misspelt key names its line, column and a suggestion', () => {
    const p = problems(ONE.replace('  winner: bonn', '  winer: bonn'));
    expect(p).toContain('c.yaml:7:3: [0].winer: unknown key "winer" (did you mean "winner"?)');
  });
  it('reports every cross-reference problem of the file in one pass', () => {
    const bad = ONE.replace('[bonn, geneva, vienna]', '[bonn, geneva, vienna, atlantis]')
      .replace('winner: bonn', 'winner: paris')
      .replace('geneva: 3, vienna: 3', 'geneva: 3, vienna: 3, rome: 1')
      .replace('europe: 6, asia: 4', 'europe: 6, asia: 3')
      .replace('{ bonn: 6, geneva: 4 }', '{ bonn: 6, geneva: 4, vienna: 1 }');
    const p = problems(bad);
    expect(p).toEqual(expect.arrayContaining([
      expect.stringMatching(/^c\.yaml:6:\d+: \[0\]\.candidates\[3\]: unknown city "atlantis"/),
      expect.stringMatching(/^c\.yaml:7:11: \[0\]\.winner: winner "paris" is not among the candidates/),
      expect.stringMatching(/^c\.yaml:\d+:\d+: \[0\]\.vote\.rounds\[0\]\.tally\.rome: tally entry for "rome" is not among the candidates/),
      expect.stringMatching(/^c\.yaml:12:\d+: \[0\]\.vote\.memberRegions: voters by region sum to 9, not members \(10\)/),
      expect.stringMatching(/\[0\]\.vote\.rounds\[1\]\.tally\.vienna: "vienna" has votes after it was eliminated/),
      expect.stringMatching(/^c\.yaml:15:\d+: \[0\]\.vote\.rounds\[0\]\.tally: tally sums to 11, more than 10 possible/),
      expect.stringMatching(/^c\.yaml:16:\d+: \[0\]\.vote\.rounds\[1\]\.tally: tally sums to 11, more than 10 possible/),
    ]));
    expect(p.length).toBe(7);
  });
  it('checks the rule against the vote block, bids against translations, duplicates and ranges', () => {
    const noVote = ONE.replace(/  vote:\n(    .*\n|      .*\n)*/, '');
    expect(problems(noVote)).toEqual([expect.stringMatching(/^c\.yaml:8:3: \[0\]\.rule: a contest decided by vote needs a "vote:" block/)]);
    const untranslated = ONE.replace('  translation:\n    bonn: "free offices and USD 1m a year"\n', '');
    expect(problems(untranslated)).toEqual([expect.stringMatching(/\[0\]\.bids\.bonn: bid of "bonn" has no translation/)]);
    const twice = ONE + ONE.replace('- id: test_2000', '- id: test_2000');
    expect(problems(twice)).toEqual([expect.stringMatching(/^c\.yaml:\d+:7: \[1\]\.id: duplicate contest id "test_2000"/)]);
    const range = problems(ONE.replace('freeOffices: 1,', 'freeOffices: 1.5,').replace('staff: 20', 'staff: 0'));
    expect(range).toEqual([
      expect.stringMatching(/^c\.yaml:3:\d+: \[0\]\.org\.staff: /),
      expect.stringMatching(/^c\.yaml:\d+:\d+: \[0\]\.bids\.bonn\.freeOffices: /),
    ]);
  });
  it('checks city ids against the city seed file it is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hqsim-contests-'));
    const cities = join(dir, 'cities.csv');
    writeFileSync(cities, 'id,name,hosted_ios\nbonn,Bonn,\ngeneva,Geneva,\n');
    const file = join(dir, 'c.yaml');
    writeFileSync(file, ONE);
    expect(() => loadContests(file, { cities })).toThrow(/candidates\[2\]: unknown city "vienna"/);
    expect(() => loadContests(join(dir, 'missing.yaml'))).toThrow(/cannot read contests: no such file/);
  });
});
