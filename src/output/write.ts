/**
 * Result directories: rows stream into a hidden temporary directory beside the target, which is renamed into
 * place only when the run has finished. A run that fails leaves nothing behind.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CityYearRecord, DecisionRecord, EventRecord, OrgYearRecord, Recorder } from '../model/engine.ts';
import { csvCell } from '../scenario/csv.ts';
import { DECISION_HEADER, decisionRow, EVENT_HEADER, cityYearHeader, cityYearRow, eventRow, ORG_YEAR_HEADER, orgYearRow } from './tables.ts';

class CsvFile {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  constructor(path: string, header: string[]) {
    this.fd = openSync(path, 'w');
    this.row(header);
  }
  row(cells: unknown[]): void {
    const line = cells.map(csvCell).join(',') + '\n';
    this.buf.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join(''));
    this.buf = []; this.size = 0;
  }
  close(): void { this.flush(); closeSync(this.fd); }
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
  close(): void { this.events?.close(); this.decisions?.close(); this.cities?.close(); this.orgs?.close(); }
}

export class OutputExistsError extends Error {}

/** Stable JSON: 2-space indent, numbers rounded like the CSV files, trailing newline. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' ? (Number.isFinite(v) ? Number(csvCell(v)) : null) : v), 2) + '\n';
}

/**
 * Create a temporary directory beside `target`, let `fill` write into it, then move it into place.
 * Refuses an existing target unless `force`; on any error the temporary directory is removed.
 */
export function writeAtomically<T>(target: string, force: boolean, fill: (tmp: string) => T): T {
  if (existsSync(target) && !force) throw new OutputExistsError(`${target} exists; use --force to replace it`);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    const out = fill(tmp);
    if (existsSync(target)) {
      const old = join(parent, `.${basename(target)}.old-${process.pid}`);
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, target);
    return out;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, stableJson(value));
}
