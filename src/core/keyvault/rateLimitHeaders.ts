// Reads what a provider says about a key's limits in its response headers, so the pool's own
// counters can be corrected by the provider's: Anthropic's `anthropic-ratelimit-*` (reset as an
// RFC 3339 time), OpenAI's `x-ratelimit-*` (reset as a duration such as "6m0s" or "20ms"), and
// `retry-after` / `retry-after-ms` on a refusal. Pure: headers and the time in, numbers out.

export interface LimitReading {
  limit?: number;
  remaining?: number;
  /** When the provider's counter for this limit has room again (epoch ms). */
  resetAtMs?: number;
}

export interface RateLimitReading {
  requests?: LimitReading;
  /** Input + output tokens (OpenAI's one token limit, Anthropic's combined one). */
  tokens?: LimitReading;
  inputTokens?: LimitReading;
  outputTokens?: LimitReading;
  /** How long the server asked us to wait before the next request. */
  retryAfterMs?: number;
}

type Measure = 'requests' | 'tokens' | 'inputTokens' | 'outputTokens';
type Field = keyof LimitReading;

const anthropicNames: Record<string, Measure> = { requests: 'requests', tokens: 'tokens', 'input-tokens': 'inputTokens', 'output-tokens': 'outputTokens' };
const openAiNames: Record<string, Measure> = { requests: 'requests', tokens: 'tokens' };
const fieldNames: Record<string, Field> = { limit: 'limit', remaining: 'remaining', reset: 'resetAtMs' };

const anthropicHeader = /^anthropic-ratelimit-(requests|tokens|input-tokens|output-tokens)-(limit|remaining|reset)$/;
const openAiHeader = /^x-ratelimit-(limit|remaining|reset)-(requests|tokens)$/;

/** Whether a response header says something about rate limits (the only headers passed on). */
export function isRateLimitHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'retry-after' || lower === 'retry-after-ms' || anthropicHeader.test(lower) || openAiHeader.test(lower);
}

/** The rate-limit headers of a response, names lower-cased; nothing else (no cookies, no ids). */
export function rateLimitHeadersOf(headers: { forEach(callback: (value: string, name: string) => void): void }): Record<string, string> {
  const picked: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (isRateLimitHeader(name)) picked[name.toLowerCase()] = value;
  });
  return picked;
}

export function parseRateLimitHeaders(headers: Readonly<Record<string, string>>, nowMs: number): RateLimitReading {
  const reading: RateLimitReading = {};
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const value = rawValue.trim();
    const anthropic = anthropicHeader.exec(name);
    const openAi = anthropic ? null : openAiHeader.exec(name);
    const measure = anthropic ? anthropicNames[anthropic[1] ?? ''] : openAi ? openAiNames[openAi[2] ?? ''] : undefined;
    const field = anthropic ? fieldNames[anthropic[2] ?? ''] : openAi ? fieldNames[openAi[1] ?? ''] : undefined;
    if (!measure || !field) continue;
    const number = field === 'resetAtMs' ? resetTime(value, nowMs) : count(value);
    if (number === undefined) continue;
    reading[measure] = { ...reading[measure], [field]: number };
  }
  const retryAfterMs = retryAfter(headers, nowMs);
  if (retryAfterMs !== undefined) reading.retryAfterMs = retryAfterMs;
  return reading;
}

/** `retry-after-ms` first (milliseconds), then `retry-after` as seconds or an HTTP date. */
function retryAfter(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const lookup = (wanted: string): string | undefined => Object.entries(headers).find(([name]) => name.toLowerCase() === wanted)?.[1]?.trim();
  const millis = lookup('retry-after-ms');
  if (millis !== undefined && /^\d+(\.\d+)?$/.test(millis)) return Number(millis);
  const after = lookup('retry-after');
  if (after === undefined || after === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function count(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/** A reset as a duration ("6m0s", "1s", "20ms"), an RFC 3339 time, or seconds (delta or epoch). */
function resetTime(value: string, nowMs: number): number | undefined {
  const duration = parseDurationMs(value);
  if (duration !== undefined) return nowMs + duration;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const seconds = Number(value);
    // A plain number this large is an epoch time, not a wait.
    return seconds > 1e9 ? seconds * 1000 : nowMs + seconds * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

const durationUnits: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** OpenAI's durations: "6m0s", "1h2m3.5s", "20ms", "0.5s". Undefined for anything else. */
export function parseDurationMs(value: string): number | undefined {
  const text = value.trim();
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(match[1]) * (durationUnits[match[2] ?? ''] ?? 0);
  return Math.round(total);
}
