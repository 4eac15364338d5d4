// The limits a fake provider server enforces in "auto" mode, as the real providers do: per quota
// group (keys map to groups; a key in no group is its own), requests and tokens per sliding
// window, requests since the fake's day began. It answers what a provider would: room (with the
// rate-limit headers to send), a 429 with when to come back, or a refused key. Counts every 429.

export interface FakeGroupLimits {
  rpm?: number;
  tpm?: number;
  rpd?: number;
}

export interface FakeLimitsOptions {
  /** key text → group name; keys not listed are each their own group. */
  groups?: Record<string, string>;
  /** Per group; `default` for groups not listed. */
  limits: Record<string, FakeGroupLimits> & { default?: FakeGroupLimits };
  /** The rate window: 60 000 for a real minute, shorter in tests. */
  windowMs?: number;
  /** Tokens each request is charged at arrival (the fake's answer is always the same size). */
  tokensPerRequest: number;
}

export type Admission =
  | { kind: 'ok'; remaining: { requests?: number; tokens?: number }; limit: FakeGroupLimits; resetMs: { requests: number; tokens: number } }
  | { kind: 'rate-limited'; retryAfterMs: number; what: string }
  | { kind: 'revoked' };

export class FakeLimits {
  /** Every 429 this fake sent. */
  rateLimited = 0;
  /** Every request it served. */
  served = 0;
  /** Served requests per key text, so tests can see the load was spread. */
  readonly servedByKey = new Map<string, number>();
  private readonly arrivals = new Map<string, { at: number; tokens: number }[]>();
  private readonly days = new Map<string, number>();
  private readonly revoked = new Set<string>();

  constructor(private readonly options: FakeLimitsOptions) {}

  get tokensPerRequest(): number {
    return this.options.tokensPerRequest;
  }

  get windowMs(): number {
    return this.options.windowMs ?? 60_000;
  }

  groupOf(key: string): string {
    return this.options.groups?.[key] ?? `key:${key}`;
  }

  /** The key is refused from now on (401/403), as a revoked key is. */
  revoke(key: string): void {
    this.revoked.add(key);
  }

  /** The provider's daily counters start again. */
  newDay(): void {
    this.days.clear();
  }

  admit(key: string, now: number = Date.now()): Admission {
    if (this.revoked.has(key)) return { kind: 'revoked' };
    const group = this.groupOf(key);
    const limit = this.options.limits[group] ?? this.options.limits.default ?? {};
    const window = (this.arrivals.get(group) ?? []).filter((arrival) => arrival.at > now - this.windowMs);
    this.arrivals.set(group, window);
    const tokens = this.options.tokensPerRequest;
    const used = window.reduce((sum, arrival) => sum + arrival.tokens, 0);
    const today = this.days.get(group) ?? 0;
    const refuse = (what: string, retryAfterMs: number): Admission => {
      this.rateLimited += 1;
      return { kind: 'rate-limited', retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)), what };
    };
    if (limit.rpd !== undefined && today + 1 > limit.rpd) return refuse('requests per day', 86_400_000);
    if (limit.rpm !== undefined && window.length + 1 > limit.rpm) {
      const oldest = window[window.length - limit.rpm];
      return refuse('requests per minute', (oldest?.at ?? now) + this.windowMs - now);
    }
    if (limit.tpm !== undefined && used + tokens > limit.tpm) {
      let freed = 0;
      let until = now;
      for (const arrival of window) {
        freed += arrival.tokens;
        until = arrival.at + this.windowMs;
        if (used - freed + tokens <= limit.tpm) break;
      }
      return refuse('tokens per minute', until - now);
    }
    window.push({ at: now, tokens });
    this.days.set(group, today + 1);
    this.served += 1;
    this.servedByKey.set(key, (this.servedByKey.get(key) ?? 0) + 1);
    const oldest = window[0]?.at ?? now;
    return {
      kind: 'ok',
      limit,
      remaining: {
        ...(limit.rpm !== undefined ? { requests: limit.rpm - window.length } : {}),
        ...(limit.tpm !== undefined ? { tokens: limit.tpm - used - tokens } : {}),
      },
      resetMs: { requests: oldest + this.windowMs - now, tokens: oldest + this.windowMs - now },
    };
  }
}

/** How an auto-mode fake answers: the limits it enforces and how long an answer takes. */
export interface FakeAutoMode {
  limits: FakeLimits;
  /** Time before the answer starts (a model thinking). */
  latencyMs?: number;
  /** The answer's text. */
  text?: string;
  /** The answer's text per model, where the fake knows the model (Gemini's path names it); else `text`. */
  textFor?: (model: string) => string | undefined;
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
