/**
 * Cities as they were: dated city attributes (seeds/city_history.csv) and their interpolation in time.
 *
 * For one city and one attribute, the dated points of the history file plus the present value (the row of
 * seeds/cities.csv, which describes the year SEEDS_PRESENT_YEAR) define a piecewise-linear path: at a dated
 * year the dated value, between two points the straight line, before the first point the first point's value,
 * at or after the present year the present value. Without a present value the last dated point holds.
 */
import { readFileSync } from 'node:fs';
import { parseCsv } from './csv.ts';
import { ScenarioError, suggest, type Problem } from './errors.ts';
import { CITY_ATTRIBUTES, type CityDef } from './schema.ts';
import { BUNDLED_HISTORY, BUNDLED_SEEDS } from './paths.ts';

/** The year the values of seeds/cities.csv describe (index editions 2023-2024, see seeds/README.md). */
export const SEEDS_PRESENT_YEAR = 2024;
export { BUNDLED_HISTORY };

export const HISTORY_ATTRIBUTES = [...CITY_ATTRIBUTES, 'hostedIos'] as const;
export type HistoryAttribute = (typeof HISTORY_ATTRIBUTES)[number];
const HISTORY_COLUMNS = ['city', 'year', 'attribute', 'value', 'source', 'note'] as const;
const FIRST_YEAR = 1800;

export interface HistoryPoint { year: number; value: number; source: string; note: string; line: number }

export interface CityHistory {
  file: string;
  /** Year of the present values that end every path. */
  presentYear: number;
  /** city id -> attribute -> dated points, ascending by year. Maps are filled in file order of first mention. */
  series: Map<string, Map<HistoryAttribute, HistoryPoint[]>>;
}

export interface HistoryOptions {
  /** City seed file whose ids the history may name (default: the bundled seeds/cities.csv). */
  cities?: string;
  /** Year the present values describe (default SEEDS_PRESENT_YEAR); dated points must be earlier. */
  presentYear?: number;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError([{ file, path: '', message: `cannot read ${what}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}` }]);
  }
}

/** Ids of a city seed file, with the present hosted_ios cell of each (empty cell = undefined). */
export function readSeedCityIds(file: string): Map<string, { hostedIos?: number }> {
  const t = parseCsv(readText(file, 'city seed file'));
  const id = t.header.indexOf('id');
  const hosted = t.header.indexOf('hosted_ios');
  if (id < 0) throw new ScenarioError([{ file, line: 1, col: 1, path: 'id', message: 'city seed file has no "id" column' }]);
  const out = new Map<string, { hostedIos?: number }>();
  for (const r of t.rows) {
    const h = hosted >= 0 ? (r.cells[hosted] ?? '').trim() : '';
    out.set((r.cells[id] ?? '').trim(), h === '' ? {} : { hostedIos: Number(h) });
  }
  return out;
}

/** 1-based character columns at which the fields of one physical CSV line start (quote-aware). */
function fieldColumns(line: string): number[] {
  const cols = [1];
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) cols.push(i + 2);
  }
  return cols;
}

/** Load and check a dated city-attribute table. Throws ScenarioError listing every problem with line and column. */
export function loadCityHistory(file: string = BUNDLED_HISTORY, opts: HistoryOptions = {}): CityHistory {
  const text = readText(file, 'city history');
  return parseCityHistory(text, file, opts);
}

export function parseCityHistory(text: string, file: string, opts: HistoryOptions = {}): CityHistory {
  const presentYear = opts.presentYear ?? SEEDS_PRESENT_YEAR;
  const cityFile = opts.cities ?? BUNDLED_SEEDS.cities;
  const cities = readSeedCityIds(cityFile);
  const table = parseCsv(text);
  const lines = text.split(/\r\n|\n|\r/);
  const problems: Problem[] = [];
  const colIndex = new Map(table.header.map((h, i) => [h, i]));
  for (const c of HISTORY_COLUMNS) {
    if (!colIndex.has(c)) problems.push({ file, line: 1, col: 1, path: c, message: `missing column "${c}" (columns: ${HISTORY_COLUMNS.join(',')})` });
  }
  table.header.forEach((h, i) => {
    if (!(HISTORY_COLUMNS as readonly string[]).includes(h)) {
      const hint = suggest(h, HISTORY_COLUMNS);
      problems.push({ file, line: 1, col: fieldColumns(lines[0] ?? '')[i] ?? 1, path: h, message: `unknown column "${h}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
    }
  });
  if (problems.length) throw new ScenarioError(problems);

  const series = new Map<string, Map<HistoryAttribute, HistoryPoint[]>>();
  const seen = new Map<string, number>();
  for (const r of table.rows) {
    const cols = fieldColumns(lines[r.line - 1] ?? '');
    const cell = (c: (typeof HISTORY_COLUMNS)[number]) => (r.cells[colIndex.get(c)!] ?? '').trim();
    const at = (c: (typeof HISTORY_COLUMNS)[number], message: string) => {
      const i = colIndex.get(c)!;
      problems.push({ file, line: r.line, col: cols[i] ?? i + 1, path: c, message });
    };
    if (r.cells.length !== table.header.length) {
      problems.push({ file, line: r.line, col: 1, path: '', message: `row has ${r.cells.length} fields, header has ${table.header.length}` });
      continue;
    }
    let ok = true;
    const city = cell('city');
    if (!cities.has(city)) {
      const hint = suggest(city, cities.keys());
      at('city', `unknown city "${city}"${hint ? ` (did you mean "${hint}"?)` : ''}: not in ${cityFile}`);
      ok = false;
    }
    const yearText = cell('year');
    const year = Number(yearText);
    if (yearText === '' || !Number.isInteger(year)) { at('year', `year "${yearText}" is not a whole number`); ok = false; }
    else if (year < FIRST_YEAR || year >= presentYear) {
      at('year', `year ${year} is outside ${FIRST_YEAR}-${presentYear - 1} (dated points precede the present values of ${presentYear})`);
      ok = false;
    }
    const attribute = cell('attribute') as HistoryAttribute;
    if (!(HISTORY_ATTRIBUTES as readonly string[]).includes(attribute)) {
      const hint = suggest(attribute, HISTORY_ATTRIBUTES);
      at('attribute', `unknown attribute "${attribute}"${hint ? ` (did you mean "${hint}"?)` : ''}; one of ${HISTORY_ATTRIBUTES.join(', ')}`);
      ok = false;
    }
    const valueText = cell('value');
    const value = Number(valueText);
    if (valueText === '' || !Number.isFinite(value)) { at('value', `value "${valueText}" is not a number`); ok = false; }
    else if (attribute === 'hostedIos') {
      if (!Number.isInteger(value) || value < 0) { at('value', `hostedIos ${value} is not a count (a whole number >= 0)`); ok = false; }
      else if (cities.has(city) && cities.get(city)!.hostedIos === undefined) {
        at('attribute', `hostedIos of "${city}" has no present count in ${cityFile}, so its path cannot end at the present value`);
        ok = false;
      }
    } else if (value < 0 || value > 1) { at('value', `${attribute} ${value} is outside [0, 1]`); ok = false; }
    if (cell('source') === '') { at('source', 'every dated value needs a source or an estimate basis'); ok = false; }
    const key = `${city}\u0000${year}\u0000${attribute}`;
    if (seen.has(key)) { at('year', `duplicate row for ${city}, ${year}, ${attribute} (first on line ${seen.get(key)})`); ok = false; }
    else seen.set(key, r.line);
    if (!ok) continue;
    let byAttr = series.get(city);
    if (!byAttr) series.set(city, (byAttr = new Map()));
    let pts = byAttr.get(attribute);
    if (!pts) byAttr.set(attribute, (pts = []));
    pts.push({ year, value, source: cell('source'), note: cell('note'), line: r.line });
  }
  if (problems.length) throw new ScenarioError(problems);
  for (const byAttr of series.values()) for (const pts of byAttr.values()) pts.sort((a, b) => a.year - b.year);
  return { file, presentYear, series };
}

/**
 * The value of one city attribute in `year`: the piecewise-linear path through the dated points and the
 * present value (at `history.presentYear`). Before the first point the first value holds; at or after the
 * present year the present value; with no present value (undefined) the last dated point holds.
 */
export function attributeAt(history: CityHistory, cityId: string, attribute: HistoryAttribute, year: number, presentValue: number | undefined): number {
  const pts = history.series.get(cityId)?.get(attribute);
  if (!pts || pts.length === 0) {
    if (presentValue === undefined) throw new RangeError(`no dated or present value of ${attribute} for "${cityId}"`);
    return presentValue;
  }
  if (presentValue !== undefined && year >= history.presentYear) return presentValue;
  if (year <= pts[0].year) return pts[0].value;
  for (let i = 1; i < pts.length; i++) {
    if (year <= pts[i].year) return lerp(pts[i - 1].year, pts[i - 1].value, pts[i].year, pts[i].value, year);
  }
  const last = pts[pts.length - 1];
  return presentValue === undefined ? last.value : lerp(last.year, last.value, history.presentYear, presentValue, year);
}

function lerp(x0: number, y0: number, x1: number, y1: number, x: number): number {
  if (x === x1) return y1;
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/** A city with every attribute (and its background hosted count) as it was in `year`. */
export function cityAt<C extends Pick<CityDef, 'id' | (typeof CITY_ATTRIBUTES)[number] | 'hostedIos'>>(history: CityHistory, city: C, year: number): C {
  const out = { ...city };
  for (const a of HISTORY_ATTRIBUTES) out[a] = attributeAt(history, city.id, a, year, city[a]);
  return out;
}
