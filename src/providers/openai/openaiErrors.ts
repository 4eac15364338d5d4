// OpenAI-compatible failures as ModelErrors: HTTP refusals, unreachable servers, time limits,
// cancels and broken streams. Every message is plain words plus the shared advice, and goes
// through scrubSecrets with the key, because servers and gateways do echo keys and headers
// back in their error text.
import { adviceFor, kindForStatus, ModelError, scrubSecrets } from '../../core/models/modelErrors.js';
import type { ModelErrorKind } from '../../core/models/modelErrors.js';
import { asRecord, textOf, tryParseJson } from './wireJson.js';

export interface ErrorContext {
  provider: string;
  /** The base URL as people may see it: no credentials, no query. */
  endpoint: string;
  apiKey: string;
}

/** What a server said about a refusal, from any of the error shapes compatible servers use. */
export interface ServerError {
  message: string;
  /** The field it objects to, when the server names one (OpenAI's `param`). */
  param?: string;
}

const maxServerText = 500;

export function modelError(context: ErrorContext, kind: ModelErrorKind, words: string, extra: { status?: number; retryAfterMs?: number } = {}): ModelError {
  const advice = adviceFor(kind, context.provider);
  const message = scrubSecrets(advice ? `${words} ${advice}` : words, [context.apiKey]);
  return new ModelError(kind, message, { provider: context.provider, ...extra });
}

/**
 * Reads `{error:{message,type,code,param}}` (OpenAI, Ollama), `{error:"…"}` (LM Studio, some
 * gateways), `{message}` / `{object:'error',message}` (vLLM) and `{detail}` (FastAPI); any other
 * body is shown as text, shortened.
 */
export function parseServerError(bodyText: string): ServerError {
  const parsed = tryParseJson(bodyText);
  const record = parsed.ok ? asRecord(parsed.value) : undefined;
  if (record) {
    const error = record['error'];
    const nested = asRecord(error);
    const message = textOf(nested?.['message']) ?? textOf(error) ?? textOf(record['message']) ?? textOf(record['detail']);
    const param = textOf(nested?.['param']) ?? textOf(record['param']);
    if (message !== undefined) return { message: shorten(message), ...(param ? { param } : {}) };
  }
  return { message: shorten(bodyText.replace(/\s+/g, ' ').trim()) };
}

export function httpError(context: ErrorContext, status: number, headers: Headers, serverError: ServerError, now: number = Date.now()): ModelError {
  const kind = kindForStatus(status);
  const said = serverError.message ? `: ${withFullStop(serverError.message)}` : '.';
  const retryAfterMs = retryAfterFrom(headers, now);
  return modelError(context, kind, `The server at ${context.endpoint} answered HTTP ${status}${said}`, {
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** The delay a server asked for: `retry-after-ms` (OpenAI's precise form) or `retry-after`. */
export function retryAfterFrom(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  // Either delta-seconds or an HTTP date.
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value) * 1_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** fetch itself failed: nothing listens there, DNS, TLS, a reset before the answer. */
export function networkError(context: ErrorContext, error: unknown): ModelError {
  const code = errorCode(error);
  const where = isLocal(context.endpoint) ? 'Is the local server running?' : 'Check the base URL and the network connection.';
  return modelError(context, 'network', `Could not reach the server at ${context.endpoint}${code ? ` (${code})` : ''}. ${where}`);
}

export function timeoutError(context: ErrorContext, limitMs: number): ModelError {
  const limit = limitMs >= 1_000 ? `${Math.round(limitMs / 1_000)} s` : `${limitMs} ms`;
  return modelError(context, 'timeout', `The server at ${context.endpoint} did not finish its answer within the ${limit} request time limit.`);
}

export function cancelledError(context: ErrorContext): ModelError {
  return modelError(context, 'cancelled', 'The request was cancelled.');
}

export function streamCutError(context: ErrorContext, detail = 'before saying it was complete'): ModelError {
  return modelError(context, 'stream-cut', `The answer from ${context.endpoint} stopped ${detail}.`);
}

export function malformedError(context: ErrorContext, what: string): ModelError {
  return modelError(context, 'malformed', `The answer from ${context.endpoint} could not be understood: ${what}`);
}

/** The base URL without credentials or query string, for messages. */
export function displayEndpoint(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function isLocal(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.') || host === '0.0.0.0';
  } catch {
    return false;
  }
}

/** Node's fetch wraps the socket error as `cause`, sometimes an AggregateError of attempts. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined; depth += 1) {
    const record = asRecord(current);
    const code = textOf(record?.['code']);
    if (code && /^E[A-Z_]+$/.test(code)) return code;
    const inner = record?.['errors'];
    if (Array.isArray(inner) && inner.length > 0) {
      const first = errorCode(inner[0]);
      if (first) return first;
    }
    current = record?.['cause'];
  }
  return undefined;
}

const shorten = (text: string): string => (text.length > maxServerText ? `${text.slice(0, maxServerText)}…` : text);

const withFullStop = (text: string): string => (/[.!?…]$/.test(text) ? text : `${text}.`);
