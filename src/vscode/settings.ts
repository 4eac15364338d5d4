// Typed access to the extension's settings. Only non-secret values live in settings; API keys
// never do (SecretStorage or the environment).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CatalogModel, ProviderId } from '../core/models/catalog.js';
import { builtInModels } from '../core/models/catalog.js';
import type { ThinkingLevel } from '../core/models/modelClient.js';
import type { RoleConfig, RoleName } from '../core/models/roles.js';
import { defaultRoles } from '../core/models/roles.js';
import type { EngineSettings } from '../core/workflow/runEngine.js';
import type { BaseUrlSources, EndpointProvider } from '../core/models/endpoints.js';
import type { ModelPrice } from '../core/models/prices.js';
import { builtInPrices } from '../core/models/prices.js';
import type { SandboxChoice } from '../node/sandbox.js';

export const SECTION = 'dualModel';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(SECTION);

const thinkingLevels: readonly ThinkingLevel[] = ['none', 'low', 'medium', 'high'];
const asThinking = (value: unknown, fallback: ThinkingLevel): ThinkingLevel =>
  thinkingLevels.includes(value as ThinkingLevel) ? (value as ThinkingLevel) : fallback;

export function roleConfig(role: RoleName): RoleConfig {
  const defaults = defaultRoles[role];
  const settings = config();
  return {
    provider: settings.get<string>(`${role}.provider`, defaults.provider),
    model: settings.get<string>(`${role}.model`, defaults.model),
    thinking: asThinking(settings.get(`${role}.thinking`), defaults.thinking),
    fallbackModel: settings.get<string>(`${role}.fallbackModel`, defaults.fallbackModel),
    fallbackThinking: asThinking(settings.get(`${role}.fallbackThinking`), defaults.fallbackThinking),
  };
}

export async function updateRole(role: RoleName, values: Partial<RoleConfig>, target: vscode.ConfigurationTarget): Promise<void> {
  const settings = config();
  for (const [key, value] of Object.entries(values)) await settings.update(`${role}.${key}`, value, target);
}

export function demoMode(): 'auto' | 'always' | 'never' {
  const value = config().get<string>('demoModels', 'auto');
  return value === 'always' || value === 'never' ? value : 'auto';
}

export function demoLatencyMs(): number {
  return Math.max(0, config().get<number>('demo.latencyMs', 20));
}

/** Built-in models plus those the user declared in dualModel.customModels. */
export function catalog(): CatalogModel[] {
  const custom = config().get<unknown[]>('customModels', []);
  const extra: CatalogModel[] = [];
  for (const entry of Array.isArray(custom) ? custom : []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { provider, id, displayName } = entry as Record<string, unknown>;
    if (typeof provider === 'string' && typeof id === 'string') {
      extra.push({ provider: provider as ProviderId, id, displayName: typeof displayName === 'string' ? displayName : id, supportsThinking: true });
    }
  }
  return [...builtInModels, ...extra];
}

export function engineSettings(): EngineSettings {
  const settings = config();
  return {
    verificationTimeoutMs: Math.max(1, settings.get<number>('verification.timeoutSeconds', 300)) * 1000,
    maxCoderTurns: Math.max(1, settings.get<number>('coder.maxTurns', 30)),
    maxVerificationRuns: Math.max(1, settings.get<number>('coder.maxVerificationRuns', 5)),
    maxOutputTokens: Math.max(256, settings.get<number>('maxOutputTokens', 16_000)),
  };
}

/** dualModel.verification.sandbox; anything else reads as the default, sandboxed. */
export function verificationSandbox(): SandboxChoice {
  return config().get<string>('verification.sandbox', 'sandboxed') === 'unsandboxed' ? 'unsandboxed' : 'sandboxed';
}

/**
 * The artifacts root: relative paths are inside the workspace folder (".dual-model" by default).
 * Only the user's own settings may put it outside the folder: the extension writes run state
 * there, and a workspace's settings must not aim those writes at the rest of the disk.
 */
export function artifactsRoot(workspaceRoot: string): string {
  const resolve = (value: string | undefined): string | undefined => {
    const trimmed = value?.trim();
    return trimmed ? path.resolve(workspaceRoot, trimmed) : undefined;
  };
  const inspected = config().inspect<string>('artifactsRoot');
  const user = resolve(inspected?.globalValue) ?? path.join(workspaceRoot, '.dual-model');
  const workspace = resolve(inspected?.workspaceFolderValue ?? inspected?.workspaceValue);
  if (workspace === undefined || !vscode.workspace.isTrusted) return user;
  const inside = path.relative(workspaceRoot, workspace);
  return inside !== '' && !inside.startsWith('..') && !path.isAbsolute(inside) ? workspace : user;
}

const baseUrlKeys: Record<EndpointProvider, string> = {
  anthropic: 'anthropic.baseUrl',
  google: 'google.baseUrl',
  'openai-compatible': 'openaiCompatible.baseUrl',
};

/**
 * A provider's base URL as the user set it (or the default) and as the workspace set it, apart:
 * the workspace's value needs consent (src/vscode/endpointConsent.ts), so nothing should read
 * the merged value.
 */
export function baseUrlSources(provider: EndpointProvider): BaseUrlSources {
  const inspected = config().inspect<string>(baseUrlKeys[provider]);
  return {
    user: inspected?.globalValue ?? inspected?.defaultValue,
    workspace: inspected?.workspaceFolderValue ?? inspected?.workspaceValue,
  };
}

export function requestTimeoutMs(): number {
  return Math.max(5, config().get<number>('requestTimeoutSeconds', 600)) * 1000;
}

/** The built-in price table with the user's dualModel.prices entries over it. */
export function prices(): Record<string, ModelPrice> {
  const overrides = config().get<Record<string, Partial<ModelPrice>>>('prices', {});
  const merged: Record<string, ModelPrice> = { ...builtInPrices };
  for (const [model, price] of Object.entries(overrides ?? {})) {
    if (typeof price?.input === 'number' && typeof price.output === 'number') {
      merged[model] = { input: price.input, output: price.output, cacheRead: price.cacheRead ?? 0, cacheWrite: price.cacheWrite ?? 0 };
    }
  }
  return merged;
}
