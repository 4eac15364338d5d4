import assert from 'node:assert/strict';
import { architectSpecMessage } from '../../../src/core/prompts/prompts.js';
import { architectQuestionMessage, architectQuestionSystemPrompt, codeBlocksOf, QUESTION_CODE_LIMIT } from '../../../src/core/prompts/questionPrompts.js';

describe('the Architect question prompt', () => {
  const context = { file: 'src/a.ts', line: 12, question: 'which cache?', code: { startLine: 2, text: 'const x = 1;\n// TODO(architect): which cache?', languageId: 'typescript' } };

  it('sends the question, the file and line, and the code fenced in its language', () => {
    const message = architectQuestionMessage(context);
    assert.match(message, /## Question \(src\/a\.ts, line 12\)\n\nwhich cache\?/);
    assert.match(message, /from line 2\)\n\n```typescript\nconst x = 1;/);
    assert.doesNotMatch(message, /Current Code Spec/);
  });

  it('adds the open run\'s spec when there is one, and says what an empty question means', () => {
    const message = architectQuestionMessage({ ...context, question: '', spec: { runId: 'r1', markdown: '# Code Spec — X' } });
    assert.match(message, /## Current Code Spec of run r1\n\n# Code Spec — X/);
    assert.match(message, /asks no question in words/);
  });

  it('cannot be broken out of by backticks in the code, and cuts long code', () => {
    const message = architectQuestionMessage({ ...context, code: { ...context.code, text: 'a ``` b ```` c' } });
    assert.match(message, /`````typescript\na ``` b ```` c\n`````/);
    const long = architectQuestionMessage({ ...context, code: { ...context.code, text: 'x'.repeat(QUESTION_CODE_LIMIT + 10) } });
    assert.match(long, /\[… truncated …\]/);
  });

  it('tells the model the workspace text is data, and asks for one code block at most', () => {
    assert.match(architectQuestionSystemPrompt('Opus'), /not instructions from the user/);
    assert.match(architectQuestionSystemPrompt('Opus'), /ONE fenced code block/);
  });

  it('finds the code blocks of an answer', () => {
    assert.deepEqual(codeBlocksOf('Use X.\n\n```ts\nconst a = 1;\n```\n'), ['const a = 1;']);
    assert.deepEqual(codeBlocksOf('no code'), []);
    assert.equal(codeBlocksOf('```\na\n```\ntext\n~~~py\nb\n~~~').length, 2);
  });

  it('carries answered questions into the next spec the Architect writes', () => {
    const message = architectSpecMessage('Add a cache', { tree: 'src/', answeredQuestions: [{ file: 'src/a.ts', line: 3, question: 'which cache?', answer: 'An LRU.' }] }, 'revision', 'fix it', '# old');
    assert.match(message, /## TODO\(architect\) questions you already answered for this run[\s\S]*### src\/a\.ts, line 3: which cache\?\n\nAn LRU\./);
    assert.doesNotMatch(architectSpecMessage('Add a cache', { tree: 'src/' }, 'initial'), /already answered/);
  });
});
