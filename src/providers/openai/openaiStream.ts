// Turns the chunks of a streamed chat completion into our ModelEvents. Words and reasoning are
// passed on as they arrive; tool calls come in fragments keyed by `index` (the id and name
// first, then pieces of the arguments' JSON text) and are only complete, and parsed, when the
// answer is; usage comes in its own last chunk. An answer is complete once the server sent a
// finish_reason or `[DONE]`; anything less is a cut stream.
import type { ModelEvent, TokenUsage } from '../../core/models/modelClient.js';
import { kindForStatus } from '../../core/models/modelErrors.js';
import type { ErrorContext } from './openaiErrors.js';
import { malformedError, modelError, streamCutError } from './openaiErrors.js';
import { asRecord, numberOf, rawStringOf, textOf, tryParseJson } from './wireJson.js';

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

export class ChatStreamAssembler {
  private readonly toolCalls = new Map<number, PendingToolCall>();
  private finishReason: string | undefined;
  private usage: TokenUsage | undefined;

  constructor(
    private readonly context: ErrorContext,
    /** Ids for tool calls a server sent without one (some local servers do). */
    private readonly newCallId: () => string,
  ) {}

  /** One `data:` payload of the stream; returns the text and thinking it carries. */
  acceptData(data: string): ModelEvent[] {
    const parsed = tryParseJson(data);
    if (!parsed.ok) throw malformedError(this.context, `a chunk is not JSON (${data.slice(0, 80)}).`);
    const chunk = asRecord(parsed.value);
    if (!chunk) throw malformedError(this.context, 'a chunk is not a JSON object.');
    return this.acceptChunk(chunk);
  }

  /** A whole (non-streamed) completion, from a server that ignored `stream: true`. */
  acceptCompletion(completion: Record<string, unknown>): ModelEvent[] {
    const choices = Array.isArray(completion['choices']) ? completion['choices'] : [];
    const first = asRecord(choices[0]);
    // A whole message has the shape of one big delta; its tool calls just lack `index`.
    const asChunk = { ...completion, choices: first ? [{ index: 0, delta: first['message'], finish_reason: first['finish_reason'] }] : [] };
    return this.acceptChunk(asChunk);
  }

  /** The answer is over; `sawDone` says whether the server sent `[DONE]`. */
  finish(sawDone: boolean): ModelEvent[] {
    if (!sawDone && this.finishReason === undefined) throw streamCutError(this.context);
    const events: ModelEvent[] = [];
    for (const index of [...this.toolCalls.keys()].sort((a, b) => a - b)) {
      const call = this.toolCalls.get(index);
      if (call) events.push(this.toolCallEvent(call));
    }
    if (this.usage) events.push({ type: 'usage', usage: this.usage });
    const hasCalls = this.toolCalls.size > 0;
    // Tool calls decide 'tool-use' even when a server reports 'stop' with them (some local
    // servers do); 'length' wins because the calls may then be incomplete.
    const stopReason = this.finishReason === 'length' ? 'max-tokens' : hasCalls ? 'tool-use' : 'end';
    events.push({ type: 'done', stopReason });
    return events;
  }

  private acceptChunk(chunk: Record<string, unknown>): ModelEvent[] {
    const error = chunk['error'];
    if (error !== undefined && error !== null) throw this.errorChunk(error);
    const usage = asRecord(chunk['usage']);
    if (usage) this.usage = usageFrom(usage);
    const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
    const events: ModelEvent[] = [];
    for (const [position, rawChoice] of choices.entries()) {
      const choice = asRecord(rawChoice);
      // We ask for one choice (n defaults to 1); a server that sends more gets its first read.
      if (!choice || (numberOf(choice['index']) ?? position) !== 0) continue;
      const finish = textOf(choice['finish_reason']);
      if (finish) this.finishReason = finish;
      const delta = asRecord(choice['delta']);
      if (delta) events.push(...this.acceptDelta(delta));
    }
    return events;
  }

  private acceptDelta(delta: Record<string, unknown>): ModelEvent[] {
    const events: ModelEvent[] = [];
    // DeepSeek, vLLM and LM Studio send `reasoning_content`, Ollama and OpenRouter `reasoning`;
    // servers that send both send the same words twice, so one is taken.
    const reasoning = rawStringOf(delta['reasoning_content']) || rawStringOf(delta['reasoning']);
    if (reasoning) events.push({ type: 'thinking', text: reasoning });
    const content = rawStringOf(delta['content']);
    if (content) events.push({ type: 'text', text: content });
    const calls = Array.isArray(delta['tool_calls']) ? delta['tool_calls'] : [];
    for (const [position, rawCall] of calls.entries()) {
      const call = asRecord(rawCall);
      if (call) this.acceptToolCallDelta(call, position);
    }
    return events;
  }

  private acceptToolCallDelta(call: Record<string, unknown>, position: number): void {
    const index = numberOf(call['index']) ?? position;
    const pending = this.toolCalls.get(index) ?? { id: '', name: '', arguments: '' };
    this.toolCalls.set(index, pending);
    const fn = asRecord(call['function']);
    // Id and name arrive once, in the first fragment; a server that repeats them must not
    // double them. Only the arguments are pieces to join.
    pending.id ||= textOf(call['id']) ?? '';
    pending.name ||= textOf(fn?.['name']) ?? '';
    const args = fn?.['arguments'];
    if (typeof args === 'string') pending.arguments += args;
    // A few servers send the arguments as an object rather than JSON text.
    else if (asRecord(args)) pending.arguments += JSON.stringify(args);
  }

  private toolCallEvent(call: PendingToolCall): ModelEvent {
    const cutShort = this.finishReason === 'length' ? ' (the answer hit the output token limit)' : '';
    if (!call.name) throw malformedError(this.context, `a tool call has no name${cutShort}.`);
    // A call of a tool without parameters may come with no arguments text at all.
    const text = call.arguments.trim() === '' ? '{}' : call.arguments;
    const parsed = tryParseJson(text);
    const input = parsed.ok ? asRecord(parsed.value) : undefined;
    if (!input) throw malformedError(this.context, `the arguments of the "${call.name}" tool call are not a JSON object${cutShort}.`);
    return { type: 'tool-call', id: call.id || this.newCallId(), name: call.name, input };
  }

  /** A server that fails mid-answer says so in a chunk: `{error:{message,code}}`. */
  private errorChunk(error: unknown): Error {
    const record = asRecord(error);
    const message = textOf(record?.['message']) ?? textOf(error) ?? 'no details';
    const code = numberOf(record?.['code']) ?? numberOf(record?.['status']);
    const kind = code !== undefined && code >= 400 ? kindForStatus(code) : 'server';
    return modelError(this.context, kind, `The server at ${this.context.endpoint} failed during the answer: ${message}`, code !== undefined ? { status: code } : {});
  }
}

/**
 * Our usage from OpenAI's. prompt_tokens includes the cached part, so cached tokens are moved
 * out of inputTokens (input + cacheRead = everything read, as with the other providers);
 * completion_tokens includes the reasoning, which is billed as output, so thinkingTokens is a
 * breakdown of outputTokens, not an addition to it.
 */
export function usageFrom(usage: Record<string, unknown>): TokenUsage {
  const prompt = numberOf(usage['prompt_tokens']) ?? 0;
  const cached = numberOf(asRecord(usage['prompt_tokens_details'])?.['cached_tokens']) ?? 0;
  return {
    inputTokens: Math.max(0, prompt - cached),
    outputTokens: numberOf(usage['completion_tokens']) ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    thinkingTokens: numberOf(asRecord(usage['completion_tokens_details'])?.['reasoning_tokens']) ?? 0,
  };
}
