// "Dual-Model: Manage API Keys": add (typed into a password box), list (masked) and remove keys
// per provider, kept in SecretStorage. The programmatic commands (add / list / remove) exist for
// scripts and tests; none of them ever returns or logs a key.
import * as vscode from 'vscode';
import type { KeyListing, KeyProvider } from '../core/keyvault/apiKeys.js';
import { environmentVariables, keyProviders } from '../core/keyvault/apiKeys.js';
import { providerNames } from '../core/models/registry.js';
import type { KeyFlowDeps } from './addKeyFlow.js';
import { addKeyInteractively } from './addKeyFlow.js';

interface KeyPick extends vscode.QuickPickItem {
  action: 'add' | 'key';
  provider: KeyProvider;
  listing?: KeyListing;
}

const removeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Remove this key' };

function isProvider(value: unknown): value is KeyProvider {
  return typeof value === 'string' && (keyProviders as readonly string[]).includes(value);
}

export function registerApiKeyCommands(deps: KeyFlowDeps): vscode.Disposable[] {
  const { ring, onChanged } = deps;
  return [
    vscode.commands.registerCommand('dualModel.manageApiKeys', () => manageKeys(deps)),
    vscode.commands.registerCommand('dualModel.addApiKey', async (provider: unknown, key: unknown, label?: unknown, group?: unknown) => {
      if (!isProvider(provider) || typeof key !== 'string') throw new Error('dualModel.addApiKey needs a provider and a key.');
      const listing = await ring.add(provider, key, typeof label === 'string' ? label : undefined, typeof group === 'string' ? group : undefined);
      onChanged();
      return listing;
    }),
    vscode.commands.registerCommand('dualModel.listApiKeys', (provider: unknown) => {
      if (!isProvider(provider)) throw new Error(`Unknown provider; use one of ${keyProviders.join(', ')}.`);
      return ring.list(provider);
    }),
    vscode.commands.registerCommand('dualModel.removeApiKey', async (provider: unknown, id: unknown) => {
      if (!isProvider(provider) || typeof id !== 'string') throw new Error('dualModel.removeApiKey needs a provider and a key id.');
      const removed = await ring.remove(provider, id);
      onChanged();
      return removed;
    }),
  ];
}

async function manageKeys(deps: KeyFlowDeps): Promise<void> {
  const { ring, onChanged } = deps;
  const pick = vscode.window.createQuickPick<KeyPick>();
  pick.title = 'Dual-Model: API keys (stored in VS Code SecretStorage, shown masked)';
  pick.placeholder = 'Add a key, or remove one with its trash button';
  const refresh = async (): Promise<void> => {
    const items: (KeyPick | vscode.QuickPickItem)[] = [];
    for (const provider of keyProviders) {
      items.push({ label: providerNames[provider], kind: vscode.QuickPickItemKind.Separator });
      for (const listing of await ring.list(provider)) {
        items.push({
          label: `$(key) ${listing.label}`,
          description: listing.masked,
          detail: listing.source === 'environment' ? 'from the environment (remove it there)' : `added ${listing.addedAt?.slice(0, 10) ?? ''}`,
          action: 'key',
          provider,
          listing,
          ...(listing.source === 'secret-storage' ? { buttons: [removeButton] } : {}),
        });
      }
      items.push({ label: `$(add) Add a ${providerNames[provider]} key…`, detail: `or set ${environmentVariables[provider].join(' / ')}`, action: 'add', provider });
    }
    pick.items = items as KeyPick[];
  };
  await refresh();
  const done = new Promise<void>((resolve) => {
    pick.onDidHide(() => resolve());
    pick.onDidTriggerItemButton(async (event) => {
      const listing = event.item.listing;
      if (!listing) return;
      await ring.remove(event.item.provider, listing.id);
      onChanged();
      await refresh();
    });
    pick.onDidAccept(async () => {
      const selected = pick.selectedItems[0];
      if (selected?.action !== 'add') return;
      pick.hide();
      await addKeyInteractively(deps, selected.provider);
    });
  });
  pick.show();
  await done;
  pick.dispose();
}
