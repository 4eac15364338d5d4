// How a run's Coder work is shared out (issue 11): one Coder (the seed's first half), several
// Coders competing on one spec (best-of-N), specs shared out among Coders (division of labour),
// or tasks routed by complexity to the cheapest adequate tier (swarm). Chosen when the run
// starts and kept in run.json, so a reloaded window goes on the same way.
import * as z from 'zod';
import { RoleSnapshotSchema } from './roleSnapshot.js';

export const runModeNames = ['single', 'competitive', 'division', 'swarm'] as const;
export const RunModeNameSchema = z.enum(runModeNames);
export type RunModeName = z.infer<typeof RunModeNameSchema>;

/** At most this many Coders at once in one run: more is a cost the user rarely means. */
export const MAX_PARALLEL_CODERS = 8;

export const RunModeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('single') }),
  /** One spec to each Coder (the same model may appear more than once); the best candidate is applied. */
  z.object({ mode: z.literal('competitive'), coders: z.array(RoleSnapshotSchema).min(2).max(MAX_PARALLEL_CODERS) }),
  /** The Architect's specs shared out among these Coders, disjoint ones in parallel. */
  z.object({ mode: z.literal('division'), coders: z.array(RoleSnapshotSchema).min(1).max(MAX_PARALLEL_CODERS) }),
  /** Each task to the cheapest adequate tier of the registry, escalated one tier on failure. */
  z.object({ mode: z.literal('swarm') }),
]);
export type RunMode = z.infer<typeof RunModeSchema>;

/** The seed's first half: the run's one Coder role does the work. Runs from before modes read as this. */
export const singleCoder: RunMode = { mode: 'single' };

export const runModeLabels: Readonly<Record<RunModeName, { label: string; detail: string }>> = {
  single: { label: 'Single Coder', detail: 'One Coder implements the spec (the default).' },
  competitive: { label: 'Competitive (best-of-N)', detail: 'Several Coders each implement the same spec in their own copy; ranked by their tests, judged by the Architect, you apply one.' },
  division: { label: 'Division of labour', detail: 'The Architect splits the work into specs; specs on separate files run in parallel, each on its own Coder.' },
  swarm: { label: 'Swarm', detail: 'The Architect splits the work into tasks; each goes to the cheapest model able to do it, and a failed task moves up one tier.' },
};
