import assert from 'node:assert/strict';
import { routeWebviewMessage } from '../../../src/vscode/messageRouter.js';

describe('webview messages reaching the host', () => {
  it('accepts every intent of the union', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'confirmModel', runId: 'r1' },
      { type: 'decideReview', runId: 'r1', outcome: 'redesign', notes: 'why' },
      { type: 'cancelRun', runId: 'r1' },
      { type: 'retryPhase', runId: 'r1' },
      { type: 'openArtifact', runId: 'r1', path: 'code_spec.md' },
      { type: 'startRun' },
    ]) {
      assert.deepEqual(routeWebviewMessage(message), { ok: true, message });
    }
  });

  it('refuses anything of the wrong shape, saying what was wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /type none/],
      ['confirmModel', /type none/],
      [{ type: 'runShell', command: 'rm -rf /' }, /type "runShell"/],
      [{ type: 'confirmModel' }, /runId/],
      [{ type: 'confirmModel', runId: '' }, /runId/],
      [{ type: 'decideReview', runId: 'r1', outcome: 'ship-it' }, /outcome/],
      [{ type: 'decideReview', runId: 'r1', outcome: 'approved', notes: 'x'.repeat(20_001) }, /notes/],
      [{ type: 'openArtifact', runId: 'r1', path: 42 }, /path/],
    ];
    for (const [raw, reason] of cases) {
      const routed = routeWebviewMessage(raw);
      assert.equal(routed.ok, false, JSON.stringify(raw)?.slice(0, 80));
      if (!routed.ok) assert.match(routed.reason, reason);
    }
  });
});
