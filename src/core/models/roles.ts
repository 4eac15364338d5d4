// The two roles and the models that fill them: the seed's Role Configuration table as defaults,
// validation that catches a bad setting before a run starts, and the choice between a real
// provider and the offline demo.
import type { ModelEntry, ProviderId } from './registry.js';
import { findModel, providerNames } from './registry.js';
import type { ThinkingLevel } from './modelClient.js';
import type { RoleSnapshot } from '../workflow/roleSnapshot.js';

export type RoleName = 'architect' | 'coder';

export interface RoleConfig {
  provider: string;
  model: string;
  thinking: ThinkingLevel;
  fallbackModel: string;
  fallbackThinking: ThinkingLevel;
}

/**
 * The seed's table, mapped to ids that exist today: "Claude Opus 4.6 (Thinking)" → Claude Sonnet
 * 4.6; "Gemini 3 Pro (High)" → "Gemini 3 Pro (Low)". gemini-3-pro-preview is retired, so the Coder
 * uses its successor at the same thinking levels.
 */
export const defaultRoles: Record<RoleName, RoleConfig> = {
  architect: { provider: 'anthropic', model: 'claude-opus-4-6', thinking: 'high', fallbackModel: 'claude-sonnet-4-6', fallbackThinking: 'none' },
  coder: { provider: 'google', model: 'gemini-3.1-pro-preview', thinking: 'high', fallbackModel: 'gemini-3.1-pro-preview', fallbackThinking: 'low' },
};

export const roleTitles: Record<RoleName, string> = { architect: 'Architect', coder: 'Coder' };

const knownProviders = Object.keys(providerNames) as ProviderId[];

/** "Claude Opus 4.6 (Thinking)", "Gemini 3.1 Pro (High)": the names the seed uses. */
export function modelDisplayName(model: ModelEntry | undefined, id: string, thinking: ThinkingLevel): string {
  const base = model?.displayName ?? id;
  if (thinking === 'none' || !model?.capabilities.thinking) return base;
  if (model.provider === 'anthropic') return `${base} (Thinking)`;
  return `${base} (${thinking[0]?.toUpperCase()}${thinking.slice(1)})`;
}

/** Problems with one role's settings, each a sentence that says what to change. */
export function validateRole(role: RoleName, config: RoleConfig, models: readonly ModelEntry[]): string[] {
  const title = roleTitles[role];
  const setting = `dualModel.${role}`;
  if (!knownProviders.includes(config.provider as ProviderId)) {
    return [`${title}: unknown provider "${config.provider}" in ${setting}.provider; use one of ${knownProviders.join(', ')}.`];
  }
  const problems: string[] = [];
  for (const [label, id, key] of [
    ['model', config.model, 'model'],
    ['fallback model', config.fallbackModel, 'fallbackModel'],
  ] as const) {
    if (!id.trim()) {
      if (key === 'model') problems.push(`${title}: ${setting}.${key} is empty; choose a model with "Dual-Model: Configure Roles".`);
      continue;
    }
    problems.push(...checkModelId(title, label, `${setting}.${key}`, config.provider as ProviderId, id, models));
  }
  return problems;
}

function checkModelId(title: string, label: string, setting: string, provider: ProviderId, id: string, models: readonly ModelEntry[]): string[] {
  // These providers serve whatever the server or VS Code offers; the id is checked when called.
  if (provider === 'openai-compatible' || provider === 'vscode-lm') return [];
  const model = findModel(models, provider, id);
  if (!model) {
    const known = models.filter((m) => m.provider === provider && !m.retired).map((m) => m.id);
    return [
      `${title}: the ${label} "${id}" (${setting}) is not a known ${providerNames[provider]} model. Known: ${known.join(', ') || 'none'}. To use another id, declare it in dualModel.modelRegistry (with its provider) or dualModel.customModels.`,
    ];
  }
  if (model.retired) {
    const successor = model.retired.successor ? ` Use its successor "${model.retired.successor}" instead.` : '';
    return [`${title}: the ${label} "${id}" (${setting}) was retired on ${model.retired.on}.${successor}`];
  }
  return [];
}

/** Whether a provider can serve a model now; a host-offered model may name itself. */
export type ProviderReadiness = { ready: true; displayName?: string } | { ready: false; why: string };

export type RoleResolution =
  | { kind: 'real'; snapshot: RoleSnapshot }
  | { kind: 'demo'; snapshot: RoleSnapshot; why: string };

/**
 * Decides which model plays a role for a new run. Without a usable provider (no key, or the
 * provider not available in this build) the offline demo plays it, and `why` says how to change that.
 */
export function resolveRole(
  role: RoleName,
  config: RoleConfig,
  models: readonly ModelEntry[],
  providerReady: (provider: string, modelId: string) => ProviderReadiness,
  demoMode: 'auto' | 'always' | 'never',
): RoleResolution | { kind: 'error'; message: string } {
  const demo: RoleSnapshot = {
    provider: 'demo',
    modelId: role === 'architect' ? 'demo-architect' : 'demo-coder',
    displayName: findModel(models, 'demo', role === 'architect' ? 'demo-architect' : 'demo-coder')?.displayName ?? 'Demo',
    thinking: 'none',
    isDemo: true,
  };
  if (demoMode === 'always' || config.provider === 'demo') {
    return { kind: 'demo', snapshot: demo, why: 'Demo models are selected (dualModel.demoModels).' };
  }
  const problems = validateRole(role, config, models);
  if (problems.length > 0) return { kind: 'error', message: problems.join('\n') };
  const ready = providerReady(config.provider, config.model);
  const real: RoleSnapshot = {
    provider: config.provider,
    modelId: config.model,
    displayName: (ready.ready && ready.displayName) || modelDisplayName(findModel(models, config.provider, config.model), config.model, config.thinking),
    thinking: config.thinking,
    isDemo: false,
    ...(config.fallbackModel.trim() && (config.fallbackModel !== config.model || config.fallbackThinking !== config.thinking)
      ? {
          fallback: {
            modelId: config.fallbackModel,
            displayName: modelDisplayName(findModel(models, config.provider, config.fallbackModel), config.fallbackModel, config.fallbackThinking),
            thinking: config.fallbackThinking,
          },
        }
      : {}),
  };
  if (ready.ready) return { kind: 'real', snapshot: real };
  if (demoMode === 'never') return { kind: 'error', message: `${roleTitles[role]}: ${ready.why}` };
  return { kind: 'demo', snapshot: demo, why: `${roleTitles[role]} would be ${real.displayName}, but ${ready.why}` };
}
