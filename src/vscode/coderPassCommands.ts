// "Show the Coder's changes" and "Revert the Coder's changes": every file a pass touched, as it
// was before the pass (kept in versions/vN/originals.json) against what is on disk now. The
// originals are served read-only under their own URI scheme so VS Code's diff editors show them.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const ORIGINALS_SCHEME = 'dual-model-original';

export interface CoderPassSource {
  currentRunId: string | undefined;
  workspaceRoot: string;
  coderPass(runId: string): Promise<{ specVersion: number; originals: Map<string, string | undefined> } | undefined>;
  isBusy(runId: string): boolean;
  /** Puts the pass's files back as one engine event, recorded in the run's history. */
  revert(runId: string): Promise<{ specVersion: number; files: string[] } | undefined>;
}

/** Serves `dual-model-original:/<run-id>/<file>` from the run's originals. */
class OriginalsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly source: () => CoderPassSource | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    // The "now" side of a file the pass deleted.
    if (uri.query === 'deleted') return '';
    const [, runId, ...rest] = uri.path.split('/');
    const pass = runId ? await this.source()?.coderPass(runId) : undefined;
    return pass?.originals.get(rest.join('/')) ?? '';
  }
}

export function registerCoderPassCommands(source: () => CoderPassSource | undefined): vscode.Disposable[] {
  const need = (): CoderPassSource & { currentRunId: string } => {
    const current = source();
    if (!current?.currentRunId) throw new Error('No Dual-Model run is shown. Open one from the Runs view.');
    return current as CoderPassSource & { currentRunId: string };
  };
  return [
    vscode.workspace.registerTextDocumentContentProvider(ORIGINALS_SCHEME, new OriginalsProvider(source)),
    vscode.commands.registerCommand('dualModel.showCoderChanges', async (runId?: unknown) => {
      const run = need();
      const id = typeof runId === 'string' ? runId : run.currentRunId;
      const pass = await run.coderPass(id);
      if (!pass || pass.originals.size === 0) {
        void vscode.window.showInformationMessage('The Coder has not changed any file in this run yet.');
        return;
      }
      const changes = [...pass.originals.keys()].map((file) => {
        const current = vscode.Uri.file(path.join(run.workspaceRoot, ...file.split('/')));
        const original = vscode.Uri.from({ scheme: ORIGINALS_SCHEME, path: `/${id}/${file}` });
        return [current, original, current];
      });
      await vscode.commands.executeCommand('vscode.changes', `Coder's changes (spec v${pass.specVersion})`, changes);
    }),
    vscode.commands.registerCommand('dualModel.revertCoderChanges', async (runId?: unknown, confirmed?: unknown) => {
      const run = need();
      const id = typeof runId === 'string' ? runId : run.currentRunId;
      if (run.isBusy(id)) throw new Error('The run is working; cancel it or wait before reverting.');
      const pass = await run.coderPass(id);
      if (!pass || pass.originals.size === 0) return 0;
      if (confirmed !== true) {
        const choice = await vscode.window.showWarningMessage(
          `Revert the ${pass.originals.size} file(s) the Coder changed (spec v${pass.specVersion}) to how they were before its pass?`,
          { modal: true, detail: 'Files it created are deleted. Each change is an undoable workspace edit.' },
          'Revert',
        );
        if (choice !== 'Revert') return 0;
      }
      const reverted = await run.revert(id);
      if (!reverted) return 0;
      void vscode.window.showInformationMessage(`Dual-Model: reverted ${reverted.files.length} file(s).`);
      return reverted.files.length;
    }),
  ];
}
