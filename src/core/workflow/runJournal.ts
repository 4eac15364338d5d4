// The run journal: what this window knows of each run (run.json in memory, and what it is doing
// now), the one queue per run through which every change of run.json passes, and the model calls
// saved as they end. The window holding a run's lock writes its run.json, and only that window.
import { addUsage, zeroUsage } from '../models/modelClient.js';
import type { Clock } from '../ports.js';
import type { PhaseTiming } from './callMeter.js';
import { messageOf } from './errorMessage.js';
import type { RunLock } from './runLock.js';
import type { ModelCall, RunRecord } from './runRecord.js';
import type { RunEvent, RunState } from './runState.js';
import type { RunStore } from './runStore.js';

export type EngineUpdate =
  | { type: 'changed'; runId: string }
  /** A chunk of the answer being streamed; `reset`: drop what was streamed before (a cut answer asked again). */
  | { type: 'stream'; runId: string; text: string; reset?: boolean }
  | { type: 'notice'; runId: string; level: 'info' | 'warning' | 'error'; message: string };

/** What the engine knows about a run beyond run.json: what it is doing right now. */
export interface RunActivity {
  busy: boolean;
  message: string;
  confirming: boolean;
  /** Set when another window drives this run; this window only shows it. */
  heldElsewhere?: string;
  /** The last error that did not end the run (e.g. a failed model check at a HARD STOP). */
  lastError?: string;
  /**
   * Set for an active run found on disk that this window does not drive until the user says so:
   * one this machine did not start, or any run while the workspace is in Restricted Mode.
   */
  dormant?: string;
  /** Competitive mode: what each candidate at work is doing now, by label (no model named). */
  candidates?: Readonly<Record<string, string>>;
  /** Division and swarm: what each spec at work is doing now, by its 0-based index in the set. */
  specs?: Readonly<Record<number, string>>;
}

export const anotherWindowTookOver = 'Another window took over this run.';

export class RunJournal {
  private readonly records = new Map<string, RunRecord>();
  private readonly activity = new Map<string, RunActivity>();
  private readonly listeners = new Set<(update: EngineUpdate) => void>();
  /** Serialises saves per run, so concurrent events cannot race on the revision. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Runs with a model call in memory that run.json does not hold yet. */
  private readonly unsavedCalls = new Set<string>();
  /** Runs whose lock another window took while this one drove them: this window only shows them now. */
  private readonly lost = new Set<string>();
  /**
   * Set when the window begins to close: from then on the next window owns run.json, and a save
   * from this one would bump the revision under it and make its next save fail as a conflict.
   */
  private closingNow = false;

  constructor(
    private readonly store: RunStore,
    private readonly lock: RunLock,
    private readonly clock: Clock,
    /** Told when a save finds the lock gone: another window drives the run now. */
    private readonly onLost: (runId: string) => void,
  ) {}

  get closing(): boolean {
    return this.closingNow;
  }

  onUpdate(listener: (update: EngineUpdate) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(update: EngineUpdate): void {
    for (const listener of this.listeners) listener(update);
  }

  get(runId: string): RunRecord | undefined {
    return this.records.get(runId);
  }

  require(runId: string): RunRecord {
    const record = this.records.get(runId);
    if (!record) throw new Error(`Unknown run ${runId}.`);
    return record;
  }

  has(runId: string): boolean {
    return this.records.has(runId);
  }

  /** A run as read from disk (or just created): this window knows it from now on. */
  know(record: RunRecord): void {
    this.records.set(record.runId, record);
  }

  all(): RunRecord[] {
    return [...this.records.values()];
  }

  activityOf(runId: string): RunActivity {
    return this.activity.get(runId) ?? { busy: false, message: '', confirming: false };
  }

  setActivity(runId: string, patch: Partial<RunActivity>): void {
    this.activity.set(runId, { ...this.activityOf(runId), ...patch });
    this.emit({ type: 'changed', runId });
  }

  isLost(runId: string): boolean {
    return this.lost.has(runId);
  }

  /** Another window holds the run now: nothing more of it is saved from this one. Returns false when already known. */
  markLost(runId: string): boolean {
    if (this.lost.has(runId)) return false;
    this.lost.add(runId);
    this.unsavedCalls.delete(runId);
    return true;
  }

  /** This window holds the run's lock again. */
  regain(runId: string): void {
    this.lost.delete(runId);
  }

  /** Runs `step` after the run's earlier steps: one save of run.json at a time, each on the revision the one before wrote. */
  enqueue(runId: string, step: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(step);
    this.queues.set(runId, next);
    return next;
  }

  /**
   * Saves `next` with every model call recorded so far. appendCall is the one writer that does
   * not wait for the queue (a call ends whenever its model answers); it only appends to `calls`
   * and adds to `usage`, so those two come from the record in memory, before the save and again
   * after it: a call that ended while run.json was being written is kept, and saved next.
   */
  async save(runId: string, next: RunRecord): Promise<void> {
    // Before any await: a call recorded from here on is saved by the next save, not lost to this one.
    this.unsavedCalls.delete(runId);
    let saved: RunRecord;
    try {
      // The window holding the lock writes run.json, and only it: one that lost the lock stops here.
      if (this.lost.has(runId) || !(await this.lock.holds(runId))) {
        this.onLost(runId);
        throw new Error(anotherWindowTookOver);
      }
      saved = await this.store.save(withCallsOf(next, this.require(runId)), this.clock.now());
    } catch (error) {
      if (!this.lost.has(runId)) this.unsavedCalls.add(runId);
      throw error;
    }
    this.records.set(runId, withCallsOf(saved, this.require(runId)));
  }

  /** A model call ended: it joins the run, and run.json, at once. */
  appendCall(runId: string, call: ModelCall): void {
    const record = this.records.get(runId);
    if (!record) return;
    const phaseUsage = addUsage(record.usage[call.phase] ?? zeroUsage(), call.usage);
    this.records.set(runId, { ...record, usage: { ...record.usage, [call.phase]: phaseUsage }, calls: [...record.calls, call] });
    // Saved now rather than with the next transition, which can be 30 Coder turns away: a window
    // reload in between would lose every call and token of them.
    if (this.lost.has(runId)) return;
    this.unsavedCalls.add(runId);
    if (this.closingNow) return;
    void this.enqueue(runId, () => (this.closingNow ? Promise.resolve() : this.saveCalls(runId))).catch((error: unknown) => {
      this.emit({ type: 'notice', runId, level: 'warning', message: `A model call could not be saved to run.json: ${messageOf(error)}` });
    });
  }

  /** The window begins to close: no transition starts from now on. */
  beginClosing(): void {
    this.closingNow = true;
  }

  /**
   * The window closes: what is in memory reaches run.json (the save under way finishes and the
   * calls recorded by then are saved), and from then on nothing more is written.
   */
  async close(): Promise<void> {
    this.closingNow = true;
    for (const runId of this.unsavedCalls) {
      void this.enqueue(runId, () => this.saveCalls(runId)).catch(() => undefined);
    }
    // Every run's queue, including the final saves just queued; the steps queued from now on find
    // `closing` set and write nothing.
    await Promise.all([...this.queues.values()].map((step) => step.catch(() => undefined)));
  }

  /** Saves the calls recorded since the last save, unless a save queued earlier has done it. */
  private async saveCalls(runId: string): Promise<void> {
    if (this.unsavedCalls.has(runId)) await this.save(runId, this.require(runId));
  }
}

/** The record after `event` moved it to `state`: one more history line, and the phase's timing when its work ended. */
export function advance(record: RunRecord, event: RunEvent, state: RunState, at: string, timing: PhaseTiming | undefined): RunRecord {
  return {
    ...record,
    state,
    history: [...record.history, { at, from: record.state.phase, event: event.type, to: state.phase, ...historyDetail(event) }],
    ...(timing ? { timings: [...record.timings, timing] } : {}),
  };
}

/** `record` with the calls and token usage of `latest`, the only fields appendCall changes. */
function withCallsOf(record: RunRecord, latest: RunRecord): RunRecord {
  return { ...record, calls: latest.calls, usage: latest.usage };
}

/** What a history line should add to the bare event: who answered, what went wrong, what was decided. */
function historyDetail(event: RunEvent): { detail?: string } {
  switch (event.type) {
    case 'model-confirmed':
      return { detail: event.answeredBy };
    case 'fail':
      return { detail: event.error.split('\n')[0] ?? event.error };
    case 'review-decided':
      return { detail: event.notes ? `${event.outcome} — ${event.notes}` : event.outcome };
    case 'pass-reverted':
      return { detail: `reverted ${event.files.length} file(s) of the pass on spec v${event.specVersion}` };
    case 'batch-spec-done': {
      const { outcome } = event;
      return { detail: `${outcome.file} (${outcome.specId}): verification ${outcome.verification.passed ? 'passed' : 'failed'}` };
    }
    case 'candidate-ended':
      return { detail: `candidate ${event.candidate.label} ${event.candidate.status === 'done' ? `finished: verification ${event.candidate.facts?.verificationPassed ? 'passed' : 'failed'}` : `failed: ${(event.candidate.error ?? '').split('\n')[0] ?? ''}`}` };
    case 'competition-judged':
      return { detail: event.judge ? `the Architect picks candidate ${event.judge.pick}` : (event.note ?? 'no candidate to judge') };
    case 'candidate-applied':
      return { detail: `applied candidate ${event.label}` };
    case 'verdict-ready':
      return { detail: `the Architect recommends ${event.verdict.outcome}` };
    default:
      return {};
  }
}
