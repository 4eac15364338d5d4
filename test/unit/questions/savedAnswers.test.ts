import assert from 'node:assert/strict';
import { MAX_SAVED_ANSWERS, parseSavedAnswers, withoutSavedAnswer, withSavedAnswer, type SavedAnswer } from '../../../src/core/questions/savedAnswers.js';

const answer = (n: number, uri = 'file:///w/src/a.js'): SavedAnswer => ({ uri, question: `question ${n}`, answer: `answer ${n}`, architect: 'Demo Architect', answeredAt: '2026-11-27T21:00:00.000Z' });

describe('the saved TODO(architect) answers', () => {
  it('survive a round trip through JSON storage', () => {
    const saved = withSavedAnswer(withSavedAnswer([], answer(1)), { ...answer(2), runId: 'run-1' });
    assert.deepEqual(parseSavedAnswers(JSON.parse(JSON.stringify(saved))), saved);
  });

  it('keep one answer per marker: asking again replaces it', () => {
    const saved = withSavedAnswer(withSavedAnswer([answer(1)], answer(2)), { ...answer(1), answer: 'a better answer' });
    assert.deepEqual(saved.map((entry) => entry.answer), ['answer 2', 'a better answer']);
    assert.deepEqual(withoutSavedAnswer(saved, answer(1).uri, 'question 1').map((entry) => entry.question), ['question 2']);
  });

  it('drop what does not validate, keeping the valid rest', () => {
    const raw = [answer(1), { ...answer(2), uri: '' }, 'text', null, { ...answer(3), answer: 42 }, answer(4)];
    assert.deepEqual(parseSavedAnswers(raw).map((entry) => entry.question), ['question 1', 'question 4']);
    assert.deepEqual(parseSavedAnswers({ not: 'a list' }), []);
    assert.deepEqual(parseSavedAnswers(undefined), []);
  });

  it('are bounded: the oldest go, and an overlong answer is cut rather than refused', () => {
    let saved: SavedAnswer[] = [];
    for (let n = 0; n < MAX_SAVED_ANSWERS + 5; n++) saved = withSavedAnswer(saved, answer(n));
    assert.equal(saved.length, MAX_SAVED_ANSWERS);
    assert.equal(saved[0]?.question, 'question 5');
    const long = withSavedAnswer([], { ...answer(1), answer: 'x'.repeat(50_000) });
    assert.equal(long[0]?.answer.length, 20_000);
    assert.equal(parseSavedAnswers(long).length, 1, 'what was saved reads back');
  });
});
