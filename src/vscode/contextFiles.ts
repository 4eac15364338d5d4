// The files the user added for the next run's Architect ("Add to the Architect's context"):
// workspace-relative, inside the workspace folder, each once. They go with the next run started
// and are cleared once it has started (a start that fails keeps them).
import * as vscode from 'vscode';

export class ContextFiles {
  private files: string[] = [];

  /** Adds a file; one outside the workspace folder is refused. Returns its workspace-relative path. */
  add(uri: vscode.Uri): string {
    const relative = vscode.workspace.asRelativePath(uri, false);
    if (relative === uri.fsPath || relative.startsWith('..')) throw new Error(`${uri.fsPath} is outside the workspace folder.`);
    if (!this.files.includes(relative)) this.files.push(relative);
    return relative;
  }

  clear(): void {
    this.files = [];
  }

  get list(): readonly string[] {
    return this.files;
  }

  /** For the request prompt: " · with 2 added file(s): a.ts, b.ts", or nothing. */
  describe(): string {
    return this.files.length ? ` · with ${this.files.length} added file(s): ${this.files.join(', ')}` : '';
  }
}
