import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnsweredQuestion } from '../../../src/core/questions/answeredQuestions.js';
import {
  answeredQuestionsForSpec,
  forgetAnsweredQuestion,
  parseAnsweredQuestions,
  readAnsweredQuestions,
  recordAnsweredQuestion,
} from '../../../src/core/questions/answeredQuestions.js';
import { RunStore } from '../../../src/core/workflow/runStore.js';
import { NodeArtifactStore } from '../../../src/node/nodeArtifactStore.js';

const answer = (id: string): AnsweredQuestion => ({ id, file: 'src/a.ts', line: 3, question: 'which cache?', answer: 'An LRU of 100.', answeredAt: '2026-11-27T00:00:00.000Z' });

describe('questions.json, the answers kept for a run', () => {
  let root: string;
  let store: RunStore;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-answers-'));
    store = new RunStore(new NodeArtifactStore(), root);
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('records, replaces by id, reads back and forgets answers', async () => {
    assert.deepEqual(await readAnsweredQuestions(store, 'r1'), { ok: true, questions: [] });
    await recordAnsweredQuestion(store, 'r1', answer('a'));
    await recordAnsweredQuestion(store, 'r1', answer('b'));
    await recordAnsweredQuestion(store, 'r1', { ...answer('a'), answer: 'A map.' });
    const read = await readAnsweredQuestions(store, 'r1');
    assert.ok(read.ok);
    assert.deepEqual(read.questions.map((q) => [q.id, q.answer]), [['b', 'An LRU of 100.'], ['a', 'A map.']]);
    await forgetAnsweredQuestion(store, 'r1', 'b');
    assert.deepEqual((await answeredQuestionsForSpec(store, 'r1')).answeredQuestions?.map((q) => q.id), ['a']);
  });

  for (const [what, text, error] of [
    ['not JSON', '{"version": 1,', /not JSON/],
    ['a wrong version', '{"version": 2, "questions": []}', /version/],
    ['an array at the top', '[]', /top level/],
    ['an entry of the wrong type', '{"version": 1, "questions": [{"id": 1}]}', /questions\.0\.id/],
    ['a negative line', JSON.stringify({ version: 1, questions: [{ ...answer('a'), line: -1 }] }), /questions\.0\.line/],
    ['an answer far too long', JSON.stringify({ version: 1, questions: [{ ...answer('a'), answer: 'x'.repeat(30_000) }] }), /questions\.0\.answer/],
    ['too many entries', JSON.stringify({ version: 1, questions: Array.from({ length: 201 }, (_, i) => answer(`q${i}`)) }), /questions/],
    ['null', 'null', /top level/],
  ] as const) {
    it(`refuses ${what} with an error that says where`, () => {
      const parsed = parseAnsweredQuestions(text);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, error);
    });
  }

  it('drops unknown keys, __proto__ included, without polluting anything', () => {
    const parsed = parseAnsweredQuestions(`{"version": 1, "questions": [${JSON.stringify(answer('a')).slice(0, -1)}, "__proto__": {"polluted": true}, "extra": 1}]}`);
    assert.ok(parsed.ok);
    assert.deepEqual(Object.keys(parsed.questions[0] ?? {}).sort(), ['answer', 'answeredAt', 'file', 'id', 'line', 'question']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('never overwrites a file it cannot read, and the spec goes on without it, saying why', async () => {
    const broken = '{"version": 1, "questions": [ oops';
    await store.writeArtifact('r1', 'questions.json', broken);
    await assert.rejects(recordAnsweredQuestion(store, 'r1', answer('a')), /not JSON.*left as it is/s);
    await assert.rejects(forgetAnsweredQuestion(store, 'r1', 'a'), /Fix or delete/);
    assert.equal(await store.readArtifact('r1', 'questions.json'), broken);
    const forSpec = await answeredQuestionsForSpec(store, 'r1');
    assert.equal(forSpec.answeredQuestions, undefined);
    assert.match(forSpec.warning ?? '', /left out of the spec: questions\.json is not JSON/);
  });
});
