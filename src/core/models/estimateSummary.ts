// The estimate in words, for the modal confirm before a fan-out is sent:
// "3 requests to Gemini 3 Flash ×2, Claude Sonnet 4.6: about $0.04, at most $0.31".
import type { FanOutEstimate } from './costEstimate.js';
import { formatTokens, formatUsd } from './usageSummary.js';

export function describeEstimate(estimate: FanOutEstimate): string {
  const count = estimate.requests.length;
  if (count === 0) return 'No requests.';
  const models = new Map<string, number>();
  for (const request of estimate.requests) models.set(request.displayName, (models.get(request.displayName) ?? 0) + 1);
  const who = [...models].map(([name, times]) => (times > 1 ? `${name} ×${times}` : name)).join(', ');
  const head = `${count} ${count === 1 ? 'request' : 'requests'} to ${who}`;
  const pricedCount = estimate.requests.filter((request) => request.cost.priced).length;
  if (pricedCount === 0) return `${head}: no price for ${estimate.unpriced.join(', ')}, so no cost estimate.`;
  const most = estimate.maxUsd === undefined ? `no ceiling for ${estimate.unbounded.join(', ')} (set max_tokens)` : `at most ${formatUsd(estimate.maxUsd)}`;
  const rest = pricedCount < count ? `, plus ${count - pricedCount} with no price (${estimate.unpriced.join(', ')})` : '';
  return `${head}: about ${formatUsd(estimate.likelyUsd)}, ${most}${rest}.`;
}

/** The tokens behind it, one line: "about 12.4k tokens in, 3.0k out (1.0k thinking), at most 49.2k out". */
export function describeEstimateTokens(estimate: FanOutEstimate): string {
  const thinking = estimate.reasoningTokens.likely > 0 ? ` (${formatTokens(estimate.reasoningTokens.likely)} thinking)` : '';
  const most = estimate.outputTokens.max === undefined ? 'no ceiling on the output' : `at most ${formatTokens(estimate.outputTokens.max)} out`;
  return `about ${formatTokens(estimate.inputTokens)} tokens in, ${formatTokens(estimate.outputTokens.likely)} out${thinking}, ${most}`;
}

/** Anything the user should know before sending: a prompt over a context window, a retired model. */
export function estimateWarnings(estimate: FanOutEstimate): string[] {
  return [...new Set(estimate.requests.flatMap((request) => request.warnings))];
}
