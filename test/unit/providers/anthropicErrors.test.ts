import assert from 'node:assert/strict';
import { retryAfterMs } from '../../../src/providers/anthropic/anthropicErrors.js';

describe('Anthropic retry-after', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  const headers = (entries: Record<string, string>): Headers => new Headers(entries);

  it('reads retry-after-ms first, then retry-after as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
    assert.equal(retryAfterMs(headers({ 'retry-after': '3' }), now), 3000);
    assert.equal(retryAfterMs(headers({ 'retry-after': '1.5' }), now), 1500);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Tue, 24 Nov 2026 12:00:20 GMT' }), now), 20_000);
  });

  it('gives no delay it cannot read, and none below zero', () => {
    assert.equal(retryAfterMs(undefined, now), undefined);
    assert.equal(retryAfterMs(headers({}), now), undefined);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': 'x', 'retry-after': '2' }), now), 2000);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Tue, 24 Nov 2026 11:59:00 GMT' }), now), 0);
  });
});
