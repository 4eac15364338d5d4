// The side-panel review's intents in the real host: a file of the Coder's pass opens as a diff
// (before the pass ↔ now) or as itself; a forged path or run id is refused with a reply that says
// why, and opens nothing.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, waitFor } from './support';

function activeTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.activeTabGroup.activeTab;
}

describe('the side-panel review in the host', function () {
  this.timeout(120_000);

  it('opens a changed file as a diff against its content before the pass, and as itself', async () => {
    const dm = await api();
    const runId = await dm.startRun('Add a slugify helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');

    const diff = await dm.answerWebviewMessage({ type: 'openChange', requestId: 'r1', runId, path: 'src/slugify.js', as: 'diff' });
    assert.deepEqual(diff, { type: 'reply', requestId: 'r1', result: { ok: true } });
    const input = activeTab()?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, 'a diff editor is active');
    assert.equal(input.original.scheme, 'dual-model-original');
    assert.equal(input.modified.path.endsWith('/src/slugify.js'), true);
    const before = await vscode.workspace.openTextDocument(input.original);
    assert.equal(before.getText(), '', 'the file did not exist before the pass');

    const file = await dm.answerWebviewMessage({ type: 'openChange', requestId: 'r2', runId, path: 'src/index.js', as: 'file' });
    assert.equal(file?.result.ok, true);
    assert.equal(vscode.window.activeTextEditor?.document.uri.path.endsWith('/src/index.js'), true);
  });

  it('refuses a path the pass did not change, one climbing out, and a run it does not know, opening nothing', async () => {
    const dm = await api();
    const runId = dm.currentRunId();
    assert.ok(runId, 'the run of the test before is shown');
    const shownBefore = activeTab()?.label;
    for (const [path, why] of [
      ['package.json', /not a file the Coder's last pass changed/],
      ['../../../../etc/passwd', /not a file the Coder's last pass changed/],
      ['/etc/passwd', /not a file the Coder's last pass changed/],
    ] as const) {
      const reply = await dm.answerWebviewMessage({ type: 'openChange', requestId: 'x', runId, path, as: 'diff' });
      assert.equal(reply?.result.ok, false, path);
      assert.match(reply?.result.ok === false ? reply.result.error : '', why);
    }
    const forged = await dm.answerWebviewMessage({ type: 'openChange', requestId: 'y', runId: '../../elsewhere', path: 'src/slugify.js', as: 'file' });
    assert.match(forged?.result.ok === false ? forged.result.error : '', /There is no run/);
    const malformed = await dm.answerWebviewMessage({ type: 'openChange', requestId: 'z', runId, path: 'src/slugify.js', as: 'shell' });
    assert.equal(malformed?.result.ok, false, 'a message of the wrong shape is refused by the schema');
    assert.equal(activeTab()?.label, shownBefore, 'nothing was opened');
  });
});
