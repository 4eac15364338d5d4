// What the merge of a wave compares against: each changed file as the workspace had it when the
// wave began. The paths the specs name are read then (snapshotPaths); a file a Coder changed
// without its spec naming it is read from a copy that left it alone, since every copy began as
// the workspace did. When every copy changed it, its start is unknown: it is left out, and the
// merge calls it a conflict rather than guess.
import { confine } from '../coder/confinement.js';
import type { WorkspaceFiles } from '../ports.js';
import type { CopyChanges } from './mergeCopies.js';
import { changedPaths } from './mergeCopies.js';
import { pathKey } from './specWaves.js';

export interface WaveCopy extends CopyChanges {
  /** The copy's files (IsolatedCopy.workspace). */
  workspace: Pick<WorkspaceFiles, 'read'>;
}

/**
 * The named files as they are now (undefined: absent), keyed by their workspace-relative path.
 * A folder, a wildcard or a path that cannot be confined to the workspace is not a file to read.
 */
export async function snapshotPaths(workspace: WorkspaceFiles, paths: readonly string[]): Promise<Map<string, string | undefined>> {
  const snapshot = new Map<string, string | undefined>();
  for (const raw of new Set(paths)) {
    if (/[/\\]$|[*?[\]{}]/.test(raw)) continue;
    const confined = await confine(workspace, raw);
    if (!confined.ok || confined.relativePath === '.') continue;
    snapshot.set(confined.relativePath, await workspace.read(confined.relativePath));
  }
  return snapshot;
}

/** The base of every path a copy changed that can be known: from the snapshot, else from a copy that left it alone. */
export async function readWaveBase(snapshot: ReadonlyMap<string, string | undefined>, copies: readonly WaveCopy[]): Promise<Map<string, string | undefined>> {
  const base = new Map<string, string | undefined>();
  for (const path of changedPaths(copies)) {
    if (snapshot.has(path)) {
      base.set(path, snapshot.get(path));
      continue;
    }
    // Compared as the file system may: a copy that changed `U.ts` changed `u.ts` too where case is ignored.
    const key = pathKey(path);
    const untouched = copies.find((copy) => copy.changes.every((change) => (pathKey(change.path) ?? change.path) !== (key ?? path)));
    if (untouched) base.set(path, await untouched.workspace.read(path));
  }
  return base;
}
