/** `hqsim validate` of a scenario: the base scenario and every arm it declares, every problem in one pass. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
// (warnings of the YAML library are not printed: problems are reported by the loader, located)
import { ScenarioError, formatProblem, type Problem } from './errors.ts';
import { loadScenario, type Scenario } from './load.ts';

/**
 * Load a scenario and every arm it declares, collecting every problem in one pass: the base scenario's, then
 * each arm's own (located at the arm's override, naming the arm). Throws one ScenarioError with all of them.
 */
export function validateScenario(file: string): Scenario {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (e: unknown) => {
    if (!(e instanceof ScenarioError)) throw e;
    for (const p of e.problems) { const k = formatProblem(p); if (!seen.has(k)) { seen.add(k); problems.push(p); } }
  };
  let base: Scenario | undefined;
  try { base = loadScenario(file); } catch (e) { add(e); }
  const arms = base?.arms ?? armNames(file);
  for (const arm of arms) { try { loadScenario(file, { arm }); } catch (e) { add(e); } }
  if (problems.length || !base) throw new ScenarioError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0)));
  return base;
}

/** Arm names of a scenario file that does not load (to check each arm anyway). */
function armNames(file: string): string[] {
  try {
    const doc = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'silent' }) as { arms?: unknown } | null;
    return doc && doc.arms && typeof doc.arms === 'object' && !Array.isArray(doc.arms) ? Object.keys(doc.arms).sort() : [];
  } catch { return []; }
}
