/**
 * Control descriptors and slider ranges of the sandbox (no dependencies: shared by the page and the command
 * that writes it).
 */

/**
 * - `number`: one value; `perDomain`: a record of numbers by domain (one value per domain);
 * - `domains`: a list of domains (chosen among the world's domains); `choice`: one of `options`.
 * Fields of other shapes are listed as `other` and shown read-only.
 */
export type FieldKind = 'number' | 'perDomain' | 'domains' | 'choice' | 'other';

export interface FieldSpec {
  key: string;
  label: string;
  description: string;
  kind: FieldKind;
  /** Unit as shown beside the control ("share (0-1)", "USD m per year", ...); '' when none is known. */
  unit: string;
  /** Schema bounds of a number (or of each value of a perDomain record); null when unbounded. */
  min: number | null;
  max: number | null;
  integer: boolean;
  options?: string[];
}

/** A "nice" number at or above x: 1, 2, 2.5 or 5 times a power of ten. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x - 1e-12 * p) return m * p;
  return 10 * p;
}

export interface RangeContext {
  /** The value now in effect (scenario or setting). */
  current: number;
  /** The budget of the city the control belongs to, USD m per year. */
  cityBudget: number;
  /** The largest budget of any city in the scenario, USD m per year. */
  maxBudget: number;
  /** The scenario's number of simulated years. */
  scenarioYears: number;
}

export interface SliderRange { min: number; max: number; step: number }

/**
 * The slider of a number field. Shares and other bounded fields slide over their schema bounds; money and fields
 * the schema bounds only loosely (the input limits: USD 1 trillion, a 200-year term) slide up to a documented
 * maximum, and any larger value the schema accepts may be typed:
 * - years simulated: up to twice the scenario's years (at least 50);
 * - terms and other whole numbers with a large schema maximum: up to 50 (or twice the current value);
 * - USD m per staff member: up to 0.1 (USD 100,000 a staff member), or twice the current value;
 * - a city's budget: up to twice the largest budget in the scenario (at least 20);
 * - other USD m amounts: up to the city's budget (at least 10), or twice the current value.
 * Maxima are rounded up to 1, 2, 2.5 or 5 times a power of ten, and never exceed the schema maximum.
 */
export function sliderRange(f: FieldSpec, ctx: RangeContext): SliderRange {
  const cur = Number.isFinite(ctx.current) ? Math.abs(ctx.current) : 0;
  const min = f.min ?? 0;
  const cap = f.max ?? Infinity;
  let max: number;
  if (f.key === 'years') max = Math.min(cap, niceCeil(Math.max(50, 2 * ctx.scenarioYears, cur)));
  else if (/^USD m/.test(f.unit)) max = Math.min(cap, moneyMax(f, ctx, cur));
  else if (f.max !== null && (!f.integer || f.max - min <= 60)) max = f.max;
  else if (f.integer) max = Math.min(cap, niceCeil(Math.max(50, 2 * cur)));
  else max = niceCeil(Math.max(10, ctx.cityBudget, 2 * cur));
  return { min, max, step: f.integer ? 1 : niceCeil((max - min) / 200) };
}

/** The documented slider maximum of an amount of money (see sliderRange). */
function moneyMax(f: FieldSpec, ctx: RangeContext, cur: number): number {
  if (/per staff/.test(f.unit)) return niceCeil(Math.max(0.1, 2 * cur));
  if (f.key === 'budgetMusd') return niceCeil(Math.max(20, 2 * ctx.maxBudget, 2 * cur));
  return niceCeil(Math.max(10, ctx.cityBudget, 2 * cur));
}

/** 1000000 -> "1,000,000". */
const grouped = (n: number) => String(n).replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+$)/g, ','));

/** "0-1", "0-20+", "1-50 (up to 200 typed)": the range a control shows. */
export function rangeText(f: FieldSpec, r: SliderRange): string {
  const open = f.max === null || f.max > r.max;
  return `${r.min}-${r.max}${open ? `${f.max === null ? '+' : ` (up to ${grouped(f.max)} typed)`}` : ''}`;
}
