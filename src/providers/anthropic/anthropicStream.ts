// Reads the Messages API's raw stream events into our ModelEvents, and keeps the answer's blocks
// as the API sent them (thinking with its signature) for the next turn of a tool loop.
import type {
  ContentBlockParam,
  MessageDeltaUsage,
  RawMessageStreamEvent,
  StopReason,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import type { ModelEvent, TokenUsage } from '../../core/models/modelClient.js';
import type { RememberedToolCall } from './assistantTurnMemory.js';

type BlockState =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string; input?: Record<string, unknown> }
  /** Server-tool and other blocks we never ask for: tolerated, not passed on. */
  | { type: 'other' };

/** Thrown for event sequences that cannot be understood; the client maps it to 'malformed'. */
export class UnreadableStreamError extends Error {}

export class AnthropicStreamReader {
  private readonly blocks = new Map<number, BlockState>();
  private startUsage: Partial<Usage> = {};
  private deltaUsage: Partial<MessageDeltaUsage> = {};
  private stopReason: StopReason | null = null;
  /** True once message_stop arrived: anything less is a cut stream. */
  completed = false;

  read(event: RawMessageStreamEvent): ModelEvent[] {
    switch (event.type) {
      case 'message_start':
        this.startUsage = event.message.usage ?? {};
        return [];
      case 'content_block_start':
        return this.start(event.index, event.content_block);
      case 'content_block_delta':
        return this.delta(event.index, event.delta);
      case 'content_block_stop':
        return this.stop(event.index);
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        this.deltaUsage = event.usage ?? {};
        return [];
      case 'message_stop':
        this.completed = true;
        return [{ type: 'usage', usage: this.usage() }, { type: 'done', stopReason: doneReason(this.stopReason) }];
      default:
        return [];
    }
  }

  /** The tool calls of this answer, in order. */
  toolCalls(): RememberedToolCall[] {
    return this.ordered().flatMap((block) => (block.type === 'tool_use' && block.input ? [{ id: block.id, name: block.name, input: block.input }] : []));
  }

  /** Whether the answer had thinking blocks, which the next request must send back unchanged. */
  hasThinking(): boolean {
    return this.ordered().some((block) => block.type === 'thinking' || block.type === 'redacted_thinking');
  }

  /** The answer's content as request blocks, exactly as streamed (thinking keeps its signature). */
  contentBlocks(): ContentBlockParam[] {
    return this.ordered().flatMap((block): ContentBlockParam[] => {
      switch (block.type) {
        case 'text':
          return block.text ? [{ type: 'text', text: block.text }] : [];
        case 'thinking':
          return [{ type: 'thinking', thinking: block.thinking, signature: block.signature }];
        case 'redacted_thinking':
          return [{ type: 'redacted_thinking', data: block.data }];
        case 'tool_use':
          return block.input ? [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }] : [];
        case 'other':
          return [];
      }
    });
  }

  private start(index: number, block: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>['content_block']): ModelEvent[] {
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { type: 'text', text: block.text });
        return block.text ? [{ type: 'text', text: block.text }] : [];
      case 'thinking':
        this.blocks.set(index, { type: 'thinking', thinking: block.thinking, signature: block.signature });
        return block.thinking ? [{ type: 'thinking', text: block.thinking }] : [];
      case 'redacted_thinking':
        this.blocks.set(index, { type: 'redacted_thinking', data: block.data });
        return [];
      case 'tool_use':
        this.blocks.set(index, { type: 'tool_use', id: block.id, name: block.name, json: '' });
        return [];
      default:
        this.blocks.set(index, { type: 'other' });
        return [];
    }
  }

  private delta(index: number, delta: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>['delta']): ModelEvent[] {
    const block = this.block(index);
    if (delta.type === 'text_delta' && block.type === 'text') {
      block.text += delta.text;
      return delta.text ? [{ type: 'text', text: delta.text }] : [];
    }
    if (delta.type === 'thinking_delta' && block.type === 'thinking') {
      block.thinking += delta.thinking;
      return delta.thinking ? [{ type: 'thinking', text: delta.thinking }] : [];
    }
    if (delta.type === 'signature_delta' && block.type === 'thinking') {
      block.signature += delta.signature;
      return [];
    }
    if (delta.type === 'input_json_delta' && block.type === 'tool_use') {
      block.json += delta.partial_json;
      return [];
    }
    if (delta.type === 'citations_delta' || block.type === 'other') return [];
    throw new UnreadableStreamError(`a ${delta.type} for a ${block.type} block (index ${index})`);
  }

  private stop(index: number): ModelEvent[] {
    const block = this.block(index);
    if (block.type !== 'tool_use') return [];
    // The input arrives as JSON text in pieces; only the whole of it is an object to act on.
    block.input = parseToolInput(block.json, block.name);
    return [{ type: 'tool-call', id: block.id, name: block.name, input: block.input }];
  }

  private block(index: number): BlockState {
    const block = this.blocks.get(index);
    if (!block) throw new UnreadableStreamError(`an event for content block ${index}, which never started`);
    return block;
  }

  private ordered(): BlockState[] {
    return [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
  }

  private usage(): TokenUsage {
    // message_delta carries the cumulative counts; message_start the input side, early.
    const pick = (key: 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'): number =>
      this.deltaUsage[key] ?? this.startUsage[key] ?? 0;
    const details = this.deltaUsage.output_tokens_details ?? this.startUsage.output_tokens_details;
    return {
      // Disjoint, as Anthropic counts them: all input = inputTokens + cacheReadTokens + cacheWriteTokens.
      inputTokens: pick('input_tokens'),
      outputTokens: pick('output_tokens'),
      cacheReadTokens: pick('cache_read_input_tokens'),
      cacheWriteTokens: pick('cache_creation_input_tokens'),
      // Part of outputTokens, not in addition to it.
      thinkingTokens: details?.thinking_tokens ?? 0,
    };
  }
}

function parseToolInput(json: string, name: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new UnreadableStreamError(`the input of tool call ${name} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnreadableStreamError(`the input of tool call ${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function doneReason(reason: StopReason | null): Extract<ModelEvent, { type: 'done' }>['stopReason'] {
  switch (reason) {
    case 'tool_use':
      return 'tool-use';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max-tokens';
    default:
      // end_turn, stop_sequence, refusal, pause_turn (server tools only, which we never send).
      return 'end';
  }
}
