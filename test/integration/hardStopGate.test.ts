// The HARD STOP's opt-in self-confirm is the user's choice alone: a workspace (a cloned
// repository, or a Coder that wrote .vscode/settings.json) that turns it on changes nothing;
// the user's own setting does.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from './support';

describe('the HARD STOP that confirms itself', function () {
  this.timeout(120_000);
  const folder = (): string => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const settingsFile = (): string => path.join(folder(), '.vscode', 'settings.json');
  let original: string | undefined;

  before(async () => {
    original = await fs.readFile(settingsFile(), 'utf8').catch(() => undefined);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('dualModel').update('hardStop.autoConfirm', undefined, vscode.ConfigurationTarget.Global);
    if (original === undefined) await fs.rm(settingsFile(), { force: true });
    else await fs.writeFile(settingsFile(), original);
  });

  it('ignores the workspace turning it on: the run waits at the HARD STOP for the user', async () => {
    const settings = JSON.parse(original ?? '{}') as Record<string, unknown>;
    await fs.mkdir(path.dirname(settingsFile()), { recursive: true });
    // The demo's pacing is a setting a workspace may set: its change says the file was read.
    const changed = new Promise<void>((resolve) => {
      const listener = vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('dualModel.demo.latencyMs')) {
          listener.dispose();
          resolve();
        }
      });
    });
    await fs.writeFile(settingsFile(), JSON.stringify({ ...settings, 'dualModel.hardStop.autoConfirm': true, 'dualModel.demo.latencyMs': 1 }, null, 2));
    await changed;
    // An application-scoped setting: VS Code does not even read it from a workspace. The extension
    // reads only the user's value besides (settings.ts), should that ever change.
    assert.equal(vscode.workspace.getConfiguration('dualModel').inspect('hardStop.autoConfirm')?.workspaceValue, undefined);

    const dm = await api();
    const runId = await dm.startRun('Add a slugify helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    const view = await dm.runView(runId);
    assert.equal(view?.hardStop?.autoConfirm, undefined, 'the HARD STOP does not say it confirms itself');
    assert.equal(dm.getRun(runId)?.history.some((entry) => entry.event === 'model-confirmed'), false);
    await dm.cancel(runId);
  });

  it('the user’s own setting lets it confirm itself once the model answers', async () => {
    await vscode.workspace.getConfiguration('dualModel').update('hardStop.autoConfirm', true, vscode.ConfigurationTarget.Global);
    const dm = await api();
    const runId = await dm.startRun('Add a slugify helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'architect-review');
    const confirmed = dm.getRun(runId)?.history.filter((entry) => entry.event === 'model-confirmed').map((entry) => entry.to);
    assert.deepEqual(confirmed, ['coder-implement', 'architect-review']);
  });
});
