// `npm run bench` entry: loads the TypeScript benchmark through tsx's loader API.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./bench.ts', import.meta.url);
await main();
