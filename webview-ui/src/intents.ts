// The messages the panel sends: built here and checked against the same schema the host uses,
// so a bug in the panel shows up as a console error instead of a message the host rejects.
import { WebviewMessageSchema, type IntentMessage, type IntentRequest, type WebviewMessage } from '../../src/shared/messages';
import type { ReviewOutcome } from '../../src/core/workflow/runState';
import { maxNotesChars } from './panelState';

export function decideReviewMessage(runId: string, outcome: ReviewOutcome, notes: string): IntentRequest {
  const trimmed = notes.trim().slice(0, maxNotesChars);
  return trimmed === '' ? { type: 'decideReview', runId, outcome } : { type: 'decideReview', runId, outcome, notes: trimmed };
}

export function validateOutgoing(message: WebviewMessage): WebviewMessage | undefined {
  const parsed = WebviewMessageSchema.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}

export function withRequestId(request: IntentRequest, requestId: string): IntentMessage {
  return { ...request, requestId };
}
