// IsolatedCopies on the local file system (issue 11): each candidate Coder gets its own copy of
// the workspace, outside it, as the workspace is now. In a git repository the copy is a worktree
// on a temporary branch (dual-model/<run>/<label>) made without a checkout, its files then copied
// byte for byte from the workspace, so uncommitted and untracked files come along and git never
// writes a file (no smudge filter, no post-checkout hook). Elsewhere it is a plain copy of every
// file but the folders named to skip. Either way dependency folders (node_modules, .venv, ...)
// are links to the workspace's own, which the verification sandbox keeps read-only.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../core/coder/confinement.js';
import type { IsolatedCopies, IsolatedCopy } from '../core/ports.js';
import { messageOf } from '../core/workflow/errorMessage.js';
import { alwaysSkipped, copyListed, dependencyFolderNames, linkDependencies, removeFolder, snapshotOf, walkFiles } from './copyFiles.js';
import { git, runGit, splitNul } from './hostileGit.js';
import { CopyRecordSchema, deleteBranch, forgetWorktree, NodeIsolatedCopy, oneAtATime, recordFile, registeredWorktrees, snapshotFile, treeFolder, type CopyRecord } from './isolatedCopy.js';

export interface IsolatedCopiesOptions {
  /** Folder names never copied, besides .git and .dual-model (say "dist" or "coverage" outside git). */
  skip?: readonly string[];
}

/** Run ids and labels become folder and branch names: letters, digits, '.', '_', '-', no "..". */
const safeName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function refuseUnsafeName(kind: 'run id' | 'label', name: string): void {
  if (!safeName.test(name) || name.includes('..') || name.endsWith('.lock') || name.endsWith('.')) {
    throw new Error(`the ${kind} ${JSON.stringify(name)} cannot name a copy: use letters, digits, '.', '_' and '-' only`);
  }
}

/** Branches of the copies: dual-model/<run id>/<label>, a suffix when that one is taken. */
const branchPrefix = 'dual-model';

export class NodeIsolatedCopies implements IsolatedCopies {
  private readonly skip: readonly string[];
  private places: Promise<{ workspace: string; runs: string }> | undefined;

  constructor(
    private readonly workspaceRoot: string,
    /** Outside the workspace: the extension's global storage, os.tmpdir(), a test's temporary folder. */
    private readonly baseFolder: string,
    options: IsolatedCopiesOptions = {},
  ) {
    this.skip = options.skip ?? [];
  }

  /** Real paths, and this workspace's own folder under the base: one base serves many workspaces, and sweep() keeps to its own. */
  private where(): Promise<{ workspace: string; runs: string }> {
    this.places ??= (async () => {
      const workspace = await fs.realpath(this.workspaceRoot);
      await fs.mkdir(this.baseFolder, { recursive: true });
      const base = await fs.realpath(this.baseFolder);
      if (isInside(workspace, base)) throw new Error(`the copies' folder ${base} is inside the workspace: copies must live outside it`);
      const key = createHash('sha256').update(workspace).digest('hex').slice(0, 16);
      return { workspace, runs: path.join(base, key) };
    })();
    return this.places;
  }

  async create(runId: string, label: string, signal?: AbortSignal): Promise<IsolatedCopy> {
    refuseUnsafeName('run id', runId);
    refuseUnsafeName('label', label);
    const { workspace, runs } = await this.where();
    const folder = path.join(runs, runId, label);
    try {
      await makeFolder(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`run ${runId} already has a copy labelled ${label}`, { cause: error });
      throw error;
    }
    let record: CopyRecord | undefined;
    try {
      const repository = await repositoryOf(workspace, signal);
      record = repository === undefined
        ? await this.plainCopy(workspace, folder, runId, label, signal)
        : await this.worktreeCopy(workspace, repository, folder, runId, label, signal);
      const copy = new NodeIsolatedCopy(workspace, folder, record);
      const snapshot = await snapshotOf(copy.root, await copy.files(signal), signal);
      await fs.writeFile(path.join(folder, snapshotFile), JSON.stringify(snapshot));
      await fs.writeFile(path.join(folder, recordFile), `${JSON.stringify(record, undefined, 2)}\n`);
      return copy;
    } catch (error) {
      // No half copy: its folder, worktree registration and branch go, whatever step failed.
      await removeFolder(folder).catch(() => undefined);
      const made = record;
      if (made?.kind === 'worktree') await oneAtATime(workspace, () => forgetWorktree(workspace, path.join(folder, treeFolder), made.branch)).catch(() => undefined);
      await fs.rmdir(path.dirname(folder)).catch(() => undefined);
      throw new Error(`could not make copy ${label} of run ${runId}: ${messageOf(error)}`, { cause: error });
    }
  }

  private async plainCopy(workspace: string, folder: string, runId: string, label: string, signal?: AbortSignal): Promise<CopyRecord> {
    const tree = path.join(folder, treeFolder);
    await fs.mkdir(tree);
    const { entries, dependencies } = await walkFiles(workspace, new Set([...alwaysSkipped, ...this.skip]), signal);
    await copyListed(workspace, tree, entries, signal);
    await linkDependencies(workspace, tree, dependencies);
    return { version: 1, runId, label, kind: 'copy', subpath: '', skipped: [...this.skip] };
  }

  private async worktreeCopy(workspace: string, repository: Repository, folder: string, runId: string, label: string, signal?: AbortSignal): Promise<CopyRecord> {
    const tree = path.join(folder, treeFolder);
    const { branch, gitDir } = await oneAtATime(workspace, async () => {
      const free = await freeBranch(workspace, `${branchPrefix}/${runId}/${label}`, signal);
      try {
        await git(['worktree', 'add', '--no-checkout', '-b', free, tree, repository.head], { cwd: workspace, signal });
        return { branch: free, gitDir: (await git(['rev-parse', '--absolute-git-dir'], { cwd: tree, signal })).trim() };
      } catch (error) {
        await forgetWorktree(workspace, tree, free).catch(() => undefined);
        throw error;
      }
    });
    try {
      // The index as committed, so `git status` in the copy shows the workspace's uncommitted work.
      await git(['--git-dir', gitDir, '--work-tree', tree, 'read-tree', 'HEAD'], { cwd: tree, signal });
      const listed = splitNul(await git(['ls-files', '-z', '-c', '-o', '--exclude-standard'], { cwd: repository.top, signal }));
      const skipped = new Set([...alwaysSkipped, ...this.skip]);
      await copyListed(repository.top, tree, [...new Set(listed)].filter((entry) => !entry.split('/').some((part) => skipped.has(part))), signal);
      const ignored = splitNul(await git(['ls-files', '-z', '-o', '-i', '--exclude-standard', '--directory'], { cwd: repository.top, signal }));
      const dependencies = ignored.filter((entry) => entry.endsWith('/') && dependencyFolderNames.has(path.posix.basename(entry))).map((entry) => entry.slice(0, -1));
      await linkDependencies(repository.top, tree, dependencies);
      return { version: 1, runId, label, kind: 'worktree', branch, gitDir, subpath: repository.subpath, skipped: [...this.skip] };
    } catch (error) {
      // No half copy: its registration and branch go too (the caller removes the folder).
      await oneAtATime(workspace, async () => {
        await removeFolder(tree);
        await forgetWorktree(workspace, tree, branch);
      }).catch(() => undefined);
      throw error;
    }
  }

  async existing(runId: string): Promise<IsolatedCopy[]> {
    refuseUnsafeName('run id', runId);
    const { workspace, runs } = await this.where();
    const copies: IsolatedCopy[] = [];
    for (const label of await folderNames(path.join(runs, runId))) {
      const record = await readRecord(path.join(runs, runId, label));
      if (record?.runId === runId && record.label === label) copies.push(new NodeIsolatedCopy(workspace, path.join(runs, runId, label), record));
    }
    return copies;
  }

  async sweep(keep: ReadonlySet<string>): Promise<string[]> {
    const { workspace, runs } = await this.where();
    const swept = new Set<string>();
    for (const runId of await folderNames(runs)) {
      if (keep.has(runId)) continue;
      for (const label of await folderNames(path.join(runs, runId))) {
        const folder = path.join(runs, runId, label);
        const record = await readRecord(folder);
        if (record !== undefined) await new NodeIsolatedCopy(workspace, folder, record).remove();
      }
      // What has no record (a crash while it was made) goes too, as a folder.
      await removeFolder(path.join(runs, runId));
      swept.add(runId);
    }
    if ((await repositoryOf(workspace)) !== undefined) await oneAtATime(workspace, () => this.sweepGit(workspace, runs, keep, swept));
    return [...swept].sort();
  }

  /** Registrations and branches whose folder went without them. */
  private async sweepGit(workspace: string, runs: string, keep: ReadonlySet<string>, swept: Set<string>): Promise<void> {
    for (const worktree of await registeredWorktrees(workspace)) {
      const runId = path.relative(runs, worktree.path).split(path.sep)[0];
      if (!isInside(runs, worktree.path) || runId === undefined || runId === '' || keep.has(runId)) continue;
      await runGit(['worktree', 'remove', '--force', '--force', worktree.path], { cwd: workspace });
      await removeFolder(worktree.path);
      await forgetWorktree(workspace, worktree.path, worktree.branch);
      swept.add(runId);
    }
    const checkedOut = new Set((await registeredWorktrees(workspace)).map((worktree) => worktree.branch));
    const branches = (await git(['for-each-ref', '--format=%(refname:short)', `refs/heads/${branchPrefix}/`], { cwd: workspace })).split('\n').filter((name) => name !== '');
    for (const branch of branches) {
      const runId = branch.split('/')[1];
      if (runId === undefined || keep.has(runId) || checkedOut.has(branch)) continue;
      await deleteBranch(workspace, branch);
      swept.add(runId);
    }
  }
}

interface Repository {
  /** The repository's top folder (real path). */
  top: string;
  /** The workspace's place in it, '' at the top. */
  subpath: string;
  /** The commit the copy starts from. */
  head: string;
}

/** The repository the workspace is in, or undefined (no git, no repository, no commit yet, or a work tree that does not hold the workspace). */
async function repositoryOf(workspace: string, signal?: AbortSignal): Promise<Repository | undefined> {
  const top = await runGit(['rev-parse', '--show-toplevel'], { cwd: workspace, signal }).catch(() => undefined);
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: workspace, signal }).catch(() => undefined);
  // A cancelled probe is no answer: the copy is not to be made at all.
  signal?.throwIfAborted();
  if (top === undefined || top.code !== 0 || head === undefined || head.code !== 0) return undefined;
  const topFolder = await fs.realpath(top.stdout.trim()).catch(() => undefined);
  // core.worktree can point a repository's work tree anywhere; only one that holds the workspace is used.
  if (topFolder === undefined || !isInside(topFolder, workspace)) return undefined;
  const subpath = path.relative(topFolder, workspace).split(path.sep).join('/');
  // A workspace the repository ignores (a scratch or build folder) is in no commit nor listing: a worktree would not hold it.
  if (subpath !== '') {
    const ignored = await runGit(['check-ignore', '--quiet', '--', `${subpath}/`], { cwd: topFolder, signal });
    signal?.throwIfAborted();
    if (ignored.code === 0) return undefined;
  }
  return { top: topFolder, subpath, head: head.stdout.trim() };
}

/** The branch name, or the first free one with a suffix: a branch left by a crash, or the user's own, is never reused. */
async function freeBranch(workspace: string, wanted: string, signal?: AbortSignal): Promise<string> {
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    const name = attempt === 1 ? wanted : `${wanted}-${attempt}`;
    const taken = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`], { cwd: workspace, signal });
    if (taken.code !== 0) return name;
  }
  throw new Error(`the branches ${wanted} to ${wanted}-20 all exist already`);
}

/**
 * Makes a copy's folder, failing if it exists. Its run's folder may vanish in between (the run's
 * last copy being removed takes it along), so that step is tried again once.
 */
async function makeFolder(folder: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    await fs.mkdir(path.dirname(folder), { recursive: true });
    try {
      await fs.mkdir(folder);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) throw error;
    }
  }
}

async function folderNames(folder: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(folder, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && safeName.test(entry.name)).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}

async function readRecord(folder: string): Promise<CopyRecord | undefined> {
  try {
    return CopyRecordSchema.parse(JSON.parse(await fs.readFile(path.join(folder, recordFile), 'utf8')));
  } catch {
    return undefined;
  }
}
