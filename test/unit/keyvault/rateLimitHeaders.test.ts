import assert from 'node:assert/strict';
import { isRateLimitHeader, parseDurationMs, parseRateLimitHeaders, rateLimitHeadersOf } from '../../../src/core/keyvault/rateLimitHeaders.js';

const now = Date.parse('2026-11-27T12:00:00Z');

describe('rate-limit headers', () => {
  const durations: [string, number | undefined][] = [
    ['6m0s', 360_000],
    ['1s', 1000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['59.123s', 59_123],
    ['', undefined],
    ['soon', undefined],
    ['5', undefined],
    ['1m-2s', undefined],
  ];
  for (const [text, expected] of durations) {
    it(`reads the duration ${JSON.stringify(text)} as ${String(expected)}`, () => assert.equal(parseDurationMs(text), expected));
  }

  it("reads Anthropic's headers, reset as an RFC 3339 time", () => {
    const reading = parseRateLimitHeaders(
      {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': '2026-11-27T12:00:01Z',
        'anthropic-ratelimit-tokens-limit': '40000',
        'anthropic-ratelimit-tokens-remaining': '39000',
        'anthropic-ratelimit-tokens-reset': '2026-11-27T12:00:02Z',
        'anthropic-ratelimit-input-tokens-limit': '30000',
        'anthropic-ratelimit-input-tokens-remaining': '29500',
        'anthropic-ratelimit-input-tokens-reset': '2026-11-27T12:00:03Z',
        'anthropic-ratelimit-output-tokens-limit': '8000',
        'anthropic-ratelimit-output-tokens-remaining': '7500',
        'anthropic-ratelimit-output-tokens-reset': '2026-11-27T12:00:04.500Z',
      },
      now,
    );
    assert.deepEqual(reading, {
      requests: { limit: 50, remaining: 49, resetAtMs: now + 1000 },
      tokens: { limit: 40000, remaining: 39000, resetAtMs: now + 2000 },
      inputTokens: { limit: 30000, remaining: 29500, resetAtMs: now + 3000 },
      outputTokens: { limit: 8000, remaining: 7500, resetAtMs: now + 4500 },
    });
  });

  it("reads OpenAI's headers, reset as a duration, names in any case", () => {
    const reading = parseRateLimitHeaders(
      {
        'X-RateLimit-Limit-Requests': '60',
        'x-ratelimit-remaining-requests': '59',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-limit-tokens': '150000',
        'x-ratelimit-remaining-tokens': '149984',
        'x-ratelimit-reset-tokens': '6m0s',
      },
      now,
    );
    assert.deepEqual(reading, {
      requests: { limit: 60, remaining: 59, resetAtMs: now + 1000 },
      tokens: { limit: 150000, remaining: 149984, resetAtMs: now + 360_000 },
    });
  });

  const retryAfters: [Record<string, string>, number | undefined][] = [
    [{ 'retry-after': '12' }, 12_000],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after-ms': '250', 'retry-after': '1' }, 250],
    [{ 'Retry-After': 'Fri, 27 Nov 2026 12:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Fri, 27 Nov 2026 11:00:00 GMT' }, 0],
    [{ 'retry-after': 'later' }, undefined],
    [{ 'retry-after-ms': 'x', 'retry-after': '2' }, 2000],
  ];
  for (const [headers, expected] of retryAfters) {
    it(`reads ${JSON.stringify(headers)} as a wait of ${String(expected)} ms`, () => assert.equal(parseRateLimitHeaders(headers, now).retryAfterMs, expected));
  }

  it('skips values it cannot read instead of guessing, and keeps the rest', () => {
    const reading = parseRateLimitHeaders({ 'x-ratelimit-limit-requests': 'many', 'x-ratelimit-remaining-requests': '-1', 'x-ratelimit-reset-requests': 'whenever', 'x-ratelimit-limit-tokens': '100' }, now);
    assert.deepEqual(reading, { tokens: { limit: 100 } });
  });

  it('reads a plain-number reset as seconds from now, or an epoch time when it is one', () => {
    assert.equal(parseRateLimitHeaders({ 'x-ratelimit-reset-requests': '3' }, now).requests?.resetAtMs, now + 3000);
    assert.equal(parseRateLimitHeaders({ 'x-ratelimit-reset-requests': String((now + 5000) / 1000) }, now).requests?.resetAtMs, now + 5000);
  });

  it('passes on only rate-limit headers, never cookies, ids or auth echoes', () => {
    const headers = new Headers({ 'set-cookie': 'session=1', 'request-id': 'req_1', authorization: 'Bearer sk-x', 'x-ratelimit-remaining-requests': '3', 'Retry-After': '1', 'anthropic-ratelimit-tokens-reset': 'x' });
    assert.deepEqual(rateLimitHeadersOf(headers), { 'x-ratelimit-remaining-requests': '3', 'retry-after': '1', 'anthropic-ratelimit-tokens-reset': 'x' });
    assert.equal(isRateLimitHeader('x-ratelimit-limit-widgets'), false);
  });
});
