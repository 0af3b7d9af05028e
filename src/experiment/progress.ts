/** Progress on stderr: a cli-progress bar on a terminal, plain periodic lines otherwise, nothing with --quiet. */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, done: number): void;
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { start() {}, update() {}, stop() {} };

function fmtEta(s: number): string {
  if (!Number.isFinite(s)) return '?';
  s = Math.round(s);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function createProgress(label: string, opts: { quiet?: boolean; stream?: NodeJS.WriteStream; intervalMs?: number } = {}): Progress {
  if (opts.quiet) return NONE;
  const stream = opts.stream ?? process.stderr;
  let t0 = 0, done0 = 0, last = 0, lastDone = -1;
  const rate = (done: number) => { const dt = (performance.now() - t0) / 1000; return dt > 0 ? (done - done0) / dt : 0; };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream, format: `${label} |{bar}| {value}/{total} runs | {rate} runs/s | ETA {eta_s}`, hideCursor: true, clearOnComplete: false, fps: 5,
    }, cliProgress.Presets.shades_classic);
    return {
      start(total, done) { t0 = performance.now(); done0 = done; bar.start(total, done, { rate: '0.0', eta_s: '?' }); },
      update(done, total) {
        const r = rate(done);
        bar.setTotal(total);
        bar.update(done, { rate: r.toFixed(1), eta_s: fmtEta(r > 0 ? (total - done) / r : Infinity) });
      },
      stop() { bar.stop(); },
    };
  }
  const every = opts.intervalMs ?? 5000;
  const line = (done: number, total: number) => {
    const r = rate(done);
    stream.write(`${label}: ${done}/${total} runs (${total ? Math.floor((100 * done) / total) : 100}%), ${r.toFixed(1)} runs/s, ETA ${fmtEta(r > 0 ? (total - done) / r : Infinity)}\n`);
    lastDone = done;
  };
  let total0 = 0, doneNow = 0;
  return {
    start(total, done) { t0 = performance.now(); last = t0; done0 = done; total0 = total; doneNow = done; line(done, total); },
    update(done, total) {
      total0 = total; doneNow = done;
      const now = performance.now();
      if (now - last >= every) { last = now; line(done, total); }
    },
    stop() { if (doneNow !== lastDone) line(doneNow, total0); },
  };
}
