// Turns whatever the Anthropic SDK (or the stream) throws into one ModelError, so retry, fallback
// and the words people read are decided in src/core, not per SDK. The SDK's own error is never
// attached as `cause`: its message and body can carry whatever a server echoed back, key included.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { adviceFor, kindForStatus, ModelError, scrubSecrets, type ModelErrorKind } from '../../core/models/modelErrors.js';
import type { StopCause } from '../../core/models/requestLifetime.js';

export const anthropicProvider = 'anthropic';

export interface ErrorContext {
  apiKey: string;
  timeoutMs: number;
  /** Set when we aborted the request ourselves; then that, not the SDK's wording, is the cause. */
  stoppedBy: StopCause | undefined;
  /** Whether the answer had started streaming: a connection dropping then is a cut stream. */
  streaming: boolean;
}

export function toModelError(error: unknown, context: ErrorContext): ModelError {
  if (error instanceof ModelError) return error;
  if (context.stoppedBy) return stoppedError(context.stoppedBy, context);
  if (error instanceof APIUserAbortError) return build('cancelled', 'The request to Anthropic was cancelled.', context);
  if (error instanceof APIConnectionTimeoutError) return timeoutError(context);
  if (error instanceof APIConnectionError) {
    return build('network', `Could not connect to the Anthropic API (${describe(connectionCause(error))}).`, context);
  }
  if (error instanceof APIError) return apiError(error, context);
  if (error instanceof SyntaxError) return build('malformed', `Anthropic sent streamed data that is not valid JSON (${describe(error)}).`, context);
  if (context.streaming) {
    return build('stream-cut', `The connection to Anthropic broke off before the answer was complete (${describe(error)}).`, context);
  }
  return build('malformed', `The Anthropic SDK failed unexpectedly (${describe(error)}).`, context);
}

/** A stream that ended without message_stop: our abort (the SDK then ends quietly) or a cut. */
export function unfinishedStreamError(context: ErrorContext): ModelError {
  if (context.stoppedBy) return stoppedError(context.stoppedBy, context);
  return build('stream-cut', 'The Anthropic stream ended before the answer was complete (no message_stop).', context);
}

export function stoppedError(cause: StopCause, context: ErrorContext): ModelError {
  return cause === 'timeout' ? timeoutError(context) : build('cancelled', 'The request to Anthropic was cancelled.', context);
}

export function malformedError(what: string, context: ErrorContext): ModelError {
  return build('malformed', `Anthropic sent an answer that could not be read: ${what}.`, context);
}

/**
 * The server's requested delay: `retry-after-ms` (Anthropic's own, milliseconds) first, then
 * `retry-after` as seconds or an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Pick<Headers, 'get'> | undefined, now: number = Date.now()): number | undefined {
  const millis = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const header = headers?.get('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return Number.parseFloat(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function apiError(error: APIError, context: ErrorContext): ModelError {
  const serverText = describe(error.apiMessage ?? error.message);
  if (error.status === undefined) {
    // An `event: error` inside a 200 stream (e.g. overloaded mid-answer): only the type says why.
    const kind = kindForErrorType(error.type);
    return build(kind, `Anthropic reported an error during the answer: ${error.type ?? 'unknown'} (${serverText}).`, context);
  }
  const kind = kindForStatus(error.status);
  return build(kind, `Anthropic answered HTTP ${error.status}${error.type ? ` ${error.type}` : ''}: ${serverText}.`, context, {
    status: error.status,
    retryAfterMs: retryAfterMs(error.headers),
  });
}

function kindForErrorType(type: string | null): ModelErrorKind {
  switch (type) {
    case 'overloaded_error':
      return 'overloaded';
    case 'rate_limit_error':
      return 'rate-limited';
    case 'timeout_error':
      return 'timeout';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
      return 'auth';
    case 'not_found_error':
      return 'not-found';
    case 'invalid_request_error':
      return 'bad-request';
    default:
      return 'server';
  }
}

function timeoutError(context: ErrorContext): ModelError {
  const seconds = Math.round(context.timeoutMs / 100) / 10;
  return build('timeout', `Anthropic did not finish answering within the request time limit (${seconds} s).`, context);
}

function connectionCause(error: APIConnectionError): unknown {
  // The SDK's own text is just "Connection error."; the fetch failure underneath says which.
  const cause = (error as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
  return inner instanceof Error ? inner : (cause ?? error);
}

function describe(value: unknown): string {
  const text = value instanceof Error ? value.message || value.name : String(value);
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function build(kind: ModelErrorKind, what: string, context: ErrorContext, details: { status?: number; retryAfterMs?: number | undefined } = {}): ModelError {
  const advice = adviceFor(kind, 'Anthropic');
  const message = scrubSecrets(advice ? `${what} ${advice}` : what, [context.apiKey]);
  const clean: { provider: string; status?: number; retryAfterMs?: number } = { provider: anthropicProvider };
  if (details.status !== undefined) clean.status = details.status;
  if (details.retryAfterMs !== undefined) clean.retryAfterMs = details.retryAfterMs;
  return new ModelError(kind, message, clean);
}
