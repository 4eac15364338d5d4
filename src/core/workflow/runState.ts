// A run's state as a discriminated union on `phase`, one member per phase of the seed's
// protocol plus the two ways a run ends early. The zod schemas double as the validator for
// run.json, which people and other windows can edit or corrupt.
import * as z from 'zod';

export const phaseNames = [
  'architect-spec',
  'hard-stop-to-coder',
  'coder-implement',
  'hard-stop-to-architect',
  'architect-review',
  'approved',
  'failed',
  'cancelled',
] as const;
export const PhaseNameSchema = z.enum(phaseNames);
export type PhaseName = z.infer<typeof PhaseNameSchema>;

/** The three ways a review ends, the Architect's recommendation and the user's decision alike. */
export const ReviewOutcomeSchema = z.enum(['approved', 'revisions-needed', 'redesign']);
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;

export const SpecReasonSchema = z.enum(['initial', 'revision', 'redesign']);
export type SpecReason = z.infer<typeof SpecReasonSchema>;

export const ReviewVerdictSchema = z.object({
  outcome: ReviewOutcomeSchema,
  reasons: z.string(),
  blockerAnswers: z.array(z.object({ question: z.string(), answer: z.string() })),
  /** Version number of a revised spec the Architect wrote with a "Revisions needed" verdict. */
  revisedSpecVersion: z.number().int().positive().optional(),
});
export type ReviewVerdict = z.infer<typeof ReviewVerdictSchema>;

const ArchitectSpec = z.object({
  phase: z.literal('architect-spec'),
  reason: SpecReasonSchema,
  /** What the Architect must take into account: the user's notes, the review's reasons. */
  feedback: z.string().optional(),
});
const HardStopToCoder = z.object({ phase: z.literal('hard-stop-to-coder'), specVersion: z.number().int().positive() });
const CoderImplement = z.object({
  phase: z.literal('coder-implement'),
  specVersion: z.number().int().positive(),
  /** The verification commands exactly as the user saw them at the HARD STOP; nothing else runs. */
  approvedCommands: z.array(z.string()),
  confirmedModel: z.string(),
});
const HardStopToArchitect = z.object({ phase: z.literal('hard-stop-to-architect'), reportVersion: z.number().int().positive() });
const ArchitectReview = z.object({
  phase: z.literal('architect-review'),
  reportVersion: z.number().int().positive(),
  confirmedModel: z.string(),
  verdict: ReviewVerdictSchema.optional(),
});

export const ActiveStateSchema = z.discriminatedUnion('phase', [
  ArchitectSpec,
  HardStopToCoder,
  CoderImplement,
  HardStopToArchitect,
  ArchitectReview,
]);
export type ActiveState = z.infer<typeof ActiveStateSchema>;

export const RunStateSchema = z.discriminatedUnion('phase', [
  ArchitectSpec,
  HardStopToCoder,
  CoderImplement,
  HardStopToArchitect,
  ArchitectReview,
  z.object({ phase: z.literal('approved') }),
  /** `resumeFrom` is the phase that failed, so "Retry" can run it again. */
  z.object({ phase: z.literal('failed'), error: z.string(), resumeFrom: ActiveStateSchema }),
  z.object({ phase: z.literal('cancelled'), cancelledIn: z.string() }),
]);
export type RunState = z.infer<typeof RunStateSchema>;
export type Phase = RunState['phase'];

export type RunEvent =
  | { type: 'spec-written'; specVersion: number }
  | { type: 'model-confirmed'; answeredBy: string; verificationCommands?: string[] }
  | { type: 'report-written'; reportVersion: number }
  | { type: 'verdict-ready'; verdict: ReviewVerdict }
  | { type: 'review-decided'; outcome: z.infer<typeof ReviewOutcomeSchema>; notes?: string }
  /** The user put back the files a Coder pass changed, as they were before it; the run stays where it is. */
  | { type: 'pass-reverted'; specVersion: number; files: string[] }
  /** At the HARD STOP before the Coder: the user asked the Architect to revise the spec with what they discussed. */
  | { type: 'spec-revision-requested'; feedback: string }
  | { type: 'fail'; error: string }
  | { type: 'retry' }
  | { type: 'cancel' };

export const isActive = (state: RunState): state is ActiveState =>
  state.phase !== 'approved' && state.phase !== 'failed' && state.phase !== 'cancelled';
