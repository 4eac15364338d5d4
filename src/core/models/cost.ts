// What tokens cost, from a model's price in the registry. Providers count thinking differently:
// Gemini reports it apart from the output, Anthropic and OpenAI-compatible servers inside it.
import type { TokenUsage } from './modelClient.js';
import type { ModelPrice } from './registry.js';

/** Output tokens as billed: thinking included. */
export function billedOutput(provider: string, usage: TokenUsage): number {
  return provider === 'google' ? usage.outputTokens + usage.thinkingTokens : usage.outputTokens;
}

/** Every input token read: fresh, read from the cache, and written to it. */
export function totalInput(usage: TokenUsage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}

const perToken = (perMillion: number): number => perMillion / 1_000_000;

export function costOf(provider: string, usage: TokenUsage, price: ModelPrice): number {
  const thinking = Math.min(usage.thinkingTokens, billedOutput(provider, usage));
  const plainOutput = billedOutput(provider, usage) - thinking;
  return (
    usage.inputTokens * perToken(price.input) +
    plainOutput * perToken(price.output) +
    thinking * perToken(price.reasoning ?? price.output) +
    usage.cacheReadTokens * perToken(price.cacheRead) +
    usage.cacheWriteTokens * perToken(price.cacheWrite)
  );
}
