// API keys live in the real SecretStorage of the extension host: added, listed masked, removed,
// and never echoed back by any command or written anywhere a person or another tool reads.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';

const CANARY = 'sk-ant-CANARY-7f3c9e1d2b4a6c8e0f1a';

describe('API keys in SecretStorage', () => {
  before(async () => {
    await vscode.extensions.getExtension('dual-model.dual-model-orchestration')?.activate();
  });

  it('adds, lists masked and removes a key without ever returning it', async () => {
    const added = await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'anthropic', CANARY, 'canary key');
    assert.equal(added.masked, `••••${CANARY.slice(-4)}`);
    assert.doesNotMatch(JSON.stringify(added), /CANARY/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('dualModel.addApiKey', 'anthropic', CANARY)), /already stored/);

    const listed = await vscode.commands.executeCommand<KeyListing[]>('dualModel.listApiKeys', 'anthropic');
    const mine = listed.find((listing) => listing.id === added.id);
    assert.ok(mine);
    assert.equal(mine.source, 'secret-storage');
    assert.doesNotMatch(JSON.stringify(listed), /CANARY/);

    // Not in settings, not in the workspace.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const settingsFile = path.join(folder, '.vscode', 'settings.json');
    const workspaceSettings = await fs.readFile(settingsFile, 'utf8').catch(() => '');
    assert.doesNotMatch(workspaceSettings, /CANARY/);
    assert.doesNotMatch(JSON.stringify(vscode.workspace.getConfiguration('dualModel')), /CANARY/);

    assert.equal(await vscode.commands.executeCommand('dualModel.removeApiKey', 'anthropic', added.id), true);
    const after = await vscode.commands.executeCommand<KeyListing[]>('dualModel.listApiKeys', 'anthropic');
    assert.equal(after.some((listing) => listing.id === added.id), false);
  });

  it('refuses something that is not a key, and an unknown provider', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('dualModel.addApiKey', 'google', 'short')), /does not look like an API key/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('dualModel.listApiKeys', 'acme')), /Unknown provider/);
  });
});
