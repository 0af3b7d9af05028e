/** The command-line edge of `hqsim advise`: run the search, write the result directory atomically, print. */
import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { stableJson, writeAtomically, OutputExistsError } from '../output/write.ts';
import { loadScenario } from '../scenario/load.ts';
import { AdviseUsageError, runAdvise } from './index.ts';
import { formatAdvice } from './text.ts';
import type { AdviseCliOptions } from './command.ts';

const shown = (d: string) => { const r = relative(process.cwd(), d); return r && !r.startsWith('..') && !isAbsolute(r) ? r : d; };

export async function adviseCli(file: string, o: AdviseCliOptions, UsageError: new (m: string) => Error, print: (s: string) => void, warn: (s: string) => void): Promise<void> {
  const sc = loadScenario(file, { arm: o.arm, years: o.years });
  const dir = resolve(o.out ?? join('results', sc.name, ...(o.arm ? [o.arm] : []), `advise-${o.contest}-${o.city}`));
  if (existsSync(dir) && !o.force) throw new OutputExistsError(`${dir} exists; use --force to replace it`);
  if (!o.quiet && !o.json) warn(`hqsim advise: deciding contest ${o.contest} for ${o.city} on ${o.runs} runs, then checking on ${o.runs} more (${o.workers} worker${o.workers === 1 ? '' : 's'})`);
  let result;
  try {
    result = await runAdvise(file, { contest: o.contest, city: o.city, target: o.target, budgetMusd: o.budget, runs: o.runs, rivals: o.rivals, seed: o.seed, arm: o.arm, years: o.years, workers: o.workers });
  } catch (e) {
    if (e instanceof AdviseUsageError) throw new UsageError(e.message);
    throw e;
  }
  const { manifest } = result;
  // Everything shown is built from the advice as stored (numbers rounded as in every result file), so that
  // `hqsim report` on the directory rebuilds the same page.
  const text = stableJson(result.advice);
  const advice = JSON.parse(text) as typeof result.advice;
  if (!o.quiet) for (const w of advice.warnings) warn(w);
  const html = o.report ? await (await import('./report.ts')).adviceHtml(advice, manifest.inputs) : null;
  writeAtomically(dir, o.force ?? false, (tmp) => {
    writeFileSync(join(tmp, 'manifest.json'), stableJson({ ...manifest, files: [...manifest.files, ...(html ? ['report.html'] : [])] }));
    writeFileSync(join(tmp, 'advice.json'), text);
    if (html) writeFileSync(join(tmp, 'report.html'), html);
  });
  if (o.json) print(text.trimEnd());
  else if (!o.quiet) print(formatAdvice(advice, shown(dir)));
  if (html && !o.quiet && !o.json) print(`  report: ${shown(join(dir, 'report.html'))}`);
}
