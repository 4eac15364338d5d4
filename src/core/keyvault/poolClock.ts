// Time as the key pool sees it: the current instant and one-shot timers, behind a port so tests
// drive a day or a DST change without sleeping, and the scheduler never polls.

export interface PoolTimer {
  cancel(): void;
}

export interface PoolClock {
  /** Epoch ms. */
  now(): number;
  /** Calls `fire` once, `delayMs` from now (0 or less: as soon as possible). */
  setTimer(delayMs: number, fire: () => void): PoolTimer;
}

export const systemClock: PoolClock = {
  now: () => Date.now(),
  setTimer: (delayMs, fire) => {
    const timer = setTimeout(fire, Math.max(0, delayMs));
    // A pool waiting for room must not keep a process (a test runner, a CLI) alive by itself.
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};
