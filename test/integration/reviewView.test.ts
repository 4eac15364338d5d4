// The side-panel review's intents in the real host: a file of the Coder's pass opens as a diff
// (before the pass ↔ now) or as itself; a forged path or run id is refused with a reply that says
// why, and opens nothing.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
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
    // Earlier suites share this workspace, so the file may have existed: the pass's originals say.
    const specVersion = dm.getRun(runId)?.reports.at(-1)?.specVersion;
    const originals = JSON.parse(await fs.readFile(path.join(dm.artifactsDir(runId) ?? '', 'versions', `v${specVersion}`, 'originals.json'), 'utf8')) as Record<string, string | null>;
    assert.ok('src/slugify.js' in originals, 'the pass touched the file');
    assert.equal(before.getText(), originals['src/slugify.js'] ?? '', 'the left side is the file as it was before the pass');

    const file = await dm.answerWebviewMessage({ type: 'openChange', requestId: 'r2', runId, path: 'src/slugify.js', as: 'file' });
    assert.deepEqual(file?.result, { ok: true });
    assert.equal(vscode.window.activeTextEditor?.document.uri.path.endsWith('/src/slugify.js'), true);
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'file', 'the file itself, not its diff');
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
