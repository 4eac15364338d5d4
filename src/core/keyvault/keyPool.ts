// The key pool's scheduler: for each request, a lease on the least-loaded key whose quota group
// has room now for that model (requests and tokens per minute, requests per day), or a wait, in
// arrival order, until one has. It never hands out a lease its own counters say the provider
// would refuse. Waiting costs one timer, set for the moment room next appears; nothing polls.
// A 429 cools the group down for that model; a 401/403 revokes the key. Counters are shared
// with the machine's other windows through a UsageStore and survive a reload (sharedUsage.ts).
import type { KeyProvider, UsableKey } from './apiKeys.js';
import { maskKey } from './apiKeys.js';
import { dayOf, defaultDailyReset, nextResetMs } from './dailyReset.js';
import { whenFreed } from './expiringTally.js';
import type { GroupModelUse } from './groupModelUse.js';
import type { PoolClock, PoolTimer } from './poolClock.js';
import { systemClock } from './poolClock.js';
import type { DailyReset, QuotaLimits } from './quota.js';
import { parseRateLimitHeaders, type RateLimitReading } from './rateLimitHeaders.js';
import { keyName, SharedUsage } from './sharedUsage.js';
import type { UsageStore } from './usageRecord.js';
import { ModelError } from '../models/modelErrors.js';

export type LimitsFor = (provider: KeyProvider, model: string, group: string) => QuotaLimits;

export interface KeyPoolOptions {
  /** The keys a provider's requests may use now (KeyRing.usable); asked on every acquire. */
  keys: (provider: KeyProvider) => Promise<readonly UsableKey[]> | readonly UsableKey[];
  /** The limits of a quota group for a model (the model registry's); {} means none known. */
  limitsFor: LimitsFor;
  store?: UsageStore;
  clock?: PoolClock;
  /** The rate window: a minute, shorter in tests and the bench. */
  windowMs?: number;
  dailyReset?: (provider: KeyProvider) => DailyReset;
  /** This pool's name in the store; one per window. */
  writer?: string;
  /** How long own use may wait before it is saved for the other windows. */
  flushDelayMs?: number;
  /** A cooldown after a 429 that gave no retry-after: this, doubled per 429 in a row, up to a window. */
  defaultCooldownMs?: number;
  /** Longer than this until any key has room (a spent daily quota): an error at once, not a wait. */
  maxWaitMs?: number;
}

export interface LeaseRequest {
  provider: KeyProvider;
  model: string;
  /** Input + output tokens the request is expected to use, counted until it settles. */
  estimatedTokens: number;
  /** The keys the caller has just read for this request: taken instead of reading them again. */
  keys?: readonly UsableKey[];
}

/** How a leased request went. */
export type LeaseOutcome =
  /** Answered; `tokens` are its real input + output. */
  | { kind: 'ok'; tokens?: number; headers?: Readonly<Record<string, string>> }
  /** 429: the group (for this model) cools down until retry-after. */
  | { kind: 'rate-limited'; retryAfterMs?: number; headers?: Readonly<Record<string, string>> }
  /** 401/403: the key is refused; it stays out of use until re-added. */
  | { kind: 'revoked'; reason: string }
  /** Sent, then failed otherwise (network, server, cancelled mid-answer): it still counts. */
  | { kind: 'failed'; tokens?: number; headers?: Readonly<Record<string, string>> };

export interface Lease {
  readonly provider: KeyProvider;
  readonly model: string;
  /** The key to send, text included: for the provider client only. */
  readonly key: UsableKey;
  readonly masked: string;
  readonly group: string;
  /** Records how the request went; the first call counts, later ones are ignored. */
  settle(outcome: LeaseOutcome): void;
  /** The request was never sent: it stops counting at all. */
  release(): void;
}

export interface KeyModelUse {
  model: string;
  limits: QuotaLimits;
  /** In the current window, in flight included, this window and the others. */
  lastWindow: { requests: number; tokens: number };
  today: number;
  cooldownUntil?: number;
  /** Requests per window learnt from the provider's 429s, while it holds. */
  learnedRpm?: number;
  /** Tokens per window the provider's headers stated. */
  learnedTpm?: number;
}

/** What the Keys view shows of a key: never its text. */
export interface KeySnapshot {
  provider: KeyProvider;
  id: string;
  label: string;
  masked: string;
  /** The quota group's name; for a key on its own, `key:<id>`. */
  group: string;
  ownGroup: boolean;
  today: { requests: number; tokens: number };
  inFlight: number;
  nextResetAt: number;
  /** The latest cooldown of any model in the key's group. */
  cooldownUntil?: number;
  revoked?: { reason: string; at: number };
  models: KeyModelUse[];
}

interface Waiter {
  request: LeaseRequest;
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/** When a group has room: now, at an instant, after an in-flight request settles, or never. */
type Room = { kind: 'now'; load: number } | { kind: 'at'; at: number; daily: boolean } | { kind: 'after-settle' } | { kind: 'never'; why: string };

let poolCount = 0;

export class KeyPool {
  private readonly clock: PoolClock;
  private readonly windowMs: number;
  private readonly shared: SharedUsage;
  private readonly keyCache = new Map<KeyProvider, readonly UsableKey[]>();
  private readonly keyInFlight = new Map<string, number>();
  private readonly queues = new Map<string, Waiter[]>();
  private wakeTimer: { at: number; timer: PoolTimer } | undefined;
  private flushTimer: PoolTimer | undefined;
  private nextLeaseId = 1;
  private disposed = false;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: { cancel(): void } | undefined;

  constructor(private readonly options: KeyPoolOptions) {
    this.clock = options.clock ?? systemClock;
    this.windowMs = options.windowMs ?? 60_000;
    poolCount += 1;
    const writer = options.writer ?? `pool-${this.clock.now().toString(36)}-${poolCount}-${Math.random().toString(36).slice(2, 10)}`;
    this.shared = new SharedUsage(options.store, writer, this.windowMs);
    this.shared.mergeOthers(this.clock.now());
  }

  /**
   * A lease on a key with room now for this request, or one as soon as there is room, in
   * arrival order. Fails at once when no key can ever serve it (none configured, all revoked, a
   * request bigger than a group's token limit, or every daily quota spent).
   */
  async acquire(request: LeaseRequest, signal: AbortSignal): Promise<Lease> {
    if (this.disposed) throw new ModelError('cancelled', 'The key pool was closed.', { provider: request.provider });
    if (signal.aborted) throw cancelled(request.provider);
    this.keyCache.set(request.provider, request.keys ?? (await this.options.keys(request.provider)));
    if (signal.aborted) throw cancelled(request.provider);
    return new Promise<Lease>((resolve, reject) => {
      const waiter: Waiter = {
        request,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const queue = this.queues.get(queueName(request));
          const at = queue?.indexOf(waiter) ?? -1;
          if (queue && at >= 0) queue.splice(at, 1);
          reject(cancelled(request.provider));
          // The one ahead may have been all that held the others back.
          this.pump();
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      const name = queueName(request);
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      queue.push(waiter);
      this.pump();
    });
  }

  /** How many acquires are waiting for room. */
  waiting(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.length;
    return count;
  }

  /** Every key of these providers as the Keys view shows it (masked, use, limits, resets). */
  async snapshot(providers: readonly KeyProvider[]): Promise<KeySnapshot[]> {
    const now = this.clock.now();
    this.shared.mergeOthers(now);
    const snapshots: KeySnapshot[] = [];
    for (const provider of providers) {
      const keys = await this.options.keys(provider);
      this.keyCache.set(provider, keys);
      const reset = this.dailyReset(provider);
      const today = dayOf(now, reset);
      for (const key of keys) {
        const group = groupOf(key);
        const models = this.shared.usesOf(provider, group);
        const modelUses = models.map((use): KeyModelUse => {
          use.prune(now);
          const cooldownUntil = Math.max(use.cooldownUntil, use.othersCooldownUntil);
          return {
            model: use.model,
            limits: this.options.limitsFor(provider, use.model, group),
            lastWindow: { requests: use.requestsInWindow(), tokens: use.tokensInWindow() },
            today: use.requestsToday(today),
            ...(cooldownUntil > now ? { cooldownUntil } : {}),
            ...(use.learnedRpm ? { learnedRpm: use.learnedRpm.value } : {}),
            ...(use.learnedTpm !== undefined ? { learnedTpm: use.learnedTpm } : {}),
          };
        });
        const cooldowns = modelUses.map((use) => use.cooldownUntil ?? 0).filter((until) => until > now);
        const revoked = this.shared.revokedReason(provider, key.id);
        snapshots.push({
          provider,
          id: key.id,
          label: key.label ?? key.id,
          masked: maskKey(key.key),
          group,
          ownGroup: key.group === undefined,
          today: this.shared.keyToday(provider, key.id, today),
          inFlight: this.keyInFlight.get(keyName(provider, key.id)) ?? 0,
          nextResetAt: nextResetMs(now, reset),
          ...(cooldowns.length > 0 ? { cooldownUntil: Math.max(...cooldowns) } : {}),
          ...(revoked ? { revoked } : {}),
          models: modelUses,
        });
      }
    }
    return snapshots;
  }

  /**
   * Puts a revoked key back in use, in every window (the user fixed it, or re-added it). Keys
   * re-added get a new id and need none of this; environment keys keep theirs.
   */
  reinstate(provider: KeyProvider, id: string): void {
    this.shared.reinstate(provider, id, this.clock.now());
    this.scheduleFlush();
    this.pump();
  }

  /** Saves this pool's use now (it is otherwise saved shortly after each change). */
  flush(): void {
    this.flushTimer?.cancel();
    this.flushTimer = undefined;
    this.shared.flush(this.clock.now());
  }

  /** Refuses what is still waiting, saves, and stops every timer. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.wakeTimer?.timer.cancel();
    this.wakeTimer = undefined;
    this.notifyTimer?.cancel();
    this.notifyTimer = undefined;
    this.listeners.clear();
    for (const queue of this.queues.values()) {
      for (const waiter of queue.splice(0)) {
        waiter.signal.removeEventListener('abort', waiter.onAbort);
        waiter.reject(new ModelError('cancelled', 'The key pool was closed.', { provider: waiter.request.provider }));
      }
    }
    this.flush();
  }

  // ---- scheduling ----

  /** Serves every queue's head while it can, then sets one timer for the earliest room. */
  private pump(): void {
    if (this.disposed) return;
    const now = this.clock.now();
    this.shared.mergeOthers(now);
    let wakeAt = Infinity;
    for (const queue of this.queues.values()) {
      while (queue.length > 0) {
        const waiter = queue[0];
        if (!waiter) break;
        const decision = this.tryLease(waiter.request, now);
        if ('lease' in decision) {
          queue.shift();
          waiter.signal.removeEventListener('abort', waiter.onAbort);
          waiter.resolve(decision.lease);
          continue;
        }
        if ('error' in decision) {
          queue.shift();
          waiter.signal.removeEventListener('abort', waiter.onAbort);
          waiter.reject(decision.error);
          continue;
        }
        if (decision.wakeAt !== undefined) wakeAt = Math.min(wakeAt, decision.wakeAt);
        break;
      }
    }
    this.setWake(wakeAt);
  }

  private setWake(at: number): void {
    if (this.wakeTimer?.at === at) return;
    this.wakeTimer?.timer.cancel();
    this.wakeTimer = undefined;
    if (!Number.isFinite(at)) return;
    const timer = this.clock.setTimer(at - this.clock.now(), () => {
      if (this.wakeTimer?.timer === timer) this.wakeTimer = undefined;
      this.pump();
    });
    this.wakeTimer = { at, timer };
  }

  private tryLease(request: LeaseRequest, now: number): { lease: Lease } | { error: ModelError } | { wakeAt: number | undefined } {
    const { provider, model } = request;
    const keys = this.keyCache.get(provider) ?? [];
    const usable = keys.filter((key) => !this.shared.revokedReason(provider, key.id));
    if (usable.length === 0) {
      const why = keys.length === 0 ? `No ${provider} API key is configured. Run "Dual-Model: Manage API Keys".` : `Every ${provider} API key was refused by the provider (revoked or invalid): ${keys.map((key) => `${key.label ?? key.id}: ${this.shared.revokedReason(provider, key.id)?.reason ?? ''}`).join('; ')}. Add a working key with "Dual-Model: Manage API Keys".`;
      return { error: new ModelError('auth', why, { provider }) };
    }
    const reset = this.dailyReset(provider);
    const today = dayOf(now, reset);
    let best: { key: UsableKey; use: GroupModelUse; score: [number, number, number] } | undefined;
    let earliest = Infinity;
    let waitsOnSettle = false;
    let allDaily = true;
    const impossible: string[] = [];
    for (const key of usable) {
      const use = this.shared.use(provider, groupOf(key), model);
      const room = this.roomFor(use, request, now, today, reset);
      if (room.kind === 'now') {
        const name = keyName(provider, key.id);
        const score: [number, number, number] = [room.load, this.keyInFlight.get(name) ?? 0, this.shared.keyToday(provider, key.id, today).requests];
        if (!best || lessThan(score, best.score)) best = { key, use, score };
      } else if (room.kind === 'at') {
        earliest = Math.min(earliest, room.at);
        if (!room.daily) allDaily = false;
      } else if (room.kind === 'after-settle') {
        waitsOnSettle = true;
        allDaily = false;
      } else {
        impossible.push(room.why);
      }
    }
    if (best) return { lease: this.grant(request, best.key, best.use, today) };
    if (!waitsOnSettle && !Number.isFinite(earliest)) {
      return { error: new ModelError('bad-request', `No ${provider} key can take this request for ${model}: ${[...new Set(impossible)].join('; ')}.`, { provider }) };
    }
    const maxWaitMs = this.options.maxWaitMs ?? 5 * this.windowMs;
    if (!waitsOnSettle && earliest - now > maxWaitMs) {
      const when = new Date(earliest).toISOString();
      const what = allDaily ? `every ${provider} key's quota group has used its requests per day for ${model}` : `every ${provider} key is cooling down or full for ${model}`;
      return { error: new ModelError('rate-limited', `${capitalise(what)}; the next room is at ${when} (${reset.timeZone} day).`, { provider, retryAfterMs: earliest - now }) };
    }
    return { wakeAt: Number.isFinite(earliest) ? earliest : undefined };
  }

  private roomFor(use: GroupModelUse, request: LeaseRequest, now: number, today: string, reset: DailyReset): Room {
    const limits = this.options.limitsFor(use.provider, use.model, use.group);
    const tokens = Math.max(0, request.estimatedTokens);
    if (limits.tpm !== undefined && tokens > limits.tpm) return { kind: 'never', why: `about ${tokens} tokens is more than the ${limits.tpm} tokens per minute of group ${use.group}` };
    if (limits.rpm !== undefined && limits.rpm < 1) return { kind: 'never', why: `group ${use.group} allows no requests per minute` };
    if (limits.rpd !== undefined && limits.rpd < 1) return { kind: 'never', why: `group ${use.group} allows no requests per day` };
    use.prune(now);
    let at = -Infinity;
    let daily = false;
    let afterSettle = false;
    const cooldown = Math.max(use.cooldownUntil, use.othersCooldownUntil);
    if (cooldown > now) at = cooldown;
    if (limits.rpm !== undefined) {
      const excess = use.requestsInWindow() + 1 - limits.rpm;
      if (excess > 0) {
        const freed = whenFreed([use.settled, use.others], excess, 0);
        if (freed === undefined) afterSettle = true;
        else at = Math.max(at, freed);
      }
    }
    if (limits.tpm !== undefined) {
      const excess = use.tokensInWindow() + tokens - limits.tpm;
      if (excess > 0) {
        const freed = whenFreed([use.settled, use.others], 0, excess);
        if (freed === undefined) afterSettle = true;
        else at = Math.max(at, freed);
      }
    }
    if (limits.tpm === undefined && use.learnedTpm !== undefined) {
      // A limit we were told, not one we keep: a request bigger than it waits for an empty window, never refused.
      const excess = use.tokensInWindow() + Math.min(tokens, use.learnedTpm) - use.learnedTpm;
      if (excess > 0) {
        const freed = whenFreed([use.settled, use.others], 0, excess);
        if (freed === undefined) afterSettle = true;
        else at = Math.max(at, freed);
      }
    }
    if (use.learnedRpm) {
      // Against answers only: the refused requests in the window are what taught the limit.
      const excess = use.answered.requests + use.inFlight.size + 1 - use.learnedRpm.value;
      if (excess > 0) {
        const freed = whenFreed([use.answered], excess, 0);
        if (freed === undefined) afterSettle = true;
        else at = Math.max(at, freed);
      }
    }
    const hint = use.hint;
    if (hint) {
      const sentSince = use.sequence - hint.sequence;
      const tokensSince = use.tokensSequence - hint.tokensSequence;
      if (hint.requestsRemaining !== undefined && hint.requestsResetAt > now && sentSince + 1 > hint.requestsRemaining) at = Math.max(at, hint.requestsResetAt);
      if (hint.tokensRemaining !== undefined && hint.tokensResetAt > now && tokensSince + tokens > hint.tokensRemaining) at = Math.max(at, hint.tokensResetAt);
    }
    if (limits.rpd !== undefined && use.requestsToday(today) + 1 > limits.rpd) {
      at = Math.max(at, nextResetMs(now, reset));
      daily = true;
    }
    if (afterSettle) return { kind: 'after-settle' };
    if (at > now) return { kind: 'at', at, daily };
    const load = Math.max(
      limits.rpm ? (use.requestsInWindow() + 1) / limits.rpm : 0,
      limits.tpm ? (use.tokensInWindow() + tokens) / limits.tpm : 0,
      limits.rpd ? (use.requestsToday(today) + 1) / limits.rpd : 0,
    );
    return { kind: 'now', load };
  }

  private grant(request: LeaseRequest, key: UsableKey, use: GroupModelUse, today: string): Lease {
    const id = this.nextLeaseId++;
    const tokens = Math.max(0, request.estimatedTokens);
    const sequence = use.sequence;
    const tokensSequence = use.tokensSequence;
    use.sequence += 1;
    use.tokensSequence += tokens;
    use.inFlight.set(id, { tokens });
    use.inFlightTokens += tokens;
    if (use.ownDay.day !== today) use.ownDay = { day: today, requests: 0, tokens: 0 };
    use.ownDay.requests += 1;
    const name = keyName(request.provider, key.id);
    this.keyInFlight.set(name, (this.keyInFlight.get(name) ?? 0) + 1);
    const keyDay = this.shared.ownKeyDay(name, today);
    keyDay.requests += 1;
    this.scheduleFlush();
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      use.inFlight.delete(id);
      use.inFlightTokens -= tokens;
      this.keyInFlight.set(name, Math.max(0, (this.keyInFlight.get(name) ?? 1) - 1));
      return true;
    };
    return {
      provider: request.provider,
      model: request.model,
      key,
      masked: maskKey(key.key),
      group: use.group,
      settle: (outcome) => {
        if (!finish()) return;
        // The hint counts from the acquisitions after this one: this one the provider has counted.
        this.settled(use, name, outcome, tokens, sequence + 1, tokensSequence + tokens, today);
        this.scheduleFlush();
        this.pump();
      },
      release: () => {
        if (!finish()) return;
        // Never sent: as if never acquired, the day's count included.
        if (use.ownDay.day === today) use.ownDay.requests = Math.max(0, use.ownDay.requests - 1);
        keyDay.requests = Math.max(0, keyDay.requests - 1);
        this.scheduleFlush();
        this.pump();
      },
    };
  }

  private settled(use: GroupModelUse, name: string, outcome: LeaseOutcome, estimated: number, sequence: number, tokensSequence: number, today: string): void {
    const now = this.clock.now();
    const tokens = 'tokens' in outcome && outcome.tokens !== undefined ? Math.max(0, outcome.tokens) : outcome.kind === 'ok' ? estimated : outcome.kind === 'rate-limited' ? 0 : estimated;
    // Counted from the answer's end, not the request's start: the provider counted it somewhere
    // in between, so this window is never shorter than the provider's.
    use.settled.add(now + this.windowMs, 1, tokens);
    if (use.ownDay.day === today) use.ownDay.tokens += tokens;
    const keyDay = this.shared.ownKeyTally(name);
    if (keyDay?.day === today) keyDay.tokens += tokens;
    const headers = 'headers' in outcome ? outcome.headers : undefined;
    if (headers) this.correct(use, parseRateLimitHeaders(headers, now), sequence, tokensSequence, now);
    switch (outcome.kind) {
      case 'ok':
        use.rateLimitedInARow = 0;
        use.answered.add(now + this.windowMs, 1, 0);
        return;
      case 'rate-limited': {
        use.rateLimitedInARow += 1;
        this.learnLimit(use, sequence, now);
        const fallback = Math.min(this.windowMs, (this.options.defaultCooldownMs ?? this.windowMs / 6) * 2 ** (use.rateLimitedInARow - 1));
        use.cooldownUntil = Math.max(use.cooldownUntil, now + (outcome.retryAfterMs ?? fallback));
        return;
      }
      case 'revoked':
        this.shared.revoke(name, { reason: outcome.reason.slice(0, 500), at: now });
        return;
      case 'failed':
        return;
    }
  }

  /**
   * After a 429 in a burst (other requests of the group still in flight), the group's requests
   * per window are at most what got through in the window (at least one), for a few windows:
   * without it, a pool whose limits are unknown or too high sends the whole queue again the
   * moment each cooldown ends. The refusals of one burst raise it to the most that got through;
   * a refusal of a request sent under the learnt limit lowers it. A lone request refused (one
   * at a time, as a run asks) teaches nothing: its cooldown is enough.
   */
  private learnLimit(use: GroupModelUse, sequence: number, now: number): void {
    const current = use.learnedRpm;
    const sameBurst = current !== undefined && sequence <= current.sequence;
    if (!sameBurst && use.inFlight.size === 0) return;
    const got = Math.max(1, use.answered.requests);
    use.learnedRpm = { value: sameBurst ? Math.max(current.value, got) : got, until: now + 3 * this.windowMs, sequence: sameBurst ? current.sequence : use.sequence };
  }

  /** The provider's own count wins where it says there is less room than ours does. */
  private correct(use: GroupModelUse, reading: RateLimitReading, sequence: number, tokensSequence: number, now: number): void {
    const requests = reading.requests;
    const tokens = reading.tokens;
    // The provider's tokens limits are per minute (Anthropic's and OpenAI's both).
    if (tokens?.limit !== undefined && tokens.limit > 0) use.learnedTpm = tokens.limit;
    if (requests?.remaining === undefined && tokens?.remaining === undefined) return;
    // An answer that started before the one the hint came from says less about now.
    if (use.hint && use.hint.sequence > sequence) return;
    const fallbackReset = now + this.windowMs;
    use.hint = {
      ...(requests?.remaining !== undefined ? { requestsRemaining: requests.remaining } : {}),
      ...(tokens?.remaining !== undefined ? { tokensRemaining: tokens.remaining } : {}),
      requestsResetAt: requests?.resetAtMs ?? fallbackReset,
      tokensResetAt: tokens?.resetAtMs ?? fallbackReset,
      // Whatever we sent after this request started may not be in `remaining`: counted against it.
      sequence,
      tokensSequence,
    };
  }

  /**
   * Hears that the pool's use changed (a lease taken or settled, a key revoked or reinstated), at
   * most once per quarter second: the Keys view redraws on it.
   */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private notifyChanged(): void {
    if (this.notifyTimer || this.disposed || this.listeners.size === 0) return;
    this.notifyTimer = this.clock.setTimer(250, () => {
      this.notifyTimer = undefined;
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** Every change of own use passes here: saved for the other windows, and told to listeners. */
  private scheduleFlush(): void {
    this.notifyChanged();
    if (!this.options.store || this.flushTimer || this.disposed) return;
    this.flushTimer = this.clock.setTimer(this.options.flushDelayMs ?? 50, () => {
      this.flushTimer = undefined;
      this.flush();
    });
  }

  private dailyReset(provider: KeyProvider): DailyReset {
    return this.options.dailyReset?.(provider) ?? defaultDailyReset(provider);
  }
}

function groupOf(key: UsableKey): string {
  return key.group ?? `key:${key.id}`;
}

function queueName(request: LeaseRequest): string {
  return `${request.provider}\t${request.model}`;
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let index = 0; index < a.length; index += 1) {
    const left = a[index] ?? 0;
    const right = b[index] ?? 0;
    if (left !== right) return left < right;
  }
  return false;
}

function cancelled(provider: string): ModelError {
  return new ModelError('cancelled', 'The request was cancelled while it waited for a key.', { provider });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
