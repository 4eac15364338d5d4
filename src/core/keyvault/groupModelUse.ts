// What a key pool counts of one quota group's use of one model: requests and tokens in the
// window (in flight, settled, the other windows'), requests today, the cooldown a 429 set, a
// limit learnt from 429s, and what the provider's last headers said. Data and sums only; the
// scheduler (keyPool.ts) decides with them.
import type { KeyProvider } from './apiKeys.js';
import { ExpiringTally } from './expiringTally.js';
import type { DayTally } from './usageRecord.js';

/** What the provider said it still allows, and from which of our requests on it counts. */
export interface ProviderHint {
  requestsRemaining?: number;
  tokensRemaining?: number;
  requestsResetAt: number;
  tokensResetAt: number;
  /** Our acquisitions (count, estimated tokens) before the request that brought the hint. */
  sequence: number;
  tokensSequence: number;
}

/** One quota group's use of one model, as this pool counts it. */
export class GroupModelUse {
  readonly inFlight = new Map<number, { tokens: number }>();
  inFlightTokens = 0;
  readonly settled = new ExpiringTally();
  others = new ExpiringTally();
  ownDay: DayTally = { day: '', requests: 0, tokens: 0 };
  othersDay: DayTally = { day: '', requests: 0, tokens: 0 };
  cooldownUntil = 0;
  othersCooldownUntil = 0;
  rateLimitedInARow = 0;
  /** Answers received in the window: after a 429, about what the provider lets through. */
  readonly answered = new ExpiringTally();
  /** A limit learnt from 429s where the one we were given was too high (or none was). */
  learnedRpm: { value: number; until: number; sequence: number } | undefined;
  /** Tokens per window the provider's headers state (`*-tokens-limit`): held to where we were given no limit. */
  learnedTpm: number | undefined;
  /** Acquisitions so far (and their estimated tokens): the provider hint's reference points. */
  sequence = 0;
  tokensSequence = 0;
  hint: ProviderHint | undefined;

  constructor(
    readonly provider: KeyProvider,
    readonly group: string,
    readonly model: string,
  ) {}

  prune(now: number): void {
    this.settled.prune(now);
    this.others.prune(now);
    this.answered.prune(now);
    if (this.learnedRpm && this.learnedRpm.until <= now) this.learnedRpm = undefined;
  }

  requestsInWindow(): number {
    return this.inFlight.size + this.settled.requests + this.others.requests;
  }

  tokensInWindow(): number {
    return this.inFlightTokens + this.settled.tokens + this.others.tokens;
  }

  requestsToday(day: string): number {
    return (this.ownDay.day === day ? this.ownDay.requests : 0) + (this.othersDay.day === day ? this.othersDay.requests : 0);
  }
}
