// Worker-thread entry for sweeps and odds (Piscina loads it by path): the compiled task module, with source
// maps on in this thread too, so that a worker's internal error names the .ts lines.
process.setSourceMapsEnabled(true);
const { runTask } = await import('./worker.js');
export default runTask;
