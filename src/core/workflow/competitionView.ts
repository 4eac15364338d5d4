// What the panel shows of a competitive (best-of-N) run's candidates, as the host sends it inside
// RunView.competition. Pure data with its zod schema: the webview parses it again, trusting
// nothing it receives. Until the user has picked, a candidate is known by its label only: the
// model behind it is not in the view, so neither the judge nor the user is swayed by a name.
import * as z from 'zod';

export const CandidateFactsViewSchema = z.object({
  verificationPassed: z.boolean(),
  /** "`npm test` exited with code 1", as the report words it. */
  verificationDetails: z.string(),
  /** How many of its tool calls the guardrails and confinement refused. */
  refusals: z.number().int().nonnegative(),
  filesChanged: z.number().int().nonnegative(),
  linesAdded: z.number().int().nonnegative(),
  linesRemoved: z.number().int().nonnegative(),
  /** TODO(architect) markers it left in the files it changed. */
  openQuestions: z.number().int().nonnegative(),
  /** Input plus output tokens of its calls. */
  tokens: z.number().int().nonnegative(),
  /** Formatted by the host ("$0.0123"); absent when unpriced. */
  cost: z.string().optional(),
});
export type CandidateFactsView = z.infer<typeof CandidateFactsViewSchema>;

export const CandidateViewSchema = z.object({
  /** "A", "B", "C": how the judge and the user know it until the pick. */
  label: z.string().max(8),
  status: z.enum(['working', 'done', 'failed', 'cancelled']),
  /** What it is doing now, or why it failed. */
  message: z.string().optional(),
  facts: CandidateFactsViewSchema.optional(),
  /** 1 = best by the facts alone. */
  rank: z.number().int().positive().optional(),
  /** Why it was not sent to the judge (its verification failed, it changed nothing). */
  excluded: z.string().optional(),
  files: z.array(z.object({ path: z.string(), action: z.enum(['Modified', 'Created', 'Deleted']), added: z.number().int(), removed: z.number().int() })).default([]),
  /** The model behind it: only once the user has picked (or the run has ended). */
  model: z.object({ displayName: z.string(), modelId: z.string(), provider: z.string() }).optional(),
});
export type CandidateView = z.infer<typeof CandidateViewSchema>;

export const CompetitionViewSchema = z.object({
  candidates: z.array(CandidateViewSchema),
  /** The Architect's pick among the survivors, with its reasons. */
  judge: z.object({ pick: z.string().max(8), reasons: z.string() }).optional(),
  /** The run waits for the user to apply one candidate. */
  awaitingPick: z.boolean(),
  /** The label of the candidate the user applied. */
  applied: z.string().max(8).optional(),
});
export type CompetitionView = z.infer<typeof CompetitionViewSchema>;
