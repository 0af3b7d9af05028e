/**
 * Where the tasks of a calibration run: in this thread (one worker), or in a pool of worker threads. Results
 * come back in the order the tasks were given, so they do not depend on the number of workers.
 */
import { Piscina } from 'piscina';
import { runTask, type Task, type TaskResult } from './tasks.ts';

export interface TaskRunner { run(tasks: Task[]): Promise<TaskResult[]>; close(): Promise<void> }

export function taskRunner(workers: number): TaskRunner {
  if (workers <= 1) return { run: async (tasks) => tasks.map(runTask), close: async () => {} };
  const pool = new Piscina({ filename: new URL('./worker.mjs', import.meta.url).href, minThreads: workers, maxThreads: workers, idleTimeout: 60_000 });
  return {
    run: (tasks) => Promise.all(tasks.map((t) => pool.run(t) as Promise<TaskResult>)),
    close: () => pool.destroy(),
  };
}
