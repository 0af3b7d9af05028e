/** Messages between the sandbox page and its Web Workers. */
import type { RepOutcome, Variant } from './replicate.ts';

export interface RunRequest { type: 'run'; job: number; variant: Variant; focal: string; reps: number[] }
export interface SummaryRequest { type: 'summary'; job: number; variant: Variant; seed: number; label: string | null }
export type Request = RunRequest | SummaryRequest;

export interface RunReply { type: 'run'; job: number; outcomes: RepOutcome[]; ms: number }
export interface SummaryReply { type: 'summary'; job: number; json: string; ms: number }
/** The variant did not load (bad setting): every problem, formatted as the CLI prints them. */
export interface ErrorReply { type: 'error'; job: number; problems: string[] }
export type Reply = RunReply | SummaryReply | ErrorReply;
