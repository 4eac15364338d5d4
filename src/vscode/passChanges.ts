// Opens one file of a run's newest Coder pass from a review: the file before the pass against
// the file now (a diff), or the file itself. The run id and path come from a webview, so both are
// checked against what the engine knows: only a file the pass touched opens, and only inside the
// workspace folder.
import * as vscode from 'vscode';
import type { RunEngine } from '../core/workflow/runEngine.js';
import { ORIGINALS_SCHEME } from './coderPassCommands.js';

export async function openPassChange(engine: Pick<RunEngine, 'coderPass' | 'get'>, folder: vscode.Uri, runId: string, file: string, as: 'diff' | 'file'): Promise<void> {
  if (!engine.get(runId)) throw new Error(`There is no run "${runId.slice(0, 200)}" in this workspace.`);
  const pass = await engine.coderPass(runId);
  if (!pass?.originals.has(file)) throw new Error(`${file.slice(0, 300)} is not a file the Coder's last pass changed.`);
  const current = vscode.Uri.joinPath(folder, ...file.split('/'));
  const existsNow = await vscode.workspace.fs.stat(current).then(
    () => true,
    () => false,
  );
  if (as === 'file') {
    if (!existsNow) throw new Error(`${file} no longer exists (the pass deleted it, or it was reverted); open its diff instead.`);
    await vscode.window.showTextDocument(current, { preview: true, viewColumn: vscode.ViewColumn.One });
    return;
  }
  const before = vscode.Uri.from({ scheme: ORIGINALS_SCHEME, path: `/${runId}/${file}` });
  // A file the pass deleted is shown against an empty document of the same name.
  const after = existsNow ? current : before.with({ query: 'deleted' });
  await vscode.commands.executeCommand('vscode.diff', before, after, `${file} (before the Coder's pass v${pass.specVersion} ↔ now)`, { preview: true, viewColumn: vscode.ViewColumn.One });
}
