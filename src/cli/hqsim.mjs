#!/usr/bin/env node
// Entry point of the `hqsim` command. It runs the compiled JavaScript next to the TypeScript sources (built by
// `npm run build`, which `npm install` in a clone and `npm pack` run); source maps make the stack trace of an
// internal error name the .ts lines.
process.setSourceMapsEnabled(true);
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
