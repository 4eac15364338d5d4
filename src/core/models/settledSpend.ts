// Tally usage, settle spend: one call's tokens added up as its stream goes by, and its spend
// reservation settled with what they cost once the stream ends, however it ends. Shared by the
// run's capped calls and the key vault's, so the two never count a call differently.
import type { ModelEvent, TokenUsage } from './modelClient.js';
import { addUsage, zeroUsage } from './modelClient.js';
import type { Reservation, SpendLedger } from './spendLedger.js';

export interface SpendSettlement {
  ledger: SpendLedger;
  reservation: Reservation;
  /** What the tokens cost (undefined: no price), asked as late as possible (after a fall-over, the fallback's price). */
  priced: (usage: TokenUsage) => number | undefined;
  /** Told the usage and its cost so far after each event. */
  heard?: (usage: TokenUsage, costUsd: number | undefined) => void;
}

/**
 * Passes the events on unchanged. A restart keeps what was tallied: the provider billed the cut
 * attempt's tokens it reported, so the answer asked again costs both.
 */
export async function* settlingSpend(stream: () => AsyncIterable<ModelEvent>, settlement: SpendSettlement): AsyncIterable<ModelEvent> {
  let usage = zeroUsage();
  try {
    for await (const event of stream()) {
      if (event.type === 'usage') usage = addUsage(usage, event.usage);
      settlement.heard?.(usage, settlement.priced(usage));
      yield event;
    }
  } finally {
    // A failure before any usage arrived spent nothing we can know of.
    await settlement.ledger.settle(settlement.reservation, settlement.priced(usage));
  }
}
