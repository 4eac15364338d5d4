// What the panel shows of one run, as the host sends it: built in core (runView.ts), carried by
// src/shared/messages.ts, parsed again by the webview, which trusts nothing it receives.
import * as z from 'zod';
import { CompetitionViewSchema } from './competitionView.js';
import { PhaseNameSchema, ReviewOutcomeSchema } from './runState.js';

const RoleViewSchema = z.object({
  displayName: z.string(),
  modelId: z.string(),
  provider: z.string(),
  isDemo: z.boolean(),
  /** The host requests go to, when it is not the provider's own. */
  endpoint: z.string().optional(),
});

const DocumentViewSchema = z.object({
  kind: z.enum(['spec', 'report']),
  label: z.string(),
  /** Absolute path of the artifact on disk, for "open in editor". */
  path: z.string(),
  markdown: z.string(),
});

/** One model call as the panel lists it; numbers come formatted by the host. */
const CallViewSchema = z.object({
  at: z.string(),
  /** e.g. "coder-implement", or "hard-stop-to-coder (identity check)" */
  phase: z.string(),
  /** The model that answered, by name; `modelDetail` has its provider and id. */
  model: z.string(),
  modelDetail: z.string(),
  tokensIn: z.string(),
  tokensOut: z.string(),
  /** Cache reads and writes and thinking tokens, those that are not zero; may be empty. */
  tokensDetail: z.string(),
  cost: z.string(),
  /** Whether the cost was fixed when the call was made or comes from today's price table. */
  costNote: z.string(),
  duration: z.string(),
  /** Where it went and with which key, masked: "api.anthropic.com · key ••••3f9a"; absent for older runs. */
  route: z.string().optional(),
  /** How a failed call ended ("overloaded: …"); absent when it answered. */
  error: z.string().optional(),
});
export type CallView = z.infer<typeof CallViewSchema>;

/** A batch's specs (batch mode only): what the HARD STOP approves at once, then each one's progress. */
const BatchViewSchema = z.object({
  specs: z.array(
    z.object({
      file: z.string(),
      specId: z.string(),
      title: z.string(),
      command: z.string(),
      status: z.enum(['pending', 'running', 'passed', 'failed', 'skipped']),
      /** Division and swarm: its Coder and what it is doing now, while it runs; after, who did it. */
      doing: z.string().max(500).optional(),
    }),
  ),
  /** A spec failed its verification with more to come: the user goes on with the rest or stops. */
  paused: z.object({ file: z.string(), specId: z.string(), title: z.string(), details: z.string(), output: z.string() }).optional(),
});
export type BatchView = z.infer<typeof BatchViewSchema>;

/** The newest Code Report, taken apart for the side-panel review. */
const ReportViewSchema = z.object({
  version: z.number().int().positive(),
  specVersion: z.number().int().positive(),
  /** The artifact, relative to the run folder, for "open in editor". */
  path: z.string(),
  /** Set when the report on disk no longer parses (a hand edit): the rest is then empty, and the markdown is in `documents`. */
  unreadable: z.string().optional(),
  summary: z.string(),
  files: z.array(z.object({ path: z.string(), action: z.enum(['Modified', 'Created', 'Deleted']), added: z.number().int(), removed: z.number().int() })),
  testResult: z.object({ status: z.string(), details: z.string() }).optional(),
  buildResult: z.object({ status: z.string(), details: z.string() }).optional(),
  /** The verification's output as the report quotes it (cut to its last part when very long). */
  testOutput: z.string(),
  /** Each verification command's last run: exit code, time, and whether it ran sandboxed. */
  checks: z.array(z.object({ command: z.string(), outcome: z.string(), sandboxed: z.boolean().optional(), sandbox: z.string() })),
  blockers: z.array(z.object({ question: z.string(), answer: z.string().optional() })),
  deviations: z.array(z.string()),
  /** Whether "Revert this pass" can be offered now (the run waits for the user). */
  revertable: z.boolean(),
  /** The pass's files were put back since the report was written. */
  reverted: z.boolean(),
});
export type ReportView = z.infer<typeof ReportViewSchema>;

export const RunViewSchema = z.object({
  runId: z.string(),
  request: z.string(),
  phase: PhaseNameSchema,
  /** 1..5 for the seed's phases, 0 for the end states. */
  phaseNumber: z.number().int().min(0).max(5),
  /** For a failed or cancelled run: the phase (1–5) it stopped in, so the strip can show where. */
  stoppedInPhase: z.number().int().min(1).max(5).optional(),
  phaseLabel: z.string(),
  isDemo: z.boolean(),
  roles: z.object({ architect: RoleViewSchema, coder: RoleViewSchema }),
  /** How the Coder work is shared out, when not by the one Coder of `roles`. */
  mode: z
    .object({
      name: z.enum(['competitive', 'division', 'swarm']),
      /** "Competitive (best-of-N)". */
      label: z.string(),
      /** Who codes: "Demo Coder ×2, Qwen3 Coder", or how a swarm chooses. */
      coders: z.string(),
      /** Every Coder of the mode is an offline demo. */
      isDemo: z.boolean(),
    })
    .optional(),
  /** Present only while a HARD STOP waits; the texts are the seed's words. */
  hardStop: z
    .object({
      heading: z.string(),
      next: z.string(),
      task: z.string(),
      action: z.string(),
      /** The command the Coder will be allowed to run, shown before the user confirms. */
      verificationCommand: z.string().optional(),
      /** Paths in .vscode/, .git/, .devcontainer/ or the artifacts root the spec lets the Coder change, flagged before the user confirms. */
      protectedPaths: z.array(z.string()).optional(),
      /** How the verification command will run (sandboxed or not, and why), shown next to it. */
      sandbox: z.object({ sandboxed: z.boolean(), text: z.string() }).optional(),
      /** Names the spec set shown; a confirm sends it back, and a spec changed since is refused. */
      specDigest: z.string().optional(),
      /** Before the Coder: what the user asked the Architect about this spec, and its answers. */
      discussion: z.array(z.object({ question: z.string(), answer: z.string() })).optional(),
      /** Swarm, before the Coder: each spec's tier and model, then the estimate against every spec on the top tier. */
      swarmPlan: z.array(z.string()).optional(),
      /** The HARD STOP confirms itself once the identity check passes (the user's setting). */
      autoConfirm: z.boolean().optional(),
      confirming: z.boolean(),
    })
    .optional(),
  documents: z.array(DocumentViewSchema),
  /** Which of `documents` to show first (the newest artifact of the phase). */
  activeDocument: z.number().int().min(-1),
  activity: z.object({ busy: z.boolean(), message: z.string() }),
  review: z
    .object({
      recommended: ReviewOutcomeSchema.optional(),
      reasons: z.string(),
      blockerAnswers: z.array(z.object({ question: z.string(), answer: z.string() })),
    })
    .optional(),
  report: ReportViewSchema.optional(),
  /** True while the Review outcome buttons should be offered. */
  awaitingDecision: z.boolean(),
  /** A run found on disk that waits for the user to resume it (not started here, or Restricted Mode). */
  resumable: z.boolean().optional(),
  workspaceTrusted: z.boolean(),
  error: z.string().optional(),
  /** Tokens and cost so far: one line, one line per phase for its tooltip, and every call. */
  usage: z.object({ text: z.string(), byPhase: z.array(z.string()), calls: z.array(CallViewSchema).optional() }).optional(),
  history: z.array(z.object({ at: z.string(), label: z.string() })),
  batch: BatchViewSchema.optional(),
  /** A competitive run's candidates (best-of-N only). */
  competition: CompetitionViewSchema.optional(),
});
export type RunView = z.infer<typeof RunViewSchema>;

