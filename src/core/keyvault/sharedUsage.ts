// What a key pool counts that the machine's other windows share: each quota group's use of each
// model, each key's use today, the keys refused (401/403) and put back in use, this window's own
// and the others' apart. Read from the other windows' records when they change (mergeOthers),
// and saved as this window's record (flush). The scheduler (keyPool.ts) decides with it.
import type { KeyProvider } from './apiKeys.js';
import { ExpiringTally } from './expiringTally.js';
import { GroupModelUse } from './groupModelUse.js';
import type { DayTally, UsageRecord, UsageStore } from './usageRecord.js';
import { usageRecordVersion } from './usageRecord.js';

export interface Revocation {
  reason: string;
  at: number;
}

const separator = '\t';

/** A key's name in the records: `provider\tkeyId`. */
export function keyName(provider: KeyProvider, id: string): string {
  return `${provider}${separator}${id}`;
}

function useName(provider: KeyProvider, group: string, model: string): string {
  return [provider, group, model].join(separator);
}

export class SharedUsage {
  private readonly uses = new Map<string, GroupModelUse>();
  private ownKeyDays = new Map<string, DayTally>();
  private othersKeyDays = new Map<string, DayTally>();
  private readonly ownRevoked = new Map<string, Revocation>();
  private othersRevoked = new Map<string, Revocation>();
  private readonly ownReinstated = new Map<string, number>();
  private othersReinstated = new Map<string, number>();

  constructor(
    private readonly store: UsageStore | undefined,
    /** This pool's name in the store; one per window. */
    readonly writer: string,
    /** The rate window: an in-flight request of another window counts this long from its save. */
    private readonly windowMs: number,
  ) {}

  /** One group's use of one model, counted from now on if it was not yet. */
  use(provider: KeyProvider, group: string, model: string): GroupModelUse {
    const name = useName(provider, group, model);
    let use = this.uses.get(name);
    if (!use) {
      use = new GroupModelUse(provider, group, model);
      this.uses.set(name, use);
    }
    return use;
  }

  /** The models a group has used, as far as this window knows. */
  usesOf(provider: KeyProvider, group: string): GroupModelUse[] {
    return [...this.uses.values()].filter((use) => use.provider === provider && use.group === group);
  }

  /** The latest refusal of a key, in any window, unless it was put back in use since. */
  revokedReason(provider: KeyProvider, id: string): Revocation | undefined {
    const name = keyName(provider, id);
    const own = this.ownRevoked.get(name);
    const others = this.othersRevoked.get(name);
    const latest = own && others ? (own.at >= others.at ? own : others) : (own ?? others);
    const reinstatedAt = Math.max(this.ownReinstated.get(name) ?? -Infinity, this.othersReinstated.get(name) ?? -Infinity);
    return latest && latest.at > reinstatedAt ? latest : undefined;
  }

  revoke(name: string, revocation: Revocation): void {
    this.ownRevoked.set(name, revocation);
  }

  reinstate(provider: KeyProvider, id: string, at: number): void {
    const name = keyName(provider, id);
    this.ownRevoked.delete(name);
    this.ownReinstated.set(name, at);
  }

  /** This window's tally of a key's use today, started afresh on a new day. */
  ownKeyDay(name: string, today: string): DayTally {
    let tally = this.ownKeyDays.get(name);
    if (tally?.day !== today) {
      tally = { day: today, requests: 0, tokens: 0 };
      this.ownKeyDays.set(name, tally);
    }
    return tally;
  }

  /** This window's tally of a key's use, whatever its day (undefined before its first request). */
  ownKeyTally(name: string): DayTally | undefined {
    return this.ownKeyDays.get(name);
  }

  /** A key's use today in every window. */
  keyToday(provider: KeyProvider, id: string, today: string): { requests: number; tokens: number } {
    const name = keyName(provider, id);
    const own = this.ownKeyDays.get(name);
    const others = this.othersKeyDays.get(name);
    const pick = (tally: DayTally | undefined): DayTally => (tally?.day === today ? tally : { day: today, requests: 0, tokens: 0 });
    return { requests: pick(own).requests + pick(others).requests, tokens: pick(own).tokens + pick(others).tokens };
  }

  /** Re-reads the other windows' records when they changed, and counts their use with ours. */
  mergeOthers(now: number): void {
    const records = this.store?.readOthers(this.writer);
    if (!records) return;
    for (const use of this.uses.values()) {
      use.others = new ExpiringTally();
      use.othersDay = { day: '', requests: 0, tokens: 0 };
      use.othersCooldownUntil = 0;
    }
    this.othersKeyDays = new Map();
    this.othersRevoked = new Map();
    this.othersReinstated = new Map();
    for (const record of records) {
      for (const entry of record.entries) {
        const use = this.useByName(entry.g);
        const expiresAt = entry.x ?? record.savedAt + this.windowMs;
        if (use && expiresAt > now) use.others.add(expiresAt, entry.r, entry.t);
      }
      for (const [name, tally] of Object.entries(record.groupDays)) {
        const use = this.useByName(name);
        if (!use) continue;
        if (use.othersDay.day !== tally.day) use.othersDay = use.othersDay.day > tally.day ? use.othersDay : { day: tally.day, requests: 0, tokens: 0 };
        if (use.othersDay.day === tally.day) {
          use.othersDay.requests += tally.requests;
          use.othersDay.tokens += tally.tokens;
        }
      }
      for (const [name, tally] of Object.entries(record.keyDays)) {
        const current = this.othersKeyDays.get(name);
        if (!current || current.day < tally.day) this.othersKeyDays.set(name, { ...tally });
        else if (current.day === tally.day) this.othersKeyDays.set(name, { day: tally.day, requests: current.requests + tally.requests, tokens: current.tokens + tally.tokens });
      }
      for (const [name, until] of Object.entries(record.cooldowns)) {
        const use = this.useByName(name);
        if (use) use.othersCooldownUntil = Math.max(use.othersCooldownUntil, until);
      }
      for (const [name, revoked] of Object.entries(record.revoked)) {
        const known = this.othersRevoked.get(name);
        if (!known || known.at < revoked.at) this.othersRevoked.set(name, revoked);
      }
      for (const [name, at] of Object.entries(record.reinstated)) this.othersReinstated.set(name, Math.max(at, this.othersReinstated.get(name) ?? -Infinity));
    }
  }

  /** Saves this window's record for the others (and for itself after a reload). */
  flush(now: number): void {
    this.store?.writeOwn(this.record(now));
  }

  private useByName(name: string): GroupModelUse | undefined {
    const existing = this.uses.get(name);
    if (existing) return existing;
    const [provider, group, model] = name.split(separator);
    if (!provider || group === undefined || model === undefined || !isProvider(provider)) return undefined;
    return this.use(provider, group, model);
  }

  private record(now: number): UsageRecord {
    const entries: UsageRecord['entries'] = [];
    const groupDays: UsageRecord['groupDays'] = {};
    const cooldowns: UsageRecord['cooldowns'] = {};
    for (const [name, use] of this.uses) {
      use.prune(now);
      for (const flight of use.inFlight.values()) entries.push({ g: name, x: null, r: 1, t: flight.tokens });
      for (const entry of use.settled.entries()) entries.push({ g: name, x: entry.expiresAt, r: entry.requests, t: entry.tokens });
      if (use.ownDay.day) groupDays[name] = { ...use.ownDay };
      if (use.cooldownUntil > now) cooldowns[name] = use.cooldownUntil;
    }
    return {
      version: usageRecordVersion,
      writer: this.writer,
      savedAt: now,
      entries,
      groupDays,
      keyDays: Object.fromEntries(this.ownKeyDays),
      cooldowns,
      // An environment key keeps its id when its value changes: its refusal is this session's only.
      revoked: Object.fromEntries([...this.ownRevoked].filter(([name]) => !name.split(separator)[1]?.startsWith('env:'))),
      reinstated: Object.fromEntries(this.ownReinstated),
    };
  }
}

function isProvider(value: string): value is KeyProvider {
  return value === 'anthropic' || value === 'google' || value === 'openai-compatible';
}
