import { loadScenario, simulate } from '../src/index.ts';
const file = process.argv[2];
const ov = JSON.parse(process.argv[3] ?? '{}');
const seeds = Number(process.argv[4] ?? 1);
const n = [0, 0, 0], m = [0, 0, 0], u = [0];
for (let seed = 1; seed <= seeds; seed++) {
  const sc = loadScenario(file, { overrides: ov });
  simulate(sc, { seed, recorder: { wants: { events: ['unit'], cityYears: [] }, event: () => { u[0]++; }, cityYear() {},
    orgYear: (r) => { const b = r.age < 5 ? 0 : r.age < 25 ? 1 : 2; n[b]++; if (r.moved) m[b]++; } } });
}
const pct = (a: number, b: number) => (100 * a / b).toFixed(3) + '%';
console.log(JSON.stringify(ov), ['0-4', '5-24', '25+'].map((b, i) => `${b} ${pct(m[i], n[i])}`).join('  '), ' all', pct(m[0] + m[1] + m[2], n[0] + n[1] + n[2]), ' units/yr', (u[0] / seeds / 30).toFixed(1));
