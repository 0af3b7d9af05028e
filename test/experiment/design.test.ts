import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import {
  type Factor,
  JOE_KUO_ROWS,
  SOBOL_MAX_DIMENSIONS,
  fromGrid,
  fromUnit,
  fullGrid,
  gridLevels,
  latinHypercube,
  latinHypercubeUnit,
  morris,
  saltelli,
  sobolSequence,
  splitSaltelli,
  validateFactors,
} from '../../src/experiment/design.ts';

const rngOf = (seed: number | string) => seedrandom.alea(String(seed));

const unitFactors = (k: number): Factor[] =>
  Array.from({ length: k }, (_, i) => ({ name: `x${i}`, kind: 'range' as const, min: 0, max: 1 }));

const mixed: Factor[] = [
  { name: 'rate', kind: 'range', min: 0, max: 2 },
  { name: 'size', kind: 'range', min: 1, max: 10, integer: true },
  { name: 'cost', kind: 'range', min: 1, max: 1000, log: true },
  { name: 'policy', kind: 'values', values: ['a', 'b', 'c'] },
  { name: 'flag', kind: 'values', values: [true, false] },
];

describe('factors', () => {
  it('rejects invalid factors', () => {
    expect(() => validateFactors([{ name: '', kind: 'range', min: 0, max: 1 }])).toThrow(RangeError);
    expect(() => validateFactors([{ name: 'a', kind: 'range', min: 1, max: 1 }])).toThrow(RangeError);
    expect(() => validateFactors([{ name: 'a', kind: 'range', min: 0, max: 1, log: true }])).toThrow(RangeError);
    expect(() => validateFactors([{ name: 'a', kind: 'range', min: 0.5, max: 3, integer: true }])).toThrow(RangeError);
    expect(() => validateFactors([{ name: 'a', kind: 'values', values: [] }])).toThrow(RangeError);
    expect(() =>
      validateFactors([
        { name: 'a', kind: 'values', values: [1] },
        { name: 'a', kind: 'values', values: [2] },
      ]),
    ).toThrow(RangeError);
    expect(() => validateFactors(mixed)).not.toThrow();
  });

  it('quantile map gives equal probability to each level / integer', () => {
    const counts = new Map<unknown, number>();
    const ints = new Map<unknown, number>();
    const M = 3 * 10 * 100;
    for (let j = 0; j < M; j++) {
      const u = (j + 0.5) / M;
      const v = fromUnit(mixed[3], u);
      counts.set(v, (counts.get(v) ?? 0) + 1);
      const s = fromUnit(mixed[1], u);
      ints.set(s, (ints.get(s) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([M / 3, M / 3, M / 3]);
    expect([...ints.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(ints.values())).toEqual(new Set([M / 10]));
    expect(fromUnit(mixed[2], 0.5)).toBeCloseTo(Math.sqrt(1000), 9);
    expect(fromUnit(mixed[0], 0.25)).toBe(0.5);
  });

  it('grid map hits the ends and the nearest level', () => {
    expect(fromGrid(mixed[0], 0)).toBe(0);
    expect(fromGrid(mixed[0], 1)).toBe(2);
    expect(fromGrid(mixed[2], 1)).toBe(1000);
    expect(fromGrid(mixed[3], 0)).toBe('a');
    expect(fromGrid(mixed[3], 0.5)).toBe('b');
    expect(fromGrid(mixed[3], 1)).toBe('c');
    expect(fromGrid(mixed[1], 1 / 3)).toBe(4);
  });
});

describe('fullGrid', () => {
  it('has the documented order (last factor fastest) and levels', () => {
    const g = fullGrid(
      [
        { name: 'a', kind: 'range', min: 0, max: 1 },
        { name: 'b', kind: 'values', values: ['x', 'y'] },
      ],
      3,
    );
    expect(g).toEqual([
      { a: 0, b: 'x' },
      { a: 0, b: 'y' },
      { a: 0.5, b: 'x' },
      { a: 0.5, b: 'y' },
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
    ]);
    expect(gridLevels({ name: 'c', kind: 'range', min: 1, max: 100, log: true }, 3)).toEqual([1, expect.closeTo(10, 12), 100]);
    expect(gridLevels({ name: 'c', kind: 'range', min: 0, max: 2, integer: true }, 5)).toEqual([0, 1, 2]);
    expect(gridLevels({ name: 'c', kind: 'range', min: 0, max: 4 }, 1)).toEqual([2]);
    expect(fullGrid(mixed, { rate: 2, size: 4, cost: 3 })).toHaveLength(2 * 4 * 3 * 3 * 2);
  });

  it('has product-of-levels points, every combination exactly once (property)', () => {
    const factorArb = fc.oneof(
      fc.record({ kind: fc.constant('range' as const), min: fc.integer({ min: -5, max: 5 }), span: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ kind: fc.constant('values' as const), L: fc.integer({ min: 1, max: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(factorArb, { minLength: 0, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), (specs, levels) => {
        const factors: Factor[] = specs.map((s, i) =>
          s.kind === 'range'
            ? { name: `f${i}`, kind: 'range', min: s.min, max: s.min + s.span }
            : { name: `f${i}`, kind: 'values', values: Array.from({ length: s.L }, (_, j) => `v${j}`) },
        );
        const g = fullGrid(factors, levels);
        const perFactor = factors.map((f) => gridLevels(f, levels));
        const expected = perFactor.reduce((acc, l) => acc * l.length, 1);
        expect(g).toHaveLength(expected);
        const keys = new Set(g.map((p) => JSON.stringify(factors.map((f) => p[f.name]))));
        expect(keys.size).toBe(expected);
        for (const p of g) factors.forEach((f, j) => expect(perFactor[j]).toContain(p[f.name]));
      }),
    );
  });
});

describe('latinHypercube', () => {
  it('puts exactly one point in each stratum of each dimension (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 8 }), fc.integer(), (n, k, seed) => {
        const u = latinHypercubeUnit(k, n, rngOf(seed));
        expect(u).toHaveLength(n);
        for (let j = 0; j < k; j++) {
          const strata = u.map((row) => Math.floor(row[j] * n)).sort((a, b) => a - b);
          expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
          for (const row of u) expect(row[j] >= 0 && row[j] < 1).toBe(true);
        }
        // and the mapped design over [0,1] ranges is the same sample
        const pts = latinHypercube(unitFactors(k), n, rngOf(seed));
        pts.forEach((p, i) => unitFactors(k).forEach((f, j) => expect(p[f.name]).toBeCloseTo(u[i][j], 14)));
      }),
      { numRuns: 200 },
    );
  });

  it('balances values factors when L divides n', () => {
    const pts = latinHypercube(mixed, 12, rngOf(3));
    const count = (v: unknown) => pts.filter((p) => p.policy === v).length;
    expect([count('a'), count('b'), count('c')]).toEqual([4, 4, 4]);
    expect(pts.filter((p) => p.flag === true)).toHaveLength(6);
    for (const p of pts) {
      expect(Number.isInteger(p.size)).toBe(true);
      expect(p.cost as number).toBeGreaterThanOrEqual(1);
      expect(p.cost as number).toBeLessThanOrEqual(1000);
    }
  });

  it('tolerates an rng that returns values just below 1', () => {
    const u = latinHypercubeUnit(2, 7, () => 1 - Number.EPSILON / 4);
    for (let j = 0; j < 2; j++) expect(new Set(u.map((r) => Math.floor(r[j] * 7))).size).toBe(7);
  });
});

describe('Sobol sequence', () => {
  it('matches published first points of dimensions 1-3', () => {
    // Gray-code order with Joe–Kuo directions, first point (0,0,0) included
    expect(sobolSequence(10, 3, 0)).toEqual([
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
      [0.1875, 0.3125, 0.9375],
      [0.6875, 0.8125, 0.4375],
    ]);
    // the default skips the first (all-zero) point
    expect(sobolSequence(3, 3)).toEqual(sobolSequence(4, 3, 0).slice(1));
    // starting part-way gives the same points as generating from the start
    expect(sobolSequence(50, 7, 37)).toEqual(sobolSequence(87, 7, 0).slice(37));
  });

  it('has one point in every dyadic interval for each 2^m prefix, in every dimension', () => {
    const M = 11;
    const pts = sobolSequence(2 ** M, SOBOL_MAX_DIMENSIONS, 0);
    for (let m = 0; m <= M; m++) {
      const size = 2 ** m;
      for (let d = 0; d < SOBOL_MAX_DIMENSIONS; d++) {
        const seen = new Uint8Array(size);
        for (let i = 0; i < size; i++) seen[Math.floor(pts[i][d] * size)]++;
        if (!seen.every((c) => c === 1)) throw new Error(`dimension ${d + 1}, m = ${m}: not one point per interval`);
      }
    }
  });

  it('Joe–Kuo table rows are well-formed: odd m_i < 2^i, primitive polynomials, distinct', () => {
    expect(SOBOL_MAX_DIMENSIONS).toBeGreaterThanOrEqual(40);
    const seen = new Set<string>();
    for (const { s, a, m } of JOE_KUO_ROWS) {
      expect(m).toHaveLength(s);
      m.forEach((mi, i) => {
        expect(mi % 2).toBe(1);
        expect(mi).toBeLessThan(2 ** (i + 1));
      });
      expect(a).toBeLessThan(2 ** (s - 1));
      // polynomial x^s + a_1 x^{s-1} + ... + a_{s-1} x + 1 over GF(2), as a bit mask
      const poly = (1 << s) | (a << 1) | 1;
      // primitive iff x has multiplicative order exactly 2^s - 1 modulo poly
      let x = 1;
      let order = 0;
      do {
        x <<= 1;
        if (x & (1 << s)) x ^= poly;
        order++;
      } while (x !== 1 && order <= 2 ** s);
      expect(order).toBe(2 ** s - 1);
      const key = `${s}/${a}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });
});

describe('saltelli', () => {
  it('has N(k+2) points and AB_i equals A except column i from B', () => {
    const n = 64;
    const d = saltelli(mixed, n);
    const k = mixed.length;
    expect(d.points).toHaveLength(n * (k + 2));
    expect(d.blocks).toEqual({ A: 0, B: n, AB: [2, 3, 4, 5, 6].map((b) => b * n) });
    const seq = sobolSequence(n, 2 * k);
    for (let j = 0; j < n; j++) {
      expect(d.unit[j]).toEqual(seq[j].slice(0, k));
      expect(d.unit[n + j]).toEqual(seq[j].slice(k));
    }
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < n; j++) {
        const a = d.points[d.blocks.A + j];
        const b = d.points[d.blocks.B + j];
        const ab = d.points[d.blocks.AB[i] + j];
        mixed.forEach((f, c) => expect(ab[f.name]).toEqual(c === i ? b[f.name] : a[f.name]));
        d.unit[d.blocks.AB[i] + j].forEach((u, c) => expect(u).toBe(c === i ? d.unit[n + j][c] : d.unit[j][c]));
      }
    }
    const y = d.points.map((_, r) => r);
    const parts = splitSaltelli(d, y);
    expect(parts.yA[0]).toBe(0);
    expect(parts.yB[0]).toBe(n);
    expect(parts.yAB[k - 1][n - 1]).toBe(n * (k + 2) - 1);
  });

  it('is deterministic and maps into the factor ranges', () => {
    expect(saltelli(mixed, 32)).toEqual(saltelli(mixed, 32));
    for (const p of saltelli(mixed, 32).points) {
      expect(p.rate as number).toBeGreaterThanOrEqual(0);
      expect(p.rate as number).toBeLessThan(2);
      expect(['a', 'b', 'c']).toContain(p.policy);
    }
    expect(() => saltelli(unitFactors(SOBOL_MAX_DIMENSIONS), 8)).toThrow(RangeError);
  });
});

describe('morris', () => {
  it('builds valid one-at-a-time trajectories on the p-level grid (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom(2, 4, 6, 8),
        fc.integer(),
        (k, r, p, seed) => {
          const d = morris(unitFactors(k), r, p, rngOf(seed));
          const delta = p / (2 * (p - 1));
          expect(d.delta).toBeCloseTo(delta, 15);
          expect(d.points).toHaveLength(r * (k + 1));
          expect(d.trajectories).toHaveLength(r);
          for (const row of d.unit) {
            for (const u of row) {
              expect(u).toBeGreaterThanOrEqual(0);
              expect(u).toBeLessThanOrEqual(1);
              expect(Math.abs(u * (p - 1) - Math.round(u * (p - 1)))).toBeLessThan(1e-9);
            }
          }
          d.trajectories.forEach((t, ti) => {
            expect(t.start).toBe(ti * (k + 1));
            expect([...t.order].sort((a, b) => a - b)).toEqual(Array.from({ length: k }, (_, i) => i));
            for (let j = 0; j < k; j++) {
              const before = d.unit[t.start + j];
              const after = d.unit[t.start + j + 1];
              for (let c = 0; c < k; c++) {
                if (c === t.order[j]) expect(after[c] - before[c]).toBeCloseTo(t.sign[j] * delta, 12);
                else expect(after[c]).toBe(before[c]);
              }
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects odd level counts', () => {
    expect(() => morris(unitFactors(2), 3, 5, rngOf(1))).toThrow(RangeError);
  });
});

describe('determinism', () => {
  it('the same seed gives identical designs, a different seed a different one', () => {
    expect(latinHypercube(mixed, 20, rngOf(42))).toEqual(latinHypercube(mixed, 20, rngOf(42)));
    expect(latinHypercube(mixed, 20, rngOf(42))).not.toEqual(latinHypercube(mixed, 20, rngOf(43)));
    expect(morris(mixed, 10, 4, rngOf(42))).toEqual(morris(mixed, 10, 4, rngOf(42)));
    expect(morris(mixed, 10, 4, rngOf(42))).not.toEqual(morris(mixed, 10, 4, rngOf(43)));
    expect(fullGrid(mixed, 3)).toEqual(fullGrid(mixed, 3));
  });
});
