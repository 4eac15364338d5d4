// "Dual-Model: Configure Roles": pick the Architect's or the Coder's model (and fallback) from
// the catalogue, or type any id for providers that accept any. Writes workspace or user settings.
import * as vscode from 'vscode';
import type { ProviderId } from '../core/models/registry.js';
import { providerNames } from '../core/models/registry.js';
import type { ThinkingLevel } from '../core/models/modelClient.js';
import type { RoleName } from '../core/models/roles.js';
import { modelDisplayName, roleTitles, validateRole } from '../core/models/roles.js';
import { describeLanguageModel, offeredChatModels } from './languageModelClient.js';
import { knownModels, roleConfig, updateRole } from './settings.js';

interface ModelPick extends vscode.QuickPickItem {
  provider: ProviderId;
  id: string;
}

export async function configureRoles(): Promise<void> {
  const role = await vscode.window.showQuickPick(
    (['architect', 'coder'] as const).map((name) => {
      const config = roleConfig(name);
      return { label: roleTitles[name], description: `${config.provider} / ${config.model} (${config.thinking})`, detail: `fallback: ${config.fallbackModel} (${config.fallbackThinking})`, role: name };
    }),
    { title: 'Dual-Model: which role?', placeHolder: 'Choose the role to configure' },
  );
  if (!role) return;
  const model = await pickModel(role.role, 'model');
  if (!model) return;
  // vscode.lm has no thinking option: its models think as their provider decides.
  const hostModel = model.provider === 'vscode-lm';
  const thinking = hostModel ? 'none' : await pickThinking(`${roleTitles[role.role]} thinking level`, roleConfig(role.role).thinking);
  if (!thinking) return;
  const fallback = await pickModel(role.role, 'fallback model', model.provider);
  if (!fallback) return;
  const fallbackThinking = hostModel ? 'none' : await pickThinking('Fallback thinking level', roleConfig(role.role).fallbackThinking);
  if (!fallbackThinking) return;
  const next = { provider: model.provider, model: model.id, thinking, fallbackModel: fallback.id, fallbackThinking };
  const problems = validateRole(role.role, next, knownModels());
  if (problems.length) {
    void vscode.window.showErrorMessage(problems.join(' '));
    return;
  }
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await updateRole(role.role, next, target);
  void vscode.window.showInformationMessage(`${roleTitles[role.role]}: ${modelDisplayName(knownModels().find((m) => m.id === model.id), model.id, thinking)}, fallback ${fallback.id}.`);
}

async function pickModel(role: RoleName, what: string, provider?: string): Promise<ModelPick | undefined> {
  const items: (ModelPick | vscode.QuickPickItem)[] = [];
  // The models VS Code offers right now (Copilot's, other extensions'), asked for once.
  const hostModels = !provider || provider === 'vscode-lm' ? await offeredChatModels().then(undefined, () => []) : [];
  for (const providerId of Object.keys(providerNames) as ProviderId[]) {
    if (provider && providerId !== provider) continue;
    const models = knownModels().filter((model) => model.provider === providerId && !model.retired);
    if (models.length === 0 && providerId !== 'openai-compatible' && providerId !== 'vscode-lm') continue;
    items.push({ label: providerNames[providerId], kind: vscode.QuickPickItemKind.Separator });
    for (const model of models) items.push({ label: model.displayName, description: model.id, provider: providerId, id: model.id });
    if (providerId === 'vscode-lm') {
      for (const model of hostModels) items.push({ ...describeLanguageModel(model), description: model.id, provider: providerId });
    }
    if (providerId === 'openai-compatible' || providerId === 'vscode-lm') {
      items.push({ label: '$(edit) Enter a model id…', description: providerNames[providerId], provider: providerId, id: '' });
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title: `Dual-Model: ${roleTitles[role]} ${what}`, matchOnDescription: true });
  if (!picked || !('provider' in picked)) return undefined;
  if (picked.id) return picked;
  const id = await vscode.window.showInputBox({ title: `${providerNames[picked.provider]} model id`, validateInput: (v) => (v.trim() ? undefined : 'Enter a model id') });
  return id ? { ...picked, id: id.trim() } : undefined;
}

async function pickThinking(title: string, current: ThinkingLevel): Promise<ThinkingLevel | undefined> {
  const levels: ThinkingLevel[] = ['high', 'medium', 'low', 'none'];
  const picked = await vscode.window.showQuickPick(
    levels.map((level) => ({ label: level, description: level === current ? 'current' : '', level })),
    { title },
  );
  return picked?.level;
}
