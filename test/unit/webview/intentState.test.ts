import * as assert from 'node:assert/strict';
import type { IntentReply } from '../../../src/shared/messages';
import { failureOf, intentSent, noIntents, pendingIntent, replyReceived, runMoved } from '../../../webview-ui/src/intentState';

const ok = (requestId: string): IntentReply => ({ type: 'reply', requestId, result: { ok: true } });
const failed = (requestId: string, error: string): IntentReply => ({ type: 'reply', requestId, result: { ok: false, error } });

describe('webview intents in flight', () => {
  it('is pending from the click to the reply, and clears on an ok reply', () => {
    const sent = intentSent(noIntents, 'q1', 'confirmModel');
    assert.equal(pendingIntent(sent), 'confirm');
    const answered = replyReceived(sent, ok('q1'));
    assert.equal(pendingIntent(answered), undefined);
    assert.equal(failureOf(answered, 'confirmModel'), undefined);
  });

  it('clears pending on a failing reply and keeps the error for the control that sent it', () => {
    const state = replyReceived(intentSent(noIntents, 'q1', 'confirmModel'), failed('q1', 'The spec changed since it was shown.'));
    assert.equal(pendingIntent(state), undefined);
    assert.equal(failureOf(state, 'confirmModel'), 'The spec changed since it was shown.');
    assert.equal(failureOf(state, 'decideReview'), undefined);
  });

  it('ignores a reply to a request it never sent', () => {
    const sent = intentSent(noIntents, 'q1', 'decideReview');
    assert.deepEqual(replyReceived(sent, failed('forged', 'boom')), sent);
  });

  it('forgets an old error when the user acts again or the run moves on', () => {
    const failedConfirm = replyReceived(intentSent(noIntents, 'q1', 'confirmModel'), failed('q1', 'no'));
    assert.equal(failureOf(intentSent(failedConfirm, 'q2', 'confirmModel'), 'confirmModel'), undefined);
    assert.equal(failureOf(runMoved(failedConfirm), 'confirmModel'), undefined);
    assert.equal(pendingIntent(runMoved(intentSent(noIntents, 'q3', 'decideReview'))), 'decide', 'a request in flight still waits for its reply');
  });
});
