// The models a swarm may use: the registry's tiered, current, tool-using models whose provider is
// ready now (a key, a VS Code model), each resolved as the Coder role is (thinking, endpoint
// consent). A model that is not ready is left out silently: the swarm routes among the rest.
import type * as vscode from 'vscode';
import type { ModelRegistry } from '../core/models/registry.js';
import type { RoleConfig } from '../core/models/roles.js';
import type { RoleSnapshot } from '../core/workflow/roleSnapshot.js';
import type { ModelClientFactory } from './modelClients.js';
import { resolveCoders } from './runRequest.js';
import { roleConfig } from './settings.js';

export async function swarmModels(registry: ModelRegistry, models: ModelClientFactory, output: vscode.LogOutputChannel): Promise<RoleSnapshot[]> {
  const coder = roleConfig('coder');
  const candidates = registry.models.filter((model) => model.tier !== undefined && !model.retired && model.capabilities.tools && model.provider !== 'demo');
  const ready = [];
  for (const model of candidates) if ((await models.ready(model.provider, model.id)).ready) ready.push(model);
  const configs: RoleConfig[] = ready.map((model) => {
    const thinking = model.capabilities.thinking ? coder.thinking : 'none';
    return { provider: model.provider, model: model.id, thinking, fallbackModel: model.id, fallbackThinking: thinking };
  });
  // A demo stand-in (demo mode on) is never a swarm's model: its routing would be a fiction.
  return ((await resolveCoders(configs, models, output)) ?? []).filter((role) => !role.isDemo);
}
