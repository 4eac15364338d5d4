// One streamed Gemini answer, chunk by chunk: thought parts become thinking events, text parts
// text events, function calls tool-call events. It keeps every part exactly as received, so the
// answer's Content can be sent back unchanged, and it decides at the end whether the answer is
// complete: the SDK throws nothing when a stream is cut, only the missing finishReason tells.
import type { Content, GenerateContentResponse, GenerateContentResponseUsageMetadata, Part } from '@google/genai';
import type { ModelEvent, TokenUsage } from '../../core/models/modelClient.js';
import { newCallId } from './geminiCallIds.js';
import { blockedPromptError, finishReasonError, malformedAnswerError, streamCutError, type GeminiFailureContext } from './geminiErrors.js';

export interface GeminiAnswerEnd {
  /** The usage (when reported) and done events. */
  events: ModelEvent[];
  /** Gemini's own Content for this answer: every part, thoughts and signatures included. */
  content: Content;
  /** What the engine keeps of the answer: its text and its tool-call ids. */
  text: string;
  callIds: string[];
}

export class GeminiAnswer {
  private readonly parts: Part[] = [];
  private text = '';
  private readonly callIds: string[] = [];
  private finishReason: string | undefined;
  private blockReason: string | undefined;
  private usage: GenerateContentResponseUsageMetadata | undefined;

  constructor(private readonly context: Pick<GeminiFailureContext, 'modelId' | 'apiKey'>) {}

  /** The events of one chunk, in the order of its parts. */
  accept(chunk: GenerateContentResponse): ModelEvent[] {
    // Each chunk carries the running total, so the latest usage is the answer's.
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    if (chunk.promptFeedback?.blockReason) this.blockReason = chunk.promptFeedback.blockReason;
    if (chunk.candidates === undefined) return [];
    if (!Array.isArray(chunk.candidates)) throw malformedAnswerError('candidates is not a list', this.context);
    const candidate = chunk.candidates[0];
    if (!candidate) return [];
    if (candidate.finishReason) this.finishReason = candidate.finishReason;
    const parts = candidate.content?.parts ?? [];
    if (!Array.isArray(parts)) throw malformedAnswerError('content.parts is not a list', this.context);
    const events: ModelEvent[] = [];
    for (const part of parts) {
      if (typeof part !== 'object' || part === null) throw malformedAnswerError('a part is not an object', this.context);
      this.parts.push(part);
      if (part.functionCall) events.push(this.toolCall(part.functionCall));
      else if (typeof part.text === 'string' && part.text !== '') {
        if (part.thought) events.push({ type: 'thinking', text: part.text });
        else {
          this.text += part.text;
          events.push({ type: 'text', text: part.text });
        }
      }
    }
    return events;
  }

  /** The closing events once the stream has ended, or the error that says why there are none. */
  finish(): GeminiAnswerEnd {
    if (this.blockReason) throw blockedPromptError(this.blockReason, this.context);
    const reason = this.finishReason;
    // CONTINUATION is left over only when the SDK could not resume the answer: it is incomplete.
    if (reason === undefined || reason === 'CONTINUATION') throw streamCutError(this.context);
    let stopReason: Extract<ModelEvent, { type: 'done' }>['stopReason'];
    if (reason === 'STOP') stopReason = this.callIds.length > 0 ? 'tool-use' : 'end';
    else if (reason === 'MAX_TOKENS') stopReason = 'max-tokens';
    else throw finishReasonError(reason, this.context);
    const events: ModelEvent[] = [];
    if (this.usage) events.push({ type: 'usage', usage: tokenUsage(this.usage) });
    events.push({ type: 'done', stopReason });
    return { events, content: { role: 'model', parts: this.parts }, text: this.text, callIds: [...this.callIds] };
  }

  private toolCall(call: NonNullable<Part['functionCall']>): ModelEvent {
    if (typeof call.name !== 'string' || call.name === '') throw malformedAnswerError('a function call has no name', this.context);
    const args: unknown = call.args ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw malformedAnswerError(`the arguments of ${call.name} are not an object`, this.context);
    // Gemini 3 names its calls; older models do not, and the engine needs an id to pair results.
    const id = typeof call.id === 'string' && call.id !== '' ? call.id : newCallId();
    this.callIds.push(id);
    return { type: 'tool-call', id, name: call.name, input: call.args ?? {} };
  }
}

/**
 * Gemini's promptTokenCount includes the cached part; ours counts it once, as a cache read, the
 * way Anthropic reports input. Thoughts are billed as output but reported apart, as here.
 */
export function tokenUsage(usage: GenerateContentResponseUsageMetadata): TokenUsage {
  const cached = usage.cachedContentTokenCount ?? 0;
  return {
    inputTokens: Math.max(0, (usage.promptTokenCount ?? 0) - cached),
    outputTokens: usage.candidatesTokenCount ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    thinkingTokens: usage.thoughtsTokenCount ?? 0,
  };
}
