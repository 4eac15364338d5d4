import assert from 'node:assert/strict';
import { routeWebviewMessage } from '../../../src/vscode/messageRouter.js';

describe('webview messages reaching the host', () => {
  it('accepts every intent of the union', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'confirmModel', runId: 'r1', requestId: 'q1' },
      { type: 'decideReview', runId: 'r1', outcome: 'redesign', notes: 'why', requestId: 'q2' },
      { type: 'cancelRun', runId: 'r1', requestId: 'q3' },
      { type: 'retryPhase', runId: 'r1', requestId: 'q4' },
      { type: 'resumeRun', runId: 'r1', requestId: 'q5' },
      { type: 'openArtifact', runId: 'r1', path: 'code_spec.md', requestId: 'q6' },
      { type: 'startRun', requestId: 'q7' },
      { type: 'continueBatch', runId: 'r1', choice: 'go-on', requestId: 'q8' },
      { type: 'continueBatch', runId: 'r1', choice: 'stop', requestId: 'q9' },
    ]) {
      assert.deepEqual(routeWebviewMessage(message), { ok: true, message });
    }
  });

  it('refuses anything of the wrong shape, saying what was wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /type none/],
      ['confirmModel', /type none/],
      [{ type: 'runShell', command: 'rm -rf /' }, /type "runShell"/],
      [{ type: 'confirmModel', requestId: 'q1' }, /runId/],
      [{ type: 'confirmModel', runId: '', requestId: 'q1' }, /runId/],
      [{ type: 'confirmModel', runId: 'r1' }, /requestId/],
      [{ type: 'decideReview', runId: 'r1', outcome: 'ship-it', requestId: 'q1' }, /outcome/],
      [{ type: 'decideReview', runId: 'r1', outcome: 'approved', notes: 'x'.repeat(20_001), requestId: 'q1' }, /notes/],
      [{ type: 'openArtifact', runId: 'r1', path: 42, requestId: 'q1' }, /path/],
      [{ type: 'continueBatch', runId: 'r1', choice: 'skip-to-end', requestId: 'q1' }, /choice/],
      [{ type: 'continueBatch', runId: 'r1', requestId: 'q1' }, /choice/],
    ];
    for (const [raw, reason] of cases) {
      const routed = routeWebviewMessage(raw);
      assert.equal(routed.ok, false, JSON.stringify(raw)?.slice(0, 80));
      if (!routed.ok) assert.match(routed.reason, reason);
    }
  });
});
