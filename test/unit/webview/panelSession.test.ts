// The panel's session without a DOM: a recording painter stands in for the DOM view (the DOM
// is not what is under test); messages arrive as the raw payloads postMessage would deliver.
import * as assert from 'node:assert/strict';
import type { IntentMessage, WebviewMessage } from '../../../src/shared/messages';
import { failureOf, pendingIntent, type IntentState } from '../../../webview-ui/src/intentState';
import { createPanelSession } from '../../../webview-ui/src/panelSession';
import type { PanelState } from '../../../webview-ui/src/panelState';
import { hardStopToCoderRun } from './runViewFixtures';

function mountPanel() {
  const posted: WebviewMessage[] = [];
  const painted: { state: PanelState; intents: IntentState }[] = [];
  const session = createPanelSession(
    { post: (message) => posted.push(message), getState: () => undefined, setState: () => undefined },
    (state, intents) => painted.push({ state, intents }),
  );
  session.start();
  const last = () => {
    const latest = painted[painted.length - 1];
    if (latest === undefined) throw new Error('the panel never painted');
    return latest;
  };
  const lastIntent = (): IntentMessage => {
    const message = posted[posted.length - 1];
    if (message === undefined || message.type === 'ready') throw new Error('the panel sent no intent');
    return message;
  };
  return { posted, receive: (data: unknown) => session.receive(data), last, lastIntent, clicks: session.intents };
}

describe('webview panel session', () => {
  it('a failing confirm clears pending and shows the error by the HARD STOP', () => {
    const panel = mountPanel();
    panel.receive({ type: 'snapshot', run: hardStopToCoderRun });
    panel.clicks.confirmModel(hardStopToCoderRun.runId);
    const sent = panel.lastIntent();
    assert.equal(sent.type, 'confirmModel');
    assert.equal(pendingIntent(panel.last().intents), 'confirm');

    panel.clicks.confirmModel(hardStopToCoderRun.runId);
    assert.equal(panel.posted.filter((message) => message.type === 'confirmModel').length, 1, 'a second click while waiting sends nothing');

    panel.receive({ type: 'reply', requestId: sent.requestId, result: { ok: false, error: 'The spec changed since it was shown.' } });
    assert.equal(pendingIntent(panel.last().intents), undefined);
    assert.equal(failureOf(panel.last().intents, 'confirmModel'), 'The spec changed since it was shown.');

    panel.clicks.confirmModel(hardStopToCoderRun.runId);
    assert.equal(panel.posted.filter((message) => message.type === 'confirmModel').length, 2, 'the button works again after the error');
    assert.equal(failureOf(panel.last().intents, 'confirmModel'), undefined, 'a new click clears the old error');
  });

  it('gives every intent its own request id', () => {
    const panel = mountPanel();
    panel.receive({ type: 'snapshot', run: hardStopToCoderRun });
    panel.clicks.send({ type: 'cancelRun', runId: hardStopToCoderRun.runId });
    panel.clicks.send({ type: 'retryPhase', runId: hardStopToCoderRun.runId });
    const ids = panel.posted.flatMap((message) => (message.type === 'ready' ? [] : [message.requestId]));
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
  });

  it('survives forged and malformed host messages without acting on them', () => {
    const panel = mountPanel();
    panel.receive({ type: 'snapshot', run: hardStopToCoderRun });
    panel.clicks.confirmModel(hardStopToCoderRun.runId);
    const sent = panel.lastIntent();
    const before = panel.last();
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      for (const forged of [
        null,
        'reply',
        { type: 'reply', requestId: 'someone-else', result: { ok: false, error: 'forged' } },
        { type: 'reply', requestId: sent.requestId, result: { ok: false } },
        { type: 'reply', requestId: sent.requestId, result: { ok: 'yes' } },
        { type: 'reply', requestId: sent.requestId, result: { ok: false, error: 'x'.repeat(2_001) } },
        { type: 'confirmModel', runId: 'r', requestId: sent.requestId },
      ]) {
        panel.receive(forged);
      }
    } finally {
      console.warn = warn;
    }
    assert.equal(pendingIntent(panel.last().intents), 'confirm', 'still waiting for the real reply');
    assert.equal(panel.last().intents.failure, undefined);
    assert.deepEqual(panel.last().state, before.state);
    panel.receive({ type: 'reply', requestId: sent.requestId, result: { ok: true } });
    assert.equal(pendingIntent(panel.last().intents), undefined);
  });

  it('drops an error about a phase the run has left', () => {
    const panel = mountPanel();
    panel.receive({ type: 'snapshot', run: hardStopToCoderRun });
    panel.clicks.confirmModel(hardStopToCoderRun.runId);
    panel.receive({ type: 'reply', requestId: panel.lastIntent().requestId, result: { ok: false, error: 'no' } });
    panel.receive({ type: 'snapshot', run: { ...hardStopToCoderRun, phase: 'coder-implement', phaseNumber: 3, hardStop: undefined } });
    assert.equal(panel.last().intents.failure, undefined);
  });
});
