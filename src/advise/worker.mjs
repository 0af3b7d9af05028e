// Worker-thread entry of `hqsim advise`. tsx's loader hooks do not reach worker threads on Node 20, so the
// TypeScript module is loaded through tsx's API here (as for sweeps).
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
