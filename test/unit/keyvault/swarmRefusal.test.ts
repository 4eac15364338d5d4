// The swarm's rule for an answer that is not one: empty, or a short refusal. A long answer that
// mentions what it cannot do is still an answer, and is not escalated.
import assert from 'node:assert/strict';
import { unusableAnswer } from '../../../src/core/keyvault/swarmGeneration.js';

describe('what the swarm escalates', () => {
  it('an empty or blank answer', () => {
    assert.equal(unusableAnswer(''), 'the answer was empty');
    assert.equal(unusableAnswer(' \n\t '), 'the answer was empty');
  });

  it('a short refusal, however it is worded', () => {
    for (const text of ["I can't help with that.", 'I cannot do this task.', 'I’m sorry, but I can’t assist.', "I'm unable to write that code.", 'Sorry, I can not help.', 'As an AI, I will not do that.', 'Unfortunately, I am not able to.']) {
      assert.equal(unusableAnswer(text), 'the model declined the task', text);
    }
  });

  it('not an answer that does the work, even one that says what it cannot do', () => {
    assert.equal(unusableAnswer('fn add(a: i32, b: i32) -> i32 { a + b }'), undefined);
    assert.equal(unusableAnswer(`I can't use unsafe here, so this version copies the buffer instead:\n${'let copy = buffer.clone();\n'.repeat(20)}`), undefined);
    assert.equal(unusableAnswer('Icons are in the assets folder.'), undefined);
  });
});
