// The run's documents as the panel lists them (every spec version and its report), read from
// the artifacts root, and the protected paths the pending spec names. Cached between updates:
// artifacts change only with a transition (each adds a history entry) or when the engine adopts
// a hand-edited spec (a new digest); activity updates and the run.json saves of each model call
// (a new revision every Coder turn) reuse them.
import type { RunEngine } from '../core/workflow/runEngine.js';
import type { RunRecord } from '../core/workflow/runRecord.js';
import type { RunStore } from '../core/workflow/runStore.js';
import type { DocumentSource } from '../core/workflow/runView.js';

export interface RunArtifacts {
  documents: DocumentSource[];
  protectedPaths: string[] | undefined;
}

export class RunDocuments {
  private cache: (RunArtifacts & { runId: string; transitions: number; specDigest: string | undefined }) | undefined;

  constructor(
    private readonly store: Pick<RunStore, 'readArtifact'>,
    private readonly engine: Pick<RunEngine, 'pendingApproval' | 'pendingProtectedPaths'>,
  ) {}

  async of(record: RunRecord): Promise<RunArtifacts> {
    const cached = this.cache;
    const specDigest = this.engine.pendingApproval(record.runId)?.digest;
    if (cached?.runId === record.runId && cached.transitions === record.history.length && cached.specDigest === specDigest) return cached;
    const documents = await this.read(record);
    // A hand-edited spec that no longer parses names no path; confirming then says why.
    const protectedPaths = await this.engine.pendingProtectedPaths(record.runId).catch(() => undefined);
    this.cache = { runId: record.runId, transitions: record.history.length, specDigest, documents, protectedPaths };
    return this.cache;
  }

  private async read(record: RunRecord): Promise<DocumentSource[]> {
    const documents: DocumentSource[] = [];
    for (const spec of record.specs) {
      const files = spec.batchFiles ?? ['code_spec.md'];
      for (const [index, name] of files.entries()) {
        const file = `versions/v${spec.version}/${name}`;
        const markdown = await this.store.readArtifact(record.runId, file);
        const label = files.length > 1 ? `Code Spec v${spec.version} · ${String(index + 1).padStart(2, '0')}` : `Code Spec v${spec.version}`;
        if (markdown !== undefined) documents.push({ kind: 'spec', label, path: file, markdown, proposed: isProposed(record, spec.version) });
      }
      const report = record.reports.find((entry) => entry.specVersion === spec.version);
      if (report) {
        const reportFile = `versions/v${spec.version}/code_report.md`;
        const text = await this.store.readArtifact(record.runId, reportFile);
        if (text !== undefined) documents.push({ kind: 'report', label: `Code Report v${report.version}`, path: reportFile, markdown: text });
      }
    }
    return documents;
  }
}

/** A spec version nobody implemented and the run is not about to: the Architect's proposal only. */
function isProposed(record: RunRecord, version: number): boolean {
  if (record.reports.some((report) => report.specVersion === version)) return false;
  const state = record.state;
  const current = state.phase === 'hard-stop-to-coder' || state.phase === 'coder-implement' ? state.specVersion : undefined;
  const resumable = state.phase === 'failed' && (state.resumeFrom.phase === 'hard-stop-to-coder' || state.resumeFrom.phase === 'coder-implement') ? state.resumeFrom.specVersion : undefined;
  return version !== current && version !== resumable;
}
