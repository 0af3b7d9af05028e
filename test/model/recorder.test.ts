/** Recorder.wants filters what a run builds, never what it simulates. */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadScenario } from '../../src/scenario/load.ts';
import { simulate, type CityYearRecord, type EventRecord, type OrgYearRecord, type Recorder } from '../../src/model/engine.ts';
import { ROOT } from '../helpers.ts';

function collect(wants?: Recorder['wants']) {
  const events: EventRecord[] = [], cityYears: CityYearRecord[] = [], orgYears: OrgYearRecord[] = [];
  const rec: Recorder = { wants, event: (e) => events.push(e), cityYear: (r) => cityYears.push(r), orgYear: (r) => orgYears.push(r) };
  const sc = loadScenario(resolve(ROOT, 'scenarios/quickstart.yaml'));
  const summary = simulate(sc, { seed: 5, recorder: rec }); // a seed whose run has bids and a review
  return { summary, events, cityYears, orgYears };
}

describe('Recorder.wants', () => {
  it('skips org-years and the other cities, and leaves the run and every other record unchanged', () => {
    const all = collect();
    const some = collect({ orgYears: false, cityYears: ['bonn'] });
    expect(some.summary).toEqual(all.summary);
    expect(some.orgYears).toHaveLength(0);
    expect(all.orgYears.length).toBeGreaterThan(0);
    expect(some.cityYears).toEqual(all.cityYears.filter((r) => r.city === 'bonn'));
    expect(some.events).toEqual(all.events);
  });

  it('passes only the event types asked for, and the run is unchanged', () => {
    const all = collect();
    const some = collect({ events: ['contest_result', 'vote_round'] });
    expect(some.summary).toEqual(all.summary);
    expect(some.events.length).toBeGreaterThan(0);
    expect(some.events).toEqual(all.events.filter((e) => e.type === 'contest_result' || e.type === 'vote_round'));
    for (const type of ['bid', 'review'] as const) expect(all.events.some((e) => e.type === type)).toBe(true);
    expect(some.cityYears).toEqual(all.cityYears);
  });
});
