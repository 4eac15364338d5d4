// What one key pool (one VS Code window) saves of its use, for the other windows of the machine
// and for itself after a reload. Key ids and group names only: never a key's text or a hash of
// it. Each window writes its own record; a pool's view is its own use plus everyone else's.
import * as z from 'zod';

export const usageRecordVersion = 1;

const DayTallySchema = z.object({ day: z.string(), requests: z.number().nonnegative(), tokens: z.number().nonnegative() });

export const UsageRecordSchema = z.object({
  version: z.literal(usageRecordVersion),
  writer: z.string(),
  savedAt: z.number(),
  /** Per quota group and model (`provider\tgroup\tmodel`): what still counts in the window. */
  entries: z.array(
    z.object({
      g: z.string(),
      /** When it stops counting; null while the request is in flight (then: savedAt + window). */
      x: z.number().nullable(),
      r: z.number().nonnegative(),
      t: z.number().nonnegative(),
    }),
  ),
  /** Per quota group and model: requests since the provider's last daily reset. */
  groupDays: z.record(z.string(), DayTallySchema),
  /** Per key (`provider\tkeyId`): use today, for the Keys view. */
  keyDays: z.record(z.string(), DayTallySchema),
  /** Per quota group and model: no requests before this instant (a 429's retry-after). */
  cooldowns: z.record(z.string(), z.number()),
  /** Per key (`provider\tkeyId`): refused as invalid (401/403), with the reason. */
  revoked: z.record(z.string(), z.object({ reason: z.string(), at: z.number() })),
  /** Per key: put back in use by the user at this instant (a revocation before it no longer counts). */
  reinstated: z.record(z.string(), z.number()).default({}),
});

export type UsageRecord = z.infer<typeof UsageRecordSchema>;
export type DayTally = z.infer<typeof DayTallySchema>;

/** Where pools keep their records: a directory in the extension's global storage, in the extension. */
export interface UsageStore {
  /**
   * The latest record of every other writer, or undefined when nothing changed since the last
   * call (so the pool re-merges only then). Unreadable records are skipped, never fatal.
   */
  readOthers(ownWriter: string): readonly UsageRecord[] | undefined;
  /** Replaces this writer's record, atomically (a reader sees the old or the new, whole). */
  writeOwn(record: UsageRecord): void;
}
