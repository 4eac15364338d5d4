// Anthropic requires the thinking blocks of an assistant turn that called tools to be sent back
// unchanged (with their signatures) in the next request of the tool loop. Our provider-neutral
// ChatMessage has no place for them, and the tool loop builds the assistant ChatMessage itself
// from the streamed events, so nothing keyed on that object can work. What does survive the trip
// is the tool-call ids: the API's tool_use ids are unique, the loop copies them into its message.
// So the client remembers each such turn's blocks exactly as the API sent them, keyed by its first
// tool_use id, and puts them back when that turn comes round in the history.
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';

export interface RememberedToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

interface RememberedTurn {
  modelId: string;
  calls: RememberedToolCall[];
  blocks: ContentBlockParam[];
}

export class AssistantTurnMemory {
  private readonly turns = new Map<string, RememberedTurn>();

  /** Bounded: a Coder pass is at most a few dozen turns; older ones are long past needing it. */
  constructor(private readonly capacity = 200) {}

  remember(modelId: string, calls: RememberedToolCall[], blocks: ContentBlockParam[]): void {
    const first = calls[0];
    if (!first) return;
    this.turns.delete(first.id);
    this.turns.set(first.id, { modelId, calls, blocks });
    while (this.turns.size > this.capacity) {
      const oldest = this.turns.keys().next().value;
      if (oldest === undefined) break;
      this.turns.delete(oldest);
    }
  }

  /**
   * The blocks of the remembered turn whose tool calls are exactly these (same ids, names and
   * inputs, same model), or undefined: a turn the history changed must not be replaced.
   */
  recall(modelId: string, calls: RememberedToolCall[]): ContentBlockParam[] | undefined {
    const first = calls[0];
    const turn = first ? this.turns.get(first.id) : undefined;
    if (!turn || turn.modelId !== modelId || turn.calls.length !== calls.length) return undefined;
    const same = turn.calls.every((call, index) => {
      const other = calls[index];
      return other !== undefined && call.id === other.id && call.name === other.name && JSON.stringify(call.input) === JSON.stringify(other.input);
    });
    return same ? turn.blocks : undefined;
  }

  get size(): number {
    return this.turns.size;
  }
}

/**
 * Shared by every Anthropic client: tool_use ids are unique across clients, and the composition
 * root may build a fresh client (retry of a phase, settings change) in the middle of a loop.
 */
export const sharedAssistantTurns = new AssistantTurnMemory();
