// A competitive run's candidates in VS Code: "Apply this one" and "View diff" of a candidate's
// file, the workspace's file against the candidate's version (served read-only under its own URI
// scheme). The label and path come from a webview, so each is checked against the run's own view
// first (candidateIntents.ts): only a file that candidate changed is ever read.
import * as vscode from 'vscode';
import { candidateFileRequest, candidatePickRequest } from '../core/workflow/candidateIntents.js';
import type { RunEngine } from '../core/workflow/runEngine.js';

export const CANDIDATE_SCHEME = 'dual-model-candidate';

type CandidateSource = Pick<RunEngine, 'snapshot' | 'applyCandidate' | 'candidateWork'>;

/** The candidate's version of a file it changed, from its saved work (its copy may be gone); undefined: it deleted the file. */
async function candidateFile(engine: CandidateSource, runId: string, label: string, file: string): Promise<string | undefined> {
  const work = await engine.candidateWork(runId, label);
  return work.files.find((changed) => changed.path === file)?.after ?? undefined;
}

async function competitionOf(engine: CandidateSource, runId: string) {
  const snapshot = await engine.snapshot(runId);
  if (!snapshot) throw new Error(`There is no run "${runId.slice(0, 200)}" in this workspace.`);
  return snapshot.view.competition;
}

export async function applyCandidate(engine: CandidateSource, runId: string, label: string): Promise<void> {
  const check = candidatePickRequest(await competitionOf(engine, runId), label);
  if (!check.ok) throw new Error(check.error);
  await engine.applyCandidate(runId, label);
}

export async function openCandidateDiff(engine: CandidateSource, folder: vscode.Uri, runId: string, label: string, file: string): Promise<void> {
  const check = candidateFileRequest(await competitionOf(engine, runId), label, file);
  if (!check.ok) throw new Error(check.error);
  const current = vscode.Uri.joinPath(folder, ...file.split('/'));
  const existsNow = await vscode.workspace.fs.stat(current).then(
    () => true,
    () => false,
  );
  const candidate = candidateUri(runId, label, file);
  // A file the candidate created is shown against an empty document of the same name.
  const before = existsNow ? current : candidate.with({ query: 'absent' });
  await vscode.commands.executeCommand('vscode.diff', before, candidate, `${file} (workspace ↔ candidate ${label})`, { preview: true, viewColumn: vscode.ViewColumn.One });
}

function candidateUri(runId: string, label: string, file: string): vscode.Uri {
  return vscode.Uri.from({ scheme: CANDIDATE_SCHEME, path: `/${runId}/${label}/${file}` });
}

/** Serves `dual-model-candidate:/<run-id>/<label>/<file>`, for files the run's view lists only. */
export class CandidateFilesProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly engine: () => CandidateSource) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.query === 'absent') return '';
    const [, runId, label, ...rest] = uri.path.split('/');
    const file = rest.join('/');
    if (!runId || !label) return '';
    const engine = this.engine();
    const check = candidateFileRequest(await competitionOf(engine, runId), label, file);
    if (!check.ok) throw new Error(check.error);
    return (await candidateFile(engine, runId, label, file)) ?? '';
  }
}
