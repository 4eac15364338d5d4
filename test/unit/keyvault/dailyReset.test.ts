import assert from 'node:assert/strict';
import { dayOf, dayStartMs, defaultDailyReset, nextResetMs, pacific } from '../../../src/core/keyvault/dailyReset.js';

const at = (iso: string): number => Date.parse(iso);
const la = { timeZone: pacific };
const utc = { timeZone: 'UTC' };

describe('daily reset', () => {
  it('resets Gemini at midnight Pacific and the others at midnight UTC', () => {
    assert.deepEqual(defaultDailyReset('google'), la);
    assert.deepEqual(defaultDailyReset('anthropic'), utc);
    assert.deepEqual(defaultDailyReset('openai-compatible'), utc);
  });

  it('puts an instant in its Pacific day: 07:59 UTC is still yesterday in winter (PST, UTC−8)', () => {
    assert.equal(dayOf(at('2026-01-15T07:59:59Z'), la), '2026-01-14');
    assert.equal(dayOf(at('2026-01-15T08:00:00Z'), la), '2026-01-15');
    assert.equal(dayStartMs(at('2026-01-15T20:00:00Z'), la), at('2026-01-15T08:00:00Z'));
    assert.equal(nextResetMs(at('2026-01-15T20:00:00Z'), la), at('2026-01-16T08:00:00Z'));
  });

  it('moves the reset an hour in summer (PDT, UTC−7)', () => {
    assert.equal(dayStartMs(at('2026-07-04T12:00:00Z'), la), at('2026-07-04T07:00:00Z'));
    assert.equal(nextResetMs(at('2026-07-04T06:59:59Z'), la), at('2026-07-04T07:00:00Z'));
  });

  it('has a 23-hour day when the clocks go forward (8 March 2026) and a 25-hour one when they go back (1 November 2026)', () => {
    const springStart = dayStartMs(at('2026-03-08T18:00:00Z'), la);
    assert.equal(springStart, at('2026-03-08T08:00:00Z'), 'the day began in PST');
    assert.equal(nextResetMs(springStart, la) - springStart, 23 * 3_600_000);
    assert.equal(nextResetMs(springStart, la), at('2026-03-09T07:00:00Z'), 'and ends in PDT');

    const fallStart = dayStartMs(at('2026-11-01T18:00:00Z'), la);
    assert.equal(fallStart, at('2026-11-01T07:00:00Z'), 'the day began in PDT');
    assert.equal(nextResetMs(fallStart, la) - fallStart, 25 * 3_600_000);
    assert.equal(dayOf(at('2026-11-02T07:30:00Z'), la), '2026-11-01', '23:30 PST is still the 1st');
  });

  it('rolls over month and year ends, and the reset is exactly the next day start', () => {
    assert.equal(nextResetMs(at('2026-12-31T23:00:00Z'), utc), at('2027-01-01T00:00:00Z'));
    assert.equal(nextResetMs(at('2027-01-01T07:00:00Z'), la), at('2027-01-01T08:00:00Z'));
    for (let hour = 0; hour < 24 * 400; hour += 7) {
      const instant = at('2026-01-01T00:00:00Z') + hour * 3_600_000;
      const next = nextResetMs(instant, la);
      assert.ok(next > instant);
      assert.equal(dayStartMs(next, la), next, `the reset after ${new Date(instant).toISOString()} starts a day`);
      assert.notEqual(dayOf(next, la), dayOf(instant, la));
      assert.equal(dayOf(next - 1, la), dayOf(instant, la));
    }
  });

  it('refuses a time zone that does not exist', () => {
    assert.throws(() => dayOf(0, { timeZone: 'Mars/Olympus_Mons' }), RangeError);
  });
});
