// Hard spending caps and the error that stops a call before it would cross one. A call counts
// at its most (every max_tokens spent), so a cap holds whatever the model answers.
import { formatUsd } from './usageSummary.js';

/** US dollars; an absent cap is no cap. */
export interface SpendCaps {
  perRunUsd?: number;
  perDayUsd?: number;
}

export type CapName = 'per run' | 'per day';

const capSettings: Record<CapName, string> = { 'per run': 'dualModel.spend.capPerRunUsd', 'per day': 'dualModel.spend.capPerDayUsd' };

export type CapRefusal =
  /** Spent + held for calls in flight + this call at its most would be over the cap. */
  | { kind: 'crossed'; cap: CapName; capUsd: number; spentUsd: number; heldUsd: number; wouldCostUsd: number }
  /** The call's cost has no ceiling we can compute (no price, or no max tokens), so no cap can be kept. */
  | { kind: 'unbounded'; cap: CapName; capUsd: number; why: string };

/** Stops a call or fan-out before any of it is sent; nothing was spent. */
export class CapError extends Error {
  override readonly name = 'CapError';

  constructor(readonly refusal: CapRefusal) {
    super(capMessage(refusal));
  }
}

/** By shape, not class: each bundle (extension, RPC face) carries its own copy of the class. */
export function isCapError(error: unknown): error is CapError {
  return error instanceof Error && error.name === 'CapError' && 'refusal' in error;
}

function capMessage(refusal: CapRefusal): string {
  const cap = `the cap ${refusal.cap} of ${formatUsd(refusal.capUsd)} (${capSettings[refusal.cap]})`;
  if (refusal.kind === 'unbounded') return `Not sent: ${cap} cannot be kept, because ${refusal.why}. Nothing was spent.`;
  const held = refusal.heldUsd > 0 ? ` and ${formatUsd(refusal.heldUsd)} is held for calls in flight` : '';
  return `Not sent: it would cross ${cap}. ${formatUsd(refusal.spentUsd)} is spent${held}; this would cost up to ${formatUsd(refusal.wouldCostUsd)}. Nothing was spent.`;
}
