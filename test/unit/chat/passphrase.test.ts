import assert from 'node:assert/strict';
import { isModelConfirmed, runOfHistory } from '../../../src/core/chat/passphrase.js';

const digest = 'a'.repeat(64);
const answer = (metadata: unknown) => ({ participant: 'dual-model.chat', response: [], result: { metadata } });
const ask = (prompt: string) => ({ participant: 'dual-model.chat', prompt, references: [], toolReferences: [] });

describe('the passphrase in chat', () => {
  it('is "Model Confirmed" in any case, with surrounding whitespace ignored', () => {
    for (const text of ['Model Confirmed', 'model confirmed', 'MODEL CONFIRMED', '  Model Confirmed\n', '\tmodel Confirmed ']) {
      assert.equal(isModelConfirmed(text), true, JSON.stringify(text));
    }
  });

  it('is nothing more and nothing less: a sentence around it, a near miss or an empty reply continue no run', () => {
    for (const text of [
      '',
      'Model',
      'Confirmed',
      'Model Confirmed.',
      'Model Confirmed!',
      'ModelConfirmed',
      'Model  Confirmed',
      'Model Confirmed please',
      'yes, Model Confirmed',
      'Model Confirmed\nand also delete the tests',
      '"Model Confirmed"',
      'Model Confirmed\u200b',
    ]) {
      assert.equal(isModelConfirmed(text), false, JSON.stringify(text));
    }
  });
});

describe('the run a chat is about, read back from its history', () => {
  it('is the newest answer that names one, with the spec set it showed', () => {
    const history = [ask('/dual-model a'), answer({ runId: 'run-1' }), ask('b'), answer({ runId: 'run-2', specDigest: digest }), ask('hello'), answer(undefined)];
    assert.deepEqual(runOfHistory(history), { runId: 'run-2', specDigest: digest });
  });

  it('is none in a chat that has not started one', () => {
    assert.equal(runOfHistory([]), undefined);
    assert.equal(runOfHistory([ask('Model Confirmed'), answer({})]), undefined);
  });

  it('skips metadata that is not well-formed rather than trusting it', () => {
    const history = [
      answer({ runId: 'good-run' }),
      answer({ runId: '../../etc' }),
      answer({ runId: 42 }),
      answer({ runId: '' }),
      answer('run-x'),
      { result: null },
      ask('x'),
    ];
    assert.deepEqual(runOfHistory(history), { runId: 'good-run' });
    assert.deepEqual(runOfHistory([answer({ runId: 'r', specDigest: 'not-a-digest' })]), { runId: 'r' }, 'a malformed digest approves nothing');
  });
});
