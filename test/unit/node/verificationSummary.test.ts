// The last line of the verification's terminal says the same as the report: the limit a killed
// run hit, and how the command ran.
import assert from 'node:assert/strict';
import { verificationSummary } from '../../../src/node/verificationSummary.js';

describe('verificationSummary', () => {
  it('names the limit a timed-out run hit, not the time it took to stop', () => {
    const line = verificationSummary({ exitCode: undefined, output: '', timedOut: true, durationMs: 7040, timeLimitMs: 5000, sandbox: 'sandboxed' });
    assert.match(line, /timed out at the 5 s limit/);
    assert.doesNotMatch(line, /timed out after 7/);
  });

  it('gives the exit code, the time and how it ran', () => {
    assert.equal(verificationSummary({ exitCode: 0, output: '', timedOut: false, durationMs: 1234, sandbox: 'sandboxed' }), '[dual-model] exit code 0 in 1.2 s (sandboxed)');
    assert.equal(verificationSummary({ exitCode: 2, output: '', timedOut: false, durationMs: 50, sandbox: 'unavailable: no sandbox on darwin yet' }), '[dual-model] exit code 2 in 0.1 s (not sandboxed: no sandbox on darwin yet)');
    assert.equal(verificationSummary({ exitCode: undefined, output: '', timedOut: false, durationMs: 0, notRun: 'cancelled' }), '[dual-model] not run: cancelled');
  });
});
