#!/usr/bin/env node
// Entry point of the `hqsim` command: loads the TypeScript sources through tsx's loader API.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
