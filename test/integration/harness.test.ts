// The extension as the real host loads it, in each pass: active, and every command its manifest
// contributes has a handler (a contributed command without one shows in the palette and fails
// when chosen). What the harness itself promises (which host, a fresh copy of the sample
// workspace, the runner's user settings, the pass's trust) is checked in `before`: if it were
// wrong nothing here would mean anything, but it is not something the extension does.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID } from './support';

function assertHarness(pass: 'trusted' | 'untrusted'): void {
  assert.equal(process.env.DUAL_MODEL_TEST_PASS, pass, 'the runner started the pass this suite belongs to');
  assert.equal(vscode.workspace.isTrusted, pass === 'trusted', "the workspace's trust matches the pass");
  if (process.env.DUAL_MODEL_TEST_HOST === 'electron') assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
  else assert.equal(vscode.env.appName, 'code-server');
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.equal(folders.length, 1, 'exactly one workspace folder is open');
  const checkedIn = path.join(vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '', 'sample-workspace');
  assert.notEqual(folders[0]?.uri.fsPath, checkedIn, 'tests work on a copy, never on the checked-in sample');
  assert.equal(vscode.workspace.getConfiguration('dualModelHarness').get('marker'), 'written-by-runner', "the runner's user settings are read");
}

/** The commands the manifest contributes that the running extension has no handler for. */
async function contributedButUnregistered(): Promise<string[]> {
  const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes?: { commands?: { command: string }[] } } | undefined;
  const contributed = (manifest?.contributes?.commands ?? []).map((entry) => entry.command);
  assert.ok(contributed.length > 0, 'the manifest contributes commands');
  const registered = new Set(await vscode.commands.getCommands(true));
  return contributed.filter((command) => !registered.has(command));
}

describe('the extension in the real host', () => {
  before(() => assertHarness('trusted'));

  it('activates and has a handler for every command it contributes', async () => {
    await api();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.deepEqual(await contributedButUnregistered(), []);
  });
});

describe('the extension in the real host [untrusted]', () => {
  before(() => assertHarness('untrusted'));

  it('still activates in Restricted Mode (limited support) and has a handler for every command it contributes', async () => {
    await api();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.deepEqual(await contributedButUnregistered(), []);
  });
});
