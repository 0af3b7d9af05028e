import { loadVariant, runReplication } from '../src/sandbox/replicate.ts';
const sc = loadVariant({ file: 'scenarios/bonn-1994.yaml', arm: null, overrides: {} });
let line = '';
let r = 0;
for (const n of [1, 3, 12, 20]) {
  const t = performance.now();
  for (let i = 0; i < n; i++) runReplication(sc, r++, 'bonn');
  line += ` ${((performance.now() - t) / n).toFixed(0)}`;
}
console.log('tsx', line);
