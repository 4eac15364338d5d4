// The words of the modal confirm before a fan-out: how many requests to which models, about
// what they cost and at most, the tokens behind it, and what is left under today's cap.
import type { FanOutEstimate } from './costEstimate.js';
import { describeEstimate, describeEstimateTokens, estimateWarnings } from './estimateSummary.js';
import type { SpendTotals } from './spendLedger.js';
import { formatUsd } from './usageSummary.js';

export function fanOutConfirmText(estimate: FanOutEstimate, capPerDayUsd: number | undefined, today: Pick<SpendTotals, 'dayUsd' | 'heldUsd'>): { message: string; detail: string } {
  const lines = [describeEstimateTokens(estimate)];
  if (capPerDayUsd === undefined) lines.push('No daily cap is set (dualModel.spend.capPerDayUsd).');
  else lines.push(`Left under today's cap of ${formatUsd(capPerDayUsd)}: ${formatUsd(Math.max(0, capPerDayUsd - today.dayUsd - today.heldUsd))}.`);
  lines.push(...estimateWarnings(estimate).map((warning) => `Note: ${warning}.`));
  return { message: `Send ${describeEstimate(estimate)}`, detail: lines.join('\n') };
}
