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
export function billedOutput(provider: string, usage: TokenUsage): number {
  return provider === 'google' ? usage.outputTokens + usage.thinkingTokens : usage.outputTokens;
}

/** Every input token read: fresh, read from the cache, and written to it. */
export function totalInput(usage: TokenUsage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
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

/** Tokens spent in a phase: one model call, or (from older run.json files) a whole phase. */
export interface PhaseUsage {
  phase: string;
  provider: string;
  modelId: string;
  usage: TokenUsage;
  /** What it cost when it was spent, if that was known; otherwise it is priced from today's table. */
  costUsd?: number;
}

/** The entry's cost: as recorded, or from the table; undefined when the model has no price. */
export function priceOf(entry: PhaseUsage, prices: Readonly<Record<string, ModelPrice>>): number | undefined {
  if (entry.costUsd !== undefined) return entry.costUsd;
  const price = prices[entry.modelId];
  return price ? costOf(entry.provider, entry.usage, price) : undefined;
}

/**
 * VS Code's own language models (vscode.lm) are paid for through whatever plan the user has with
 * their provider (a Copilot subscription, say), not per token by us: the panel says so rather
 * than "unknown". A price in dualModel.prices still estimates them.
 */
export const hostModelsProvider = 'vscode-lm';
export const hostModelsCost = "billed by VS Code's model provider";

export interface UsageSummary {
  /** e.g. "12.4k tokens in · 1.9k out · $0.09" */
  text: string;
  byPhase: string[];
  costUsd: number | undefined;
}

export const formatTokens = (tokens: number): string => (tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens));
export const formatUsd = (usd: number): string => (usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : '<$0.01');

interface PhaseTotal {
  read: number;
  cached: number;
  written: number;
  cost: number | undefined;
  unpriced: Set<string>;
}

/** The run's total and one line per phase (in the order the phases first spent tokens). */
export function summariseUsage(entries: readonly PhaseUsage[], prices: Readonly<Record<string, ModelPrice>>): UsageSummary {
  const phases = new Map<string, PhaseTotal>();
  // Whether a model without a price is anything but one of VS Code's (those are billed elsewhere).
  let unpricedElsewhere = false;
  for (const entry of entries) {
    const total = phases.get(entry.phase) ?? { read: 0, cached: 0, written: 0, cost: 0, unpriced: new Set<string>() };
    const cost = priceOf(entry, prices);
    total.read += totalInput(entry.usage);
    total.cached += entry.usage.cacheReadTokens;
    total.written += billedOutput(entry.provider, entry.usage);
    total.cost = total.cost === undefined || cost === undefined ? undefined : total.cost + cost;
    if (cost === undefined) total.unpriced.add(entry.modelId);
    if (cost === undefined && entry.provider !== hostModelsProvider) unpricedElsewhere = true;
    phases.set(entry.phase, total);
  }
  let input = 0;
  let output = 0;
  let cost: number | undefined = 0;
  const byPhase: string[] = [];
  for (const [phase, total] of phases) {
    input += total.read;
    output += total.written;
    cost = cost === undefined || total.cost === undefined ? undefined : cost + total.cost;
    const costText = total.cost === undefined ? `no price for ${[...total.unpriced].join(', ')}` : formatUsd(total.cost);
    byPhase.push(`${phase}: ${formatTokens(total.read)} in (${formatTokens(total.cached)} cached) · ${formatTokens(total.written)} out · ${costText}`);
  }
  const costText = cost !== undefined ? formatUsd(cost) : unpricedElsewhere ? 'cost unknown (set dualModel.prices)' : hostModelsCost;
  return { text: `${formatTokens(input)} tokens in · ${formatTokens(output)} out · ${costText}`, byPhase, costUsd: cost };
}
