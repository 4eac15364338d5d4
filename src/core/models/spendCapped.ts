// The spending caps kept on each model call a run makes: before the request is sent, its most
// (every max_tokens token billed) is reserved against the per-run and per-day caps, and a call
// that would cross one is refused with a CapError (nothing sent, nothing spent). What the call
// really cost is settled once it ends. A decorator, so the engine knows nothing of money.
import { costOf } from './cost.js';
import { estimateFanOut } from './costEstimate.js';
import type { ChatMessage, ModelClient, ModelEvent, ModelRequest } from './modelClient.js';
import type { ModelRegistry } from './registry.js';
import { modelPrice } from './registry.js';
import { settlingSpend } from './settledSpend.js';
import type { SpendLedger } from './spendLedger.js';

export interface SpendCapOptions {
  ledger: SpendLedger;
  runId: string;
  /** The registry in force now: prices are read as each call is made. */
  registry: () => ModelRegistry;
}

export function withSpendCaps(client: ModelClient, options: SpendCapOptions): ModelClient {
  return {
    get info() {
      return client.info;
    },
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      // The offline replay costs nothing and has no price: a cap has nothing to keep.
      if (client.info.isDemo) {
        yield* client.stream(request, signal);
        return;
      }
      const asked = client.info;
      const estimate = estimateFanOut(
        [{ provider: asked.provider, model: asked.modelId, system: request.system, messages: request.messages.map(asText), maxTokens: request.maxOutputTokens, thinking: request.thinking }],
        options.registry(),
      );
      // Throws CapError before anything is sent.
      const reservation = await options.ledger.reserve(options.runId, estimate);
      yield* settlingSpend(() => client.stream(request, signal), {
        ledger: options.ledger,
        reservation,
        priced: (usage) => {
          // Priced as the model that answered (after a fall-over, the fallback's price).
          const answered = client.info;
          const price = modelPrice(options.registry(), answered.provider, answered.modelId);
          return price ? costOf(answered.provider, usage, price) : undefined;
        },
      });
    },
  };
}

/** A message as the token estimate reads it: its text, tool calls and results as JSON. */
function asText(message: ChatMessage): { role: string; content: string } {
  const parts = message.content.map((part) => {
    if (part.type === 'text') return part.text;
    if (part.type === 'tool-call') return JSON.stringify({ name: part.name, input: part.input });
    return part.output;
  });
  return { role: message.role, content: parts.join('\n') };
}
