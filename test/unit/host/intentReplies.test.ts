// Every intent the webview sends is answered: ok, or the reason it failed, under the request id
// the webview chose. A forged or malformed message is never acted on and never crashes the host.
import * as assert from 'node:assert/strict';
import type { IntentMessage } from '../../../src/shared/messages.js';
import { answerWebviewMessage, type IntentHandlers } from '../../../src/vscode/messageRouter.js';

function handlers(intent: (message: IntentMessage) => Promise<void> = async () => undefined) {
  const seen: IntentMessage[] = [];
  const logged: string[] = [];
  let readyCount = 0;
  const host: IntentHandlers = {
    ready: () => {
      readyCount += 1;
    },
    intent: (message) => {
      seen.push(message);
      return intent(message);
    },
    log: (line) => logged.push(line),
  };
  return { host, seen, logged, readies: () => readyCount };
}

describe('intents answered by the host', () => {
  it('answers a successful intent with ok under its request id', async () => {
    const { host, seen } = handlers();
    const reply = await answerWebviewMessage({ type: 'cancelRun', runId: 'r1', requestId: 'q-1' }, host);
    assert.deepEqual(reply, { type: 'reply', requestId: 'q-1', result: { ok: true } });
    assert.deepEqual(seen, [{ type: 'cancelRun', runId: 'r1', requestId: 'q-1' }]);
  });

  it('answers a failing confirm with its error, whatever was thrown', async () => {
    const thrown: unknown[] = [new Error('The spec changed since it was shown.'), 'quota exceeded', { code: 42 }];
    for (const value of thrown) {
      const { host } = handlers(() => Promise.reject(value));
      const reply = await answerWebviewMessage({ type: 'confirmModel', runId: 'r1', requestId: 'q-2' }, host);
      assert.equal(reply?.type, 'reply');
      assert.equal(reply?.requestId, 'q-2');
      assert.equal(reply?.result.ok, false);
      if (reply?.result.ok === false) assert.equal(reply.result.error, value instanceof Error ? value.message : String(value));
    }
  });

  it('keeps a very long error short enough for the webview to accept', async () => {
    const { host } = handlers(() => Promise.reject(new Error('x'.repeat(100_000))));
    const reply = await answerWebviewMessage({ type: 'retryPhase', runId: 'r1', requestId: 'q-3' }, host);
    assert.ok(reply?.result.ok === false && reply.result.error.length <= 2_000);
  });

  it('answers ready with nothing and tells the host the webview listens', async () => {
    const { host, readies } = handlers();
    assert.equal(await answerWebviewMessage({ type: 'ready' }, host), undefined);
    assert.equal(readies(), 1);
  });

  it('never acts on a forged or malformed message, and never throws', async () => {
    const forged: unknown[] = [
      null,
      'confirmModel',
      42,
      { type: 'runShell', command: 'rm -rf /', requestId: 'q-4' },
      { type: 'confirmModel', runId: 'r1' },
      { type: 'confirmModel', runId: 'r1', requestId: '' },
      { type: 'confirmModel', runId: 'r1', requestId: 'q'.repeat(65) },
      { type: 'confirmModel', runId: 'r1', requestId: 7 },
      { type: 'decideReview', runId: 'r1', outcome: 'ship-it', requestId: 'q-5' },
      { type: 'openArtifact', runId: 'r1', path: 42, requestId: 'q-6' },
      Object.create(null),
    ];
    const { host, seen, logged } = handlers(() => Promise.reject(new Error('must not be called')));
    for (const raw of forged) await answerWebviewMessage(raw, host);
    assert.deepEqual(seen, []);
    assert.equal(logged.length, forged.length, 'each refusal is logged with its reason');
  });

  it('answers a refused message that names a usable request id, so the webview stops waiting', async () => {
    const { host } = handlers();
    const reply = await answerWebviewMessage({ type: 'decideReview', runId: 'r1', outcome: 'ship-it', requestId: 'q-7' }, host);
    assert.equal(reply?.requestId, 'q-7');
    assert.ok(reply?.result.ok === false && /outcome/.test(reply.result.error));
    assert.equal(await answerWebviewMessage({ type: 'confirmModel', runId: 'r1', requestId: 'q'.repeat(65) }, host), undefined);
  });
});
