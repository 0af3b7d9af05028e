// Worker-thread entry of `hqsim advise`: the compiled worker module, with source maps on in this thread too, so
// that a worker's internal error names the .ts lines (as for sweeps).
process.setSourceMapsEnabled(true);
await import('./worker.js');
