// Worker-thread entry for sweeps and odds. tsx's loader hooks do not reach worker threads on Node 20,
// so the TypeScript task module is loaded through tsx's API here.
import { tsImport } from 'tsx/esm/api';

const mod = await tsImport('./worker.ts', import.meta.url);
export default mod.runTask;
