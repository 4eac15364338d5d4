// Lets a test wait for a fake server's nth request as an event rather than by polling its log.

export interface Arrivals {
  /** Call after each request is logged. */
  recorded(): void;
  /** Resolves once `count` requests have been logged (at once if they already have). */
  received(count: number): Promise<void>;
  /** Forgets the count (the server's log was cleared). */
  reset(): void;
}

export function arrivals(): Arrivals {
  let logged = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  const settle = (): void => {
    for (const waiter of waiting.filter((candidate) => candidate.count <= logged)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  return {
    recorded() {
      logged += 1;
      settle();
    },
    received(count) {
      return new Promise((resolve) => {
        waiting.push({ count, resolve });
        settle();
      });
    },
    reset() {
      logged = 0;
    },
  };
}
