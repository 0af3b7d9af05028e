/**
 * Limits of a scenario once it is parsed: population (listed, synthetic and expected foundings), the work
 * estimate cities x organizations x years, and duplicate contest candidates. Checked by every load, so by
 * `hqsim validate`, by each arm and design point of a sweep, and before `hqsim run` writes anything.
 */
import { formatCount, overLimit } from './index.ts';

export interface ScenarioSize {
  cities: number;
  organizations: number;
  population?: { cities?: number; organizations?: number };
  years: number;
  /** Expected synthetic foundings per year (parameters.foundings.rate). */
  foundingRate: number;
  contests: { candidates?: string[] }[];
}

export interface LimitProblem { path: (string | number)[]; message: string }

export function scenarioLimitProblems(s: ScenarioSize): LimitProblem[] {
  const out: LimitProblem[] = [];
  const push = (path: (string | number)[], m: string | undefined) => { if (m) out.push({ path, message: m }); };
  const popCities = s.population?.cities ?? 0;
  const popOrgs = s.population?.organizations ?? 0;
  const foundings = Math.max(0, s.foundingRate) * s.years;
  const cities = s.cities + popCities;
  const orgs = s.organizations + popOrgs + foundings;
  push(popCities > s.cities ? ['population', 'cities'] : ['cities'], overLimit('cities', cities));
  const orgsAt = foundings >= popOrgs && foundings >= s.organizations ? ['parameters', 'foundings', 'rate'] : popOrgs >= s.organizations ? ['population', 'organizations'] : ['organizations'];
  const orgProblem = overLimit('organizations', orgs);
  push(orgsAt, orgProblem && (foundings > 0 ? `${orgProblem}; expected foundings: rate ${formatCount(s.foundingRate)} x ${s.years} years` : orgProblem));
  if (out.length === 0) push(['years'], overLimit('work', cities * orgs * s.years));
  s.contests.forEach((c, i) => {
    if (!c.candidates) return;
    const first = new Map<string, number>();
    let dupes = 0, at = -1;
    c.candidates.forEach((id, j) => {
      if (first.has(id)) { dupes++; if (at < 0) at = j; } else first.set(id, j);
    });
    if (dupes) {
      const id = c.candidates[at];
      push(['contests', i, 'candidates', at], `candidate "${id}" is listed twice (also candidates[${first.get(id)}])${dupes > 1 ? `; ${formatCount(dupes)} repeated entries in this list` : ''}`);
    }
  });
  return out;
}
