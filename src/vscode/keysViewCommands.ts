// The Keys view's actions: add, remove, set a key's quota group, set a group's plan, reinstate
// a revoked key, refresh. Each takes the view's node, or plain arguments (provider, id, …) from
// scripts and tests, and never returns or logs a key's text.
import * as vscode from 'vscode';
import type { KeyProvider } from '../core/keyvault/apiKeys.js';
import { keyProviders } from '../core/keyvault/apiKeys.js';
import type { KeyPool } from '../core/keyvault/keyPool.js';
import type { QuotaPlan } from '../core/keyvault/quotaPlans.js';
import type { KeyFlowDeps } from './addKeyFlow.js';
import { addKeyInteractively, pickGroup, pickPlan } from './addKeyFlow.js';
import type { KeysNode, KeysTreeProvider } from './keysView.js';

function isProvider(value: unknown): value is KeyProvider {
  return typeof value === 'string' && (keyProviders as readonly string[]).includes(value);
}

function isNode(value: unknown): value is KeysNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'provider' in value;
}

/** The key a command is about: the node clicked, or (provider, id). */
function keyOf(first: unknown, second: unknown): { provider: KeyProvider; id: string } {
  if (isNode(first) && first.kind === 'key') return { provider: first.provider, id: first.key.id };
  if (isProvider(first) && typeof second === 'string') return { provider: first, id: second };
  throw new Error('Choose a key in the Keys view.');
}

/** The quota group a command is about: a group node, a key's group, a provider's only group, or (provider, group). */
function groupOf(first: unknown, second: unknown): { provider: KeyProvider; group: string } {
  if (isNode(first)) {
    if (first.kind === 'group') return { provider: first.provider, group: first.group };
    if (first.kind === 'key') return { provider: first.provider, group: first.key.group };
    const [only] = first.keys;
    if (only && first.keys.every((key) => key.group === only.group)) return { provider: first.provider, group: only.group };
  }
  if (isProvider(first) && typeof second === 'string') return { provider: first, group: second };
  throw new Error('Choose a quota group in the Keys view.');
}

export function registerKeysViewCommands(deps: KeyFlowDeps & { pool: () => KeyPool; view: KeysTreeProvider }): vscode.Disposable[] {
  const changed = (): void => {
    deps.onChanged();
    deps.view.refresh();
  };
  const flow: KeyFlowDeps = { ...deps, onChanged: changed };
  return [
    vscode.commands.registerCommand('dualModel.keys.refresh', () => deps.view.refresh()),
    vscode.commands.registerCommand('dualModel.keys.add', async (provider?: unknown) => {
      const listing = await addKeyInteractively(flow, isProvider(provider) ? provider : isNode(provider) ? provider.provider : undefined);
      return listing;
    }),
    vscode.commands.registerCommand('dualModel.keys.remove', async (first: unknown, second?: unknown, confirmed?: unknown) => {
      const { provider, id } = keyOf(first, second);
      const listing = (await deps.ring.list(provider)).find((entry) => entry.id === id);
      if (!listing) throw new Error('That key is no longer stored.');
      if (listing.source === 'environment') throw new Error(`${listing.label} comes from the environment: remove it there.`);
      if (confirmed !== true) {
        const answer = await vscode.window.showWarningMessage(`Remove the key ${listing.label} (${listing.masked})?`, { modal: true, detail: 'It is deleted from VS Code SecretStorage.' }, 'Remove');
        if (answer !== 'Remove') return false;
      }
      const removed = await deps.ring.remove(provider, id);
      changed();
      return removed;
    }),
    vscode.commands.registerCommand('dualModel.keys.setGroup', async (first: unknown, second?: unknown, group?: unknown) => {
      const { provider, id } = keyOf(first, second);
      const listings = await deps.ring.list(provider);
      const listing = listings.find((entry) => entry.id === id);
      if (!listing) throw new Error('That key is no longer stored.');
      if (listing.source === 'environment') throw new Error(`${listing.label} comes from the environment, which has no quota group to set.`);
      const chosen = typeof group === 'string' ? { name: group } : await pickGroup(provider, listings, `Quota group of ${listing.label} (${listing.masked})`, listing.group);
      if (!chosen) return false;
      const set = await deps.ring.setGroup(provider, id, chosen.name);
      changed();
      return set;
    }),
    vscode.commands.registerCommand('dualModel.keys.setPlan', async (first: unknown, second?: unknown, plan?: unknown) => {
      const { provider, group } = groupOf(first, second);
      const chosen: QuotaPlan | undefined = plan === 'learn' || plan === 'published' ? plan : await pickPlan(deps.registry(), provider, `The plan of the quota group ${group.startsWith('key:') ? '(one key)' : group}`, true);
      if (!chosen) return false;
      await deps.plans.setPlan(provider, group, chosen);
      deps.view.refresh();
      return true;
    }),
    vscode.commands.registerCommand('dualModel.keys.reinstate', (first: unknown, second?: unknown) => {
      const { provider, id } = keyOf(first, second);
      deps.pool().reinstate(provider, id);
      deps.view.refresh();
      return true;
    }),
  ];
}
