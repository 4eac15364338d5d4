// What a call or a fan-out will cost before it is sent: tokens in (estimated from the prompt),
// out and thinking (a likely figure and the max_tokens ceiling), and US dollars from the
// registry. A model without a price says "no price" and is never guessed; caps are kept against
// the ceiling, never the likely figure.
import type { ThinkingLevel } from './modelClient.js';
import type { ModelPrice, ModelRegistry } from './registry.js';
import { findModel, modelPrice } from './registry.js';
import { estimateChatTokens } from './tokenEstimate.js';

export interface FanOutRequest {
  provider: string;
  model: string;
  system?: string;
  messages: readonly { role: string; content: string }[];
  /** Absent: the model's max output (the seed's default), if the registry knows it. */
  maxTokens?: number;
  thinking?: ThinkingLevel;
}

export interface TokenRange {
  likely: number;
  /** The ceiling; undefined when neither the request nor the registry gives one. */
  max: number | undefined;
}

export type CostRange =
  | { priced: true; likelyUsd: number; /** undefined: no ceiling on the output */ maxUsd: number | undefined }
  | { priced: false; why: string };

export interface RequestEstimate {
  provider: string;
  model: string;
  displayName: string;
  inputTokens: number;
  /** Output tokens, thinking included (every provider bills thinking within the output ceiling). */
  outputTokens: TokenRange;
  /** The part of the likely output spent thinking; its ceiling is the output's. */
  reasoningTokens: TokenRange;
  cost: CostRange;
  /** e.g. the prompt is longer than the model's context window. */
  warnings: string[];
}

export interface FanOutEstimate {
  requests: RequestEstimate[];
  inputTokens: number;
  outputTokens: TokenRange;
  reasoningTokens: TokenRange;
  /** The priced requests' sum; maxUsd undefined when one of them has no ceiling. */
  likelyUsd: number;
  maxUsd: number | undefined;
  /** Models with no price, each once: their cost is not in the sums. */
  unpriced: string[];
  /** Models with a price but no output ceiling, each once. */
  unbounded: string[];
}

/** Thinking as a share of the likely answer; a guess for the summary, never for caps. */
const thinkingShare: Record<ThinkingLevel, number> = { none: 0, low: 0.5, medium: 1, high: 2 };

/**
 * The likely answer: half the prompt, between 500 and 4,000 tokens, never above the ceiling.
 * A guess for the "about" figure only; caps use the ceiling.
 */
function likelyAnswer(inputTokens: number, ceiling: number | undefined): number {
  const guess = Math.min(4000, Math.max(500, Math.round(inputTokens / 2)));
  return ceiling === undefined ? guess : Math.min(guess, ceiling);
}

export function estimateRequest(request: FanOutRequest, registry: ModelRegistry): RequestEstimate {
  const entry = findModel(registry.models, request.provider, request.model);
  const price = modelPrice(registry, request.provider, request.model);
  const inputTokens = estimateChatTokens(request.system, request.messages);
  const asked = request.maxTokens ?? entry?.maxOutput;
  const ceiling = asked === undefined ? undefined : Math.min(asked, entry?.maxOutput ?? asked);
  const answer = likelyAnswer(inputTokens, ceiling);
  const thinking = request.thinking ?? 'none';
  const reasoning = Math.round(answer * thinkingShare[thinking]);
  const output = ceiling === undefined ? answer + reasoning : Math.min(ceiling, answer + reasoning);
  const likelyReasoning = Math.min(reasoning, output);
  const warnings: string[] = [];
  if (entry?.contextWindow !== undefined && inputTokens > entry.contextWindow) {
    warnings.push(`the prompt (about ${inputTokens} tokens) is longer than ${entry.displayName}'s context window (${entry.contextWindow})`);
  }
  if (entry?.retired) warnings.push(`${entry.displayName} was retired on ${entry.retired.on}${entry.retired.successor ? `; its successor is ${entry.retired.successor}` : ''}`);
  return {
    provider: request.provider,
    model: request.model,
    displayName: entry?.displayName ?? request.model,
    inputTokens,
    outputTokens: { likely: output, max: ceiling },
    reasoningTokens: { likely: likelyReasoning, max: ceiling },
    cost: price ? pricedRange(price, inputTokens, output - likelyReasoning, likelyReasoning, ceiling) : { priced: false, why: `no price for ${request.model}` },
    warnings,
  };
}

function pricedRange(price: ModelPrice, input: number, plainOutput: number, reasoning: number, ceiling: number | undefined): CostRange {
  const usd = (tokens: number, perMillion: number): number => (tokens * perMillion) / 1_000_000;
  const reasoningPrice = price.reasoning ?? price.output;
  const likelyUsd = usd(input, price.input) + usd(plainOutput, price.output) + usd(reasoning, reasoningPrice);
  // At most: every token of the ceiling billed at the dearer of output and thinking.
  const maxUsd = ceiling === undefined ? undefined : usd(input, price.input) + usd(ceiling, Math.max(price.output, reasoningPrice));
  return { priced: true, likelyUsd, maxUsd };
}

export function estimateFanOut(requests: readonly FanOutRequest[], registry: ModelRegistry): FanOutEstimate {
  const estimates = requests.map((request) => estimateRequest(request, registry));
  let inputTokens = 0;
  let likelyOut = 0;
  let maxOut: number | undefined = 0;
  let likelyReasoning = 0;
  let likelyUsd = 0;
  let maxUsd: number | undefined = 0;
  const unpriced = new Set<string>();
  const unbounded = new Set<string>();
  for (const estimate of estimates) {
    inputTokens += estimate.inputTokens;
    likelyOut += estimate.outputTokens.likely;
    likelyReasoning += estimate.reasoningTokens.likely;
    maxOut = maxOut === undefined || estimate.outputTokens.max === undefined ? undefined : maxOut + estimate.outputTokens.max;
    if (!estimate.cost.priced) {
      unpriced.add(estimate.model);
      continue;
    }
    likelyUsd += estimate.cost.likelyUsd;
    if (estimate.cost.maxUsd === undefined) unbounded.add(estimate.model);
    maxUsd = maxUsd === undefined || estimate.cost.maxUsd === undefined ? undefined : maxUsd + estimate.cost.maxUsd;
  }
  return {
    requests: estimates,
    inputTokens,
    outputTokens: { likely: likelyOut, max: maxOut },
    reasoningTokens: { likely: likelyReasoning, max: maxOut },
    likelyUsd,
    maxUsd,
    unpriced: [...unpriced],
    unbounded: [...unbounded],
  };
}
