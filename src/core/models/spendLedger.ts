// What was spent, per run and per day (the user's local date), and the caps kept before a call:
// a call or a whole fan-out reserves its most (every max_tokens token billed) before it is sent,
// and is settled with what it really cost. All or nothing: a fan-out that would cross a cap is
// refused whole, never partly sent. The record persists through a small port (a JSON file on
// Node) and is re-read before each decision, so every window of the machine sees what the others
// spent (what a window holds for calls still in flight stays its own).
import * as z from 'zod';
import type { Clock } from '../ports.js';
import type { FanOutEstimate } from './costEstimate.js';
import type { CapName, SpendCaps } from './spendCaps.js';
import { CapError } from './spendCaps.js';

/** Amounts are kept in millionths of a dollar: whole numbers, so a cap holds to the boundary. */
export const SpendRecordSchema = z.object({
  version: z.literal(1),
  /** Local date (YYYY-MM-DD) → micro-dollars spent that day. */
  days: z.record(z.string(), z.number().int().min(0)),
  /** Run id → micro-dollars spent by the run, and the last local date it spent on (for pruning). */
  runs: z.record(z.string(), z.object({ microUsd: z.number().int().min(0), lastDay: z.string() })),
});
export type SpendRecord = z.infer<typeof SpendRecordSchema>;

export interface SpendStore {
  /** The record, or undefined when there is none yet. */
  read(): Promise<SpendRecord | undefined>;
  write(record: SpendRecord): Promise<void>;
}

export interface Reservation {
  readonly id: number;
  readonly runId: string;
  /** The local date the money counts toward: the day it was reserved. */
  readonly day: string;
  /** Held until settled: the estimate at its most (0 when it has no ceiling and no cap asked for one). */
  readonly heldUsd: number;
}

export interface SpendTotals {
  day: string;
  dayUsd: number;
  runUsd: number;
  /** Held by calls of this window still in flight. */
  heldUsd: number;
}

/** Days and runs older than this are dropped from the record. */
const keepDays = 31;
const micro = (usd: number): number => Math.round(usd * 1_000_000);
const dollars = (microUsd: number): number => microUsd / 1_000_000;
const empty = (): SpendRecord => ({ version: 1, days: {}, runs: {} });

/** The local calendar date of a moment, YYYY-MM-DD. */
export function localDay(at: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export class SpendLedger {
  private readonly held = new Map<number, Reservation>();
  private nextId = 1;
  /** Reads and writes one at a time, so two settles in this window never lose one another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SpendStore,
    private readonly caps: () => SpendCaps,
    private readonly clock: Clock,
  ) {}

  /**
   * Holds the estimate's most against the caps, or throws CapError naming the cap, what is spent
   * and what this would cost. Nothing is held when it throws.
   */
  reserve(runId: string, estimate: FanOutEstimate): Promise<Reservation> {
    return this.serially(async () => {
      const caps = this.caps();
      const day = localDay(this.clock.now());
      const capped: [CapName, number][] = [];
      if (caps.perRunUsd !== undefined) capped.push(['per run', caps.perRunUsd]);
      if (caps.perDayUsd !== undefined) capped.push(['per day', caps.perDayUsd]);
      const [firstCap] = capped;
      if (firstCap !== undefined) {
        const [cap, capUsd] = firstCap;
        if (estimate.unpriced.length > 0) {
          throw new CapError({ kind: 'unbounded', cap, capUsd, why: `there is no price for ${estimate.unpriced.join(', ')} (add one in dualModel.modelRegistry)` });
        }
        if (estimate.maxUsd === undefined) {
          throw new CapError({ kind: 'unbounded', cap, capUsd, why: `${estimate.unbounded.join(', ')} has no output ceiling (set max_tokens)` });
        }
      }
      const wouldCost = micro(estimate.maxUsd ?? 0);
      const record = await this.read();
      for (const [cap, capUsd] of capped) {
        const spent = cap === 'per run' ? (record.runs[runId]?.microUsd ?? 0) : (record.days[day] ?? 0);
        const held = this.heldMicro((reservation) => (cap === 'per run' ? reservation.runId === runId : reservation.day === day));
        if (spent + held + wouldCost > micro(capUsd)) {
          throw new CapError({ kind: 'crossed', cap, capUsd, spentUsd: dollars(spent), heldUsd: dollars(held), wouldCostUsd: dollars(wouldCost) });
        }
      }
      const reservation: Reservation = { id: this.nextId++, runId, day, heldUsd: dollars(wouldCost) };
      this.held.set(reservation.id, reservation);
      return reservation;
    });
  }

  /**
   * Records what the call really cost (undefined: no price, so nothing is added) and frees what
   * it held. Settling twice counts once.
   */
  settle(reservation: Reservation, actualUsd: number | undefined): Promise<void> {
    return this.serially(async () => {
      if (!this.held.delete(reservation.id)) return;
      const spent = actualUsd === undefined ? 0 : micro(Math.max(0, actualUsd));
      if (spent === 0) return;
      const record = await this.read();
      record.days[reservation.day] = (record.days[reservation.day] ?? 0) + spent;
      const run = record.runs[reservation.runId];
      record.runs[reservation.runId] = { microUsd: (run?.microUsd ?? 0) + spent, lastDay: reservation.day };
      await this.store.write(pruned(record, localDay(this.clock.now())));
    });
  }

  /** The call was never sent: frees what it held, spending nothing. */
  release(reservation: Reservation): Promise<void> {
    return this.settle(reservation, undefined);
  }

  /** What this run and today have spent, for the panel. */
  totals(runId: string): Promise<SpendTotals> {
    return this.serially(async () => {
      const record = await this.read();
      const day = localDay(this.clock.now());
      return {
        day,
        dayUsd: dollars(record.days[day] ?? 0),
        runUsd: dollars(record.runs[runId]?.microUsd ?? 0),
        heldUsd: dollars(this.heldMicro(() => true)),
      };
    });
  }

  private heldMicro(counts: (reservation: Reservation) => boolean): number {
    let total = 0;
    for (const reservation of this.held.values()) if (counts(reservation)) total += micro(reservation.heldUsd);
    return total;
  }

  private async read(): Promise<SpendRecord> {
    return (await this.store.read()) ?? empty();
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Drops days and runs last seen more than keepDays before today. */
function pruned(record: SpendRecord, today: string): SpendRecord {
  const cutoff = new Date(`${today}T00:00:00`);
  cutoff.setDate(cutoff.getDate() - keepDays);
  const oldest = localDay(cutoff);
  const days = Object.fromEntries(Object.entries(record.days).filter(([day]) => day >= oldest));
  const runs = Object.fromEntries(Object.entries(record.runs).filter(([, run]) => run.lastDay >= oldest));
  return { version: 1, days, runs };
}
