// The two intents of a competitive run's panel, as they reach the host: "Apply this one" and
// "View diff" of one candidate's file. The webview is untrusted: a huge label or path, a path out
// of the workspace, a candidate that does not exist are all refused before the engine is asked.
import assert from 'node:assert/strict';
import type { CompetitionView } from '../../../src/core/workflow/competitionView.js';
import { candidateFileRequest, candidatePickRequest } from '../../../src/core/workflow/candidateIntents.js';
import { routeWebviewMessage } from '../../../src/vscode/messageRouter.js';

const tenMegabytes = 'x'.repeat(10 * 1024 * 1024);

const competition: CompetitionView = {
  candidates: [
    { label: 'A', status: 'done', files: [{ path: 'src/slugify.ts', action: 'Created', added: 12, removed: 0 }] },
    { label: 'B', status: 'done', files: [{ path: 'src/old.ts', action: 'Deleted', added: 0, removed: 4 }], excluded: 'its verification failed' },
    { label: 'C', status: 'failed', message: 'the model kept failing (rate limit)', files: [] },
  ],
  awaitingPick: true,
  judge: { pick: 'A', reasons: 'smallest change' },
};

describe('a candidate intent from the panel', () => {
  it('accepts the two intents in their shape', () => {
    for (const message of [
      { type: 'applyCandidate', runId: 'r1', label: 'A', requestId: 'q1' },
      { type: 'openCandidateDiff', runId: 'r1', label: 'B', path: 'src/old.ts', requestId: 'q2' },
    ]) {
      assert.deepEqual(routeWebviewMessage(message), { ok: true, message });
    }
  });

  it('refuses a label or a path of 10 MB, and an empty one, before anything reads them', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'applyCandidate', runId: 'r1', label: tenMegabytes, requestId: 'q1' }, /label/],
      [{ type: 'applyCandidate', runId: 'r1', label: '', requestId: 'q1' }, /label/],
      [{ type: 'openCandidateDiff', runId: 'r1', label: 'A', path: tenMegabytes, requestId: 'q1' }, /path/],
      [{ type: 'openCandidateDiff', runId: 'r1', label: tenMegabytes, path: 'src/slugify.ts', requestId: 'q1' }, /label/],
      [{ type: 'openCandidateDiff', runId: 'r1', label: 'A', requestId: 'q1' }, /path/],
    ];
    for (const [raw, reason] of cases) {
      const routed = routeWebviewMessage(raw);
      assert.equal(routed.ok, false);
      if (!routed.ok) assert.match(routed.reason, reason);
    }
  });

  it('opens only a file the candidate changed: a path with ../ or one it did not touch is refused', () => {
    assert.deepEqual(candidateFileRequest(competition, 'A', 'src/slugify.ts'), { ok: true, file: { path: 'src/slugify.ts', action: 'Created', added: 12, removed: 0 } });
    for (const path of ['../../etc/passwd', 'src/../../outside.ts', '/etc/passwd', 'src/old.ts']) {
      const refused = candidateFileRequest(competition, 'A', path);
      assert.equal(refused.ok, false, path);
      if (!refused.ok) assert.match(refused.error, /not a file candidate A changed/);
    }
  });

  it('refuses a label no candidate has, and any candidate of a run that is not competing', () => {
    const unknown = candidateFileRequest(competition, 'Z', 'src/slugify.ts');
    assert.equal(unknown.ok, false);
    if (!unknown.ok) assert.match(unknown.error, /no candidate "Z"/);
    const notCompeting = candidatePickRequest(undefined, 'A');
    assert.equal(notCompeting.ok, false);
    if (!notCompeting.ok) assert.match(notCompeting.error, /not a competitive run/);
  });

  it('applies only while the run waits for a pick, and only a candidate that finished its work', () => {
    assert.deepEqual(candidatePickRequest(competition, 'A'), { ok: true });
    assert.deepEqual(candidatePickRequest(competition, 'B'), { ok: true }, 'excluded from the judge, still the user\'s to choose');
    const failed = candidatePickRequest(competition, 'C');
    assert.equal(failed.ok, false);
    if (!failed.ok) assert.match(failed.error, /Candidate C failed/);
    const settled = candidatePickRequest({ ...competition, awaitingPick: false, applied: 'A' }, 'A');
    assert.equal(settled.ok, false);
    if (!settled.ok) assert.match(settled.error, /does not wait for a pick/);
  });
});
