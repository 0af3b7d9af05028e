/**
 * Result directories: rows stream into a hidden temporary directory beside the target, which is renamed into
 * place only when the run has finished (see replace.ts). A run that fails leaves nothing behind.
 */
import { closeSync, openSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CityYearRecord, DecisionRecord, EventRecord, OrgYearRecord, Recorder } from '../model/engine.ts';
import { csvCell } from '../scenario/csv.ts';
import { DECISION_HEADER, decisionRow, EVENT_HEADER, cityYearHeader, cityYearRow, eventRow, ORG_YEAR_HEADER, orgYearRow } from './tables.ts';
import { withPath } from './system-errors.ts';
import { stableJson } from './json.ts';

export { OutputExistsError, OutputRefusedError, writeAtomically } from './replace.ts';
export { stableJson } from './json.ts';

class CsvFile {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  constructor(private path: string, header: string[]) {
    this.fd = withPath(path, () => openSync(path, 'w'));
    this.row(header);
  }
  row(cells: unknown[]): void {
    const line = cells.map(csvCell).join(',') + '\n';
    this.buf.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) { const text = this.buf.join(''); withPath(this.path, () => writeSync(this.fd, text)); }
    this.buf = []; this.size = 0;
  }
  close(): void {
    try { this.flush(); } finally { closeSync(this.fd); }
  }
}

/** Streams events.csv, decisions.csv, city_year.csv and org_year.csv into `dir` as the engine produces them. */
export class CsvRecorder implements Recorder {
  private events?: CsvFile;
  private decisions?: CsvFile;
  private cities?: CsvFile;
  private orgs?: CsvFile;
  constructor(private dir: string) {}
  begin(info: { domains: string[] }): void {
    this.events = new CsvFile(join(this.dir, 'events.csv'), EVENT_HEADER);
    this.decisions = new CsvFile(join(this.dir, 'decisions.csv'), DECISION_HEADER);
    this.cities = new CsvFile(join(this.dir, 'city_year.csv'), cityYearHeader(info.domains));
    this.orgs = new CsvFile(join(this.dir, 'org_year.csv'), ORG_YEAR_HEADER);
  }
  event(e: EventRecord): void { this.events!.row(eventRow(e)); }
  decision(d: DecisionRecord): void { this.decisions!.row(decisionRow(d)); }
  cityYear(r: CityYearRecord): void { this.cities!.row(cityYearRow(r)); }
  orgYear(r: OrgYearRecord): void { this.orgs!.row(orgYearRow(r)); }
  close(): void {
    let failure: unknown;
    for (const f of [this.events, this.decisions, this.cities, this.orgs]) { try { f?.close(); } catch (e) { failure ??= e; } }
    if (failure) throw failure;
  }
}

export function writeJson(path: string, value: unknown): void {
  const text = stableJson(value);
  withPath(path, () => writeFileSync(path, text));
}
