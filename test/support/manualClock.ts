// A clock tests move by hand: `advance` fires the timers that fall due, in order, at their own
// instants. The key pool runs on it without a single real wait.
import type { PoolClock, PoolTimer } from '../../src/core/keyvault/poolClock.js';

interface Pending {
  at: number;
  fire: () => void;
  cancelled: boolean;
}

export class ManualClock implements PoolClock {
  private timers: Pending[] = [];
  /** Every timer ever set, to show the pool does not poll. */
  timersSet = 0;

  constructor(public time: number) {}

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fire: () => void): PoolTimer {
    const pending: Pending = { at: this.time + Math.max(0, delayMs), fire, cancelled: false };
    this.timers.push(pending);
    this.timersSet += 1;
    return { cancel: () => void (pending.cancelled = true) };
  }

  /** Timers set and not yet fired or cancelled. */
  pending(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  /** Moves time on by `ms`, firing each timer that falls due at its instant. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((timer) => !timer.cancelled);
      const next = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.time = Math.max(this.time, next.at);
      next.cancelled = true;
      next.fire();
      await settled();
    }
    this.time = target;
    await settled();
  }
}

/** Lets every pending promise callback run (not a wait on time: one turn of the event loop). */
export function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
