// What starting a run of several Coders would cost, before anything is sent: one request per
// Coder sized by the user's request (the spec does not exist yet), the refusal of a fan-out whose
// estimate alone crosses a spending cap, and the words that say this is an estimate.
import type { FanOutEstimate, FanOutRequest } from '../models/costEstimate.js';
import type { CapName, SpendCaps } from '../models/spendCaps.js';
import { formatUsd } from '../models/usageSummary.js';
import type { RoleSnapshot } from './roleSnapshot.js';

const capSettings: Record<CapName, string> = { 'per run': 'dualModel.spend.capPerRunUsd', 'per day': 'dualModel.spend.capPerDayUsd' };

/**
 * One request per Coder: the user's request as its prompt (a spec is about its size) at the
 * run's output ceiling, so the "at most" figure is every Coder's first answer at its most.
 */
export function coderFanOutRequests(coders: readonly RoleSnapshot[], request: string, maxOutputTokens: number): FanOutRequest[] {
  return coders.map((coder) => ({
    provider: coder.provider,
    model: coder.modelId,
    messages: [{ role: 'user', content: `Implement this spec:\n\n${request}` }],
    maxTokens: maxOutputTokens,
    thinking: coder.thinking,
  }));
}

/**
 * Why the fan-out must not start: its estimate alone (nothing spent counted) is over a cap, or a
 * cap is set and the estimate has no ceiling. undefined: it may be offered to the user. The
 * ledger still keeps the caps on every call the run makes.
 */
export function fanOutCapRefusal(estimate: FanOutEstimate, caps: SpendCaps): string | undefined {
  const capped: [CapName, number][] = [];
  if (caps.perRunUsd !== undefined) capped.push(['per run', caps.perRunUsd]);
  if (caps.perDayUsd !== undefined) capped.push(['per day', caps.perDayUsd]);
  const count = estimate.requests.length;
  for (const [cap, capUsd] of capped) {
    const named = `the cap ${cap} of ${formatUsd(capUsd)} (${capSettings[cap]})`;
    if (estimate.unpriced.length > 0) return `Not started: ${named} cannot be kept, because there is no price for ${estimate.unpriced.join(', ')} (add one in dualModel.modelRegistry). Nothing was started or spent.`;
    if (estimate.maxUsd === undefined) return `Not started: ${named} cannot be kept, because ${estimate.unbounded.join(', ')} has no output ceiling. Nothing was started or spent.`;
    if (estimate.maxUsd > capUsd) {
      return `Not started: the estimate of ${count} Coder passes alone, up to ${formatUsd(estimate.maxUsd)}, crosses ${named}. Use fewer or cheaper Coders, or raise the cap. Nothing was started or spent.`;
    }
  }
  return undefined;
}

/** Said with the confirm: what the figures are, and what they are not. */
export function fanOutNote(coders: number): string {
  return `This is an estimate of ${coders} Coder passes, each priced as one request carrying your request; the Architect's spec is not written yet, and a real pass takes several turns (tool calls, verification), so it can cost more. The spending caps are kept on every call.`;
}
