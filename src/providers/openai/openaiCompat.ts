// "Compatible" servers disagree about a few request fields. Most ignore fields they don't know,
// but some (strict validators in gateways and older local servers) answer 400 naming the field,
// and OpenAI's own reasoning models refuse `max_tokens` and ask for `max_completion_tokens`.
// Each such field is optional to the answer — the engine validates JSON itself, thinking is a
// preference, usage is bookkeeping — so a refusal that names one is answered by sending the
// request again without it (or with the renamed limit), once per field. The client remembers
// what a server refused, so the next call doesn't pay for the same 400 again.
import type { ChatCompletionBody } from './openaiRequest.js';

export type CompatAdjustment = 'use-max-completion-tokens' | 'drop-reasoning-effort' | 'drop-response-format' | 'drop-stream-options';

/** Statuses of a refusal of the request as sent (422 from FastAPI-style validators). */
export const refusalStatuses: ReadonlySet<number> = new Set([400, 422]);

interface Rule {
  adjustment: CompatAdjustment;
  applies: (body: ChatCompletionBody) => boolean;
  /** Words in the server's error that name the field. */
  mentions: readonly string[];
}

const rules: readonly Rule[] = [
  {
    adjustment: 'use-max-completion-tokens',
    applies: (body) => body.max_tokens !== undefined,
    // Only the explicit rename request: "max_tokens is too large" is a real limit, not this.
    mentions: ['max_completion_tokens'],
  },
  {
    adjustment: 'drop-reasoning-effort',
    applies: (body) => body.reasoning_effort !== undefined,
    // Ollama refuses it for models without thinking in its own words: '"llama3.1:8b" does not
    // support thinking', 'think value "medium" is not supported for this model'.
    mentions: ['reasoning', 'thinking', 'think value'],
  },
  { adjustment: 'drop-response-format', applies: (body) => body.response_format !== undefined, mentions: ['response_format', 'json_schema'] },
  { adjustment: 'drop-stream-options', applies: (body) => body.stream_options !== undefined, mentions: ['stream_options', 'include_usage'] },
];

/** The adjustment a refusal asks for, if it names a field this body still carries. */
export function adjustmentFor(body: ChatCompletionBody, serverText: string): CompatAdjustment | undefined {
  const text = serverText.toLowerCase();
  return rules.find((rule) => rule.applies(body) && rule.mentions.some((word) => text.includes(word)))?.adjustment;
}

/** The body with the adjustments applied; the original is left alone. */
export function applyAdjustments(body: ChatCompletionBody, adjustments: ReadonlySet<CompatAdjustment>): ChatCompletionBody {
  const adjusted: ChatCompletionBody = { ...body };
  if (adjustments.has('use-max-completion-tokens') && adjusted.max_tokens !== undefined) {
    adjusted.max_completion_tokens = adjusted.max_tokens;
    delete adjusted.max_tokens;
  }
  if (adjustments.has('drop-reasoning-effort')) delete adjusted.reasoning_effort;
  if (adjustments.has('drop-response-format')) delete adjusted.response_format;
  if (adjustments.has('drop-stream-options')) delete adjusted.stream_options;
  return adjusted;
}
