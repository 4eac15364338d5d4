// The key vault server in a real window: started and stopped by command, on the port the user's
// own settings give (never the workspace's), its token from SecretStorage, answering over real
// HTTP without ever showing a key. In Restricted Mode, a cloned repository that asks for the
// server to start by itself on its own port gets nothing.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';
import { PLANTED_KEY_VAULT_PORT } from '../host/workspace';
import { waitUntil } from '../support/waitUntil';
import { api } from './support';

const CANARY = 'AIzaSy-KV-SERVER-CANARY-0123456789abcd';
const WORKSPACE_PORT = 47_898;

interface ServerInfo {
  port: number;
  url: string;
}

async function callRpc(url: string, method: string, params: unknown, token?: string): Promise<{ text: string; body: { result?: Record<string, unknown>; error?: { code: number; message: string } } }> {
  const response = await fetch(`${url}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const text = await response.text();
  return { text, body: JSON.parse(text) as { result?: Record<string, unknown>; error?: { code: number; message: string } } };
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function copiedToken(): Promise<string> {
  await vscode.commands.executeCommand('dualModel.keyVault.copyToken');
  return vscode.env.clipboard.readText();
}

describe('the key vault server', () => {
  const settingsFile = (): string => path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', '.vscode', 'settings.json');
  let savedSettings: string | undefined;
  let keyId: string | undefined;

  before(async () => {
    await api();
    savedSettings = await fs.readFile(settingsFile(), 'utf8').catch(() => undefined);
  });

  after(async () => {
    await vscode.commands.executeCommand('dualModel.keyVault.stop');
    if (keyId) await vscode.commands.executeCommand('dualModel.removeApiKey', 'google', keyId);
    await vscode.workspace.getConfiguration('dualModel').update('keyVault.server.port', undefined, vscode.ConfigurationTarget.Global);
    if (savedSettings === undefined) await fs.rm(settingsFile(), { force: true });
    else await fs.writeFile(settingsFile(), savedSettings);
  });

  it("listens on the user's port, never the workspace's, shows the key count and no key, and takes only its token", async () => {
    // The workspace (a repository) asks for its own port; the user asked for any free one.
    await fs.mkdir(path.dirname(settingsFile()), { recursive: true });
    // VS Code itself leaves an application-scope value of a workspace out of `inspect`, so a
    // window-scope marker in the same file says when the file was read.
    await fs.writeFile(settingsFile(), JSON.stringify({ 'dualModel.keyVault.server.port': WORKSPACE_PORT, 'dualModel.keyVault.server.startAutomatically': true, 'editor.tabSize': 7 }));
    await waitUntil(() => vscode.workspace.getConfiguration('editor').inspect('tabSize')?.workspaceValue === 7, 'VS Code never read the workspace settings file');
    await vscode.workspace.getConfiguration('dualModel').update('keyVault.server.port', 0, vscode.ConfigurationTarget.Global);

    const added = await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'google', CANARY, 'kv canary');
    keyId = added.id;
    const server = await vscode.commands.executeCommand<ServerInfo>('dualModel.keyVault.start');
    assert.ok(server, 'the start command answered where the server listens');
    assert.notEqual(server.port, WORKSPACE_PORT, "the workspace's port was not used");
    assert.equal(await listening(WORKSPACE_PORT), false, "nothing listens on the workspace's port");

    const active = await callRpc(server.url, 'kv.activeModels', {});
    const google = (active.body.result?.providers as { provider: string; active_keys: number }[] | undefined)?.find((entry) => entry.provider === 'google');
    assert.ok((google?.active_keys ?? 0) >= 1, `the google key is counted: ${active.text}`);
    assert.ok(!active.text.includes(CANARY) && !active.text.includes(CANARY.slice(-8)), 'no key in the answer');

    const token = await copiedToken();
    assert.ok(token.length >= 32);
    // A call that needs the token and is refused before anything is sent (its only model is unknown).
    const unknown = { requests: [{ provider: 'google', model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }] };
    assert.equal((await callRpc(server.url, 'kv.parallelGenerate', unknown, token)).body.error?.code, -32602, 'the token was accepted');
    assert.equal((await callRpc(server.url, 'kv.parallelGenerate', unknown, 'not-the-token')).body.error?.code, -32001, 'a wrong token is refused');
    assert.equal((await callRpc(server.url, 'kv.parallelGenerate', unknown)).body.error?.code, -32001, 'no token is refused');

    await vscode.commands.executeCommand('dualModel.keyVault.rotateToken');
    assert.equal((await callRpc(server.url, 'kv.parallelGenerate', unknown, token)).body.error?.code, -32001, 'the old token no longer works');
    assert.equal((await callRpc(server.url, 'kv.parallelGenerate', unknown, await copiedToken())).body.error?.code, -32602, 'the new one does');

    const log = await readLog();
    assert.ok(!log.includes(token) && !log.includes(CANARY), 'neither the token nor the key is in the log');

    await vscode.commands.executeCommand('dualModel.keyVault.stop');
    assert.equal(await listening(server.port), false, 'stop closed the port');
  });
});

describe('a cloned repository cannot start the key vault server [untrusted]', () => {
  it('its settings open no port, neither its own nor the default', async () => {
    const dm = await api();
    await dm.keyVaultStartup;
    const settings = vscode.workspace.getConfiguration('dualModel');
    assert.equal(settings.inspect('keyVault.server.startAutomatically')?.globalValue, undefined);
    assert.equal(await listening(PLANTED_KEY_VAULT_PORT), false, "nothing listens on the repository's port");
    assert.equal(await listening(47_811), false, 'nothing listens on the default port');
  });
});

/** The Dual-Model output channel's log files, as written so far. */
async function readLog(): Promise<string> {
  const dm = await api();
  const texts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.log')) texts.push(await fs.readFile(full, 'utf8'));
    }
  };
  await walk(dm.logFolder);
  return texts.join('\n');
}
