// What a run cost, from a dated price table the user can override (dualModel.prices). Prices
// change: the table says when it was written, and an unknown model shows tokens without a cost
// rather than a guess.
import type { TokenUsage } from './modelClient.js';

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** When the built-in prices were taken from the providers' published price lists. */
export const priceTableDate = '2026-11';

export const builtInPrices: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-6': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'gemini-3.1-pro-preview': { input: 2, output: 12, cacheRead: 0.2, cacheWrite: 0 },
  'gemini-3-flash-preview': { input: 0.5, output: 3, cacheRead: 0.05, cacheWrite: 0 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cacheRead: 0.01, cacheWrite: 0 },
  'demo-architect': { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  'demo-coder': { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
};

/**
 * Output tokens as billed: Gemini reports thinking tokens apart from its output, while
 * Anthropic and OpenAI-compatible servers already count thinking inside the output.
 */
function billedOutput(provider: string, usage: TokenUsage): number {
  return provider === 'google' ? usage.outputTokens + usage.thinkingTokens : usage.outputTokens;
}

export function costOf(provider: string, usage: TokenUsage, price: ModelPrice): number {
  const perToken = (perMillion: number): number => perMillion / 1_000_000;
  return (
    usage.inputTokens * perToken(price.input) +
    billedOutput(provider, usage) * perToken(price.output) +
    usage.cacheReadTokens * perToken(price.cacheRead) +
    usage.cacheWriteTokens * perToken(price.cacheWrite)
  );
}

export interface PhaseUsage {
  phase: string;
  provider: string;
  modelId: string;
  usage: TokenUsage;
}

export interface UsageSummary {
  /** e.g. "12.4k tokens in · 1.9k out · $0.09" */
  text: string;
  byPhase: string[];
  costUsd: number | undefined;
}

const kilo = (tokens: number): string => (tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens));
const dollars = (usd: number): string => (usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : '<$0.01');

export function summariseUsage(phases: readonly PhaseUsage[], prices: Readonly<Record<string, ModelPrice>>): UsageSummary {
  let input = 0;
  let output = 0;
  let cost: number | undefined = 0;
  const byPhase: string[] = [];
  for (const entry of phases) {
    const price = prices[entry.modelId];
    const phaseCost = price ? costOf(entry.provider, entry.usage, price) : undefined;
    const read = entry.usage.inputTokens + entry.usage.cacheReadTokens + entry.usage.cacheWriteTokens;
    const written = billedOutput(entry.provider, entry.usage);
    input += read;
    output += written;
    cost = cost === undefined || phaseCost === undefined ? undefined : cost + phaseCost;
    byPhase.push(
      `${entry.phase}: ${kilo(read)} in (${kilo(entry.usage.cacheReadTokens)} cached) · ${kilo(written)} out · ${phaseCost === undefined ? `no price for ${entry.modelId}` : dollars(phaseCost)}`,
    );
  }
  const costText = cost === undefined ? 'cost unknown (set dualModel.prices)' : dollars(cost);
  return { text: `${kilo(input)} tokens in · ${kilo(output)} out · ${costText}`, byPhase, costUsd: cost };
}
