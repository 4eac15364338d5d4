// One retry policy for every provider (the SDKs disagree: Anthropic retries by default, Gemini
// not at all and ignores the server's delay). Retries only failures that can pass and honours the
// server's retry-after. Once part of an answer has been streamed, only an answer with no side
// effects (a spec, a review verdict, an identity check: text the engine parses when it is whole)
// is asked again, after a `restart` event that tells the consumer to drop what it had; a Coder
// turn is not, as its tool calls may already have been acted on.
import type { ModelClient, ModelEvent, ModelRequest } from './modelClient.js';
import { isModelError, isRetryable, ModelError } from './modelErrors.js';

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff; doubled each time, with jitter, capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 3, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export type RetryNotice = { attempt: number; delayMs: number; error: ModelError };

/** Requests whose partial answer can be thrown away and asked for again. */
const restartablePurposes: ReadonlySet<ModelRequest['purpose']> = new Set(['spec', 'review', 'identity', 'spec-question', 'question', 'judge', 'accept']);

/** How long to wait before retry number `attempt` (1-based). */
export function retryDelay(policy: RetryPolicy, attempt: number, error: ModelError, random: () => number = Math.random): number {
  if (error.details.retryAfterMs !== undefined) return Math.min(Math.max(0, error.details.retryAfterMs), policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(policy.maxDelayMs, Math.round(exponential * (0.5 + random() / 2)));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ModelError('cancelled', 'The request was cancelled.'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ModelError('cancelled', 'The request was cancelled.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wraps a client so its streams are retried per the policy; `onRetry` lets the UI say so. */
export function withRetries(client: ModelClient, policy: RetryPolicy, onRetry: (notice: RetryNotice) => void = () => undefined): ModelClient {
  return {
    info: client.info,
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      for (let attempt = 0; ; attempt += 1) {
        let yielded = false;
        try {
          for await (const event of client.stream(request, signal)) {
            // Where the request went is not part of the answer: a call refused after it is still retried.
            if (event.type !== 'route' && event.type !== 'rate-limits') yielded = true;
            yield event;
          }
          return;
        } catch (error) {
          if (!isModelError(error) || !isRetryable(error) || attempt >= policy.maxRetries || signal.aborted) throw error;
          if (yielded && !restartablePurposes.has(request.purpose)) throw error;
          const delayMs = retryDelay(policy, attempt + 1, error);
          onRetry({ attempt: attempt + 1, delayMs, error });
          await sleep(delayMs, signal);
          if (yielded) yield { type: 'restart', reason: error.message };
        }
      }
    },
  };
}
