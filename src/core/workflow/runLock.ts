// One window drives a run at a time. Two VS Code windows on the same workspace each have their
// own extension host; without this they would both resume a run and both call the models.
// The lock is a file with a heartbeat, so a window that crashed releases it by going quiet.
import * as path from 'node:path';
import * as z from 'zod';
import type { ArtifactStore, Clock } from '../ports.js';

const LockSchema = z.object({ owner: z.string(), at: z.string() });

export type LockResult = { ok: true } | { ok: false; heldBy: string; since: string };

export class RunLock {
  constructor(
    private readonly files: ArtifactStore,
    private readonly runDir: (runId: string) => string,
    /** Unique per extension host (window). */
    private readonly owner: string,
    private readonly clock: Clock,
    /** A lock not refreshed for this long belongs to a window that is gone. */
    readonly staleMs = 30_000,
  ) {}

  private lockPath(runId: string): string {
    return path.join(this.runDir(runId), 'run.lock');
  }

  private stamp(): string {
    return `${JSON.stringify({ owner: this.owner, at: this.clock.now().toISOString() })}\n`;
  }

  async acquire(runId: string): Promise<LockResult> {
    const file = this.lockPath(runId);
    if (await this.files.createExclusive(file, this.stamp())) return { ok: true };
    const held = await this.read(runId);
    if (held && held.owner !== this.owner && !this.isStale(held.at)) {
      return { ok: false, heldBy: held.owner, since: held.at };
    }
    // Ours already, stale, or unreadable: take it over, then check nobody else did the same.
    await this.files.writeTextAtomic(file, this.stamp());
    const after = await this.read(runId);
    return after?.owner === this.owner ? { ok: true } : { ok: false, heldBy: after?.owner ?? 'unknown', since: after?.at ?? '' };
  }

  /** Keeps a held lock fresh; returns false if another window has taken it. */
  async refresh(runId: string): Promise<boolean> {
    const held = await this.read(runId);
    if (held && held.owner !== this.owner) return false;
    await this.files.writeTextAtomic(this.lockPath(runId), this.stamp());
    return true;
  }

  async release(runId: string): Promise<void> {
    const held = await this.read(runId);
    if (held?.owner === this.owner) await this.files.remove(this.lockPath(runId));
  }

  private isStale(at: string): boolean {
    const time = Date.parse(at);
    return Number.isNaN(time) || this.clock.now().getTime() - time > this.staleMs;
  }

  private async read(runId: string): Promise<z.infer<typeof LockSchema> | undefined> {
    const text = await this.files.readText(this.lockPath(runId));
    if (text === undefined) return undefined;
    try {
      const parsed = LockSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
