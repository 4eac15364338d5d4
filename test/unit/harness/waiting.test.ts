import assert from 'node:assert/strict';
import { holdTimeout } from '../../support/heldTimeout.js';
import { waitUntil, within } from '../../support/waitUntil.js';

describe('waiting on an event with a bounded timeout', () => {
  it('resolves with the first truthy value the probe returns', async () => {
    let probes = 0;
    const value = await waitUntil(() => (++probes >= 3 ? 'there' : undefined), 'the probe never answered', 1_000, 1);
    assert.equal(value, 'there');
    assert.equal(probes, 3);
  });

  it('fails naming what never happened', async () => {
    await assert.rejects(waitUntil(() => false, 'the marker never appeared', 30, 1), /^Error: the marker never appeared \(waited 30 ms\)$/);
  });

  it('can say what was there instead', async () => {
    const seen = ['a tab'];
    await assert.rejects(waitUntil(() => false, () => `no such tab; open: ${seen.join(', ')}`, 30, 1), /no such tab; open: a tab \(waited 30 ms\)/);
  });

  it('passes a settled promise through, value or error', async () => {
    assert.equal(await within(Promise.resolve(7), 'never'), 7);
    await assert.rejects(within(Promise.reject(new Error('its own')), 'never'), /its own/);
  });

  it('rejects a promise that never settles, naming what never happened', async () => {
    await assert.rejects(within(new Promise(() => undefined), 'the reply never came', 30), /the reply never came \(waited 30 ms\)/);
  });
});

describe('holding back the timer of one duration', () => {
  it('fires a held timer only once released, and leaves other durations alone', async () => {
    const fired: string[] = [];
    const timeout = holdTimeout(37);
    try {
      setTimeout(() => fired.push('held'), 37);
      // Timers fire in order of their due time, so by this one the held one is due.
      await new Promise<void>((resolve) => setTimeout(() => resolve(), 38 * 3));
      fired.push('later');
      timeout.release();
    } finally {
      timeout.restore();
    }
    assert.deepEqual(fired, ['later', 'held']);
  });
});
