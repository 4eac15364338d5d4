// Everything that can go wrong with a Gemini call, as one of our ModelError kinds with words a
// person can act on. The SDK gives little to go on: an ApiError whose message is the JSON error
// body (no headers), a bare AbortError for its own timeout, a SyntaxError for a bad chunk, and
// nothing at all for a cut stream. Every message is scrubbed of the key, even if a server or
// proxy echoes it back.
import { ApiError } from '@google/genai';
import { builtInModels } from '../../core/models/builtInRegistry.js';
import { providerNames } from '../../core/models/registry.js';
import { adviceFor, kindForStatus, ModelError, scrubSecrets, type ModelErrorKind } from '../../core/models/modelErrors.js';

const provider = 'google';
const providerName = providerNames.google;

export interface GeminiFailureContext {
  modelId: string;
  apiKey: string;
  /** The caller aborted: whatever broke, it broke because of that. */
  cancelled: boolean;
  /** The HTTP response the failure came with, for its retry-after headers. */
  response: Response | undefined;
  /** Part of the answer had already arrived. */
  midAnswer: boolean;
  timeoutMs: number;
}

/** Any error thrown while calling Gemini, as a ModelError. */
export function geminiError(error: unknown, context: GeminiFailureContext): ModelError {
  if (error instanceof ModelError) return error;
  if (context.cancelled) return new ModelError('cancelled', 'The request was cancelled.', { provider });
  if (error instanceof ApiError) return httpError(error.status, error.message, context);
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'AbortError' || name === 'TimeoutError') {
    // We did not abort, so it was the SDK's timer (httpOptions.timeout).
    return failure('timeout', `${who(context)} did not finish answering within ${duration(context.timeoutMs)}.`, context);
  }
  if (name === 'SyntaxError' || message.startsWith('exception parsing stream chunk')) return malformedAnswerError('a chunk is not valid JSON', context);
  if (message.startsWith('Incomplete JSON segment')) {
    return failure('stream-cut', `The answer from ${who(context)} broke off in the middle of a chunk.`, context);
  }
  if (looksLikeNetwork(error)) {
    return context.midAnswer
      ? failure('stream-cut', `The connection to ${who(context)} dropped in the middle of the answer (${networkCause(error)}).`, context)
      : failure('network', `Could not reach ${who(context)} (${networkCause(error)}).`, context);
  }
  return context.midAnswer
    ? failure('malformed', `The answer from ${who(context)} could not be read: ${sentence(message)}`, context)
    : failure('bad-request', `The request to ${who(context)} could not be made: ${sentence(message)}`, context);
}

/** The stream ended without a finishReason: the SDK says nothing, so we must. */
export function streamCutError(context: Pick<GeminiFailureContext, 'modelId' | 'apiKey'>): ModelError {
  return failure('stream-cut', `The answer from ${who(context)} stopped before it was complete (the stream ended without a finish reason).`, context);
}

/** A chunk that parsed but does not have the shape of an answer. */
export function malformedAnswerError(what: string, context: Pick<GeminiFailureContext, 'modelId' | 'apiKey'>): ModelError {
  return failure('malformed', `${who(context)} sent an answer that could not be understood: ${what}.`, context);
}

const finishReasons: Record<string, string> = {
  SAFETY: 'the answer was blocked by a safety filter',
  RECITATION: 'the answer was stopped for reciting its training data too closely',
  BLOCKLIST: 'the answer contained a blocked term',
  PROHIBITED_CONTENT: 'the answer was blocked as prohibited content',
  SPII: 'the answer was blocked for containing sensitive personal information',
  LANGUAGE: 'the answer was in a language the model does not support',
  MALFORMED_FUNCTION_CALL: 'the model produced a tool call that could not be parsed',
  UNEXPECTED_TOOL_CALL: 'the model called a tool it was not offered',
  TOO_MANY_TOOL_CALLS: 'the model made too many tool calls in one answer',
  MALFORMED_RESPONSE: 'the model produced an answer that could not be parsed',
};

/** A finishReason other than STOP or MAX_TOKENS: Gemini ended the answer without giving one. */
export function finishReasonError(reason: string, context: Pick<GeminiFailureContext, 'modelId' | 'apiKey'>): ModelError {
  const why = finishReasons[reason] ?? 'it stopped for a reason it did not explain';
  return failure(
    'bad-request',
    `${who(context)} gave no usable answer: ${why} (finish reason ${reason}). Sending the same request again usually ends the same way; change the request or the model.`,
    context,
    { withAdvice: false },
  );
}

/** promptFeedback.blockReason: Gemini refused the prompt itself. */
export function blockedPromptError(reason: string, context: Pick<GeminiFailureContext, 'modelId' | 'apiKey'>): ModelError {
  return failure(
    'bad-request',
    `${who(context)} refused the prompt (block reason ${reason}). Sending the same request again usually ends the same way; change the request or the model.`,
    context,
    { withAdvice: false },
  );
}

function httpError(status: number, sdkMessage: string, context: GeminiFailureContext): ModelError {
  const body = errorBody(sdkMessage);
  // Scrubbed before it is shortened, so a cut can never leave part of the key behind.
  const serverText = body.message ? `: ${truncate(scrubSecrets(body.message, [context.apiKey]))}` : '';
  let kind = kindForStatus(status);
  // Google answers a wrong key with 400 INVALID_ARGUMENT, not 401.
  if (kind === 'bad-request' && (body.reasons.includes('API_KEY_INVALID') || /api key not valid/i.test(body.message))) kind = 'auth';
  const retryAfterMs = retryAfter(status, context.response, body.retryDelays);
  const statusText = body.status ? ` ${body.status}` : '';
  if (kind === 'not-found') {
    return failure(kind, `${notFound(context.modelId)} (HTTP 404${statusText}${serverText})`, context, { status });
  }
  return failure(kind, sentence(`${who(context)} answered HTTP ${status}${statusText}${serverText}`), context, { status, retryAfterMs });
}

/** A 404 from generateContent is almost always the model id; name the successor when we know it. */
function notFound(modelId: string): string {
  const id = modelId.replace(/^models\//, '');
  const known = builtInModels.find((model) => model.provider === 'google' && model.id === id);
  const base = `Gemini has no model "${modelId}" at this endpoint`;
  if (known?.retired) {
    const successor = known.retired.successor ? ` Its successor is "${known.retired.successor}".` : '';
    return `${base}: it was retired on ${known.retired.on}.${successor}`;
  }
  return `${base}; it may be retired, misspelt, or not offered to this key`;
}

interface GoogleErrorBody {
  message: string;
  status: string;
  /** ErrorInfo reasons, e.g. API_KEY_INVALID. */
  reasons: string[];
  /** RetryInfo delays, e.g. "12s". */
  retryDelays: unknown[];
}

/** The SDK's ApiError message is the body as JSON, sometimes after "got status: …. ". */
function errorBody(sdkMessage: string): GoogleErrorBody {
  const parsed = parseJson(sdkMessage.slice(Math.max(0, sdkMessage.indexOf('{'))));
  const envelope = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = isRecord(envelope) && isRecord(envelope.error) ? envelope.error : undefined;
  if (!error) return { message: sdkMessage, status: '', reasons: [], retryDelays: [] };
  const details = Array.isArray(error.details) ? error.details.filter(isRecord) : [];
  return {
    message: typeof error.message === 'string' ? error.message : '',
    status: typeof error.status === 'string' ? error.status : '',
    reasons: details.map((detail) => detail.reason).filter((reason): reason is string => typeof reason === 'string'),
    retryDelays: details.filter((detail) => String(detail['@type']).endsWith('google.rpc.RetryInfo')).map((detail) => detail.retryDelay),
  };
}

/** A proxy's retry-after headers first (its own policy), then Google's RetryInfo in the body. */
function retryAfter(status: number, response: Response | undefined, retryDelays: unknown[]): number | undefined {
  if (response && response.status === status) {
    const ms = Number(response.headers.get('retry-after-ms') ?? NaN);
    if (Number.isFinite(ms) && ms >= 0) return ms;
    const header = response.headers.get('retry-after');
    if (header) {
      const seconds = Number(header);
      if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
      const date = Date.parse(header);
      if (Number.isFinite(date)) return Math.max(0, date - Date.now());
    }
  }
  for (const delay of retryDelays) {
    const ms = durationMs(delay);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

/** A protobuf Duration as JSON: "12s", "0.5s", or {seconds, nanos}. */
function durationMs(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
    return match ? Math.round(Number(match[1]) * 1000) : undefined;
  }
  if (isRecord(value)) {
    const seconds = Number(value.seconds ?? 0);
    const nanos = Number(value.nanos ?? 0);
    if (Number.isFinite(seconds) && Number.isFinite(nanos)) return Math.round(seconds * 1000 + nanos / 1e6);
  }
  return undefined;
}

function looksLikeNetwork(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TypeError' && /fetch failed|terminated|network/i.test(error.message)) return true;
  return networkCode(error) !== undefined;
}

/** The system error code behind fetch's "fetch failed" (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…). */
function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code: unknown = Reflect.get(current, 'code');
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
  }
  return undefined;
}

const networkWords: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_SOCKET: 'the socket closed',
};

/** "connection refused, ECONNREFUSED", or the innermost cause's own words. */
function networkCause(error: unknown): string {
  const code = networkCode(error);
  if (code) return networkWords[code] ? `${networkWords[code]}, ${code}` : code;
  let innermost: unknown = error;
  for (let depth = 0; innermost instanceof Error && innermost.cause instanceof Error && depth < 5; depth += 1) innermost = innermost.cause;
  return innermost instanceof Error ? innermost.message : 'unknown error';
}

const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

function failure(
  kind: ModelErrorKind,
  text: string,
  context: Pick<GeminiFailureContext, 'apiKey'>,
  options: { status?: number; retryAfterMs?: number; withAdvice?: boolean } = {},
): ModelError {
  const advice = options.withAdvice === false ? '' : adviceFor(kind, providerName);
  const message = scrubSecrets(advice ? `${text} ${advice}` : text, [context.apiKey]);
  return new ModelError(kind, message, {
    provider,
    ...(options.status !== undefined ? { status: options.status } : {}),
    ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}),
  });
}

const who = (context: Pick<GeminiFailureContext, 'modelId'>): string => `Gemini (${context.modelId})`;

const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

const truncate = (text: string): string => (text.length > 500 ? `${text.slice(0, 500)}…` : text);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
