// Run ownership: which runs this window drives. A run is driven by the window holding its lock:
// one it started, one it resumed after a reload, or one it took over when the window that held it
// let go. Runs found on disk that this machine did not start stay dormant until the user says so;
// the heartbeat keeps the locks fresh, and a lock another window took stops this window at once.
import type { ArtifactStore, RunOrigins } from '../ports.js';
import { messageOf } from './errorMessage.js';
import type { RunLock } from './runLock.js';
import type { RunJournal } from './runJournal.js';
import { anotherWindowTookOver } from './runJournal.js';
import type { RunRecord } from './runRecord.js';
import { isActive } from './runState.js';
import type { RunStore } from './runStore.js';

/** What ownership asks of the engine when a run changes hands. */
export interface OwnershipHooks {
  /** Before a run taken over is shown as driven: publish what its HARD STOP binds a confirm to. */
  publish(record: RunRecord): Promise<void>;
  /** This window drives the run from now: its phase's work starts (again). */
  drive(record: RunRecord): void;
  /** Stop this window's work on the run (or on every run): another window has it, or this one closes. */
  stop(runId: string | undefined, reason: Error): void;
  /**
   * After stop() as the window closes: wait for the stopped work to finish cleaning up (the
   * candidates' copies it removes), so the window that takes a run over next never meets them.
   */
  settle(): Promise<void>;
}

export interface OwnershipDeps {
  store: RunStore;
  lock: RunLock;
  artifacts: ArtifactStore;
  origins: RunOrigins;
}

export interface ResumeResult {
  resumed: string[];
  dormant: string[];
  unreadable: { runId: string; error: string }[];
}

export class RunOwnership {
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly watchers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly deps: OwnershipDeps,
    private readonly journal: RunJournal,
    private readonly hooks: OwnershipHooks,
    /** How often a window re-checks a run another window holds. */
    private readonly heldRetryMs: number,
  ) {}

  /** A new run: remembered as this machine's, kept out of git, locked and saved before any work. */
  async open(record: RunRecord, now: Date): Promise<RunRecord> {
    const runId = record.runId;
    await this.deps.origins.remember(runId);
    await this.deps.artifacts.writeTextAtomic(this.deps.store.artifactPath(runId, '.gitignore'), '*\n');
    await this.deps.lock.acquire(runId);
    const saved = await this.deps.store.save(record, now);
    this.journal.know(saved);
    this.ensureHeartbeat();
    return saved;
  }

  /**
   * Picks up every run on disk after a window (re)load: ends in the phase it was in, redoing the
   * work of automatic phases. Runs another window holds are shown but not driven; unreadable
   * runs are reported and left alone. Only runs this machine started resume by themselves, and
   * none while `restricted` says why they may not (Restricted Mode): the others are listed and
   * readable, and wait for `resumeDormant`, an explicit action of the user's.
   */
  async resumeAll(restricted?: string): Promise<ResumeResult> {
    const dormant: string[] = [];
    const resumed: string[] = [];
    const unreadable: { runId: string; error: string }[] = [];
    for (const loaded of await this.deps.store.list()) {
      if (!loaded.ok) {
        unreadable.push({ runId: loaded.runId, error: loaded.error });
        continue;
      }
      const record = loaded.record;
      // A run this window already drives (started while the list was read) is not resumed twice.
      if (this.journal.has(record.runId)) continue;
      this.journal.know(record);
      if (!isActive(record.state)) continue;
      const why = restricted ?? (this.deps.origins.startedHere(record.runId) ? undefined : 'This run was not started on this machine: it came with the workspace or from elsewhere. It does nothing until you resume it.');
      if (why) {
        this.journal.setActivity(record.runId, { dormant: why });
        dormant.push(record.runId);
        continue;
      }
      if (await this.takeOver(record.runId)) resumed.push(record.runId);
      else this.watchHeld(record.runId);
    }
    if (resumed.length > 0) this.ensureHeartbeat();
    return { resumed, dormant, unreadable };
  }

  /** The user chose to resume a dormant run: from now on it is one of this machine's runs. */
  async resumeDormant(runId: string): Promise<void> {
    this.journal.require(runId);
    if (!this.journal.activityOf(runId).dormant) return;
    await this.deps.origins.remember(runId);
    this.journal.setActivity(runId, { dormant: undefined });
    if (await this.takeOver(runId)) this.ensureHeartbeat();
    else this.watchHeld(runId);
  }

  /** Intents that make a run act (confirm, decide, retry) wait until a dormant run is resumed. */
  requireDriven(runId: string): RunRecord {
    const record = this.journal.require(runId);
    const dormant = this.journal.activityOf(runId).dormant;
    if (dormant) throw new Error(`${dormant} Resume it first ("Dual-Model: Resume a run found on disk…").`);
    return record;
  }

  /** A failed run let go of its lock; driving it again needs it back (another window may have it). */
  async reacquire(runId: string): Promise<void> {
    const lock = await this.deps.lock.acquire(runId);
    if (!lock.ok) throw new Error(`Another window is driving this run (since ${lock.since}); retry it there.`);
    this.journal.regain(runId);
    this.ensureHeartbeat();
  }

  /** The run ended: another window may drive it (to retry it) from now. */
  release(runId: string): void {
    void this.deps.lock.release(runId);
  }

  /**
   * Another window holds the run now: stop its work (the phase, an identity check), save nothing
   * more, say so, and take it back only if that window lets go.
   */
  loseRun(runId: string): void {
    if (this.journal.isLost(runId) || this.journal.closing) return;
    this.journal.markLost(runId);
    this.hooks.stop(runId, new Error(anotherWindowTookOver));
    this.journal.setActivity(runId, { busy: false, confirming: false, message: '', heldElsewhere: `${anotherWindowTookOver} This window stopped driving it and only shows it.` });
    this.watchHeld(runId);
  }

  /**
   * Stops everything this window does and lets go of its runs: what is in memory reaches
   * run.json first (the journal's close), then the runs this window drove are released.
   */
  async close(): Promise<void> {
    this.journal.beginClosing();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const timer of this.watchers) clearTimeout(timer);
    this.watchers.clear();
    this.hooks.stop(undefined, new Error('window closing'));
    const held = this.journal.all().filter((record) => isActive(record.state) && !this.journal.activityOf(record.runId).heldElsewhere && !this.journal.activityOf(record.runId).dormant);
    await this.journal.close();
    await this.hooks.settle();
    await Promise.all(held.map((record) => this.deps.lock.release(record.runId).catch(() => undefined)));
  }

  /** Drives a run if no other window does; entry effects double as resume effects. */
  private async takeOver(runId: string): Promise<boolean> {
    if (this.journal.closing || !this.journal.has(runId)) return false;
    const lock = await this.deps.lock.acquire(runId);
    if (!lock.ok) {
      this.journal.setActivity(runId, { heldElsewhere: `Another window is driving this run (since ${lock.since}); this window will take it over if that one closes.` });
      return false;
    }
    if (this.journal.closing) {
      await this.deps.lock.release(runId);
      return false;
    }
    // run.json was read before the lock was ours: the window that held the run may have saved
    // since (its calls, a transition), and saving on top of the older revision would fail.
    const loaded = await this.deps.store.load(runId);
    if (!loaded.ok) {
      await this.deps.lock.release(runId);
      this.journal.setActivity(runId, { lastError: loaded.error });
      return false;
    }
    this.journal.know(loaded.record);
    this.journal.regain(runId);
    await this.hooks.publish(loaded.record);
    this.journal.setActivity(runId, { heldElsewhere: undefined });
    // Automatic phases redo their work; HARD STOPs and a decided review wait for the user.
    this.hooks.drive(loaded.record);
    return true;
  }

  /**
   * A run held by another window is taken over once that window lets go: it releases its runs
   * when it closes (a reload included), or its lock goes stale if it crashed. One try at a time,
   * the next only after the last failed: a try still reading run.json when another took the run
   * over would put its older record back, and lose what this window did with the run since.
   */
  private watchHeld(runId: string): void {
    const timer = setTimeout(() => {
      this.watchers.delete(timer);
      void this.takeOver(runId)
        .catch(() => false)
        .then((taken) => {
          if (taken) this.ensureHeartbeat();
          else if (!this.journal.closing) this.watchHeld(runId);
        });
    }, this.heldRetryMs);
    timer.unref?.();
    this.watchers.add(timer);
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const record of this.journal.all()) {
        const runId = record.runId;
        const activity = this.journal.activityOf(runId);
        if (!isActive(record.state) || activity.heldElsewhere || activity.dormant || this.journal.closing) continue;
        // A refresh that fails means another window took the run over (this one stalled past
        // staleMs): this window stops driving it at once.
        void this.deps.lock.refresh(runId).then(
          (held) => {
            if (!held && !this.journal.closing) this.loseRun(runId);
          },
          (error: unknown) => this.journal.emit({ type: 'notice', runId, level: 'warning', message: `The run's lock could not be refreshed: ${messageOf(error)}` }),
        );
      }
    }, Math.max(1000, Math.floor(this.deps.lock.staleMs / 3)));
    this.heartbeat.unref?.();
  }
}
