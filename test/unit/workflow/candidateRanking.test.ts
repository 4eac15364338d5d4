import assert from 'node:assert/strict';
import { candidateFacts } from '../../../src/core/workflow/candidateFacts.js';
import { rankCandidates, survivorsOf } from '../../../src/core/workflow/candidateRanking.js';
import { candidateDiff } from '../../../src/core/workflow/candidateArtifacts.js';
import { parseJudgeAnswer } from '../../../src/core/workflow/judgeAnswer.js';
import { modelNamesOf, withoutModelNames } from '../../../src/core/workflow/anonymise.js';
import type { BatchSpecOutcome, CandidateFacts, EndedCandidate } from '../../../src/core/workflow/runState.js';

const facts = (patch: Partial<CandidateFacts>): CandidateFacts => ({
  verificationPassed: true,
  verificationDetails: '`node --test` exited with code 0',
  refusals: 0,
  filesChanged: 2,
  linesAdded: 10,
  linesRemoved: 0,
  openQuestions: 0,
  tokens: 1000,
  ...patch,
});
const done = (label: string, patch: Partial<CandidateFacts>): EndedCandidate => ({ label, status: 'done', facts: facts(patch), files: [] });

describe('ranking competing candidates by their facts', () => {
  const table: { name: string; candidates: EndedCandidate[]; order: string[]; survivors: string[] }[] = [
    { name: 'passed verification first', candidates: [done('A', { verificationPassed: false }), done('B', {})], order: ['B', 'A'], survivors: ['B'] },
    { name: 'then fewer refusals', candidates: [done('A', { refusals: 2 }), done('B', { refusals: 1, openQuestions: 5 })], order: ['B', 'A'], survivors: ['B', 'A'] },
    { name: 'then fewer open questions', candidates: [done('A', { openQuestions: 1 }), done('B', { linesAdded: 500 })], order: ['B', 'A'], survivors: ['B', 'A'] },
    { name: 'then the smaller diff', candidates: [done('A', { linesAdded: 10, linesRemoved: 5 }), done('B', { linesAdded: 20, tokens: 1 })], order: ['A', 'B'], survivors: ['A', 'B'] },
    { name: 'then the cheaper, in dollars when both are priced', candidates: [done('A', { costUsd: 0.2, tokens: 10 }), done('B', { costUsd: 0.1, tokens: 9000 })], order: ['B', 'A'], survivors: ['B', 'A'] },
    { name: 'in tokens when one is unpriced', candidates: [done('A', { costUsd: 0.2, tokens: 10 }), done('B', { tokens: 9000 })], order: ['A', 'B'], survivors: ['A', 'B'] },
    { name: 'ties by label', candidates: [done('B', {}), done('A', {})], order: ['A', 'B'], survivors: ['A', 'B'] },
    { name: 'a candidate that changed nothing is excluded', candidates: [done('A', { filesChanged: 0, linesAdded: 0 }), done('B', {})], order: ['A', 'B'], survivors: ['B'] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const ranking = rankCandidates(row.candidates);
      assert.deepEqual(ranking.map((candidate) => candidate.label), row.order);
      assert.deepEqual(survivorsOf(ranking), row.survivors);
    });
  }

  it('says why each excluded candidate is not judged, a failed one last and unranked', () => {
    const ranking = rankCandidates([{ label: 'A', status: 'failed', error: 'the provider hung up\nstack', files: [] }, done('B', { verificationPassed: false, verificationDetails: '`npm test` exited with code 1' }), done('C', { filesChanged: 0 })]);
    assert.deepEqual(ranking, [
      { label: 'C', rank: 1, excluded: 'it changed nothing' },
      { label: 'B', rank: 2, excluded: 'its verification failed: `npm test` exited with code 1' },
      { label: 'A', excluded: 'it failed: the provider hung up' },
    ]);
    assert.deepEqual(survivorsOf(ranking), []);
  });
});

describe('a candidate\'s facts', () => {
  const outcome = (passed: boolean, refusals: number): BatchSpecOutcome => ({
    index: 0, file: 'code_spec.md', specId: 'S', title: 'T', command: 'node --test',
    verification: { passed, details: passed ? 'ok' : '`node --test` exited with code 1', build: 'CLEAN', output: '' },
    check: { command: 'node --test', timedOut: false, durationMs: 1 },
    summary: '', files: [], blockers: [], deviations: [], refusals,
  });
  it('counts changes, questions left in changed files only, refusals, tokens and priced cost', () => {
    const before = new Map<string, string | undefined>([['a.js', 'x\n'], ['b.js', undefined], ['c.js', '// TODO(architect): old?\n']]);
    const after = new Map<string, string | undefined>([['a.js', 'x\n// TODO(architect): why?\ny\n'], ['b.js', '# TODO(architect): which?\n'], ['c.js', '// TODO(architect): old?\n']]);
    const usage = { inputTokens: 100, outputTokens: 10, cacheReadTokens: 5, cacheWriteTokens: 0, thinkingTokens: 0 };
    const call = { at: '', phase: 'coder-implement', purpose: 'implement', provider: 'p', modelId: 'm', displayName: 'M', usage, durationMs: 1, outcome: 'ok', candidate: 'A' };
    const result = candidateFacts({ outcomes: [outcome(true, 1), outcome(false, 2)], before, after, calls: [{ ...call, costUsd: 0.5 }, call] });
    assert.deepEqual(result, {
      verificationPassed: false,
      verificationDetails: '`node --test` exited with code 1',
      refusals: 3,
      filesChanged: 2,
      linesAdded: 3,
      linesRemoved: 0,
      openQuestions: 2,
      tokens: 230,
      costUsd: 0.5,
    });
  });
});

describe('the judge\'s answer', () => {
  const labels = ['B', 'A'];
  const table: [string, string, { pick: string; reasons: string } | RegExp][] = [
    ['a bare object', '{"pick": "A", "reasons": "simplest"}', { pick: 'A', reasons: 'simplest' }],
    ['a fenced object after prose', 'I pick:\n```json\n{"pick": "Candidate b", "reasons": " clear "}\n```', { pick: 'B', reasons: 'clear' }],
    ['no reasons', '{"pick": "a"}', { pick: 'A', reasons: '' }],
    ['reasons of pages, cut to a paragraph', JSON.stringify({ pick: 'A', reasons: 'y'.repeat(9000) }), { pick: 'A', reasons: 'y'.repeat(2000) }],
    ['no JSON', 'B is best', /no JSON object/],
    ['broken JSON', '{"pick": "A",}', /malformed/],
    ['no pick', '{"choice": "A"}', /no "pick" string/],
    ['a letter not judged', '{"pick": "C"}', /"pick" is "C", not one of B, A/],
    ['a model name for a pick', '{"pick": "gpt-5"}', /not one of B, A/],
  ];
  for (const [name, answer, expected] of table) {
    it(name, () => {
      const parsed = parseJudgeAnswer(answer, labels);
      if (expected instanceof RegExp) {
        assert.ok(!parsed.ok);
        assert.match(parsed.error, expected);
      } else {
        assert.deepEqual(parsed, { ok: true, value: expected });
      }
    });
  }
});

describe('taking the Coders\' model names out of what the judge reads', () => {
  it('removes display names, ids, providers and endpoints in any case, the longest first', () => {
    const names = modelNamesOf([
      { provider: 'openai', modelId: 'gpt-4o', displayName: 'GPT-4o', thinking: 'none', isDemo: false },
      { provider: 'openai', modelId: 'gpt-4o-mini', displayName: 'GPT-4o mini', thinking: 'none', isDemo: false, endpoint: 'llm.example.com' },
    ]);
    assert.equal(withoutModelNames('// by gpt-4o-mini (GPT-4O MINI) via OpenAI at llm.example.com; gpt-4o too', names), '// by [a model] ([a model]) via [a model] at [a model]; [a model] too');
  });
});

describe('the diffs the judge reads', () => {
  it('are unified diffs per file, each cut at its cap and the whole at its own', () => {
    const big = Array.from({ length: 400 }, (_, line) => `line ${line}`).join('\n');
    const work = { label: 'A', outcomes: [], files: [{ path: 'a.js', before: 'x\n', after: 'y\n' }, { path: 'big.js', before: null, after: big }, { path: 'c.js', before: 'gone\n', after: null }] };
    const whole = candidateDiff(work);
    assert.match(whole, /--- a\/a\.js\n\+\+\+ b\/a\.js\n@@ -1,1 \+1,1 @@\n-x\n\+y/);
    assert.match(whole, /--- a\/c\.js[\s\S]*-gone/);
    const cut = candidateDiff(work, 500, 100_000);
    assert.match(cut, /… \(the diff of big\.js is cut here: \d+ characters in all\)/);
    assert.ok(cut.length < 1500);
    const capped = candidateDiff(work, 100_000, 1000);
    assert.match(capped, /… \(3 files in all; the rest is cut to keep the request small\)\n$/);
    assert.doesNotMatch(capped, /c\.js/);
  });
});
