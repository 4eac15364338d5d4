// Adding a key, step by step: provider → key (a password box) → label → quota group (the
// provider's groups, a new one, or its own) → for a provider with a published plan, the group's
// plan → stored. The key is never echoed, logged or shown: only its masked form. Where keys are
// added, the user is told that pooling free keys to get past a provider's limits can breach its terms.
import * as vscode from 'vscode';
import type { KeyListing, KeyProvider, KeyRing } from '../core/keyvault/apiKeys.js';
import { cleanGroup, environmentVariables, keyProviders } from '../core/keyvault/apiKeys.js';
import type { QuotaPlan } from '../core/keyvault/quotaPlans.js';
import { publishedPlans } from '../core/keyvault/quotaPlans.js';
import type { ModelRegistry } from '../core/models/registry.js';
import { providerNames } from '../core/models/registry.js';
import { messageOf } from './errorMessage.js';
import type { QuotaPlanStore } from './quotaPlanStore.js';

export interface KeyFlowDeps {
  ring: KeyRing;
  plans: QuotaPlanStore;
  registry: () => ModelRegistry;
  onChanged: () => void;
}

export const termsWarning =
  "Several keys of one account or project share its limits. Pooling several free keys to get past a provider's limits can breach its terms of service: check them before you do.";

const groupHint: Record<KeyProvider, string> = {
  google: 'Keys of one Google Cloud project share its limits: put them in one group named after the project.',
  anthropic: 'Keys of one Anthropic organisation share its limits: put them in one group.',
  'openai-compatible': 'Keys of one account share its limits: put them in one group.',
};

/** Pool group name of a key: its group, or its own (`key:<id>`), as the key pool names it. */
export function poolGroup(listing: Pick<KeyListing, 'id' | 'group'>): string {
  return listing.group ?? `key:${listing.id}`;
}

export async function addKeyInteractively(deps: KeyFlowDeps, given?: KeyProvider): Promise<KeyListing | undefined> {
  const provider = given ?? (await pickProvider());
  if (!provider) return undefined;
  const name = providerNames[provider];
  const key = await vscode.window.showInputBox({
    title: `Add a ${name} API key (1/4)`,
    prompt: `Stored in VS Code SecretStorage; never written to settings, logs or run files. ${termsWarning}`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length >= 8 ? undefined : 'Paste the whole key.'),
  });
  if (!key) return undefined;
  const existing = await deps.ring.list(provider);
  const label = await vscode.window.showInputBox({
    title: `Add a ${name} API key (2/4): a label`,
    prompt: 'A name to tell this key apart (the account or project it belongs to).',
    value: `${provider} key ${existing.length + 1}`,
    ignoreFocusOut: true,
  });
  if (label === undefined) return undefined;
  const group = await pickGroup(provider, existing, `Add a ${name} API key (3/4): its quota group`);
  if (group === undefined) return undefined;
  const plan = await pickPlan(deps.registry(), provider, `Add a ${name} API key (4/4): the group's plan`);
  if (plan === undefined) return undefined;
  try {
    const listing = await deps.ring.add(provider, key, label, group.name);
    await deps.plans.setPlan(provider, poolGroup(listing), plan);
    deps.onChanged();
    void vscode.window.showInformationMessage(`Dual-Model: added ${listing.label} (${listing.masked}).`);
    return listing;
  } catch (error) {
    void vscode.window.showErrorMessage(`Dual-Model: ${messageOf(error)}`);
    return undefined;
  }
}

async function pickProvider(): Promise<KeyProvider | undefined> {
  const picked = await vscode.window.showQuickPick(
    keyProviders.map((provider) => ({ label: providerNames[provider], detail: `or set ${environmentVariables[provider].join(' / ')}`, provider })),
    { title: 'Add an API key: which provider?', ignoreFocusOut: true },
  );
  return picked?.provider;
}

interface GroupPick extends vscode.QuickPickItem {
  choice: 'existing' | 'new' | 'own';
  group?: string;
}

/** The group chosen: a name, or undefined name for "its own"; undefined when dismissed. */
export async function pickGroup(provider: KeyProvider, existing: readonly KeyListing[], title: string, current?: string): Promise<{ name: string | undefined } | undefined> {
  const groups = [...new Set(existing.flatMap((listing) => (listing.group ? [listing.group] : [])))];
  const items: GroupPick[] = [
    ...groups.map((group): GroupPick => ({ label: `$(organization) ${group}`, description: group === current ? 'current' : `${existing.filter((listing) => listing.group === group).length} keys`, choice: 'existing', group })),
    { label: '$(add) A new quota group…', choice: 'new' },
    { label: '$(key) Its own (shares limits with no other key)', choice: 'own', ...(current === undefined ? { description: 'current' } : {}) },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: `${groupHint[provider]} ${termsWarning}`, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.choice === 'own') return { name: undefined };
  if (picked.choice === 'existing') return { name: picked.group };
  const typed = await vscode.window.showInputBox({
    title: `${title}: a new group`,
    prompt: groupHint[provider],
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        return cleanGroup(value) ? undefined : 'Name the group.';
      } catch (error) {
        return messageOf(error);
      }
    },
  });
  return typed === undefined ? undefined : { name: cleanGroup(typed) };
}

/** A provider with a published plan asks; the others learn from the provider. */
export async function pickPlan(registry: ModelRegistry, provider: KeyProvider, title: string, ask = false): Promise<QuotaPlan | undefined> {
  const published = publishedPlans(registry, provider);
  if (published.length === 0 && !ask) return 'learn';
  const items: (vscode.QuickPickItem & { plan: QuotaPlan })[] = [
    { label: 'Learn from the provider', detail: "No limits of ours: the pool learns from the provider's rate-limit headers and 429s. Right for a paid project.", plan: 'learn' },
    ...(published.length > 0 ? [{ label: published.join(', '), detail: "The registry's published limits for each model (e.g. requests a day), kept before a request is sent.", plan: 'published' as const }] : []),
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which limits does this quota group have?', ignoreFocusOut: true });
  return picked?.plan;
}
