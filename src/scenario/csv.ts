/** Minimal RFC 4180 CSV reader and writer (quoted fields, embedded commas, quotes and newlines). */
import { neutralizeText } from '../output/cells.ts';

export interface CsvTable { header: string[]; rows: { line: number; cells: string[] }[] }

export function parseCsv(text: string): CsvTable {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const endField = () => { cells.push(field); field = ''; };
  const endRecord = () => {
    endField();
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else { if (ch === '\n') line++; field += ch; }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord(); line++; recordLine = line;
    } else field += ch;
  }
  if (field !== '' || cells.length > 0) endRecord();
  const [head, ...rows] = records;
  return { header: head ? head.cells.map((h) => h.trim()) : [], rows };
}

const needsQuote = /[",\n\r]/;
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (typeof v === 'number') s = Number.isInteger(v) ? String(v) : formatNumber(v);
  else s = neutralizeText(String(v));
  return needsQuote.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Fixed, platform-independent number formatting for outputs: up to 6 significant decimals, no exponent noise. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const r = Number(x.toPrecision(10));
  const s = Math.abs(r) >= 1e-6 ? String(Number(r.toFixed(6))) : '0';
  return s === '-0' ? '0' : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  const out = [header.map(csvCell).join(',')];
  for (const r of rows) out.push(r.map(csvCell).join(','));
  return out.join('\n') + '\n';
}
