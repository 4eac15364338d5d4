// Where a run lives on disk: <root>/brain/<run-id>/ with run.json, the spec and the report.
// Every save is atomic (temp + rename) and checks the revision it read, so two windows on one
// workspace can't silently overwrite each other.
import * as path from 'node:path';
import type { ArtifactStore } from '../ports.js';
import type { LoadedRun, RunRecord } from './runRecord.js';
import { parseRunRecord } from './runRecord.js';

export class RunConflictError extends Error {
  constructor(runId: string) {
    super(`Run ${runId} was changed by another window; reload to see its current state.`);
    this.name = 'RunConflictError';
  }
}

export class RunStore {
  constructor(
    private readonly files: ArtifactStore,
    /** The artifacts root (the workspace's .dual-model/ by default). */
    readonly root: string,
  ) {}

  get brainDir(): string {
    return path.join(this.root, 'brain');
  }

  runDir(runId: string): string {
    return path.join(this.brainDir, runId);
  }

  artifactPath(runId: string, fileName: string): string {
    return path.join(this.runDir(runId), fileName);
  }

  async load(runId: string): Promise<LoadedRun> {
    const text = await this.files.readText(this.artifactPath(runId, 'run.json'));
    if (text === undefined) return { ok: false, runId, error: 'run.json is missing.' };
    return parseRunRecord(runId, text);
  }

  /** Every run folder, readable or not; a broken one never hides the others. */
  async list(): Promise<LoadedRun[]> {
    const ids = await this.files.listDirectories(this.brainDir);
    const runs = await Promise.all(ids.map((id) => this.load(id)));
    return runs.sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
  }

  /** Saves a new revision; refuses when the file on disk moved past the revision we hold. */
  async save(record: RunRecord, now: Date): Promise<RunRecord> {
    const onDisk = await this.load(record.runId);
    if (onDisk.ok && onDisk.record.revision !== record.revision) throw new RunConflictError(record.runId);
    const next: RunRecord = { ...record, revision: record.revision + 1, updatedAt: now.toISOString() };
    await this.files.writeTextAtomic(this.artifactPath(record.runId, 'run.json'), `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }

  async writeArtifact(runId: string, fileName: string, text: string): Promise<string> {
    const target = this.artifactPath(runId, fileName);
    await this.files.writeTextAtomic(target, text);
    return target;
  }

  removeArtifact(runId: string, fileName: string): Promise<void> {
    return this.files.remove(this.artifactPath(runId, fileName));
  }

  readArtifact(runId: string, fileName: string): Promise<string | undefined> {
    return this.files.readText(this.artifactPath(runId, fileName));
  }
}

const sortKey = (run: LoadedRun): string => (run.ok ? run.record.createdAt : run.runId);

/** A sortable, readable, unique id: 20261125-010203-add-slugify-3f9a. */
export function createRunId(request: string, now: Date, randomHex: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = request
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/g, '');
  return [stamp, slug || 'run', randomHex.slice(0, 4)].join('-');
}
