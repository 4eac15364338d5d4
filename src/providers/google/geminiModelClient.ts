// The Google Gemini provider on the real @google/genai SDK: one streamed generateContent call
// per answer. Retries are not the SDK's business here (it has none by default, and ignores the
// server's delay when asked to): they live in core/models/retry.ts, the same for every provider.
// The SDK loads with this module, which the extension itself loads on first use (bundleEntry.ts).
import { GoogleGenAI } from '@google/genai';
import type { ModelClient, ModelEvent, ModelInfo, ModelRequest } from '../../core/models/modelClient.js';
import { ModelError } from '../../core/models/modelErrors.js';
import { rateLimitHeadersOf } from '../../core/keyvault/rateLimitHeaders.js';
import type { ProviderClientOptions } from '../providerOptions.js';
import { GeminiAnswer } from './geminiAnswer.js';
import { geminiError } from './geminiErrors.js';
import { recordingFetch } from './geminiFetch.js';
import { geminiRequest } from './geminiRequest.js';
import { sharedTurnMemory, type GeminiTurnMemory } from './geminiTurnMemory.js';

/**
 * The API version we ask for. @google/genai 3.x defaults to v1 (2.x used v1beta); we pin
 * v1beta because it is where Google documents and first ships what this client relies on:
 * Gemini 3's thinkingLevel with includeThoughts and thought signatures, functionDeclarations
 * with parametersJsonSchema, responseJsonSchema, and the preview models themselves
 * (gemini-3.1-pro-preview). v1 is the stable subset and may refuse newer fields. A base URL
 * that already ends in a version (a gateway's documented URL) keeps its own.
 */
export const geminiApiVersion = 'v1beta';

/**
 * `memory` keeps Gemini's own Content of each answer, to send back unchanged in later turns; by
 * default the one all clients share, as the extension builds a new client for every request.
 */
export function createGeminiClient(options: ProviderClientOptions, memory: GeminiTurnMemory = sharedTurnMemory): ModelClient {
  return new GeminiModelClient(options, memory);
}

class GeminiModelClient implements ModelClient {
  readonly info: ModelInfo;
  private client: GoogleGenAI | undefined;

  constructor(
    private readonly options: ProviderClientOptions,
    private readonly memory: GeminiTurnMemory,
  ) {
    this.info = { provider: 'google', modelId: options.modelId, displayName: options.displayName, isDemo: false };
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const { apiKey, modelId, requestTimeoutMs } = this.options;
    if (signal.aborted) throw new ModelError('cancelled', 'The request was cancelled.', { provider: 'google' });
    // Our own controller, aborted on the way out, so an answer we stop reading early (or that
    // failed) does not keep its connection open until the timeout.
    const connection = new AbortController();
    const onAbort = (): void => connection.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const http = recordingFetch();
    const answer = new GeminiAnswer({ modelId, apiKey });
    let midAnswer = false;
    try {
      const { contents, config } = geminiRequest(request, modelId, this.memory);
      const chunks = await this.sdkClient().models.generateContentStream({
        model: modelId,
        contents,
        config: { ...config, abortSignal: connection.signal, httpOptions: { fetch: http.fetch } },
      });
      // The SDK has the response once the stream is open; only its rate-limit headers go on.
      const response = http.lastResponse();
      const limits = response ? rateLimitHeadersOf(response.headers) : {};
      if (Object.keys(limits).length > 0) yield { type: 'rate-limits', headers: limits };
      for await (const chunk of chunks) {
        midAnswer = true;
        yield* answer.accept(chunk);
      }
      const end = answer.finish();
      this.memory.remember(modelId, end.text, end.callIds, end.content);
      yield* end.events;
    } catch (error) {
      throw geminiError(error, { modelId, apiKey, cancelled: signal.aborted, response: http.lastResponse(), midAnswer, timeoutMs: requestTimeoutMs });
    } finally {
      signal.removeEventListener('abort', onAbort);
      connection.abort();
    }
  }

  private sdkClient(): GoogleGenAI {
    if (!this.client) {
      const { baseUrl, apiVersion } = splitVersion(this.options.baseUrl);
      this.client = new GoogleGenAI({
        apiKey: this.options.apiKey,
        // Explicit, so GOOGLE_GENAI_USE_VERTEXAI in someone's environment cannot reroute us.
        vertexai: false,
        httpOptions: {
          ...(baseUrl ? { baseUrl } : {}),
          apiVersion,
          // Bounds the whole answer: the SDK's timer stays armed while the body streams.
          timeout: this.options.requestTimeoutMs,
        },
      });
    }
    return this.client;
  }
}

/** "https://gw.example/gemini/v1beta" → base "https://gw.example/gemini", version "v1beta". */
function splitVersion(baseUrl: string | undefined): { baseUrl: string | undefined; apiVersion: string } {
  const match = baseUrl ? /^(.*?)\/(v1|v1beta|v1alpha)\/?$/.exec(baseUrl) : null;
  if (match?.[1] && match[2]) return { baseUrl: match[1], apiVersion: match[2] };
  return { baseUrl, apiVersion: geminiApiVersion };
}
