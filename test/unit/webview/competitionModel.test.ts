// The candidates of a competitive run as the panel shows them, on plain Node: one column each,
// with its facts, rank, why it was excluded, its files and the judge's pick; "Apply this one"
// while the run waits (the judge's pick the primary button); the model only once it is known.
import assert from 'node:assert/strict';
import type { CompetitionView } from '../../../src/core/workflow/competitionView';
import { CompetitionViewSchema } from '../../../src/core/workflow/competitionView';
import { RunViewSchema } from '../../../src/core/workflow/runViewSchema';
import { toCompetitionModel } from '../../../webview-ui/src/competitionModel';
import { competitiveRun, threeCandidates } from './runViewFixtures';

describe('the candidates of a competitive run in the panel', () => {
  it('reads a view the host could really send', () => {
    assert.equal(CompetitionViewSchema.safeParse(threeCandidates).success, true);
    assert.equal(RunViewSchema.safeParse(competitiveRun).success, true);
  });

  it('renders three candidates (one excluded, the judge’s pick, awaiting the user’s pick) as this snapshot', () => {
    assert.deepEqual(toCompetitionModel(threeCandidates), {
      heading: 'Competitive (best-of-N): 3 candidates',
      status: 'The Architect picked candidate B. Apply one to the workspace: the judge’s pick, or another.',
      judge: { pick: 'B', reasons: 'B passes every test with the smallest change and no open question.' },
      columns: [
        {
          label: 'A',
          title: 'Candidate A',
          status: 'Done',
          message: undefined,
          rank: 'Rank 2',
          picked: false,
          applied: false,
          excluded: undefined,
          model: undefined,
          facts: [
            ['Verification', '✅ passed: `npm test` exited with code 0'],
            ['Refusals', '0'],
            ['Files', '2 · +30 −4'],
            ['Open questions', '1'],
            ['Tokens', '41,200'],
            ['Cost', '$0.21'],
          ],
          files: [
            { path: 'src/slugify.ts', change: 'Created · +24 −0' },
            { path: 'src/index.ts', change: 'Modified · +6 −4' },
          ],
          apply: { label: 'Apply this one', primary: false },
        },
        {
          label: 'B',
          title: 'Candidate B',
          status: 'Done',
          message: undefined,
          rank: 'Rank 1',
          picked: true,
          applied: false,
          excluded: undefined,
          model: undefined,
          facts: [
            ['Verification', '✅ passed: `npm test` exited with code 0'],
            ['Refusals', '0'],
            ['Files', '1 · +18 −0'],
            ['Open questions', '0'],
            ['Tokens', '28,950'],
            ['Cost', 'no price'],
          ],
          files: [{ path: 'src/slugify.ts', change: 'Created · +18 −0' }],
          apply: { label: 'Apply this one (the judge’s pick)', primary: true },
        },
        {
          label: 'C',
          title: 'Candidate C',
          status: 'Done',
          message: undefined,
          rank: undefined,
          picked: false,
          applied: false,
          excluded: 'Excluded: its verification failed',
          model: undefined,
          facts: [
            ['Verification', '❌ failed: `npm test` exited with code 1'],
            ['Refusals', '2'],
            ['Files', '1 · +9 −1'],
            ['Open questions', '0'],
            ['Tokens', '19,004'],
            ['Cost', '$0.05'],
          ],
          files: [{ path: 'src/slugify.ts', change: 'Created · +9 −1' }],
          apply: { label: 'Apply this one', primary: false },
        },
      ],
    });
  });

  it('offers no Apply once the user has picked, and then names each model and the one applied', () => {
    const picked: CompetitionView = {
      ...threeCandidates,
      awaitingPick: false,
      applied: 'A',
      candidates: threeCandidates.candidates.map((candidate) => ({ ...candidate, model: { displayName: `Model ${candidate.label}`, modelId: `m-${candidate.label}`, provider: 'google' } })),
    };
    const model = toCompetitionModel(picked);
    assert.ok(model.columns.every((column) => column.apply === undefined));
    assert.deepEqual(model.columns.map((column) => [column.title, column.model, column.applied]), [
      ['Candidate A', 'Model A (google/m-A)', true],
      ['Candidate B', 'Model B (google/m-B)', false],
      ['Candidate C', 'Model C (google/m-C)', false],
    ]);
    assert.equal(model.status, 'Candidate A was applied to the workspace.');
  });

  it('shows a candidate at work or failed with its message, and no Apply for it', () => {
    const model = toCompetitionModel({
      awaitingPick: true,
      candidates: [
        { label: 'A', status: 'working', message: 'Running `npm test`…', files: [] },
        { label: 'B', status: 'failed', message: 'The model kept failing (rate limit).', files: [] },
      ],
    });
    assert.deepEqual(model.columns.map((column) => [column.status, column.message, column.apply, column.facts.length]), [
      ['Working…', 'Running `npm test`…', undefined, 0],
      ['Failed', 'The model kept failing (rate limit).', undefined, 0],
    ]);
    assert.equal(model.judge, undefined);
  });
});
