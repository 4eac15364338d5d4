// The runs this machine started, in the extension's global storage: a repository can ship a
// .dual-model/brain/*/run.json, and such a run must never call a model or touch files without
// the user's say-so. Kept per machine (globalState is not synced unless asked), capped so it
// cannot grow without bound.
import type * as vscode from 'vscode';
import type { RunOrigins } from '../core/ports.js';

const STARTED_KEY = 'dualModel.runsStartedHere.v1';
/** Plenty for years of runs; the oldest go first. */
const MAX_REMEMBERED = 2000;

export class GlobalStateRunOrigins implements RunOrigins {
  constructor(private readonly state: vscode.Memento) {}

  startedHere(runId: string): boolean {
    return this.ids().includes(runId);
  }

  async remember(runId: string): Promise<void> {
    const ids = this.ids().filter((id) => id !== runId);
    await this.state.update(STARTED_KEY, [...ids, runId].slice(-MAX_REMEMBERED));
  }

  private ids(): string[] {
    const stored = this.state.get<unknown>(STARTED_KEY, []);
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }
}
