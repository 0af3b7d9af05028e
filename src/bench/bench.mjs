// `npm run bench` entry: the compiled benchmark (built by `npm run build`), with source maps on.
process.setSourceMapsEnabled(true);
const { main } = await import('./bench.js');
await main();
