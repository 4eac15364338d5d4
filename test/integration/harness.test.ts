// Checks that the real-host harness itself works: the tests run inside code-server's extension
// host, on a copy of the sample workspace, with this repository loaded as the extension under
// development and the user settings the runner wrote. They pass whatever the extension does.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const extensionId = 'dual-model.dual-model-orchestration';

function sampleFolder(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.equal(folders.length, 1, 'exactly one workspace folder is open');
  return folders[0]!;
}

describe('real host harness', () => {
  it('runs in the host the runner started', () => {
    if (process.env.DUAL_MODEL_TEST_HOST === 'electron') {
      assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
      return;
    }
    assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
    assert.equal(vscode.env.appName, 'code-server');
    assert.ok(vscode.env.remoteName, 'the extension host is remote to the browser');
  });

  it('opens a fresh copy of the sample workspace', async () => {
    const folder = sampleFolder();
    assert.equal(folder.uri.scheme, 'file');
    assert.equal(path.basename(folder.uri.fsPath), 'sample-workspace');
    const checkedIn = path.join(vscode.extensions.getExtension(extensionId)!.extensionPath, 'sample-workspace');
    assert.notEqual(folder.uri.fsPath, checkedIn, 'tests work on a copy, never on the checked-in sample');
    const manifest = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'package.json'));
    assert.equal(JSON.parse(Buffer.from(manifest).toString('utf8')).name, 'sample-textkit');
  });

  it('loads this repository as the extension under development', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is loaded`);
    assert.equal(extension.packageJSON.publisher, 'dual-model');
    assert.equal(extension.packageJSON.name, 'dual-model-orchestration');
  });

  it('reads the user settings the runner wrote', () => {
    assert.equal(vscode.workspace.getConfiguration('dualModelHarness').get('marker'), 'written-by-runner');
  });

  it('trusts the workspace in the trusted pass', () => {
    assert.equal(process.env.DUAL_MODEL_TEST_PASS, 'trusted');
    assert.equal(vscode.workspace.isTrusted, true);
  });
});

describe('real host harness [untrusted]', () => {
  it('opens the sample workspace in Restricted Mode', () => {
    assert.equal(process.env.DUAL_MODEL_TEST_PASS, 'untrusted');
    assert.equal(sampleFolder().name, 'sample-workspace');
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still loads the extension under development', () => {
    assert.ok(vscode.extensions.getExtension(extensionId));
  });
});
