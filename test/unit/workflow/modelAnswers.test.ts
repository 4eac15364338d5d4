import assert from 'node:assert/strict';
import { extractSpecMarkdown, parseVerdictAnswer, splitBatch } from '../../../src/core/workflow/modelAnswers.js';

describe('reading model answers', () => {
  it('finds the spec inside chatter and fences', () => {
    assert.equal(extractSpecMarkdown('Sure! Here it is:\n\n# Code Spec — X\n\nbody'), '# Code Spec — X\n\nbody\n');
    assert.equal(extractSpecMarkdown('```markdown\n# Code Spec — X\n\n```bash\nnpm test\n```\n```'), '# Code Spec — X\n\n```bash\nnpm test\n```\n');
  });

  it('splits batch specs on a --- line before the next spec', () => {
    const parts = splitBatch('# Code Spec — A\n\na\n\n---\n\n# Code Spec — B\n\nb\n');
    assert.deepEqual(parts, ['# Code Spec — A\n\na\n', '# Code Spec — B\n\nb\n']);
    assert.equal(splitBatch('# Code Spec — A\n\n---\n\nnot a spec').length, 1);
  });

  it('reads a verdict from a fence or bare JSON, normalising the outcome', () => {
    const fenced = parseVerdictAnswer('Looks good.\n```json\n{"outcome": "Approved", "reasons": "fine"}\n```');
    assert.deepEqual(fenced, { ok: true, value: { outcome: 'approved', reasons: 'fine', blockerAnswers: [] } });
    const bare = parseVerdictAnswer('{"outcome":"revisions needed","reasons":"r","blockerAnswers":[{"question":"q","answer":"a"}],"revisedSpec":"# Code Spec — Y"}');
    assert.ok(bare.ok && bare.value.outcome === 'revisions-needed' && bare.value.revisedSpec === '# Code Spec — Y');
    assert.ok(parseVerdictAnswer('{"outcome": "Fundamental redesign"}').ok);
  });

  it('explains garbage', () => {
    assert.deepEqual(parseVerdictAnswer('I think it is fine'), { ok: false, error: 'the answer contains no JSON object' });
    const malformed = parseVerdictAnswer('```json\n{"outcome": approved}\n```');
    assert.ok(!malformed.ok && /malformed/.test(malformed.error));
    const wrong = parseVerdictAnswer('{"outcome": "maybe"}');
    assert.ok(!wrong.ok && /field "outcome"/.test(wrong.error));
  });
});
