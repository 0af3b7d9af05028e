/** Metric extraction for one simulation run: a Recorder that keeps only what the experiment's metrics need. */
import type { EventRecord, CityYearRecord, Recorder, Summary } from '../model/engine.ts';
import { cityYearHeader, cityYearRow } from '../output/tables.ts';
import type { MetricSpec } from './file.ts';

/** A metric value; null when the run has none (e.g. cost per organization won by a city that won none). */
export type Value = number | null;

interface CityYearAcc { spec: Extract<MetricSpec, { kind: 'cityYear' }>; index: number; col: number; n: number; sum: number; min: number; max: number; first: number | null; last: number | null; at: number | null }

export class MetricRecorder implements Recorder {
  private cy: CityYearAcc[] = [];
  private byCity = new Map<string, CityYearAcc[]>();
  private winners = new Map<string, string>();
  /** What the run must build: everything for a second recorder, else the city-year rows of the metrics' cities. */
  readonly wants: Recorder['wants'];
  /** Optional second recorder (per-run detail files). */
  constructor(private specs: MetricSpec[], private tee?: Recorder) {
    const cities = [...new Set(specs.flatMap((s) => (s.kind === 'cityYear' ? [s.city] : [])))];
    this.wants = tee ? tee.wants : { events: ['contest_result'], orgYears: false, cityYears: cities };
  }

  begin(info: { domains: string[]; cities: string[]; orgs: string[] }): void {
    const header = cityYearHeader(info.domains);
    this.cy = [];
    this.byCity.clear();
    this.winners.clear();
    this.specs.forEach((s, index) => {
      if (s.kind !== 'cityYear') return;
      const acc: CityYearAcc = { spec: s, index, col: header.indexOf(s.column), n: 0, sum: 0, min: Infinity, max: -Infinity, first: null, last: null, at: null };
      this.cy.push(acc);
      const list = this.byCity.get(s.city) ?? [];
      list.push(acc);
      this.byCity.set(s.city, list);
    });
    this.tee?.begin?.(info);
  }

  event(e: EventRecord): void {
    if (e.type === 'contest_result' && e.contest !== undefined && e.city !== undefined && !this.winners.has(e.contest)) this.winners.set(e.contest, e.city);
    this.tee?.event(e);
  }

  cityYear(r: CityYearRecord): void {
    const list = this.byCity.get(r.city);
    if (list) {
      const row = cityYearRow(r);
      for (const a of list) {
        const v = a.col >= 0 ? Number(row[a.col]) : NaN;
        if (!Number.isFinite(v)) continue;
        if (a.spec.year !== undefined) { if (r.year === a.spec.year) a.at = v; continue; }
        a.n++; a.sum += v; a.min = Math.min(a.min, v); a.max = Math.max(a.max, v);
        if (a.first === null) a.first = v;
        a.last = v;
      }
    }
    this.tee?.cityYear(r);
  }

  orgYear(r: Parameters<Recorder['orgYear']>[0]): void { this.tee?.orgYear(r); }

  /** The metric values of the finished run, in spec order. */
  values(summary: Summary): Value[] {
    const out: Value[] = new Array(this.specs.length).fill(null);
    this.specs.forEach((s, i) => {
      if (s.kind === 'summary') {
        let cur: unknown = summary;
        for (const k of s.path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
        out[i] = typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
      } else if (s.kind === 'contest') {
        const w = this.winners.get(s.contest);
        out[i] = w === undefined ? null : w === s.city ? 1 : 0;
      }
    });
    for (const a of this.cy) {
      let v: number | null;
      if (a.spec.year !== undefined) v = a.at;
      else if (a.n === 0) v = null;
      else switch (a.spec.aggregate) {
        case 'sum': v = a.sum; break;
        case 'min': v = a.min; break;
        case 'max': v = a.max; break;
        case 'first': v = a.first; break;
        case 'last': v = a.last; break;
        default: v = a.sum / a.n;
      }
      out[a.index] = v;
    }
    return out;
  }
}
