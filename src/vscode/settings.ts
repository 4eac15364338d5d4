// Typed access to the extension's settings. Only non-secret values live in settings; API keys
// never do (SecretStorage or the environment). The values are parsed by one schema
// (settingsSchema.ts), once per change event; base URLs and the artifacts root are read per
// level here, because who set them decides whether they may be used.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelEntry, ModelPrice, ModelRegistry } from '../core/models/registry.js';
import type { SpendCaps } from '../core/models/spendCaps.js';
import type { RoleConfig, RoleName } from '../core/models/roles.js';
import type { EngineSettings } from '../core/workflow/phaseContext.js';
import type { BaseUrlSources, EndpointProvider } from '../core/models/endpoints.js';
import type { SandboxChoice } from '../node/sandbox.js';
import { levelledReader, parseSettings, SECTION, type DualModelSettings, type RunModeSettings } from './settingsSchema.js';

export { SECTION } from './settingsSchema.js';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(SECTION);

/** The settings of the last read; dropped by every change event (and by a trust grant, which changes what a workspace may set). */
let cached: DualModelSettings | undefined;
let warn: (line: string) => void = () => undefined;

/**
 * Registered first at activation: from then on the settings are parsed once per change event,
 * and each invalid value is reported once per event in the output channel.
 */
export function watchSettings(log: (line: string) => void): vscode.Disposable {
  warn = log;
  cached = undefined;
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) cached = undefined;
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      cached = undefined;
    }),
  );
}

function current(): DualModelSettings {
  if (cached === undefined) {
    const settings = config();
    const parsed = parseSettings(levelledReader((key) => settings.get(key), (key) => settings.inspect(key)?.globalValue));
    for (const problem of parsed.problems) warn(problem);
    cached = parsed.settings;
  }
  return cached;
}

export function roleConfig(role: RoleName): RoleConfig {
  return current().roles[role];
}

export async function updateRole(role: RoleName, values: Partial<RoleConfig>, target: vscode.ConfigurationTarget): Promise<void> {
  const settings = config();
  for (const [key, value] of Object.entries(values)) await settings.update(`${role}.${key}`, value, target);
}

export function demoMode(): DualModelSettings['demoModels'] {
  return current().demoModels;
}

export function demoLatencyMs(): number {
  return current().demoLatencyMs;
}

/** The model registry: the built-ins with the user's entries over them. */
export function modelRegistry(): ModelRegistry {
  return current().registry;
}

/** Every model the registry lists, retired ones included (a setting naming one fails with its successor). */
export function knownModels(): readonly ModelEntry[] {
  return current().registry.models;
}

export function engineSettings(): EngineSettings {
  return current().engine;
}

/** dualModel.verification.sandbox; anything else reads as the default, sandboxed. */
export function verificationSandbox(): SandboxChoice {
  return current().verificationSandbox;
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
  current(); // reports a value of the wrong type, once per change
  const inspected = config().inspect('artifactsRoot');
  const user = resolve(text(inspected?.globalValue)) ?? path.join(workspaceRoot, '.dual-model');
  const workspace = resolve(text(inspected?.workspaceFolderValue) ?? text(inspected?.workspaceValue));
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
  current(); // reports a value of the wrong type, once per change
  const inspected = config().inspect(baseUrlKeys[provider]);
  return {
    user: text(inspected?.globalValue) ?? text(inspected?.defaultValue),
    workspace: text(inspected?.workspaceFolderValue) ?? text(inspected?.workspaceValue),
  };
}

/** A level's value when it is text; anything else (reported by the schema) reads as unset. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether a HARD STOP confirms itself once the identity check passes. The user's own settings
 * only: a repository must not be able to remove the gate before its code runs.
 */
export function hardStopAutoConfirm(): boolean {
  return config().inspect('hardStop.autoConfirm')?.globalValue === true;
}

/** The key vault server's port when nothing valid is set: fixed, so other tools are configured once. */
export const defaultKeyVaultPort = 47811;

export interface KeyVaultServerSettings {
  /** 0: any free port. */
  port: number;
  startAutomatically: boolean;
  /** One line per value that was set but is not valid (and so not used). */
  problems: string[];
}

/**
 * Whether the key vault server starts with the window, and on which port. The user's own
 * settings only: a cloned repository must never open a port or choose it.
 */
export function keyVaultServerSettings(): KeyVaultServerSettings {
  const problems: string[] = [];
  const rawPort = config().inspect('keyVault.server.port')?.globalValue;
  const validPort = typeof rawPort === 'number' && Number.isInteger(rawPort) && rawPort >= 0 && rawPort <= 65535;
  if (rawPort !== undefined && !validPort) problems.push(`${SECTION}.keyVault.server.port: ${JSON.stringify(rawPort)} is not a port (0 to 65535); ${defaultKeyVaultPort} is used.`);
  const rawStart = config().inspect('keyVault.server.startAutomatically')?.globalValue;
  return { port: validPort ? rawPort : defaultKeyVaultPort, startAutomatically: rawStart === true, problems };
}

export function requestTimeoutMs(): number {
  return current().requestTimeoutMs;
}

/** The registry's prices by model id. */
export function prices(): Record<string, ModelPrice> {
  return current().prices;
}

/** The spending caps from the user's own settings; a workspace's values are ignored. */
export function spendCaps(): SpendCaps {
  return current().spendCaps;
}

/** dualModel.run.*: the mode a run starts in and its Coders, from the user's own settings. */
export function runModeSettings(): RunModeSettings {
  return current().run;
}
