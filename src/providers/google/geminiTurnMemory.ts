// Gemini's own Content for the answers it gave, so later turns of a conversation can send it back
// unchanged. Gemini 3 signs its reasoning (thoughtSignature on parts) and refuses a function-call
// turn whose signature is missing; our provider-neutral ChatMessage has no slot for it.
//
// The engine builds its assistant ChatMessage itself, from the events we streamed (one text part
// with all the text, then the tool calls), so there is no object of ours to hang the Content on
// (a WeakMap keyed by ChatMessage would never hit). Instead each answer is remembered under a key
// made of exactly what the engine keeps, its text and its tool-call ids, plus the model that
// answered (a signature means nothing to another model). When that message comes back, its key
// finds the raw Content. One memory serves every client, because the extension builds a new
// client for each request. A miss (another model, a restarted window, an edited history) falls
// back to rebuilding the parts from the message.
import { createHash } from 'node:crypto';
import type { Content } from '@google/genai';
import type { ContentPart } from '../../core/models/modelClient.js';

/** Enough for a few long tool loops at once (a turn per entry); the oldest go first. */
const defaultCapacity = 256;

export class GeminiTurnMemory {
  private readonly turns = new Map<string, Content>();

  constructor(private readonly capacity = defaultCapacity) {}

  /** Remembers the Content of an answer of `modelId` that streamed `text` and called `callIds`. */
  remember(modelId: string, text: string, callIds: readonly string[], content: Content): void {
    const key = turnKey(modelId, text, callIds);
    this.turns.delete(key);
    this.turns.set(key, content);
    while (this.turns.size > this.capacity) {
      const oldest = this.turns.keys().next();
      if (oldest.done) break;
      this.turns.delete(oldest.value);
    }
  }

  /** The Content `modelId` sent for the assistant message made of `parts`, if it is remembered. */
  recall(modelId: string, parts: readonly ContentPart[]): Content | undefined {
    let text = '';
    const callIds: string[] = [];
    for (const part of parts) {
      if (part.type === 'text') text += part.text;
      else if (part.type === 'tool-call') callIds.push(part.id);
    }
    return this.turns.get(turnKey(modelId, text, callIds));
  }
}

/** The memory every Gemini client of this extension host shares. */
export const sharedTurnMemory = new GeminiTurnMemory();

/** A digest, so a long answer is not kept twice (once in the Content, once in the key). */
function turnKey(modelId: string, text: string, callIds: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([modelId, text, callIds])).digest('base64');
}
