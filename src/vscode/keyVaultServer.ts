// The key vault's local server in the window: started and stopped by command (or with the window,
// when the user's own settings say so), its bearer token in SecretStorage, a status bar item while
// it runs, its log in the Dual-Model output channel. The token is shown only in a modal the user
// opened, or copied; it is never logged nor put in settings.
import * as vscode from 'vscode';
import type { KeyProvider, KeyRing } from '../core/keyvault/apiKeys.js';
import type { KeyPool } from '../core/keyvault/keyPool.js';
import { KeyVault } from '../core/keyvault/keyVault.js';
import type { ModelClient } from '../core/models/modelClient.js';
import type { SpendLedger } from '../core/models/spendLedger.js';
import { startKvServer, type KvServer } from '../rpc/kvServer.js';
import { RpcToken } from '../rpc/rpcToken.js';
import { messageOf } from './errorMessage.js';
import type { ModelClientFactory } from './modelClients.js';
import { keyVaultServerSettings, modelRegistry } from './settings.js';

/** Where the token lives in SecretStorage. */
export const rpcTokenSecret = 'dualModel.rpc.token';

export interface KeyVaultServerDeps {
  context: vscode.ExtensionContext;
  keyRing: KeyRing;
  pool: () => KeyPool;
  models: ModelClientFactory;
  output: vscode.LogOutputChannel;
  /** The window's one spend ledger: the vault's calls count with the runs' own, holds included. */
  ledger: SpendLedger;
}

/** What the start command answers (for tests and tools): never the token. */
export interface KeyVaultServerInfo {
  port: number;
  url: string;
}

export class KeyVaultServerHost implements vscode.Disposable {
  private server: KvServer | undefined;
  private starting: Promise<KvServer> | undefined;
  private vault: KeyVault | undefined;
  private readonly token: RpcToken;
  private readonly status: vscode.StatusBarItem;
  private readonly listeners: vscode.Disposable[] = [];

  constructor(private readonly deps: KeyVaultServerDeps) {
    const secrets = deps.context.secrets;
    this.token = new RpcToken({ get: () => Promise.resolve(secrets.get(rpcTokenSecret)), store: (token) => Promise.resolve(secrets.store(rpcTokenSecret, token)) });
    this.status = vscode.window.createStatusBarItem('dualModel.keyVault', vscode.StatusBarAlignment.Right, 90);
    this.status.name = 'Dual-Model Key Vault';
    this.status.command = 'dualModel.keyVault.menu';
    // A key added or removed is redacted (or no longer needs to be) from the next answer on.
    this.listeners.push(secrets.onDidChange(() => this.vault?.forgetSecrets()));
  }

  commands(): vscode.Disposable[] {
    const guarded =
      <R>(action: () => Promise<R>) =>
      async (): Promise<R | undefined> => {
        try {
          return await action();
        } catch (error) {
          const message = messageOf(error);
          this.deps.output.error(message);
          void vscode.window.showErrorMessage(`Dual-Model: ${message}`);
          return undefined;
        }
      };
    return [
      vscode.commands.registerCommand('dualModel.keyVault.start', guarded(() => this.start())),
      vscode.commands.registerCommand('dualModel.keyVault.stop', guarded(() => this.stop())),
      vscode.commands.registerCommand('dualModel.keyVault.showToken', guarded(() => this.showToken())),
      vscode.commands.registerCommand('dualModel.keyVault.copyToken', guarded(() => this.copyToken())),
      vscode.commands.registerCommand('dualModel.keyVault.rotateToken', guarded(() => this.rotateToken())),
      vscode.commands.registerCommand('dualModel.keyVault.menu', guarded(() => this.menu())),
    ];
  }

  /** Starts the server if the user's own settings ask for it; a failure is said, not thrown. */
  async startIfAsked(): Promise<void> {
    if (!keyVaultServerSettings().startAutomatically) return;
    try {
      await this.start();
    } catch (error) {
      this.deps.output.warn(`The key vault server did not start with the window: ${messageOf(error)}`);
    }
  }

  async start(): Promise<KeyVaultServerInfo> {
    const running = this.server ?? (await this.starting);
    if (running) return { port: running.port, url: running.url };
    const settings = keyVaultServerSettings();
    for (const problem of settings.problems) this.deps.output.warn(problem);
    this.starting = startKvServer({
      service: this.keyVault(),
      token: this.token,
      port: settings.port,
      log: { info: (line) => this.deps.output.info(line), warn: (line) => this.deps.output.warn(line) },
    });
    try {
      this.server = await this.starting;
    } finally {
      this.starting = undefined;
    }
    // The token exists before any tool asks for it.
    await this.token.current();
    this.showStatus(this.server);
    return { port: this.server.port, url: this.server.url };
  }

  async stop(): Promise<void> {
    const server = this.server ?? (await this.starting?.catch(() => undefined));
    this.server = undefined;
    this.status.hide();
    if (!server) return;
    await server.close();
    this.deps.output.info('The key vault server stopped.');
  }

  private async showToken(): Promise<void> {
    const token = await this.token.current();
    const where = this.server ? ` The server listens on ${this.server.url}.` : ' The server is not running.';
    const choice = await vscode.window.showInformationMessage(
      'The key vault token',
      { modal: true, detail: `${token}\n\nSend it as "Authorization: Bearer <token>" (or as the API key of an OpenAI client).${where} Anyone with it can spend your keys, within your caps.` },
      'Copy',
    );
    if (choice === 'Copy') await this.copyToken();
  }

  private async copyToken(): Promise<void> {
    await vscode.env.clipboard.writeText(await this.token.current());
    vscode.window.setStatusBarMessage('$(key) Dual-Model: the key vault token was copied.', 5_000);
  }

  private async rotateToken(): Promise<void> {
    await this.token.rotate();
    this.deps.output.info('The key vault token was rotated: the old one no longer works.');
    void vscode.window.showInformationMessage('Dual-Model: the key vault has a new token; the old one no longer works. Give the new one to your tools ("Show the Key Vault Token").');
  }

  private async menu(): Promise<void> {
    const items = this.server
      ? [{ label: '$(key) Show the token', id: 'show' }, { label: '$(copy) Copy the token', id: 'copy' }, { label: '$(debug-stop) Stop the server', id: 'stop' }]
      : [{ label: '$(play) Start the server', id: 'start' }];
    const picked = await vscode.window.showQuickPick(items, { title: this.server ? `Key vault on ${this.server.url}` : 'Key vault' });
    if (picked?.id === 'show') await this.showToken();
    if (picked?.id === 'copy') await this.copyToken();
    if (picked?.id === 'stop') await this.stop();
    if (picked?.id === 'start') await this.start();
  }

  private showStatus(server: KvServer): void {
    this.status.text = `$(server) Key vault :${server.port}`;
    this.status.tooltip = `Dual-Model's key vault listens on ${server.url} (JSON-RPC at /rpc, OpenAI-compatible at /v1). Click to show the token or stop it.`;
    this.status.show();
  }

  /** Made on first start: the registry and caps are read per call, so settings changes apply. */
  private keyVault(): KeyVault {
    if (this.vault) return this.vault;
    const { keyRing, pool, models } = this.deps;
    const clients = new Map<string, ModelClient>();
    this.vault = new KeyVault({
      pool,
      registry: modelRegistry,
      clientFor: (provider: KeyProvider, model) => {
        const name = `${provider}\t${model.id}`;
        let client = clients.get(name);
        if (!client) {
          client = models.pooledClient(provider, model.id, model.displayName);
          clients.set(name, client);
        }
        return client;
      },
      ledger: this.deps.ledger,
      secrets: () => keyRing.knownSecrets(),
    });
    return this.vault;
  }

  dispose(): void {
    void this.stop();
    this.status.dispose();
    for (const listener of this.listeners.splice(0)) listener.dispose();
  }
}
