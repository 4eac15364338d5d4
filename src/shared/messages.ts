// Host <-> webview messages: one zod discriminated union per direction. The host pushes whole
// snapshots of the run; the webview only sends intents. Both sides parse what they receive:
// the webview is untrusted, and the host must never act on a message of the wrong shape.
import * as z from 'zod';
import { ReviewOutcomeSchema } from '../core/workflow/runState.js';
import { RunViewSchema } from '../core/workflow/runViewSchema.js';

// The run's domain (phases, review outcomes) and the view of a run are core's: this file only
// shapes the messages that carry them. Import those from core.

/** Names one intent so its reply can find it; chosen by the webview, opaque to the host. */
const requestId = z.string().min(1).max(64);
export const maxReplyErrorChars = 2_000;

/** The host's answer to one intent: the same request id, and ok or why it failed. */
const IntentReplySchema = z.object({
  type: z.literal('reply'),
  requestId,
  result: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string().max(maxReplyErrorChars) })]),
});
export type IntentReply = z.infer<typeof IntentReplySchema>;

export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), run: RunViewSchema.nullable(), demoHint: z.string().optional() }),
  /** A live chunk of a model's answer, appended to the activity area while a phase runs. */
  z.object({ type: z.literal('stream'), runId: z.string(), text: z.string(), reset: z.boolean().optional() }),
  IntentReplySchema,
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

const runId = z.string().min(1).max(200);
/** "A", "B": as long as CandidateViewSchema allows. */
const candidateLabel = z.string().min(1).max(8);
/** `ready` only announces the webview; every other message asks for something and gets a reply. */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('confirmModel'), requestId, runId, specDigest: z.string().max(128).optional() }),
  z.object({ type: z.literal('decideReview'), requestId, runId, outcome: ReviewOutcomeSchema, notes: z.string().max(20_000).optional() }),
  z.object({ type: z.literal('cancelRun'), requestId, runId }),
  /** At a batch paused on a failed spec: go on with the rest, or stop there. */
  z.object({ type: z.literal('continueBatch'), requestId, runId, choice: z.enum(['go-on', 'stop']) }),
  z.object({ type: z.literal('retryPhase'), requestId, runId }),
  z.object({ type: z.literal('resumeRun'), requestId, runId }),
  z.object({ type: z.literal('openArtifact'), requestId, runId, path: z.string().max(4096) }),
  /** A file of the newest Coder pass: before the pass against now, or the file itself. */
  z.object({ type: z.literal('openChange'), requestId, runId, path: z.string().max(4096), as: z.enum(['diff', 'file']) }),
  z.object({ type: z.literal('revertPass'), requestId, runId }),
  /** At the HARD STOP before the Coder: a question for the Architect about the spec, and a revision from its answers. */
  z.object({ type: z.literal('askAboutSpec'), requestId, runId, question: z.string().min(1).max(20_000) }),
  z.object({ type: z.literal('reviseSpec'), requestId, runId }),
  z.object({ type: z.literal('showRunPanel'), requestId, runId }),
  z.object({ type: z.literal('startRun'), requestId }),
  /** A competitive run waiting for the user's pick: apply this candidate's changes to the workspace. */
  z.object({ type: z.literal('applyCandidate'), requestId, runId, label: candidateLabel }),
  /** One file a candidate changed: the workspace's file against the candidate's version. */
  z.object({ type: z.literal('openCandidateDiff'), requestId, runId, label: candidateLabel, path: z.string().min(1).max(4096) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;
export type IntentMessage = Exclude<WebviewMessage, { type: 'ready' }>;
export type IntentType = IntentMessage['type'];
/** An intent as the panel builds it; the request id is added when it is sent. */
export type IntentRequest = IntentMessage extends infer M ? (M extends IntentMessage ? Omit<M, 'requestId'> : never) : never;

/** Whether `value` could name a request: used to answer even a message refused for its shape. */
export function usableRequestId(value: unknown): string | undefined {
  return requestId.safeParse(value).success && typeof value === 'string' ? value : undefined;
}
