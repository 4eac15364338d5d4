// What a run cost, summed by phase from the registry's prices (dated; the user lays their own
// over them). Prices change: an unknown model shows tokens without a cost rather than a guess.
import { billedOutput, costOf, totalInput } from './cost.js';
import type { TokenUsage } from './modelClient.js';
import type { ModelPrice } from './registry.js';

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
