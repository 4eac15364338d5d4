// What a new run starts from: the two roles resolved from the settings (the provider's readiness,
// the demo fallback, the endpoint the workspace names) and what the user is looking at.
import * as vscode from 'vscode';
import type { ProviderReadiness, RoleName } from '../core/models/roles.js';
import { resolveRole } from '../core/models/roles.js';
import type { RoleSnapshot } from '../core/workflow/roleSnapshot.js';
import type { ModelClientFactory } from './modelClients.js';
import { demoMode, knownModels, roleConfig } from './settings.js';

export interface ResolvedRoles {
  roles: { architect: RoleSnapshot; coder: RoleSnapshot };
  /** Why the offline demo stands in, for the panel's empty state; undefined for real models. */
  demoHint: string | undefined;
}

/** undefined when a role cannot be filled; the user has then been told why (with a way to fix it). */
export async function resolveRoles(models: ModelClientFactory, output: vscode.LogOutputChannel): Promise<ResolvedRoles | undefined> {
  const known = knownModels();
  const mode = demoMode();
  const result: Partial<Record<RoleName, RoleSnapshot>> = {};
  const notes: string[] = [];
  // Readiness needs the key ring (async); resolveRole stays a pure decision over its answers.
  const readiness = new Map<string, ProviderReadiness>();
  const key = (provider: string, modelId: string) => `${provider}\u0000${modelId}`;
  for (const role of ['architect', 'coder'] as const) {
    const { provider, model } = roleConfig(role);
    if (!readiness.has(key(provider, model))) readiness.set(key(provider, model), await models.ready(provider, model));
  }
  for (const role of ['architect', 'coder'] as const) {
    const resolution = resolveRole(role, roleConfig(role), known, (provider, modelId) => readiness.get(key(provider, modelId)) ?? { ready: false, why: 'unknown provider.' }, mode);
    if (resolution.kind === 'error') {
      void vscode.window.showErrorMessage(`Dual-Model: ${resolution.message}`, 'Configure Roles').then((choice) => {
        if (choice) void vscode.commands.executeCommand('dualModel.configureRoles');
      });
      output.error(resolution.message);
      return undefined;
    }
    if (resolution.kind === 'demo') notes.push(resolution.why);
    // Asked now, before the run starts, if the workspace names a host the user has not approved.
    const endpoint = resolution.snapshot.isDemo ? undefined : await models.endpointHost(resolution.snapshot.provider);
    result[role] = endpoint ? { ...resolution.snapshot, endpoint } : resolution.snapshot;
  }
  const demoHint = notes.length
    ? `Running with the offline demo models: ${[...new Set(notes)].join(' ')} The demo replays a scripted Architect and Coder on the sample workspace; its file edits and verification are real.`
    : undefined;
  if (demoHint) output.info(demoHint);
  return result.architect && result.coder ? { roles: { architect: result.architect, coder: result.coder }, demoHint } : undefined;
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
