// One window drives a run at a time. Two VS Code windows on the same workspace each have their
// own extension host; without this they would both resume a run and both call the models.
// The lock is a file with a heartbeat, so a window that crashed releases it by going quiet.
//
// Every change of the lock is atomic, so two windows can never both believe they hold it:
// - creating it uses O_EXCL (createExclusive): of all windows that find no lock, one creates it;
// - replacing or removing it (taking a stale lock over, a heartbeat, a release) goes through
//   `replace`, which first claims the exact text it replaces by creating, with O_EXCL, a claim
//   file named after that text. Of all windows replacing the same text, one creates the claim;
//   the others lose. The winner reads the lock again and writes only if it still holds that text.
//   Each stamp carries a nonce, so a text never comes back and a claim outlives its use harmlessly.
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as z from 'zod';
import type { ArtifactStore, Clock } from '../ports.js';

const LockSchema = z.object({ owner: z.string(), at: z.string(), nonce: z.string().optional() });
type LockStamp = z.infer<typeof LockSchema>;

export type LockResult = { ok: true } | { ok: false; heldBy: string; since: string };

/** A claim left by a window that died half-way through a replace is passed over; this bounds how many. */
const maxClaims = 8;
/**
 * A claim lives for milliseconds; one this many times older than a stale lock was abandoned. Far
 * longer than staleMs, so a window whose clock runs a little ahead never passes over a live claim.
 */
const claimStaleFactor = 10;

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
    return `${JSON.stringify({ owner: this.owner, at: this.clock.now().toISOString(), nonce: randomBytes(8).toString('hex') })}\n`;
  }

  async acquire(runId: string): Promise<LockResult> {
    const file = this.lockPath(runId);
    // A lock released while we look at it is simply created again (bounded).
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (await this.files.createExclusive(file, this.stamp())) return { ok: true };
      const text = await this.files.readText(file);
      if (text === undefined) continue;
      const held = parseStamp(text);
      if (held && held.owner !== this.owner && !this.isStale(held.at)) return { ok: false, heldBy: held.owner, since: held.at };
      // Ours already, stale, or unreadable: replace exactly this text, unless another window did first.
      if (await this.replace(runId, text, this.stamp())) return { ok: true };
      // Someone changed it first: a window that took it over, or a release (then try again).
      const now = await this.files.readText(file);
      if (now === undefined) continue;
      const after = parseStamp(now);
      return { ok: false, heldBy: after?.owner ?? 'unknown', since: after?.at ?? '' };
    }
    return { ok: false, heldBy: 'unknown', since: '' };
  }

  /** Keeps a held lock fresh; returns false if this window no longer holds it (taken over or removed). */
  async refresh(runId: string): Promise<boolean> {
    const text = await this.files.readText(this.lockPath(runId));
    if (text === undefined || parseStamp(text)?.owner !== this.owner) return false;
    return this.replace(runId, text, this.stamp());
  }

  /** Whether this window holds the lock now (a read only). */
  async holds(runId: string): Promise<boolean> {
    const text = await this.files.readText(this.lockPath(runId));
    return text !== undefined && parseStamp(text)?.owner === this.owner;
  }

  async release(runId: string): Promise<void> {
    const text = await this.files.readText(this.lockPath(runId));
    if (text !== undefined && parseStamp(text)?.owner === this.owner) await this.replace(runId, text, undefined);
  }

  /**
   * Replaces the lock's text `expected` with `next` (undefined removes the lock) unless another
   * window changed it first; true if this window's change was made. See the header for why this
   * is atomic. A claim older than staleMs was left by a window that died mid-replace: the next
   * claim number is tried instead of waiting for it forever.
   */
  private async replace(runId: string, expected: string, next: string | undefined): Promise<boolean> {
    const file = this.lockPath(runId);
    const claimBase = `${file}.${createHash('sha256').update(expected).digest('hex').slice(0, 16)}`;
    const passed: string[] = [];
    let claim: string | undefined;
    for (let index = 0; index < maxClaims && claim === undefined; index += 1) {
      const candidate = `${claimBase}.${index}.claim`;
      if (await this.files.createExclusive(candidate, `${this.clock.now().toISOString()}\n`)) {
        claim = candidate;
        break;
      }
      const at = (await this.files.readText(candidate))?.trim();
      // Removed meanwhile (its text was replaced), or another window is replacing it now: lost.
      if (at === undefined || !this.isStale(at, this.staleMs * claimStaleFactor)) return false;
      passed.push(candidate);
    }
    if (claim === undefined) return false;
    try {
      if ((await this.files.readText(file)) !== expected) return false;
      if (next === undefined) await this.files.remove(file);
      else await this.files.writeTextAtomic(file, next);
      // The text they guarded is gone for good, so the abandoned claims can go too.
      await Promise.all(passed.map((stale) => this.files.remove(stale)));
      return true;
    } finally {
      await this.files.remove(claim);
    }
  }

  private isStale(at: string, staleMs = this.staleMs): boolean {
    const time = Date.parse(at);
    return Number.isNaN(time) || this.clock.now().getTime() - time > staleMs;
  }
}

function parseStamp(text: string): LockStamp | undefined {
  try {
    const parsed = LockSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
