// Requests and tokens that each stop counting at their own instant: a sliding window's contents.
// Kept sorted by expiry, so dropping the expired and finding when enough has expired are cheap
// (amortised O(1) to add at the end, which is where the pool's own entries go).

export class ExpiringTally {
  private expiries: number[] = [];
  private requestCounts: number[] = [];
  private tokenCounts: number[] = [];
  private head = 0;
  requests = 0;
  tokens = 0;

  add(expiresAt: number, requests: number, tokens: number): void {
    let at = this.expiries.length;
    // Nearly always appended; a header correction may expire earlier than the newest entry.
    while (at > this.head && (this.expiries[at - 1] ?? 0) > expiresAt) at -= 1;
    this.expiries.splice(at, 0, expiresAt);
    this.requestCounts.splice(at, 0, requests);
    this.tokenCounts.splice(at, 0, tokens);
    this.requests += requests;
    this.tokens += tokens;
  }

  /** Forgets what has expired by `now`. */
  prune(now: number): void {
    while (this.head < this.expiries.length && (this.expiries[this.head] ?? 0) <= now) {
      this.requests -= this.requestCounts[this.head] ?? 0;
      this.tokens -= this.tokenCounts[this.head] ?? 0;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.expiries.length) {
      this.expiries = this.expiries.slice(this.head);
      this.requestCounts = this.requestCounts.slice(this.head);
      this.tokenCounts = this.tokenCounts.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the oldest live entry, for expiryAt/requestsAt/tokensAt. */
  first(): number {
    return this.head;
  }

  expiryAt(position: number): number | undefined {
    return position < this.expiries.length ? this.expiries[position] : undefined;
  }

  requestsAt(position: number): number {
    return this.requestCounts[position] ?? 0;
  }

  tokensAt(position: number): number {
    return this.tokenCounts[position] ?? 0;
  }

  /** The live entries, oldest expiry first (for saving). */
  *entries(): Iterable<{ expiresAt: number; requests: number; tokens: number }> {
    for (let at = this.head; at < this.expiries.length; at += 1) {
      yield { expiresAt: this.expiries[at] ?? 0, requests: this.requestCounts[at] ?? 0, tokens: this.tokenCounts[at] ?? 0 };
    }
  }
}

/**
 * The first instant at which, the tallies' entries expiring in order, at least `requests` and
 * `tokens` have stopped counting; undefined if they never free that much.
 */
export function whenFreed(tallies: readonly ExpiringTally[], requests: number, tokens: number): number | undefined {
  if (requests <= 0 && tokens <= 0) return -Infinity;
  const positions = tallies.map((tally) => tally.first());
  let freedRequests = 0;
  let freedTokens = 0;
  for (;;) {
    let pick = -1;
    let pickExpiry = Infinity;
    for (let index = 0; index < tallies.length; index += 1) {
      const expiry = tallies[index]?.expiryAt(positions[index] ?? 0);
      if (expiry !== undefined && expiry < pickExpiry) {
        pick = index;
        pickExpiry = expiry;
      }
    }
    const tally = tallies[pick];
    if (!tally) return undefined;
    const position = positions[pick] ?? 0;
    freedRequests += tally.requestsAt(position);
    freedTokens += tally.tokensAt(position);
    if (freedRequests >= requests && freedTokens >= tokens) return pickExpiry;
    positions[pick] = position + 1;
  }
}
