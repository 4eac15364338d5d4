// One isolated copy on disk: its record (copy.json), the snapshot it started from
// (snapshot.json), what it changed since, and its removal. Made by isolatedCopies.ts.
//
//   <base>/<workspace key>/<run id>/<label>/copy.json       how it was made (written last: a copy without it is half made)
//                                          /snapshot.json   content hashes of the workspace's files when it was made
//                                          /tree/           the git worktree or the plain copy (the repository's top)
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import type { FileChange, IsolatedCopy, WorkspaceFiles } from '../core/ports.js';
import { alwaysSkipped, hashOf, isBinary, readPlainFile, removeFolder, walkFiles } from './copyFiles.js';
import { runGit, splitNul } from './hostileGit.js';
import { NodeWorkspaceFiles } from './nodeWorkspaceFiles.js';

export const CopyRecordSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  label: z.string(),
  kind: z.enum(['worktree', 'copy']),
  /** The worktree's temporary branch. */
  branch: z.string().optional(),
  /** The worktree's own git folder (<repository>/.git/worktrees/<id>): git never reads the copy's `.git` file, which the copy's commands may rewrite. */
  gitDir: z.string().optional(),
  /** Where the workspace is inside the repository ('' at its top): the copy's root is tree/<subpath>. */
  subpath: z.string(),
  /** Folders the caller asked to leave out, by name. */
  skipped: z.array(z.string()),
});
export type CopyRecord = z.infer<typeof CopyRecordSchema>;

export const recordFile = 'copy.json';
export const snapshotFile = 'snapshot.json';
export const treeFolder = 'tree';

const SnapshotSchema = z.record(z.string(), z.string());

export class NodeIsolatedCopy implements IsolatedCopy {
  readonly label: string;
  readonly root: string;
  readonly kind: 'worktree' | 'copy';
  readonly branch?: string;
  readonly workspace: WorkspaceFiles;

  constructor(
    /** The real workspace: git runs there, never in the copy. */
    private readonly workspaceRoot: string,
    /** The copy's own folder (<base>/<key>/<run>/<label>). */
    readonly folder: string,
    private readonly record: CopyRecord,
  ) {
    this.label = record.label;
    this.kind = record.kind;
    if (record.branch !== undefined) this.branch = record.branch;
    this.root = path.join(folder, treeFolder, ...record.subpath.split('/').filter((part) => part !== ''));
    this.workspace = new NodeWorkspaceFiles(this.root);
  }

  /** The copy's files as the workspace would count them: ignored ones, links and what is reached through links left out. */
  async files(signal?: AbortSignal): Promise<string[]> {
    if (this.record.gitDir === undefined) {
      return (await walkFiles(this.root, new Set([...alwaysSkipped, ...this.record.skipped]), signal)).entries;
    }
    // The copy's index (the commit it started from) plus what is new and not ignored, read with
    // the worktree's own git folder so a rewritten `.git` file in the copy is never followed.
    const tree = path.join(this.folder, treeFolder);
    const listed = await runGit(['--git-dir', this.record.gitDir, '--work-tree', tree, 'ls-files', '-z', '-c', '-o', '--exclude-standard'], { cwd: this.root, signal });
    if (listed.code !== 0) throw new Error(`git ls-files failed in the copy ${this.label}: ${listed.stderr.trim().split('\n')[0] ?? ''}`);
    const skipped = new Set([...alwaysSkipped, ...this.record.skipped]);
    return [...new Set(splitNul(listed.stdout))].filter((entry) => !entry.split('/').some((part) => skipped.has(part))).sort();
  }

  async changes(): Promise<FileChange[]> {
    const before = SnapshotSchema.parse(JSON.parse(await fs.readFile(path.join(this.folder, snapshotFile), 'utf8')));
    const now = await this.files();
    const changes: FileChange[] = [];
    const plain = new Set<string>();
    const present = new Set<string>();
    for (const entry of now) {
      const bytes = await readPlainFile(this.root, entry, plain);
      if (bytes === undefined) continue;
      present.add(entry);
      // A binary file cannot travel as text; it is left out rather than corrupted.
      if (before[entry] !== hashOf(bytes) && !isBinary(bytes)) changes.push({ path: entry, text: bytes.toString('utf8') });
    }
    for (const entry of Object.keys(before)) {
      if (!present.has(entry)) changes.push({ path: entry, text: undefined });
    }
    return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async remove(): Promise<void> {
    const tree = path.join(this.folder, treeFolder);
    if (this.kind === 'worktree') {
      await oneAtATime(this.workspaceRoot, async () => {
        // Twice forced: no "is it clean?" check (that would compare contents, and run the
        // repository's filters), and a lock does not keep it. Failing here is fine: the folder
        // goes below, and a registration left without its folder is pruned.
        await runGit(['worktree', 'remove', '--force', '--force', tree], { cwd: this.workspaceRoot }).catch(() => undefined);
        await removeFolder(this.folder);
        await forgetWorktree(this.workspaceRoot, tree, this.branch);
      });
    }
    await removeFolder(this.folder);
    // The run's folder goes with its last copy.
    await fs.rmdir(path.dirname(this.folder)).catch(() => undefined);
  }
}

const gitQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier one for the same workspace has settled. git is not safe with
 * two `worktree add`s at once: each reads the others' half-made records ("failed to read
 * .git/worktrees/…/commondir"), and branch deletions contend for one lock.
 */
export function oneAtATime<T>(workspaceRoot: string, work: () => Promise<T>): Promise<T> {
  const turn = (gitQueues.get(workspaceRoot) ?? Promise.resolve()).then(work, work);
  const settled = turn.catch(() => undefined);
  gitQueues.set(workspaceRoot, settled);
  void settled.then(() => {
    if (gitQueues.get(workspaceRoot) === settled) gitQueues.delete(workspaceRoot);
  });
  return turn;
}

/** Drops git's registration of a worktree whose folder is gone, and its branch. Idempotent. */
export async function forgetWorktree(workspaceRoot: string, tree: string, branch: string | undefined): Promise<void> {
  if ((await registeredWorktrees(workspaceRoot)).some((worktree) => worktree.path === tree)) {
    const pruned = await runGit(['worktree', 'prune'], { cwd: workspaceRoot });
    if (pruned.code !== 0) throw new Error(`git worktree prune failed: ${pruned.stderr.trim().split('\n')[0] ?? ''}`);
  }
  if (branch !== undefined) await deleteBranch(workspaceRoot, branch);
}

/** Deletes a copy's branch if it is there. */
export async function deleteBranch(workspaceRoot: string, branch: string): Promise<void> {
  const exists = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: workspaceRoot });
  if (exists.code !== 0) return;
  const deleted = await runGit(['branch', '-D', '--', branch], { cwd: workspaceRoot });
  if (deleted.code !== 0) throw new Error(`git branch -D ${branch} failed: ${deleted.stderr.trim().split('\n')[0] ?? ''}`);
}

/** `git worktree list --porcelain`, read: each worktree's folder and branch. */
export async function registeredWorktrees(workspaceRoot: string): Promise<{ path: string; branch?: string }[]> {
  const listed = await runGit(['worktree', 'list', '--porcelain', '-z'], { cwd: workspaceRoot });
  if (listed.code !== 0) return [];
  const worktrees: { path: string; branch?: string }[] = [];
  for (const line of listed.stdout.split('\0')) {
    if (line.startsWith('worktree ')) worktrees.push({ path: line.slice('worktree '.length) });
    const current = worktrees.at(-1);
    if (line.startsWith('branch refs/heads/') && current !== undefined) current.branch = line.slice('branch refs/heads/'.length);
  }
  return worktrees;
}
