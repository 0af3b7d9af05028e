/**
 * The JSON text of every result file (summary.json, manifests, tables of experiments): a module without file
 * system access, so that code that only formats results (the sandbox's browser worker, say) does not load the
 * writers.
 */
import { csvCell } from '../scenario/csv.ts';

/** Stable JSON: 2-space indent, numbers rounded like the CSV files, trailing newline. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' ? (Number.isFinite(v) ? Number(csvCell(v)) : null) : v), 2) + '\n';
}
