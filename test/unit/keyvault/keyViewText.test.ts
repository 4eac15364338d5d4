// What the Keys view says of a key: use against the limits, the reset, a cooldown and why, a
// revocation and why, the day's spend against its cap. Never the key's text.
import assert from 'node:assert/strict';
import type { KeySnapshot } from '../../../src/core/keyvault/keyPool.js';
import { daySpendText, keyDetails, keyState, stateText, todayText } from '../../../src/core/keyvault/keyViewText.js';

const now = new Date(2026, 10, 27, 13, 30).getTime();
const key = (extra: Partial<KeySnapshot> = {}): KeySnapshot => ({
  provider: 'google',
  id: 'k1',
  label: 'project A',
  masked: '••••3f9a',
  group: 'project-a',
  ownGroup: false,
  today: { requests: 12, tokens: 3400 },
  inFlight: 0,
  nextResetAt: new Date(2026, 10, 27, 23, 59).getTime(),
  models: [{ model: 'gemini-3-flash-preview', limits: { rpd: 250 }, lastWindow: { requests: 2, tokens: 200 }, today: 12 }],
  ...extra,
});

describe('the Keys view in words', () => {
  it("says today's use against the limits of the models used, and the next reset", () => {
    const lines = keyDetails(key(), now, false);
    assert.equal(todayText(key()), '12 requests, 3.4k tokens today');
    assert.ok(lines.includes('Quota group: project-a'));
    assert.ok(lines.some((line) => line.startsWith('gemini-3-flash-preview: 12 of 250 today (group), 2 in the last minute')), lines.join('\n'));
    assert.ok(lines.includes('Daily counters reset at 23:59'));
    assert.equal(keyState(key(), now), 'ok');
  });

  it('says a cooldown with its end and cause, and a revocation with its reason', () => {
    const cooling = key({ cooldownUntil: new Date(2026, 10, 27, 14, 2).getTime() });
    assert.equal(keyState(cooling, now), 'cooling');
    assert.equal(stateText(cooling, now), 'cooling down until 14:02, 429 from the provider');
    const revoked = key({ revoked: { reason: '401 API key not valid', at: now } });
    assert.equal(keyState(revoked, now), 'revoked');
    assert.equal(stateText(revoked, now), 'revoked: 401 API key not valid');
  });

  it('marks an environment key, and says a model with no limits of ours is learning', () => {
    const lines = keyDetails(key({ models: [{ model: 'claude-sonnet-4-6', limits: {}, lastWindow: { requests: 0, tokens: 0 }, today: 3 }] }), now, true);
    assert.match(lines[0] ?? '', /, from the environment$/);
    assert.ok(lines.some((line) => line.includes('no limits of ours: learning from the provider')));
    assert.ok(!lines.join('\n').includes('AIza'), 'never a key');
  });

  it("says the day's spend, and the cap when one is set", () => {
    assert.equal(daySpendText(0.034, undefined), 'today $0.03');
    assert.equal(daySpendText(0.034, 5), 'today $0.03 of $5.00');
  });
});
