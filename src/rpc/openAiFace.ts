// The OpenAI-compatible face: GET /v1/models and POST /v1/chat/completions (whole, or streamed
// as server-sent events ending `data: [DONE]`), so Aider, Cline, Continue or a script can use the
// pool's keys, limits and budgets. A chat completion becomes one KeyVaultService.chat call; the
// model field names a registry id, or provider/id where two providers offer the same id.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import * as z from 'zod';
import { KeyVaultError, kvLimits } from '../core/keyvault/kvProtocol.js';
import type { KeyVaultService, KvMessage, PoolChatRequest, PoolModel } from '../core/keyvault/kvProtocol.js';
import { addUsage, zeroUsage } from '../core/models/modelClient.js';
import type { ModelEvent, TokenUsage } from '../core/models/modelClient.js';
import type { SecretRedactor } from '../node/secretRedactor.js';
import type { AnswerScrubber } from './answerScrubber.js';
import { callFailureOf } from './callFailures.js';
import { sendJson } from './httpExchange.js';
import { untilAborted } from './jsonRpc.js';

const text = z.string().max(kvLimits.maxTextLength, `a message is longer than ${kvLimits.maxTextLength} characters`);
const OpenAiMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([text, z.array(z.looseObject({ type: z.literal('text'), text })), z.null()]),
});
const tokens = z.number().int().min(1).max(kvLimits.maxOutputTokens).nullable().optional();

/** Fields that change what the answer must be and that the pool cannot honour are refused, not ignored. */
export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1).max(kvLimits.maxNameLength),
  messages: z.array(OpenAiMessageSchema).min(1).max(kvLimits.maxMessages),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  max_tokens: tokens,
  max_completion_tokens: tokens,
  n: z.literal(1, 'n must be 1: the pool answers one choice').nullable().optional(),
  tools: z.array(z.unknown()).max(0, 'tools are not supported through the key vault').nullable().optional(),
});
type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export interface OpenAiError {
  status: number;
  body: { error: { message: string; type: string; code: string; param: string | null } };
}

export function openAiError(status: number, message: string, type: string, code: string): OpenAiError {
  return { status, body: { error: { message, type, code, param: null } } };
}

export function sendOpenAiError(res: ServerResponse, error: OpenAiError, scrubber: AnswerScrubber, close = false): void {
  sendJson(res, error.status, error.body, scrubber, close);
}

export async function modelsAnswer(service: KeyVaultService): Promise<unknown> {
  const models = await service.listModels();
  return { object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.provider })) };
}

/** What the caller's `model` names: a listed id, or provider/id. */
export function resolveModel(model: string, models: readonly PoolModel[]): PoolModel {
  const exact = models.filter((candidate) => candidate.id === model);
  if (exact.length === 1 && exact[0]) return exact[0];
  if (exact.length > 1) {
    throw new KeyVaultError('bad-request', `"${model}" is offered by ${exact.map((entry) => entry.provider).join(' and ')}: name it as provider/${model}.`);
  }
  const slash = model.indexOf('/');
  const named = slash > 0 ? models.find((candidate) => candidate.provider === model.slice(0, slash) && candidate.id === model.slice(slash + 1)) : undefined;
  if (named) return named;
  throw new KeyVaultError('unknown-model', `The key vault has no model "${model}"; GET /v1/models lists those it has.`);
}

function poolRequest(request: ChatCompletionRequest, model: PoolModel): PoolChatRequest {
  const contentOf = (content: z.infer<typeof OpenAiMessageSchema>['content']): string =>
    typeof content === 'string' ? content : (content ?? []).map((part) => part.text).join('');
  const system = request.messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => contentOf(message.content));
  const messages: KvMessage[] = request.messages.flatMap((message): KvMessage[] =>
    message.role === 'user' || message.role === 'assistant' ? [{ role: message.role, content: contentOf(message.content) }] : [],
  );
  if (messages.length === 0) throw new KeyVaultError('bad-request', 'messages must hold at least one user or assistant message.');
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  return {
    caller: 'openai-compatible',
    provider: model.provider,
    model: model.id,
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    messages,
    ...(request.temperature != null ? { temperature: request.temperature } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
  };
}

const finishReasons = { end: 'stop', 'max-tokens': 'length', 'tool-use': 'tool_calls' } as const;

function usageOf(usage: TokenUsage): Record<string, unknown> {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: usage.thinkingTokens },
  };
}

export interface ChatContext {
  service: KeyVaultService;
  signal: AbortSignal;
  scrubber: AnswerScrubber;
  logFailure(detail: string): void;
}

/** Answers one POST /v1/chat/completions whose body has been read. */
export async function answerChatCompletion(res: ServerResponse, body: string, context: ChatContext): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(body) as unknown;
  } catch {
    sendOpenAiError(res, openAiError(400, 'The body is not JSON.', 'invalid_request_error', 'invalid_json'), context.scrubber);
    return;
  }
  const parsed = ChatCompletionRequestSchema.safeParse(json);
  if (!parsed.success) {
    sendOpenAiError(res, openAiError(400, z.prettifyError(parsed.error), 'invalid_request_error', 'invalid_request'), context.scrubber);
    return;
  }
  const request = parsed.data;
  const completion = new CompletionWriter(res, request, context.scrubber);
  try {
    const model = resolveModel(request.model, await untilAborted(context.service.listModels(), context.signal));
    const events = context.service.chat(poolRequest(request, model), context.signal)[Symbol.asyncIterator]();
    try {
      // Each step races the signal: a service that ignores it cannot hold the answer past the time limit.
      for (let next = await untilAborted(events.next(), context.signal); !next.done; next = await untilAborted(events.next(), context.signal)) {
        completion.take(next.value);
      }
    } catch (error) {
      void events.return?.(undefined)?.catch(() => undefined);
      throw error;
    }
    completion.finish();
  } catch (error) {
    const failure = callFailureOf(error, context.scrubber);
    if (failure.detail !== undefined) context.logFailure(failure.detail);
    completion.fail(openAiError(failure.httpStatus, failure.message, failure.openAiType, failure.openAiCode));
  }
}

/**
 * Turns ModelEvents into the answer: one JSON completion, or SSE chunks. Nothing is sent until
 * the first text, so a failure before it (a cap, no key) still gets its own HTTP status.
 */
class CompletionWriter {
  private readonly id = `chatcmpl-${randomUUID()}`;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly stream: boolean;
  private readonly redactor: SecretRedactor;
  private text = '';
  private usage = zeroUsage();
  private finishReason: string = 'stop';
  private started = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly request: ChatCompletionRequest,
    private readonly scrubber: AnswerScrubber,
  ) {
    this.stream = request.stream === true;
    this.redactor = scrubber.streaming();
  }

  take(event: ModelEvent): void {
    switch (event.type) {
      case 'text':
        if (this.stream) this.sendDelta(this.redactor.push(event.text));
        else this.text += event.text;
        return;
      case 'usage':
        this.usage = addUsage(this.usage, event.usage);
        return;
      case 'done':
        this.finishReason = finishReasons[event.stopReason];
        return;
      case 'restart':
        // Text already streamed cannot be taken back: the caller must ask again.
        if (this.started) throw new KeyVaultError('bad-request', `The answer was cut and restarted after it had begun streaming (${event.reason}); ask again.`);
        this.text = '';
        return;
      default:
        // Thinking, tool calls (none were offered) and the route (which key served) stay inside.
        return;
    }
  }

  finish(): void {
    if (!this.stream) {
      sendJson(this.res, 200, {
        id: this.id,
        object: 'chat.completion',
        created: this.created,
        model: this.request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: this.text, refusal: null }, finish_reason: this.finishReason, logprobs: null }],
        usage: usageOf(this.usage),
      }, this.scrubber);
      return;
    }
    this.sendDelta(this.redactor.end());
    this.start();
    this.sendEvent(this.chunk({}, this.finishReason));
    if (this.request.stream_options?.include_usage) this.sendEvent({ ...this.chunk({}, null), choices: [], usage: usageOf(this.usage) });
    this.res.end('data: [DONE]\n\n');
  }

  fail(error: OpenAiError): void {
    if (!this.started) {
      sendOpenAiError(this.res, error, this.scrubber);
      return;
    }
    // Mid-stream the status is gone: OpenAI's own clients read an `error` event as the failure.
    if (!this.res.writableEnded && !this.res.destroyed) {
      this.sendEvent(error.body);
      this.res.end();
    }
  }

  private chunk(delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.request.model, choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] };
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    this.sendEvent(this.chunk({ role: 'assistant', content: '' }, null));
  }

  private sendDelta(text: string): void {
    if (text === '') return;
    this.start();
    this.sendEvent(this.chunk({ content: text }, null));
  }

  private sendEvent(value: unknown): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.res.write(`data: ${this.scrubber.scrub(JSON.stringify(value))}\n\n`);
  }
}
