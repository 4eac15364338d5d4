// "Resume": a run found on disk that this machine did not start (or any run in Restricted Mode)
// starts acting only after the user has read what that means and said yes.
import * as vscode from 'vscode';
import type { RunEngine } from '../core/workflow/runEngine.js';

type DormantRuns = Pick<RunEngine, 'get' | 'runs' | 'activityOf' | 'resumeDormant'>;

/** True when the run resumed; false when there was none to resume, or the user did not agree. */
export async function resumeDormantRun(engine: DormantRuns, output: vscode.LogOutputChannel, runId?: string): Promise<boolean> {
  const id = runId ?? (await pickDormantRun(engine));
  if (!id) return false;
  const record = engine.get(id);
  const dormant = record ? engine.activityOf(id).dormant : undefined;
  if (!record || !dormant) return false;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Dual-Model: trust the workspace first (Workspaces: Manage Workspace Trust); a run cannot resume in Restricted Mode.');
    return false;
  }
  const resume = 'Resume';
  const choice = await vscode.window.showWarningMessage(
    `Resume the run "${record.request.slice(0, 120)}"?`,
    {
      modal: true,
      detail:
        `${dormant}\n\nIts files came from disk, not from you: read its spec before you go on. Resuming lets it call ${record.roles.architect.displayName} and ${record.roles.coder.displayName} ` +
        `(${record.state.phase}); the Coder still edits files and runs a command only after you confirm its HARD STOP.`,
    },
    resume,
  );
  if (choice !== resume) return false;
  await engine.resumeDormant(id);
  output.info(`Run ${id} resumed by the user.`);
  return true;
}

async function pickDormantRun(engine: DormantRuns): Promise<string | undefined> {
  const dormant = engine.runs().filter((run) => engine.activityOf(run.runId).dormant);
  if (dormant.length === 0) {
    void vscode.window.showInformationMessage('Dual-Model: no run waits to be resumed.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    dormant.map((run) => ({ label: run.request, description: run.state.phase, detail: run.runId, runId: run.runId })),
    { title: 'Dual-Model: resume which run found on disk?', matchOnDetail: true },
  );
  return picked?.runId;
}
