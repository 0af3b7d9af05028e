/**
 * Seeds of replications, shared by `hqsim sweep`, `hqsim odds`, `hqsim advise` and the sandbox page (common random
 * numbers): in a module of its own so that the sandbox's browser worker takes it without the experiment loader.
 */
import { createHash } from 'node:crypto';

/** The seed of replication r: a hash of the experiment seed and r only (never of the point or arm), 31 bits. */
export function replicationSeed(seed: number, r: number): number {
  return createHash('sha256').update(`hqsim-replication/${seed}/${r}`).digest().readUInt32BE(0) >>> 1;
}
