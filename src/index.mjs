// Package entry for plain Node (`import { loadScenario, runScenario } from 'hqsim'`): loads the TypeScript API via tsx.
import { tsImport } from 'tsx/esm/api';

const api = await tsImport('./index.ts', import.meta.url);
export const { loadScenario, parseScenario, runScenario, runToDirectory, simulate, manifestOf, ScenarioError, formatProblem,
  PARAM_SPECS, paramEntries, resolveParams, VERSION } = api;
