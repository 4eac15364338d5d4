// What a new run starts from: the two roles resolved from the settings (the provider's readiness,
// the demo fallback, the endpoint the workspace names) and what the user is looking at.
import * as vscode from 'vscode';
import type { ProviderReadiness, RoleConfig, RoleName } from '../core/models/roles.js';
import { resolveRole } from '../core/models/roles.js';
import type { RoleSnapshot } from '../core/workflow/roleSnapshot.js';
import type { ModelClientFactory } from './modelClients.js';
import { demoMode, knownModels, roleConfig } from './settings.js';

export interface ResolvedRoles {
  roles: { architect: RoleSnapshot; coder: RoleSnapshot };
  /** Why the offline demo stands in, for the panel's empty state; undefined for real models. */
  demoHint: string | undefined;
}

/** Readiness per provider and model, asked once per run start (it needs the key ring, which is async). */
type Readiness = Map<string, ProviderReadiness>;
const readinessKey = (provider: string, modelId: string) => `${provider}\u0000${modelId}`;

async function askReadiness(readiness: Readiness, models: ModelClientFactory, config: RoleConfig): Promise<void> {
  const key = readinessKey(config.provider, config.model);
  if (!readiness.has(key)) readiness.set(key, await models.ready(config.provider, config.model));
}

/**
 * One role's model for a new run: the real one, or the demo with why; undefined when it cannot
 * be filled, and the user has then been told why (with a way to fix it). resolveRole stays a pure
 * decision over the readiness already asked.
 */
async function resolveOne(role: RoleName, config: RoleConfig, models: ModelClientFactory, output: vscode.LogOutputChannel, readiness: Readiness): Promise<{ snapshot: RoleSnapshot; demoWhy?: string } | undefined> {
  const resolution = resolveRole(role, config, knownModels(), (provider, modelId) => readiness.get(readinessKey(provider, modelId)) ?? { ready: false, why: 'unknown provider.' }, demoMode());
  if (resolution.kind === 'error') {
    void vscode.window.showErrorMessage(`Dual-Model: ${resolution.message}`, 'Configure Roles').then((choice) => {
      if (choice) void vscode.commands.executeCommand('dualModel.configureRoles');
    });
    output.error(resolution.message);
    return undefined;
  }
  // Asked now, before the run starts, if the workspace names a host the user has not approved.
  const endpoint = resolution.snapshot.isDemo ? undefined : await models.endpointHost(resolution.snapshot.provider);
  const snapshot = endpoint ? { ...resolution.snapshot, endpoint } : resolution.snapshot;
  return resolution.kind === 'demo' ? { snapshot, demoWhy: resolution.why } : { snapshot };
}

/** undefined when a role cannot be filled; the user has then been told why (with a way to fix it). */
export async function resolveRoles(models: ModelClientFactory, output: vscode.LogOutputChannel): Promise<ResolvedRoles | undefined> {
  const readiness: Readiness = new Map();
  for (const role of ['architect', 'coder'] as const) await askReadiness(readiness, models, roleConfig(role));
  const result: Partial<Record<RoleName, RoleSnapshot>> = {};
  const notes: string[] = [];
  for (const role of ['architect', 'coder'] as const) {
    const resolved = await resolveOne(role, roleConfig(role), models, output, readiness);
    if (!resolved) return undefined;
    if (resolved.demoWhy) notes.push(resolved.demoWhy);
    result[role] = resolved.snapshot;
  }
  const demoHint = notes.length
    ? `Running with the offline demo models: ${[...new Set(notes)].join(' ')} The demo replays a scripted Architect and Coder on the sample workspace; its file edits and verification are real.`
    : undefined;
  if (demoHint) output.info(demoHint);
  return result.architect && result.coder ? { roles: { architect: result.architect, coder: result.coder }, demoHint } : undefined;
}

/**
 * The Coders of a run with several, each resolved exactly as the Coder role is (readiness, the
 * demo fallback, endpoint consent); undefined when one cannot be filled (the user was told why).
 */
export async function resolveCoders(configs: readonly RoleConfig[], models: ModelClientFactory, output: vscode.LogOutputChannel): Promise<RoleSnapshot[] | undefined> {
  const readiness: Readiness = new Map();
  const coders: RoleSnapshot[] = [];
  for (const config of configs) {
    await askReadiness(readiness, models, config);
    const resolved = await resolveOne('coder', config, models, output, readiness);
    if (!resolved) return undefined;
    coders.push(resolved.snapshot);
  }
  return coders;
}

/** What the user is looking at: the selection, and the active editor's workspace file and cursor. */
export function editorContext(): { selection?: { file: string; startLine: number; text: string }; activeFile?: { file: string; line: number } } {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return {};
  const file = vscode.workspace.asRelativePath(editor.document.uri, false);
  const inWorkspace = editor.document.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(editor.document.uri) !== undefined;
  const text = editor.selection.isEmpty ? '' : editor.document.getText(editor.selection);
  return {
    ...(inWorkspace ? { activeFile: { file, line: editor.selection.active.line + 1 } } : {}),
    ...(text.trim() ? { selection: { file, startLine: editor.selection.start.line + 1, text: text.slice(0, 20_000) } } : {}),
  };
}
