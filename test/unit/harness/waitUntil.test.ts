import assert from 'node:assert/strict';
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

  it('passes a settled promise through, value or error', async () => {
    assert.equal(await within(Promise.resolve(7), 'never'), 7);
    await assert.rejects(within(Promise.reject(new Error('its own')), 'never'), /its own/);
  });

  it('rejects a promise that never settles, naming what never happened', async () => {
    await assert.rejects(within(new Promise(() => undefined), 'the reply never came', 30), /the reply never came \(waited 30 ms\)/);
  });
});
