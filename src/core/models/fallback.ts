// The seed's Fallback column: when a role's model keeps failing (its retries used up on errors
// that can pass: rate limits, overload, server faults), the role continues on its fallback
// model, and the UI is told so. Errors that a different model would not fix (a bad key, a bad
// request, a cancel) are not papered over.
import type { ModelClient, ModelEvent, ModelRequest, ThinkingLevel } from './modelClient.js';
import type { ModelError } from './modelErrors.js';
import { isModelError, isRetryable } from './modelErrors.js';

export function withFallback(
  primary: ModelClient,
  fallback: ModelClient | undefined,
  onFallback: (error: ModelError, to: ModelClient) => void,
): ModelClient {
  if (!fallback) return primary;
  let usingFallback = false;
  return {
    get info() {
      return usingFallback ? fallback.info : primary.info;
    },
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      if (usingFallback) {
        yield* fallback.stream(request, signal);
        return;
      }
      let yielded = false;
      try {
        for await (const event of primary.stream(request, signal)) {
          if (event.type !== 'route' && event.type !== 'rate-limits') yielded = true;
          yield event;
        }
      } catch (error) {
        if (!isModelError(error) || !isRetryable(error) || yielded || signal.aborted) throw error;
        // Once fallen over, the role stays on the fallback for the rest of the phase.
        usingFallback = true;
        onFallback(error, fallback);
        yield* fallback.stream(request, signal);
      }
    },
  };
}

/**
 * A client that answers at its own thinking level whatever the request says: the engine asks
 * at the role's level, but a fallback model has its own (the seed's "Gemini 3 Pro (Low)").
 */
export function atThinkingLevel(client: ModelClient, thinking: ThinkingLevel): ModelClient {
  return {
    get info() {
      return client.info;
    },
    stream: (request: ModelRequest, signal: AbortSignal) => client.stream({ ...request, thinking }, signal),
  };
}
