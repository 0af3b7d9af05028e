/**
 * The report page: one self-contained HTML file with inline CSS and inline SVG charts, no scripts and no
 * network access (a Content-Security-Policy forbids it). Each chart's data sits in a <details> table under it.
 */

export type Cell = string | number | boolean | null | undefined;
export interface DataTable { columns: string[]; rows: Cell[][]; note?: string; numeric?: boolean[] }
export interface Figure { id: string; title: string; caption: string; svg: string; table: DataTable }
export type Block =
  | { kind: 'figure'; figure: Figure }
  | { kind: 'more'; summary: string; figures: Figure[] }
  | { kind: 'table'; id: string; title: string; table: DataTable; open?: boolean }
  | { kind: 'note'; text: string };
export interface Section { id: string; heading: string; intro?: string; blocks: Block[] }
export interface Page {
  title: string;
  subtitle: string;
  summaryText: string;
  facts: { label: string; value: string }[];
  sections: Section[];
  footer: string;
}

export function esc(s: unknown): string {
  return String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Numbers for people: integers as they are, others with four significant digits; fixed, locale-free. */
export function fmt(x: Cell): string {
  if (x === null || x === undefined || x === '') return '';
  if (typeof x === 'string') return x;
  if (typeof x === 'boolean') return String(x);
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  const s = a >= 1000 ? x.toFixed(1) : String(Number(x.toPrecision(4)));
  return s === '-0' ? '0' : s;
}

function table(t: DataTable, caption?: string): string {
  const numeric = t.numeric ?? t.columns.map((_, i) => t.rows.length > 0 && t.rows.every((r) => r[i] === null || r[i] === undefined || r[i] === '' || typeof r[i] === 'number'));
  // Cells are right-aligned unless marked as text; end tags of cells and rows are optional in HTML and left out to keep big tables small.
  const head = t.columns.map((c, i) => `<th scope="col"${numeric[i] ? '' : ' class="t"'}>${esc(c)}</th>`).join('');
  const body = t.rows.map((r) => '<tr>' + r.map((c, i) => `<td${numeric[i] ? '' : ' class="t"'}>${esc(fmt(c))}`).join('')).join('\n');
  return `<div class="table-wrap"><table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
    + (t.note ? `<p class="note">${esc(t.note)}</p>` : '');
}

function figure(f: Figure): string {
  return `<figure class="chart" id="${esc(f.id)}" data-title="${esc(f.title)}">
<div class="svg">${f.svg}</div>
<figcaption>${esc(f.caption)}</figcaption>
<details class="data"><summary>Data behind this chart (${f.table.rows.length} row${f.table.rows.length === 1 ? '' : 's'})</summary>
${table(f.table)}
</details>
</figure>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'figure': return figure(b.figure);
    case 'more': return `<details class="more"><summary>${esc(b.summary)}</summary>\n${b.figures.map(figure).join('\n')}\n</details>`;
    case 'table': return `<details class="table-block" id="${esc(b.id)}"${b.open ? ' open' : ''}><summary>${esc(b.title)} (${b.table.rows.length} row${b.table.rows.length === 1 ? '' : 's'})</summary>\n${table(b.table)}\n</details>`;
    case 'note': return `<p class="note">${esc(b.text)}</p>`;
  }
}

const CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --line: #ddd; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fafafa; }
header, main, footer, nav { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 8px; border-top: 2px solid var(--line); }
.sub { color: var(--muted); margin: 0 0 16px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 12px 0; padding: 0; list-style: none; }
.facts li { background: white; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.facts .v { display: block; font-size: 20px; font-weight: 600; }
.facts .l { display: block; font-size: 12px; color: var(--muted); }
pre.summary { background: white; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; line-height: 1.45; }
nav ul { display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 0; list-style: none; margin: 8px 0 0; }
nav a, a { color: var(--accent); }
figure.chart { margin: 16px 0 24px; background: white; border: 1px solid var(--line); border-radius: 6px; padding: 12px; }
figure.chart .svg { overflow-x: auto; }
figure.chart svg { display: block; }
figure.chart svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
figcaption { color: var(--muted); font-size: 14px; margin: 6px 2px; max-width: 80ch; }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: var(--accent); font-size: 14px; }
details.more { margin: 0 0 20px; }
details.more > summary { font-size: 15px; font-weight: 600; }
.table-wrap { max-height: 420px; overflow: auto; border: 1px solid var(--line); margin-top: 6px; background: white; }
table { border-collapse: collapse; font-size: 13px; width: max-content; min-width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 6px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
th.t, td.t { text-align: left; }
th { position: sticky; top: 0; background: #f1f1f1; font-weight: 600; }
tbody tr:nth-child(even) { background: #fbfbfb; }
p.note { color: var(--muted); font-size: 13px; }
.intro { max-width: 90ch; }
footer { color: var(--muted); font-size: 12px; padding: 24px 20px 40px; }
@media print { details { display: block; } body { background: white; } }
`;

/** The complete page. Deterministic: the same page object gives the same bytes. */
export function renderPage(p: Page): string {
  const nav = p.sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.heading)}</a></li>`).join('');
  const sections = p.sections.map((s) => `<section id="${esc(s.id)}">
<h2>${esc(s.heading)}</h2>
${s.intro ? `<p class="intro">${esc(s.intro)}</p>` : ''}
${s.blocks.map(block).join('\n')}
</section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="hqsim">
<title>${esc(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(p.title)}</h1>
<p class="sub">${esc(p.subtitle)}</p>
<ul class="facts">${p.facts.map((f) => `<li><span class="v">${esc(f.value)}</span><span class="l">${esc(f.label)}</span></li>`).join('')}</ul>
<pre class="summary">${esc(p.summaryText)}</pre>
</header>
<nav aria-label="sections"><ul>${nav}</ul></nav>
<main>
${sections}
</main>
<footer>${esc(p.footer)}</footer>
</body>
</html>
`;
}
