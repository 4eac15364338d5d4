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
/** One verification command's last run in a Coder pass: the facts the report's results come from. */
export const VerificationCheckSchema = z.object({
  command: z.string(),
  /** Undefined when it was killed or never started. */
  exitCode: z.number().int().optional(),
  timedOut: z.boolean(),
  /** Why it did not run at all. */
  notRun: z.string().optional(),
  /** 'sandboxed', 'unsandboxed' or 'unavailable: why'. */
  sandbox: z.string().optional(),
  durationMs: z.number().min(0),
});
/**
 * One spec of a batch the Coder finished: what it changed and how its verification ended, kept
 * in run.json so a reload resumes at the next spec and the consolidated report still has it.
 */
export const BatchSpecOutcomeSchema = z.object({
  /** 0-based position in the batch (code_spec_01.md is 0). */
  index: z.number().int().nonnegative(),
  file: z.string(),
  specId: z.string(),
  title: z.string(),
  command: z.string(),
  verification: z.object({
    passed: z.boolean(),
    /** The report's words for it: "`node --test` exited with code 1". */
    details: z.string(),
    exitCode: z.number().int().optional(),
    /** The report's Build Status for it. */
    build: z.enum(['CLEAN', 'WARNINGS', 'ERRORS']),
    /** The end of its output (the whole is long; the failing lines are usually last). */
    output: z.string(),
  }),
  /** What run.json keeps of its last verification run, as a report's checks. */
  check: VerificationCheckSchema,
  summary: z.string(),
  files: z.array(z.object({ path: z.string(), action: z.enum(['Modified', 'Created', 'Deleted']), added: z.number().int(), removed: z.number().int() })),
  blockers: z.array(z.string()),
  deviations: z.array(z.string()),
  /** How many of the Coder's tool calls the guardrails and confinement refused (absent in older runs). */
  refusals: z.number().int().nonnegative().optional(),
});
export type BatchSpecOutcome = z.infer<typeof BatchSpecOutcomeSchema>;

/**
 * Where a batch pass is: the specs done so far, in order. `paused`: a spec failed its
 * verification and the user chooses to go on or stop; `stopped`: they chose stop, so the pass
 * writes the report of what was done and skips the rest.
 */
export const BatchProgressSchema = z.object({
  done: z.array(BatchSpecOutcomeSchema),
  paused: z.boolean().optional(),
  stopped: z.boolean().optional(),
});
export type BatchProgress = z.infer<typeof BatchProgressSchema>;

/** The facts of one competing candidate, measured from its copy and its calls, never from its word. */
export const CandidateFactsSchema = z.object({
  verificationPassed: z.boolean(),
  /** "`npm test` exited with code 1", as the report words it. */
  verificationDetails: z.string(),
  /** Tool calls the guardrails and confinement refused. */
  refusals: z.number().int().nonnegative(),
  filesChanged: z.number().int().nonnegative(),
  linesAdded: z.number().int().nonnegative(),
  linesRemoved: z.number().int().nonnegative(),
  /** TODO(architect) markers left in the files it changed. */
  openQuestions: z.number().int().nonnegative(),
  /** Input plus output tokens of its calls. */
  tokens: z.number().int().nonnegative(),
  /** US dollars, from its calls' recorded costs; absent when none was priced. */
  costUsd: z.number().nonnegative().optional(),
});
export type CandidateFacts = z.infer<typeof CandidateFactsSchema>;

/** A candidate letter: "A" is the mode's first Coder, "B" the second, and so on. */
export const CandidateLabelSchema = z.string().regex(/^[A-H]$/);

/** "A" for the mode's first Coder, "B" for the second… */
export function candidateLabel(index: number): string {
  return String.fromCharCode(65 + index);
}

/** The position in the mode's Coders of the candidate `label`. */
export function candidateIndex(label: string): number {
  return label.charCodeAt(0) - 65;
}

/** A candidate that has ended: its changes are kept as candidates/<label>.json, its copy is gone. */
export const EndedCandidateSchema = z.object({
  label: CandidateLabelSchema,
  status: z.enum(['done', 'failed']),
  /** Why it failed (its model's error, a refused call, a copy that could not be made). */
  error: z.string().optional(),
  facts: CandidateFactsSchema.optional(),
  files: z.array(z.object({ path: z.string(), action: z.enum(['Modified', 'Created', 'Deleted']), added: z.number().int(), removed: z.number().int() })).default([]),
});
export type EndedCandidate = z.infer<typeof EndedCandidateSchema>;

/**
 * Where a competitive (best-of-N) pass is: the candidates that ended (the others are at work or
 * restart after a reload), the judge's pick, and the one the user applied.
 */
export const CompetitionStateSchema = z.object({
  ended: z.array(EndedCandidateSchema),
  /** The Architect's pick among the survivors; absent when none survived (`note` says why). */
  judge: z.object({ pick: CandidateLabelSchema, reasons: z.string(), by: z.enum(['architect', 'facts']).default('architect') }).optional(),
  /** How the pick was made when the judge did not make it (one survivor, none, an unreadable answer). */
  note: z.string().optional(),
  /** Every candidate ended and was judged: the run waits for the user to apply one. */
  awaitingPick: z.boolean().optional(),
  /** The candidate the user applied; the pass then writes its report. */
  applied: CandidateLabelSchema.optional(),
});
export type CompetitionState = z.infer<typeof CompetitionStateSchema>;
/** A verification as run.json keeps it: the batch's, with the command it ran. */
export const KeptVerificationSchema = BatchSpecOutcomeSchema.shape.verification.extend({ command: z.string() });
export type KeptVerification = z.infer<typeof KeptVerificationSchema>;

/** One spec of a division or swarm run, kept in run.json as its wave is merged (so a reload keeps it). */
export const DivisionSpecOutcomeSchema = BatchSpecOutcomeSchema.omit({ command: true, verification: true, check: true }).extend({
  /** The display name of the model that did it (after an escalation: the one that answered). */
  coder: z.string(),
  /** 0-based wave (specWaves.ts). */
  wave: z.number().int().nonnegative(),
  /** Swarm only: its tier, model and why, escalations included (swarmPlan.ts). */
  routing: z.string().optional(),
  /** What the Coder was refused in its copy (the toolbox's refusals). */
  refusals: z.array(z.string()),
  /** Absent when its copy ran no verification of its own. */
  verification: KeptVerificationSchema.optional(),
  check: VerificationCheckSchema.optional(),
  /** Swarm only, for a spec whose verification checks nothing: the Architect's verdict on the work (specAcceptance.ts). */
  acceptance: z.object({ accepted: z.boolean(), reasons: z.string() }).optional(),
});
export type DivisionSpecOutcome = z.infer<typeof DivisionSpecOutcomeSchema>;

/**
 * Where a division pass is: the waves merged into the workspace so far (`wave` is the next one)
 * and their specs. A wave cut short by a reload left only copies, which are removed and redone.
 */
export const DivisionProgressSchema = z.object({
  wave: z.number().int().nonnegative(),
  done: z.array(DivisionSpecOutcomeSchema),
});
export type DivisionProgress = z.infer<typeof DivisionProgressSchema>;

const HardStopToCoder = z.object({ phase: z.literal('hard-stop-to-coder'), specVersion: z.number().int().positive() });
const CoderImplement = z.object({
  phase: z.literal('coder-implement'),
  specVersion: z.number().int().positive(),
  /** The verification commands exactly as the user saw them at the HARD STOP; nothing else runs. */
  approvedCommands: z.array(z.string()),
  confirmedModel: z.string(),
  /** Batch mode only; absent before the first spec is done (and in run.json files from before it). */
  batch: BatchProgressSchema.optional(),
  /** Competitive mode only; absent until the first candidate ends. */
  competition: CompetitionStateSchema.optional(),
  /** Division of labour only; absent before the first wave is merged. */
  division: DivisionProgressSchema.optional(),
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
  /** A spec of a batch is done; `remaining` specs follow it. A failed one with more to come pauses the pass. */
  | { type: 'batch-spec-done'; outcome: BatchSpecOutcome; remaining: number }
  /** At a paused batch: the user goes on with the rest, or stops it there (the report covers what was done). */
  | { type: 'batch-go-on' }
  | { type: 'batch-stop' }
  /** A competing candidate ended (done or failed); the others go on. */
  | { type: 'candidate-ended'; candidate: EndedCandidate }
  /** Every candidate ended and the judge (or the facts) chose: the run waits for the user's pick. */
  | { type: 'competition-judged'; judge?: { pick: string; reasons: string; by: 'architect' | 'facts' }; note?: string }
  /** The user applied a candidate's changes to the workspace; the pass writes its report next. */
  | { type: 'candidate-applied'; label: string }
  /** Division of labour: wave `wave`'s copies were merged into the workspace; its specs are done. */
  | { type: 'division-wave-done'; wave: number; outcomes: DivisionSpecOutcome[] }
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
