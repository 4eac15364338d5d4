// Holds back one timer of the code under test until the test says the stage is set. A test of
// "at the timeout, kill the whole tree" must not depend on the tree spawning before a short
// timeout on a loaded machine: the timer with the run's own duration fires only once the test has
// seen every process start (and at once if it was already due). Every other timer runs untouched.

export interface HeldTimeout {
  /** Lets the held timer fire (now, if it is already due). */
  release(): void;
  /** Puts the real setTimeout back; call it in a `finally`. */
  restore(): void;
}

/** Holds timers set for exactly `durationMs` (pick a duration nothing else in the test uses). */
export function holdTimeout(durationMs: number): HeldTimeout {
  const realSetTimeout = globalThis.setTimeout;
  let released = false;
  const due: (() => void)[] = [];
  const held = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (ms !== durationMs) return realSetTimeout(callback, ms, ...args);
    return realSetTimeout(() => {
      if (released) callback(...args);
      else due.push(() => callback(...args));
    }, ms);
  }) as typeof setTimeout;
  globalThis.setTimeout = Object.assign(held, realSetTimeout);
  return {
    release() {
      released = true;
      for (const fire of due.splice(0)) fire();
    },
    restore() {
      globalThis.setTimeout = realSetTimeout;
    },
  };
}
