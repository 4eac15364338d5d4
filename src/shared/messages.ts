// Host <-> webview messages: one zod discriminated union per direction. The host pushes whole
// snapshots of the run; the webview only sends intents. Both sides parse what they receive:
// the webview is untrusted, and the host must never act on a message of the wrong shape.
import * as z from 'zod';
import { ReviewOutcomeSchema } from '../core/workflow/runState.js';
import { RunViewSchema } from '../core/workflow/runViewSchema.js';

// The run's domain (phases, review outcomes) and the view of a run are core's: this file only
// shapes the messages that carry them, and re-exports them for the webview.
export { PhaseNameSchema, ReviewOutcomeSchema, phaseNames } from '../core/workflow/runState.js';
export type { PhaseName, ReviewOutcome } from '../core/workflow/runState.js';
export { RunViewSchema } from '../core/workflow/runViewSchema.js';
export type { CallView, RunView } from '../core/workflow/runViewSchema.js';

export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), run: RunViewSchema.nullable(), demoHint: z.string().optional() }),
  /** A live chunk of a model's answer, appended to the activity area while a phase runs. */
  z.object({ type: z.literal('stream'), runId: z.string(), text: z.string(), reset: z.boolean().optional() }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

const runId = z.string().min(1).max(200);
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('confirmModel'), runId, specDigest: z.string().max(128).optional() }),
  z.object({ type: z.literal('decideReview'), runId, outcome: ReviewOutcomeSchema, notes: z.string().max(20_000).optional() }),
  z.object({ type: z.literal('cancelRun'), runId }),
  z.object({ type: z.literal('retryPhase'), runId }),
  z.object({ type: z.literal('resumeRun'), runId }),
  z.object({ type: z.literal('openArtifact'), runId, path: z.string().max(4096) }),
  z.object({ type: z.literal('startRun') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;
