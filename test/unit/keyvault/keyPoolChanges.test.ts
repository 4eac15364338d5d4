// The pool tells its listeners that its use changed, at most once per quarter second however
// many leases come and go, and not at all once nothing changed or it is closed.
import assert from 'node:assert/strict';
import { KeyPool } from '../../../src/core/keyvault/keyPool.js';
import { ManualClock } from '../../support/manualClock.js';

describe('the key pool’s change event', () => {
  it('tells a burst of leases once, after the quarter second, and a reinstate too', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
    const pool = new KeyPool({ keys: () => [{ id: 'a', key: 'sk-ant-key-a-0000000000', label: 'a' }], limitsFor: () => ({}), clock });
    let heard = 0;
    pool.onDidChange(() => heard++);
    for (let request = 0; request < 3; request++) {
      const lease = await pool.acquire({ provider: 'anthropic', model: 'claude-sonnet-4-6', estimatedTokens: 10 }, new AbortController().signal);
      lease.settle({ kind: 'ok', tokens: 10 });
    }
    assert.equal(heard, 0, 'not before the quarter second');
    await clock.advance(250);
    assert.equal(heard, 1);
    await clock.advance(1000);
    assert.equal(heard, 1, 'nothing more changed');
    pool.reinstate('anthropic', 'a');
    await clock.advance(250);
    assert.equal(heard, 2);
    pool.dispose();
    pool.reinstate('anthropic', 'a');
    await clock.advance(250);
    assert.equal(heard, 2, 'a closed pool tells nobody');
  });
});
