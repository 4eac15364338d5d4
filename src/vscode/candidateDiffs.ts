// A competitive run's candidates in VS Code: "Apply this one" and "View diff" of a candidate's
// file, the workspace's file against the candidate's version (served read-only under its own URI
// scheme). The label and path come from a webview, so each is checked against the run's own view
// first (candidateIntents.ts): only a file that candidate changed is ever read.
import * as vscode from 'vscode';
import { candidateFileRequest, candidatePickRequest } from '../core/workflow/candidateIntents.js';
import type { RunEngine } from '../core/workflow/runEngine.js';

export const CANDIDATE_SCHEME = 'dual-model-candidate';

/**
 * LEAD, WIRE ON MERGE: the compete branch adds these two methods to RunEngine. Until it lands,
 * RunEngine has neither, and the candidate buttons answer that the competitive engine is not in
 * this build. Once merged, `candidateEngineOf(engine)` can become `engine` itself.
 */
export interface CandidateEngine {
  applyCandidate(runId: string, label: string): Promise<void>;
  /** The candidate's version of a file it changed; undefined: the candidate deleted it. */
  candidateFile(runId: string, label: string, file: string): Promise<string | undefined>;
}

type CandidateSource = Pick<RunEngine, 'snapshot'>;

function candidateEngineOf(engine: object): CandidateEngine {
  if ('applyCandidate' in engine && typeof engine.applyCandidate === 'function' && 'candidateFile' in engine && typeof engine.candidateFile === 'function') {
    return engine as CandidateEngine;
  }
  throw new Error('The competitive (best-of-N) engine is not in this build yet, so no candidate can be applied or shown.');
}

async function competitionOf(engine: CandidateSource, runId: string) {
  const snapshot = await engine.snapshot(runId);
  if (!snapshot) throw new Error(`There is no run "${runId.slice(0, 200)}" in this workspace.`);
  return snapshot.view.competition;
}

export async function applyCandidate(engine: CandidateSource & object, runId: string, label: string): Promise<void> {
  const check = candidatePickRequest(await competitionOf(engine, runId), label);
  if (!check.ok) throw new Error(check.error);
  await candidateEngineOf(engine).applyCandidate(runId, label);
}

export async function openCandidateDiff(engine: CandidateSource & object, folder: vscode.Uri, runId: string, label: string, file: string): Promise<void> {
  const check = candidateFileRequest(await competitionOf(engine, runId), label, file);
  if (!check.ok) throw new Error(check.error);
  candidateEngineOf(engine);
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
  constructor(private readonly engine: () => CandidateSource & object) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.query === 'absent') return '';
    const [, runId, label, ...rest] = uri.path.split('/');
    const file = rest.join('/');
    if (!runId || !label) return '';
    const engine = this.engine();
    const check = candidateFileRequest(await competitionOf(engine, runId), label, file);
    if (!check.ok) throw new Error(check.error);
    return (await candidateEngineOf(engine).candidateFile(runId, label, file)) ?? '';
  }
}
