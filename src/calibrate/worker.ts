/** Worker-thread entry of `hqsim calibrate` and `hqsim backtest`: runs one task (tasks.ts) per call. */
import { runTask, type Task } from './tasks.ts';

export default function (t: Task) { return runTask(t); }
