import * as assert from 'node:assert/strict';
import { decideReviewMessage, validateOutgoing, withRequestId } from '../../../webview-ui/src/intents';
import { maxNotesChars } from '../../../webview-ui/src/panelState';

describe('webview intents', () => {
  it('sends trimmed notes with a decision, and none when blank', () => {
    assert.deepEqual(decideReviewMessage('r1', 'revisions-needed', '  tighten the backoff \n'), {
      type: 'decideReview',
      runId: 'r1',
      outcome: 'revisions-needed',
      notes: 'tighten the backoff',
    });
    assert.deepEqual(decideReviewMessage('r1', 'approved', '   '), { type: 'decideReview', runId: 'r1', outcome: 'approved' });
  });

  it('never builds notes longer than the host accepts', () => {
    const message = decideReviewMessage('r1', 'redesign', 'n'.repeat(maxNotesChars + 50));
    assert.ok(validateOutgoing(withRequestId(message, 'q1')));
    assert.equal(message.type === 'decideReview' ? message.notes?.length : -1, maxNotesChars);
  });

  it('refuses a message the host would reject', () => {
    assert.equal(validateOutgoing({ type: 'confirmModel', runId: '', requestId: 'q1' }), undefined);
    assert.equal(validateOutgoing({ type: 'confirmModel', runId: 'r1', requestId: '' }), undefined);
    assert.deepEqual(validateOutgoing({ type: 'ready' }), { type: 'ready' });
  });
});
