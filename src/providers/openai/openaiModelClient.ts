// The OpenAI-compatible provider: OpenAI itself, Ollama, LM Studio, vLLM, llama.cpp and the
// gateways that speak `POST {baseUrl}/chat/completions`. Plain fetch and no SDK: the protocol
// is one streamed POST, the client stays small, and it works with every compatible server.
// Retries are not done here but in core/models/retry.ts, uniformly across providers; the only
// repeat here is a request re-sent without an optional field a server refused (openaiCompat.ts).
import { randomUUID } from 'node:crypto';
import type { ModelClient, ModelEvent, ModelInfo, ModelRequest } from '../../core/models/modelClient.js';
import { ModelError } from '../../core/models/modelErrors.js';
import { RequestLifetime } from '../../core/models/requestLifetime.js';
import { rateLimitHeadersOf } from '../../core/keyvault/rateLimitHeaders.js';
import type { ProviderClientOptions } from '../providerOptions.js';
import type { CompatAdjustment } from './openaiCompat.js';
import { adjustmentFor, applyAdjustments, refusalStatuses } from './openaiCompat.js';
import type { ErrorContext } from './openaiErrors.js';
import { cancelledError, displayEndpoint, httpError, malformedError, modelError, networkError, parseServerError, streamCutError, timeoutError } from './openaiErrors.js';
import type { ChatCompletionBody } from './openaiRequest.js';
import { buildChatCompletionBody } from './openaiRequest.js';
import { ChatStreamAssembler } from './openaiStream.js';
import { SseParser } from './sseParser.js';
import { asRecord, tryParseJson } from './wireJson.js';

export type OpenAiCompatibleClientOptions = ProviderClientOptions & {
  /** The provider id in ModelInfo and errors; 'openai-compatible' unless a caller names it. */
  provider?: string;
};

export const defaultOpenAiBaseUrl = 'https://api.openai.com/v1';

export function createOpenAiCompatibleClient(options: OpenAiCompatibleClientOptions): ModelClient {
  return new OpenAiCompatibleClient(options);
}

class OpenAiCompatibleClient implements ModelClient {
  readonly info: ModelInfo;
  private readonly context: ErrorContext;
  /** `{base}/chat/completions`, or why the base URL is unusable (reported on the first call). */
  private readonly endpoint: URL | ModelError;
  /** Optional fields this server has refused; later calls leave them out from the start. */
  private readonly adjustments = new Set<CompatAdjustment>();

  constructor(private readonly options: OpenAiCompatibleClientOptions) {
    const provider = options.provider ?? 'openai-compatible';
    this.info = { provider, modelId: options.modelId, displayName: options.displayName, isDemo: false };
    const base = parseBaseUrl(options.baseUrl ?? defaultOpenAiBaseUrl);
    this.context = { provider, endpoint: base ? displayEndpoint(base) : 'the configured base URL', apiKey: options.apiKey };
    this.endpoint = base ? chatCompletionsUrl(base) : modelError(this.context, 'bad-request', 'The base URL of the OpenAI-compatible server is not an http(s) URL.');
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    if (this.endpoint instanceof ModelError) throw this.endpoint;
    if (signal.aborted) throw cancelledError(this.context);
    // The request's time limit covers the whole streamed answer; disposing it frees the connection.
    const call = new RequestLifetime(signal, this.options.requestTimeoutMs);
    try {
      const response = await this.send(this.endpoint, buildChatCompletionBody(this.options.modelId, request), call);
      const limits = rateLimitHeadersOf(response.headers);
      if (Object.keys(limits).length > 0) yield { type: 'rate-limits', headers: limits };
      yield* this.read(response, call);
    } catch (error) {
      throw explainFailure(error, signal, call, this.context);
    } finally {
      call.dispose();
    }
  }

  /** Posts the body; a refusal that names an optional field is answered by sending it without. */
  private async send(url: URL, original: ChatCompletionBody, call: RequestLifetime): Promise<Response> {
    for (;;) {
      const body = applyAdjustments(original, this.adjustments);
      const response = await this.post(url, body, call);
      if (response.ok) return response;
      const serverError = parseServerError(await response.text());
      const adjustment = refusalStatuses.has(response.status) ? adjustmentFor(body, `${serverError.message} ${serverError.param ?? ''}`) : undefined;
      // An applied adjustment removed its field and cannot be named again; the check only
      // makes the bound on this loop plain.
      if (adjustment === undefined || this.adjustments.has(adjustment)) throw httpError(this.context, response.status, response.headers, serverError);
      this.adjustments.add(adjustment);
    }
  }

  private async post(url: URL, body: ChatCompletionBody, call: RequestLifetime): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    // Local servers need no key; an empty Bearer would be refused by some gateways.
    if (this.options.apiKey) headers['authorization'] = `Bearer ${this.options.apiKey}`;
    try {
      return await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: call.signal });
    } catch (error) {
      throw call.signal.aborted ? error : networkError(this.context, error);
    }
  }

  private async *read(response: Response, call: RequestLifetime): AsyncIterable<ModelEvent> {
    const assembler = new ChatStreamAssembler(this.context, () => `call_${randomUUID()}`);
    if ((response.headers.get('content-type') ?? '').includes('application/json')) {
      // The server ignored `stream: true` and sent the whole completion.
      const parsed = tryParseJson(await response.text());
      const completion = parsed.ok ? asRecord(parsed.value) : undefined;
      if (!completion) throw malformedError(this.context, 'the answer is not a JSON object.');
      yield* assembler.acceptCompletion(completion);
      yield* assembler.finish(true);
      return;
    }
    if (!response.body) throw streamCutError(this.context, 'before it began');
    const reader = response.body.getReader();
    const parser = new SseParser();
    let sawDone = false;
    try {
      while (!sawDone) {
        const chunk = await reader.read().catch((error: unknown) => {
          // The connection broke mid-answer (unless we aborted it: then `explain` says why).
          throw call.signal.aborted ? error : streamCutError(this.context);
        });
        const events = chunk.done ? parser.end() : parser.push(chunk.value);
        for (const event of events) {
          if (event.data.trim() === '[DONE]') {
            sawDone = true;
            break;
          }
          yield* assembler.acceptData(event.data);
        }
        if (chunk.done) break;
      }
    } finally {
      // After [DONE], on an error or when the consumer stops early: release the connection.
      reader.cancel().catch(() => undefined);
    }
    yield* assembler.finish(sawDone);
  }
}

/** The error to throw once a call failed: a cancel or time-out wins over whatever the abort broke. */
function explainFailure(error: unknown, caller: AbortSignal, lifetime: RequestLifetime, context: ErrorContext): unknown {
  if (caller.aborted) return cancelledError(context);
  if (lifetime.stoppedBy === 'timeout') return timeoutError(context, lifetime.timeoutMs);
  if (error instanceof ModelError) return error;
  // Nothing else should get here; never let an unknown error's text (which might quote a
  // request) out unscrubbed.
  return modelError(context, 'malformed', `Unexpected failure reading the answer from ${context.endpoint}: ${error instanceof Error ? error.message : String(error)}`);
}

function parseBaseUrl(baseUrl: string): URL | undefined {
  try {
    const url = new URL(baseUrl.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Appends the endpoint to the base path, keeping a prefix (/gateway/v1) and any query string. */
function chatCompletionsUrl(base: URL): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  url.hash = '';
  return url;
}
