/**
 * The sandbox page: controls for the focal city's policy and its rivals', replications in Web Workers
 * (the CLI's engine, bundled), figures that refine as replications arrive, and exports (scenario arm, permalink,
 * one run's summary.json). Browser-only code (type-checked with the DOM library, see tsconfig.json here).
 */
import { contestOdds, cost, effect, fan, prefix, why, type ContestOdds, type WhyContest } from '../aggregate.ts';
import { BLUE, divergingSvg, fanSvg, oddsSvg, ORANGE, tableHtml } from '../charts.ts';
import { Scheduler, type Series, type SeriesSpec } from '../scheduler.ts';
import {
  armYaml, canBid, cliCommand, decodeState, effectiveValue, encodeState, exportedOverrides, runArm, valueAt, withSetting,
  type ContestView, type SandboxState, type Value, type VariantView,
} from '../settings.ts';
import { rangeText, sliderRange, type FieldSpec } from '../ranges.ts';
import type { PageData } from '../build.ts';
import type { Reply, Request } from '../protocol.ts';
import type { Variant } from '../replicate.ts';
import { esc, fmt } from '../../report/html.ts';

const data = JSON.parse(document.getElementById('hqsim-data')!.textContent!) as PageData;
const sc = data.scenario;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const h = (tag: string, attrs: Record<string, string> = {}, html = ''): HTMLElement => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (html) e.innerHTML = html;
  return e;
};

// ---------------------------------------------------------------------------------------------------------
// State and permalink
// ---------------------------------------------------------------------------------------------------------

let state: SandboxState = { focal: data.focal, arm: null, set: {}, seed: sc.seed, name: data.exportName };
const notices: string[] = [];
const fragment = new URLSearchParams(location.hash.slice(1));
if (location.hash.length > 1) {
  const d = decodeState(location.hash);
  notices.push(...d.problems);
  if (d.scenarioId && d.scenarioId !== sc.id) notices.push(`this permalink was made for another version of ${sc.name} (scenario ${d.scenarioId}, this page has ${sc.id}); its settings are applied as far as they go`);
  const s = d.state;
  if (s.arm !== undefined && s.arm !== null && !sc.arms.includes(s.arm)) { notices.push(`the permalink starts from arm "${s.arm}", which this scenario does not have`); delete s.arm; }
  if (s.focal !== undefined && !data.variants[''].cities.some((c) => c.id === s.focal)) { notices.push(`the permalink's focal city "${s.focal}" is not in this scenario`); delete s.focal; }
  state = { ...state, ...s };
}

const view = (): VariantView => data.variants[state.arm ?? ''];
const cityName = (id: string) => view().cities.find((c) => c.id === id)?.name ?? id;
const names = () => Object.fromEntries(view().cities.map((c) => [c.id, c.name]));
const years = () => Number(effectiveValue(view(), state.set, 'years'));
const contestsInHorizon = () => view().contests.filter((c) => c.year < sc.start + years());

function currentVariant(): Variant { return { file: sc.file, arm: state.arm, overrides: state.set }; }
function baselineVariant(): Variant {
  return { file: sc.file, arm: state.arm, overrides: 'years' in state.set ? { years: state.set.years } : {} };
}

// ---------------------------------------------------------------------------------------------------------
// Workers and scheduling
// ---------------------------------------------------------------------------------------------------------

const MAX_WORKERS = 4;
const wantWorkers = Number(fragment.get('workers'));
const nWorkers = Number.isInteger(wantWorkers) && wantWorkers >= 1 && wantWorkers <= 16
  ? wantWorkers : Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 2));
const workerUrl = URL.createObjectURL(new Blob([document.getElementById('hqsim-worker')!.textContent!], { type: 'text/javascript' }));
const workers: Worker[] = [];
const sched = new Scheduler(nWorkers, data.replications, (w, req: Request) => workers[w].postMessage(req), () => requestRender());
for (let i = 0; i < nWorkers; i++) {
  const w = new Worker(workerUrl, { name: `hqsim-${i + 1}` });
  w.onmessage = (e: MessageEvent<Reply>) => sched.receive(i, e.data);
  w.onerror = (e) => { e.preventDefault(); fatal(`simulation worker ${i + 1} failed: ${e.message}`); };
  workers.push(w);
}

/** Timings of each change of settings, ms since the page opened (read by the browser test, shown in the status). */
interface Timing { gen: number; at: number; first: number | null; refined: number | null; full: number | null }
const timings: Timing[] = [];
let gen = 0;
const REFINED = 20;

function restart(at: number): void {
  gen++;
  timings.push({ gen, at, first: null, refined: null, full: null });
  const spec = (variant: Variant): SeriesSpec => ({ variant, focal: state.focal });
  sched.show(spec(currentVariant()), spec(baselineVariant()));
  summaryShown = null;
  if (($('single') as HTMLDetailsElement | null)?.open) requestSummary();
  requestRender();
}

// ---------------------------------------------------------------------------------------------------------
// Controls
// ---------------------------------------------------------------------------------------------------------

interface Bound { sync(): void }
let bound: Bound[] = [];
let pending: { path: string; value: Value | undefined } [] = [];
let frame = 0;

/** Apply a setting; slider drags are folded to one change per animation frame. */
function set(path: string, value: Value | undefined, at = performance.now()): void {
  pending.push({ path, value });
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const changes = pending;
    pending = [];
    let next = state.set;
    for (const c of changes) next = withSetting(next, c.path, c.value);
    if (JSON.stringify(next) === JSON.stringify(state.set)) return;
    state = { ...state, set: next };
    changed(at);
  });
}

function changed(at: number): void {
  for (const b of bound) b.sync();
  writeFragment();
  renderExport();
  restart(at);
}

let written = '';
function writeFragment(): void {
  const f = '#' + encodeState(state, sc.id);
  written = f;
  try { history.replaceState(null, '', f); } catch { location.hash = f; }
}
// A permalink pasted into the address bar of an open page: start again from it.
window.addEventListener('hashchange', () => { if (location.hash !== written) location.reload(); });

const ids = { n: 0 };
const newId = (p: string) => `${p}-${++ids.n}`;

function asNumber(v: Value | undefined): number | null { return typeof v === 'number' && Number.isFinite(v) ? v : null; }

function decimals(step: number): number { const s = String(step); return s.includes('.') ? s.length - s.indexOf('.') - 1 : 0; }

/** A number control: slider and box, unit, range, the scenario's value, and a reset. */
function numberControl(parent: HTMLElement, path: string, f: FieldSpec, o: { label?: string; cityBudget?: number; hint?: string; describe?: boolean } = {}): void {
  const scenarioValue = asNumber(valueAt(view(), path));
  const r = sliderRange(f, { current: scenarioValue ?? 0, cityBudget: o.cityBudget ?? 0, maxBudget: data.maxBudget, scenarioYears: view().years });
  const id = newId('c');
  const label = o.label ?? f.label;
  const box = h('div', { class: 'ctl', 'data-path': path });
  box.innerHTML = `<label for="${id}">${esc(label)} <span class="unit">${esc(f.unit)}</span></label>`
    + `<div class="row"><input type="range" id="${id}" min="${r.min}" max="${r.max}" step="${r.step}" aria-describedby="${id}-h">`
    + `<input type="number" min="${f.min ?? ''}" max="${f.max ?? ''}" step="${f.integer ? 1 : 'any'}" aria-label="${esc(`${label} (${f.unit || 'value'})`)}">`
    + `<button type="button" class="reset" title="Back to the scenario's value" aria-label="Reset ${esc(label)}">↺</button></div>`
    + `<div class="hint" id="${id}-h">range ${esc(rangeText(f, r))}${f.unit ? ` ${esc(f.unit)}` : ''}; scenario: ${scenarioValue === null ? 'not set' : esc(fmt(scenarioValue))}${o.hint ? `. ${esc(o.hint)}` : ''}</div>`
    + (f.description && o.describe !== false ? `<div class="hint">${esc(f.description)}</div>` : '');
  const [slider, num] = box.querySelectorAll('input') as unknown as [HTMLInputElement, HTMLInputElement];
  const msg = h('div', { class: 'hint warn', hidden: '' });
  box.appendChild(msg);
  const dp = decimals(r.step);
  slider.addEventListener('input', (e) => {
    const v = f.integer ? Math.round(Number(slider.value)) : Number(Number(slider.value).toFixed(dp));
    num.value = String(v);
    set(path, v, e.timeStamp);
  });
  num.addEventListener('change', (e) => {
    const t = num.value.trim();
    if (t === '') { set(path, undefined, e.timeStamp); return; }
    const v = Number(t);
    const bad = !Number.isFinite(v) ? 'not a number' : f.min !== null && v < f.min ? `below ${f.min}` : f.max !== null && v > f.max ? `above ${f.max}` : f.integer && !Number.isInteger(v) ? 'not a whole number' : '';
    msg.hidden = !bad;
    msg.textContent = bad ? `${t} is ${bad}; the scenario would reject it` : '';
    if (!bad) set(path, v, e.timeStamp);
  });
  box.querySelector('button')!.addEventListener('click', (e) => set(path, undefined, e.timeStamp));
  parent.appendChild(box);
  bound.push({ sync() {
    const v = asNumber(effectiveValue(view(), state.set, path));
    box.classList.toggle('changed', path in state.set);
    if (document.activeElement !== num) num.value = v === null ? '' : String(v);
    num.placeholder = v === null ? 'not set' : '';
    if (document.activeElement !== slider) slider.value = String(v ?? r.min);
    if (!(path in state.set)) msg.hidden = true;
  } });
}

function choiceControl(parent: HTMLElement, path: string, f: FieldSpec, label = f.label): void {
  const id = newId('c');
  const box = h('div', { class: 'ctl', 'data-path': path });
  box.innerHTML = `<label for="${id}">${esc(label)}</label><div class="row"><select id="${id}">${(f.options ?? []).map((o) => `<option>${esc(o)}</option>`).join('')}</select>`
    + `<button type="button" class="reset" title="Back to the scenario's value" aria-label="Reset ${esc(label)}">↺</button></div>`
    + `<div class="hint">one of ${esc((f.options ?? []).join(', '))}; scenario: ${esc(String(valueAt(view(), path) ?? 'not set'))}</div>`;
  const sel = box.querySelector('select') as HTMLSelectElement;
  sel.addEventListener('change', (e) => set(path, sel.value, e.timeStamp));
  box.querySelector('button')!.addEventListener('click', (e) => set(path, undefined, e.timeStamp));
  parent.appendChild(box);
  bound.push({ sync() { sel.value = String(effectiveValue(view(), state.set, path) ?? ''); box.classList.toggle('changed', path in state.set); } });
}

function domainsControl(parent: HTMLElement, path: string, f: FieldSpec): void {
  const box = h('div', { class: 'ctl', 'data-path': path });
  const gid = newId('g');
  box.innerHTML = `<span class="name" id="${gid}">${esc(f.label)} <span class="unit">domains</span></span>`
    + `<div class="domains" role="group" aria-labelledby="${gid}">${data.domains.map((d) => `<label><input type="checkbox" value="${esc(d)}"> ${esc(d)}</label>`).join('')}</div>`
    + `<div class="row"><button type="button" class="reset">Reset</button><span class="hint" data-role="state"></span></div>`
    + (f.description ? `<div class="hint">${esc(f.description)}</div>` : '');
  const boxes = [...box.querySelectorAll('input')] as HTMLInputElement[];
  const stateText = box.querySelector('[data-role=state]') as HTMLElement;
  for (const b of boxes) b.addEventListener('change', (e) => set(path, boxes.filter((x) => x.checked).map((x) => x.value), e.timeStamp));
  box.querySelector('button')!.addEventListener('click', (e) => set(path, undefined, e.timeStamp));
  parent.appendChild(box);
  bound.push({ sync() {
    const v = effectiveValue(view(), state.set, path);
    const list = Array.isArray(v) ? v.map(String) : null;
    for (const b of boxes) b.checked = list ? list.includes(b.value) : true;
    stateText.textContent = list ? `${list.length} of ${data.domains.length} domains` : 'not set: all domains';
    box.classList.toggle('changed', path in state.set);
  } });
}

function fieldControls(parent: HTMLElement, prefix: string, fields: FieldSpec[], city: { budgetMusd: number; focusDomains: string[] }): void {
  for (const f of fields) {
    const path = `${prefix}.${f.key}`;
    if (f.kind === 'number') numberControl(parent, path, f, { cityBudget: city.budgetMusd });
    else if (f.kind === 'choice') choiceControl(parent, path, f);
    else if (f.kind === 'domains') domainsControl(parent, path, f);
    else if (f.kind === 'perDomain') {
      const current = valueAt(view(), path);
      const set0 = current && typeof current === 'object' && !Array.isArray(current) ? Object.keys(current) : [];
      const first = [...new Set([...city.focusDomains, ...set0])].filter((d) => data.domains.includes(d) || set0.includes(d));
      const rest = data.domains.filter((d) => !first.includes(d));
      const group = h('div', { class: 'ctl' }, `<span class="name">${esc(f.label)} <span class="unit">${esc(f.unit)}, by domain</span></span>${f.description ? `<div class="hint">${esc(f.description)}</div>` : ''}`);
      parent.appendChild(group);
      for (const d of first) numberControl(group, `${path}.${d}`, f, { label: d, cityBudget: city.budgetMusd, describe: false });
      if (rest.length) {
        const more = h('details', {}, `<summary>other domains (${rest.length})</summary>`);
        group.appendChild(more);
        for (const d of rest) numberControl(more, `${path}.${d}`, f, { label: d, cityBudget: city.budgetMusd, describe: false });
      }
    } else {
      parent.appendChild(h('div', { class: 'ctl' }, `<span class="name">${esc(f.label)}</span><div class="hint">${esc(f.description)} (set it in the scenario file)</div>`));
    }
  }
}

function bidGroup(parent: HTMLElement, c: ContestView, focal: string, cityBudget: number): void {
  const d = h('details', { class: 'bid' });
  const scripted = !!c.bids[focal];
  d.innerHTML = `<summary><b>${esc(c.id)}</b>: ${esc(c.orgName)}, ${c.year} (${esc(c.rule)})</summary>`
    + `<p class="note">${scripted ? 'The scenario scripts this bid.' : `No scripted bid: ${esc(cityName(focal))} bids by its strategy (fixed: its standing bid). Setting a term scripts the bid; terms left unset are then 0.`}</p>`;
  parent.appendChild(d);
  const prefix = `contests.${c.id}.bids.${focal}`;
  for (const f of data.fields.offer) if (f.kind === 'number') numberControl(d, `${prefix}.${f.key}`, f, { cityBudget });
}

function buildControls(): void {
  bound = [];
  const root = $('controls');
  root.innerHTML = '';
  const v = view();
  const focal = v.cities.find((c) => c.id === state.focal) ?? v.cities[0];
  state.focal = focal.id;

  const top = h('fieldset', {}, '<legend>Setting</legend>');
  root.appendChild(top);
  const fid = newId('c');
  const fsel = h('div', { class: 'ctl' }, `<label for="${fid}">Focal city</label><div class="row"><select id="${fid}">${[...v.cities].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => `<option value="${esc(c.id)}">${esc(c.name)}</option>`).join('')}</select></div><div class="hint">the city whose policy you set; the others are its rivals</div>`);
  top.appendChild(fsel);
  const fs = fsel.querySelector('select') as HTMLSelectElement;
  fs.value = focal.id;
  fs.addEventListener('change', (e) => { state = { ...state, focal: fs.value }; buildControls(); changed(e.timeStamp); });
  if (sc.arms.length) {
    const aid = newId('c');
    const asel = h('div', { class: 'ctl' }, `<label for="${aid}">Start from</label><div class="row"><select id="${aid}"><option value="">the scenario as written</option>${sc.arms.map((a) => `<option value="${esc(a)}">arm ${esc(a)}</option>`).join('')}</select></div><div class="hint">an arm of the scenario file: its overrides apply first, then your settings (and it is the baseline)</div>`);
    top.appendChild(asel);
    const as = asel.querySelector('select') as HTMLSelectElement;
    as.value = state.arm ?? '';
    as.addEventListener('change', (e) => { state = { ...state, arm: as.value || null }; buildControls(); changed(e.timeStamp); });
  }
  numberControl(top, 'years', data.fields.years, { hint: `from ${sc.start}` });

  const pol = h('fieldset', {}, `<legend>${esc(focal.name)}: budget and strategy</legend>`);
  root.appendChild(pol);
  numberControl(pol, `cities.${focal.id}.budgetMusd`, data.fields.budget, { label: 'Budget' });
  choiceControl(pol, `cities.${focal.id}.strategy`, data.fields.strategy, 'Strategy');

  const lev = h('fieldset', {}, `<legend>${esc(focal.name)}: levers</legend><p class="note" data-role="lever-note"></p>`);
  root.appendChild(lev);
  if (focal.schedule) lev.appendChild(h('p', { class: 'note warn' }, `The scenario gives ${esc(focal.name)} a schedule of ${focal.schedule} lever setting(s) by year; in those years the schedule applies instead of these levers.`));
  fieldControls(lev, `cities.${focal.id}.levers`, data.fields.levers, focal);
  const note = lev.querySelector('[data-role=lever-note]') as HTMLElement;
  bound.push({ sync() {
    const s = String(effectiveValue(view(), state.set, `cities.${focal.id}.strategy`));
    note.textContent = s === 'fixed' ? 'The fixed strategy applies these levers every year.' : `Levers act under the fixed strategy only; with strategy "${s}" the city sets its own levels from its budget.`;
    note.classList.toggle('warn', s !== 'fixed');
  } });

  const bids = h('fieldset', {}, `<legend>${esc(focal.name)}: bids</legend>`);
  root.appendChild(bids);
  const standing = h('details', { class: 'bid' }, `<summary><b>Standing bid</b> in open contests (fixed strategy)</summary>`);
  bids.appendChild(standing);
  for (const f of data.fields.offer) if (f.kind === 'number') numberControl(standing, `cities.${focal.id}.bid.${f.key}`, f, { cityBudget: focal.budgetMusd });
  const open = contestsInHorizon().filter((c) => canBid(c, focal.id));
  if (open.length === 0) bids.appendChild(h('p', { class: 'note' }, `No contest within the simulated years is open to ${esc(focal.name)}.`));
  for (const c of open) bidGroup(bids, c, focal.id, focal.budgetMusd);
  const closed = contestsInHorizon().filter((c) => !canBid(c, focal.id));
  if (closed.length) bids.appendChild(h('p', { class: 'note' }, `Not a candidate in: ${closed.map((c) => esc(c.id)).join(', ')}.`));

  const riv = h('fieldset', {}, '<legend>Rivals: budget and strategy</legend>');
  root.appendChild(riv);
  const rivals = v.cities.filter((c) => c.id !== focal.id);
  const table = h('div', { class: 'scroll' });
  const strategies = data.fields.strategy.options ?? [];
  table.innerHTML = `<table class="rivals"><thead><tr><th scope="col">City</th><th scope="col">Budget <span class="unit">${esc(data.fields.budget.unit)}, 0+</span></th><th scope="col">Strategy</th><th></th></tr></thead><tbody>`
    + rivals.map((c) => `<tr data-city="${esc(c.id)}"><td>${esc(c.name)}</td><td><input type="number" min="0" step="any" aria-label="Budget of ${esc(c.name)} (${esc(data.fields.budget.unit)})"></td>`
      + `<td><select aria-label="Strategy of ${esc(c.name)}">${strategies.map((s) => `<option>${esc(s)}</option>`).join('')}</select></td><td><button type="button" class="reset" aria-label="Reset ${esc(c.name)}" title="Back to the scenario's values">↺</button></td></tr>`).join('')
    + '</tbody></table>';
  riv.appendChild(table);
  riv.appendChild(h('p', { class: 'note' }, `${rivals.length} rival${rivals.length === 1 ? '' : 's'}; budgets in ${esc(data.fields.budget.unit)} (${esc(data.fields.budget.description)}).`));
  for (const tr of table.querySelectorAll('tr[data-city]')) {
    const id = tr.getAttribute('data-city')!;
    const num = tr.querySelector('input') as HTMLInputElement;
    const sel = tr.querySelector('select') as HTMLSelectElement;
    const bp = `cities.${id}.budgetMusd`, sp = `cities.${id}.strategy`;
    num.addEventListener('change', (e) => { const x = Number(num.value); if (num.value.trim() !== '' && Number.isFinite(x) && x >= 0) set(bp, x, e.timeStamp); });
    sel.addEventListener('change', (e) => set(sp, sel.value, e.timeStamp));
    tr.querySelector('button')!.addEventListener('click', (e) => { set(bp, undefined, e.timeStamp); set(sp, undefined, e.timeStamp); });
    bound.push({ sync() {
      if (document.activeElement !== num) num.value = String(effectiveValue(view(), state.set, bp) ?? '');
      sel.value = String(effectiveValue(view(), state.set, sp) ?? '');
      tr.classList.toggle('changed', bp in state.set || sp in state.set);
    } });
  }

  const run = h('fieldset', {}, '<legend>Runs</legend>');
  root.appendChild(run);
  const sid = 'seed';
  run.innerHTML += `<div class="ctl"><label for="${sid}">Seed of the single run <span class="unit">0-4294967295</span></label><div class="row"><input type="number" id="${sid}" min="0" max="4294967295" step="1"></div>`
    + `<div class="hint">the seed of the one run whose summary.json is shown (as hqsim run --seed); replication r of the figures uses the seed hqsim odds and hqsim sweep give it, derived from the scenario's seed ${sc.seed}</div></div>`
    + `<p class="note">${data.replications} replications per setting, in ${nWorkers} worker${nWorkers === 1 ? '' : 's'}.</p>`
    + '<div class="buttons"><button type="button" id="reset-all">Reset all settings</button></div>';
  const seed = run.querySelector('input') as HTMLInputElement;
  seed.value = String(state.seed);
  seed.addEventListener('change', () => {
    const x = Number(seed.value);
    if (Number.isInteger(x) && x >= 0 && x <= 2 ** 32 - 1) { state = { ...state, seed: x }; writeFragment(); renderExport(); summaryShown = null; if (($('single') as HTMLDetailsElement).open) requestSummary(); }
  });
  $('reset-all').addEventListener('click', (e) => { state = { ...state, set: {} }; changed(e.timeStamp); });
  for (const b of bound) b.sync();
}

// ---------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------

interface Fig { root: HTMLElement; svg: HTMLElement; caption: HTMLElement; table: HTMLElement }
const figs = new Map<string, Fig>();

function figure(parent: HTMLElement, id: string, title: string): Fig {
  let f = figs.get(id);
  if (f && f.root.parentElement === parent) { f.root.setAttribute('data-title', title); return f; }
  const root = h('figure', { class: 'chart', id, 'data-title': title });
  root.innerHTML = '<div class="svg"></div><figcaption></figcaption><details class="data"><summary>Data behind this chart</summary><div class="tbl"></div></details>';
  parent.appendChild(root);
  f = { root, svg: root.querySelector('.svg')!, caption: root.querySelector('figcaption')!, table: root.querySelector('.tbl')! };
  figs.set(id, f);
  return f;
}

/** Keep exactly the figures with these ids in a container, in this order. */
function keepOnly(parent: HTMLElement, keep: string[]): void {
  for (const child of [...parent.children]) if (!keep.includes(child.id)) { figs.delete(child.id); child.remove(); }
  for (const id of keep) { const f = figs.get(id); if (f) parent.appendChild(f.root); }
}

let renderQueued = false;
function requestRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; render(); });
}

const p1 = (x: number) => (Number.isFinite(x) ? fmt(x) : '-');
const money = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : `${fmt(x)}`);
const signed = (x: number) => (Number.isFinite(x) ? (x > 0 ? '+' : '') + fmt(x) : '-');
const pctText = (p: number) => (Number.isFinite(p) ? `${Math.round(p * 1000) / 10}%` : '-');

function seriesText(s: Series | null, label: string): string {
  if (!s) return '';
  if (s.problems) return `${label}: not run (invalid setting)`;
  return `${label}: <b>${s.prefix}</b> of ${s.total} runs`;
}

function render(): void {
  const cur = sched.current, base = sched.baseline;
  if (!cur) return;
  const t = timings[timings.length - 1];
  const curOut = prefix(cur.results);
  const baseOut = base ? prefix(base.results) : curOut;
  const now = performance.now();
  if (t) {
    if (t.first === null && curOut.length > 0) t.first = now;
    if (t.refined === null && curOut.length >= Math.min(REFINED, cur.total) && baseOut.length >= Math.min(REFINED, cur.total)) t.refined = now;
    if (t.full === null && cur.complete && (!base || base.complete)) t.full = now;
  }
  const same = !base;
  const status = [seriesText(cur, 'these settings'), same ? 'baseline: the same (nothing set)' : seriesText(base, 'baseline')];
  if (t?.first != null) status.push(`first figures ${Math.round(t.first - t.at)} ms after ${t.gen === 1 ? 'opening' : 'the change'}${t.full != null ? `, all ${cur.total} runs after ${(Math.max(0, t.full - t.at) / 1000).toFixed(1)} s` : ''}`);
  $('status').innerHTML = status.join(' · ');
  document.body.dataset.gen = String(gen);
  document.body.dataset.current = String(curOut.length);
  document.body.dataset.baseline = String(baseOut.length);
  const complete = (cur.complete || cur.problems !== null) && (!base || base.complete || base.problems !== null);
  document.body.dataset.complete = String(complete);
  $('results').setAttribute('aria-busy', String(!complete));
  // One announcement per setting for screen readers (the status line itself changes many times a second).
  const say = complete ? (cur.problems ? 'These settings do not validate.' : `Figures complete: ${cur.total} runs.`) : '';
  if ($('announce').textContent !== say) $('announce').textContent = say;

  const problems = [...(cur.problems ?? []), ...(base?.problems ?? []).map((p) => `baseline: ${p}`)];
  const pe = $('problems');
  pe.hidden = problems.length === 0 && notices.length === 0;
  pe.textContent = [...notices.map((n) => `note: ${n}`), ...(problems.length ? ['These settings do not validate (the CLI would refuse them the same way):', ...problems] : [])].join('\n');
  // Until the new settings have figures, the old ones stay, dimmed (and they go blank if the settings are invalid).
  $('results').classList.toggle('stale', curOut.length === 0);
  if (curOut.length === 0) return;

  const focal = state.focal, fname = cityName(focal);
  $('focal-head').textContent = `${fname} and its rivals`;
  const label = same ? 'these settings (= baseline)' : 'these settings';

  // Hosted organizations over time.
  const fc = fan(curOut, sc.start), fb = same ? null : fan(baseOut, sc.start);
  const ff = figure($('fig-hosted'), 'fan', `${fname}: hosted organizations by year`);
  ff.svg.innerHTML = fanSvg({ id: 'fan-svg', title: `${fname}: hosted organizations by year`, subtitle: `${curOut.length} runs${fb ? `; baseline ${baseOut.length} runs` : ''}; bands hold 50% and 90% of runs`, current: fc, baseline: fb, yTitle: 'organizations hosted' });
  ff.caption.textContent = `Organizations with their seat in ${fname} at the end of each year, across replications: median line, 50% and 90% bands${fb ? '; dashed: the baseline (the scenario as written' + (state.arm ? `, arm ${state.arm}` : '') + ', same years and seeds)' : ''}. Hover a year for its numbers.`;
  ff.table.innerHTML = tableHtml(['year', 'runs', 'p5', 'p25', 'median', 'p75', 'p95', 'mean', ...(fb ? ['baseline p5', 'baseline median', 'baseline p95', 'baseline mean'] : [])],
    fc.map((r, i) => [r.year, r.n, r.p05, r.p25, r.p50, r.p75, r.p95, r.mean, ...(fb && fb[i] ? [fb[i].p05, fb[i].p50, fb[i].p95, fb[i].mean] : [])]));

  // Cost per organization won and the effect of the settings.
  const cc = cost(curOut), cb = same ? null : cost(baseOut);
  const eff = same ? null : effect(curOut, baseOut);
  const cards: string[] = [];
  cards.push(`<div class="card"><div class="small">cost per organization won, ${label}</div><div class="big" id="cost-current">${money(cc.costPerOrgWonMusd)}</div><div class="small">USD m (mean spending ${p1(cc.meanSpendMusd)} / mean won ${p1(cc.meanWon)})</div></div>`);
  if (cb) cards.push(`<div class="card"><div class="small">cost per organization won, baseline</div><div class="big" id="cost-baseline">${money(cb.costPerOrgWonMusd)}</div><div class="small">USD m (mean spending ${p1(cb.meanSpendMusd)} / mean won ${p1(cb.meanWon)})</div></div>`);
  if (eff) {
    cards.push(`<div class="card"><div class="small">organizations won vs baseline</div><div class="big" id="effect-won">${signed(eff.won.mean)}</div><div class="small">95% CI ${signed(eff.won.lo)} to ${signed(eff.won.hi)}, ${eff.pairs} paired runs</div></div>`);
    cards.push(`<div class="card"><div class="small">cost per extra organization</div><div class="big">${money(eff.costPerExtraOrgMusd)}</div><div class="small">USD m: extra spending ${signed(eff.spendMusd.mean)} / extra won ${signed(eff.won.mean)}</div></div>`);
  }
  const costBox = $('cost');
  costBox.innerHTML = `<div class="cards">${cards.join('')}</div>`
    + tableHtml(['', 'runs', 'mean spending, USD m', 'mean organizations won', '95% CI of won', 'cost per organization won, USD m', `hosted at the end of ${sc.start + years() - 1}`],
      [[label, cc.n, cc.meanSpendMusd, cc.meanWon, `${p1(cc.wonLo)} to ${p1(cc.wonHi)}`, cc.costPerOrgWonMusd, fc[fc.length - 1]?.mean ?? null],
        ...(cb ? [['baseline', cb.n, cb.meanSpendMusd, cb.meanWon, `${p1(cb.wonLo)} to ${p1(cb.wonHi)}`, cb.costPerOrgWonMusd, fb?.[fb.length - 1]?.mean ?? null]] : []),
        ...(eff ? [['difference (paired)', eff.pairs, eff.spendMusd.mean, eff.won.mean, `${signed(eff.won.lo)} to ${signed(eff.won.hi)}`, eff.costPerExtraOrgMusd, eff.finalHosted.mean]] : [])],
      `Organizations won = arrivals + foundings at ${fname}; spending = everything ${fname}'s budget paid (levers, commitments, grants, one-off money). Cost per organization won = mean spending / mean organizations won.`);

  // Contest odds.
  const contests = contestsInHorizon();
  const ids = contests.map((c) => c.id);
  const oc = contestOdds(curOut, ids), ob = same ? null : contestOdds(baseOut, ids);
  const oddsBox = $('fig-odds');
  const keep: string[] = [];
  oc.forEach((o: ContestOdds, i) => {
    const c = contests[i];
    if (o.held === 0) return;
    const id = `odds-${c.id}`;
    keep.push(id);
    const title = `${c.id}: ${c.orgName}, ${c.year}`;
    const f = figure(oddsBox, id, title);
    const b = ob?.[i];
    f.svg.innerHTML = oddsSvg({ id: `${id}-svg`, title, subtitle: `${c.rule === 'vote' ? 'decided by vote' : 'decided by the organization'}; held in ${o.held} of ${curOut.length} runs${b ? `; baseline ${b.held} runs` : ''}`, rows: o.rows, baseline: b ? b.rows : null, focal, names: names() });
    f.caption.textContent = `Share of runs each city won, with 95% Wilson intervals${b ? '; diamond: the baseline' : ''}. ${fname} in dark blue.`;
    const bm = new Map(b?.rows.map((r) => [r.city, r]) ?? []);
    f.table.innerHTML = tableHtml(['city', 'wins', 'runs', 'win probability', '95% low', '95% high', ...(b ? ['baseline probability', 'baseline 95% low', 'baseline 95% high'] : [])],
      o.rows.map((r) => [cityName(r.city), r.wins, o.held, pctText(r.p), pctText(r.lo), pctText(r.hi), ...(b ? [pctText(bm.get(r.city)?.p ?? NaN), pctText(bm.get(r.city)?.lo ?? NaN), pctText(bm.get(r.city)?.hi ?? NaN)] : [])]));
  });
  keepOnly(oddsBox, keep);
  $('odds-none').hidden = keep.length > 0;

  // Why-breakdown of the focal city's contests.
  const ws = why(curOut, focal, ids);
  const whyBox = $('fig-why');
  const keepWhy: string[] = [];
  for (const w of ws) {
    const c = contests.find((x) => x.id === w.id)!;
    const id = `why-${w.id}`;
    keepWhy.push(id);
    const title = `Why ${w.id} went as it did for ${fname}`;
    const f = figure(whyBox, id, title);
    whyFigure(f, w, c, fname, title, id);
  }
  keepOnly(whyBox, keepWhy);
  $('why-none').hidden = keepWhy.length > 0;
  $('why-none').textContent = `${fname} took part in none of the scenario's contests within these years.`;
}

function whyFigure(f: Fig, w: WhyContest, c: ContestView, fname: string, title: string, id: string): void {
  const weightedKeys = [...new Set([...Object.keys(w.weightedWhenWon), ...Object.keys(w.weightedWhenSecond)])];
  const weighted = weightedKeys.length > 0;
  const labels = weighted ? weightedKeys : w.fields;
  const series = [
    { name: `when ${fname} won (${w.won} runs)`, colour: BLUE, values: weighted ? w.weightedWhenWon : w.whenWon },
    { name: `when ${fname} came second (${w.second} runs)`, colour: ORANGE, values: weighted ? w.weightedWhenSecond : w.whenSecond },
  ].filter((s) => Object.keys(s.values).length > 0);
  const decisive = Object.entries(w.decisive).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${pctText(n / w.held)}`).join(', ');
  if (series.length) {
    f.svg.innerHTML = divergingSvg({ id: `${id}-svg`, title, subtitle: `${c.orgName}, ${c.year}: ${fname} took part in ${w.candidate} of ${w.held} runs, won ${w.won}, came second ${w.second}`,
      labels, series, xTitle: weighted ? 'weight x (this city - rival) score: share of the decision margin' : 'this city - rival, score' });
  } else {
    f.svg.innerHTML = `<p class="note">${esc(fname)} took part in ${w.candidate} of ${w.held} runs of ${esc(c.id)} but was never among the top two, so no decision record compares it with the winner.</p>`;
  }
  f.caption.textContent = `From the contest_result records: ${fname} against its closest rival (the runner-up when it won, the winner when it came second), averaged over runs${weighted ? ', each driver weighted by the deciding organization\'s weight' : ''}. Decisive driver of the winner (largest weight x gap): ${decisive || 'none'}.`;
  f.table.innerHTML = tableHtml(['term', 'winner (mean)', 'runner-up (mean)', `${fname} - runner-up, when it won`, `${fname} - winner, when second`, ...(weighted ? ['weighted, when won', 'weighted, when second'] : [])],
    w.fields.map((k) => [k, w.winner[k], w.runnerUp[k], w.whenWon[k], w.whenSecond[k], ...(weighted ? [w.weightedWhenWon[k], w.weightedWhenSecond[k]] : [])]),
    `${w.contested} runs with a runner-up; every numeric term of the decision records is listed.`);
}

// ---------------------------------------------------------------------------------------------------------
// Exports and the single run
// ---------------------------------------------------------------------------------------------------------

let summaryShown: string | null = null;

function requestSummary(): void {
  const label = runArm(state);
  const key = JSON.stringify([state.set, state.arm, state.seed, label]);
  if (summaryShown === key) return;
  const out = $('summary-json');
  out.textContent = 'running…';
  $('single').dataset.ready = 'false';
  sched.summary(currentVariant(), state.seed, label, (r) => {
    if (JSON.stringify([state.set, state.arm, state.seed, runArm(state)]) !== key) return;
    summaryShown = key;
    out.textContent = r.type === 'summary' ? r.json : r.type === 'error' ? r.problems.join('\n') : '';
    $('single').dataset.ready = r.type === 'summary' ? 'true' : 'error';
    const a = $('summary-download') as HTMLAnchorElement;
    if (a.href) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(new Blob([out.textContent ?? ''], { type: 'application/json' }));
  });
}

function renderExport(): void {
  const merged = exportedOverrides(state, sc.armOverrides);
  const armName = runArm(state);
  const hasSet = Object.keys(state.set).length > 0;
  const yaml = hasSet ? armYaml(state.name, merged) : state.arm ? `# nothing set: the arm ${state.arm} as it is in the scenario file\n` : '# nothing set: the scenario as written\n';
  ($('arm-yaml') as HTMLTextAreaElement).value = yaml;
  $('cli').textContent = cliCommand(sc.display, armName, state.seed, sc.seed);
  ($('arm-name') as HTMLInputElement).value = state.name;
  const link = location.href.split('#')[0] + '#' + encodeState(state, sc.id);
  ($('permalink') as HTMLInputElement).value = link;
  const a = $('arm-download') as HTMLAnchorElement;
  if (a.href) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(new Blob([yaml], { type: 'text/yaml' }));
  a.download = `${sc.name}.${state.name}.arm.yaml`;
  $('single-seed').textContent = String(state.seed);
  ($('summary-download') as HTMLAnchorElement).download = `summary.${state.seed}.json`;
}

async function copy(text: string, button: HTMLElement): Promise<void> {
  try { await navigator.clipboard.writeText(text); button.textContent = 'Copied'; } catch { button.textContent = 'Select and copy'; }
  setTimeout(() => { button.textContent = button.dataset.label ?? 'Copy'; }, 1500);
}

function layout(): void {
  const app = $('app');
  app.innerHTML = `<aside id="controls" aria-label="Controls"></aside>
<section id="results" aria-label="Results">
<div id="problems" class="problems" hidden></div>
<h2 id="focal-head"></h2>
<p class="note">Each figure is computed from replications of the scenario with your settings (replication r uses the same seed as in <code>hqsim odds</code> and <code>hqsim sweep</code>), and refines as more arrive. The baseline is the scenario as written, over the same years and seeds.</p>
<div id="fig-hosted"></div>
<h2>Cost per organization won</h2><div id="cost"></div>
<h2>Contests: who wins</h2><div id="fig-odds"></div><p class="note" id="odds-none" hidden>No contest of the scenario falls within the simulated years.</p>
<h2>Why the focal city's contests went as they did</h2><div id="fig-why"></div><p class="note" id="why-none" hidden></p>
<h2>Export</h2>
<div class="ctl"><label for="arm-name">Arm name</label><div class="row"><input type="text" id="arm-name" pattern="[a-z][a-z0-9_]*"></div><div class="hint">lowercase letters, digits and _</div></div>
<label for="arm-yaml">Your settings as a scenario arm: paste into the scenario file (under its <code>arms:</code> block if it has one)</label>
<textarea id="arm-yaml" readonly spellcheck="false"></textarea>
<div class="buttons"><button type="button" id="copy-yaml" data-label="Copy YAML">Copy YAML</button><a id="arm-download" download>Download the arm</a></div>
<p>Then run the same settings from the command line: <code id="cli"></code></p>
<label for="permalink">Permalink: this page with exactly these settings</label>
<div class="row"><input type="text" class="wide" id="permalink" readonly><button type="button" id="copy-link" data-label="Copy">Copy</button></div>
<details id="single"><summary>One run's summary.json (seed <span id="single-seed"></span>), byte for byte as <code>hqsim run</code> writes it</summary>
<pre id="summary-json"></pre><a id="summary-download" download>Download summary.json</a></details>
<p class="note">hqsim ${esc(data.version)} · scenario ${esc(sc.display)} (${esc(sc.id)}) · works offline; nothing leaves this page.</p>
</section>`;
  ($('single') as HTMLDetailsElement).addEventListener('toggle', () => { if (($('single') as HTMLDetailsElement).open) requestSummary(); });
  $('copy-yaml').addEventListener('click', (e) => void copy(($('arm-yaml') as HTMLTextAreaElement).value, e.currentTarget as HTMLElement));
  $('copy-link').addEventListener('click', (e) => void copy(($('permalink') as HTMLInputElement).value, e.currentTarget as HTMLElement));
  const nameBox = $('arm-name') as HTMLInputElement;
  nameBox.addEventListener('change', () => {
    if (!/^[a-z][a-z0-9_]*$/.test(nameBox.value)) { nameBox.value = state.name; return; }
    state = { ...state, name: nameBox.value };
    writeFragment(); renderExport(); summaryShown = null;
    if (($('single') as HTMLDetailsElement).open) requestSummary();
  });
}

function fatal(message: string): void {
  notices.push(message);
  requestRender();
}

// Work goes to the workers first; the controls are built while they load the scenario.
restart(0);
layout();
buildControls();
renderExport();
writeFragment();

/** For tests and the curious: timings, the state, and the numbers behind the status line. */
(window as unknown as { hqsim: unknown }).hqsim = {
  timings,
  state: () => state,
  workers: nWorkers,
  series: () => {
    const info = (s: Series | null) => s && { prefix: s.prefix, total: s.total, msPerRun: s.msPerRun, problems: s.problems };
    return { current: info(sched.current), baseline: info(sched.baseline) };
  },
};
