/**
 * Imported first by the page's worker: validation without zod's compiled fast path, which builds functions
 * from strings (`new Function`), something the page's Content-Security-Policy forbids. Results are the same;
 * only the speed of validating differs. Must run before any schema is constructed.
 */
import { z } from 'zod';

z.config({ jitless: true });
