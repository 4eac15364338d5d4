// The Anthropic provider: the ModelClient port on the official SDK, always streaming. Retries are
// not the SDK's business here (maxRetries: 0): withRetries in src/core retries every provider the
// same way, honouring the server's retry-after that this client passes on in its ModelErrors.
import { Anthropic } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ModelClient, ModelEvent, ModelRequest } from '../../core/models/modelClient.js';
import type { ProviderClientOptions } from '../providerOptions.js';
import { anthropicProvider, malformedError, stoppedError, toModelError, unfinishedStreamError, type ErrorContext } from './anthropicErrors.js';
import { toAnthropicParams } from './anthropicRequest.js';
import { AnthropicStreamReader, UnreadableStreamError } from './anthropicStream.js';
import { sharedAssistantTurns, type AssistantTurnMemory } from './assistantTurnMemory.js';
import { RequestLifetime } from '../../core/models/requestLifetime.js';
import { rateLimitHeadersOf } from '../../core/keyvault/rateLimitHeaders.js';

export function createAnthropicClient(options: ProviderClientOptions, turns: AssistantTurnMemory = sharedAssistantTurns): ModelClient {
  const timeoutMs = Math.max(1, Math.round(options.requestTimeoutMs));
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    maxRetries: 0,
    timeout: timeoutMs,
    // Failures reach people as ModelErrors; the SDK's console lines would repeat raw stream data.
    logLevel: 'off',
    // Prompts hold the user's code: no spans for whatever tracer another extension registered.
    openTelemetry: false,
  });

  return {
    info: { provider: anthropicProvider, modelId: options.modelId, displayName: options.displayName, isDemo: false },

    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      const lifetime = new RequestLifetime(signal, timeoutMs);
      const context = (streaming: boolean): ErrorContext => ({ apiKey: options.apiKey, timeoutMs, stoppedBy: lifetime.stoppedBy, streaming });
      try {
        if (lifetime.stoppedBy) throw stoppedError(lifetime.stoppedBy, context(false));
        let events: AsyncIterable<RawMessageStreamEvent>;
        let limits: Record<string, string>;
        try {
          // withResponse: the stream and the HTTP response it came with, whose headers the key pool reads.
          const { data, response } = await sdk.messages.create(toAnthropicParams(options.modelId, request, turns), { signal: lifetime.signal }).withResponse();
          events = data;
          limits = rateLimitHeadersOf(response.headers);
        } catch (error) {
          throw toModelError(error, context(false));
        }
        if (Object.keys(limits).length > 0) yield { type: 'rate-limits', headers: limits };
        const reader = new AnthropicStreamReader();
        try {
          for await (const event of events) {
            for (const out of reader.read(event)) yield out;
          }
        } catch (error) {
          if (error instanceof UnreadableStreamError) throw malformedError(error.message, context(true));
          throw toModelError(error, context(true));
        }
        // The SDK ends quietly when the request is aborted, and a body can end without a cut.
        if (!reader.completed) throw unfinishedStreamError(context(true));
        const calls = reader.toolCalls();
        if (calls.length > 0 && reader.hasThinking()) turns.remember(options.modelId, calls, reader.contentBlocks());
      } finally {
        lifetime.dispose();
      }
    },
  };
}
