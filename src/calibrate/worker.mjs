// Worker-thread entry of `hqsim calibrate` and `hqsim backtest`: the compiled worker module, with source maps on
// in this thread too, so that a worker's internal error names the .ts lines.
process.setSourceMapsEnabled(true);
const m = await import('./worker.js');
export default m.default;
