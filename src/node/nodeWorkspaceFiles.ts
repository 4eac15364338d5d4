// The workspace on the local file system: what the Coder's tools read and write when no editor
// is involved (unit tests, benchmarks). In VS Code, writes go through a WorkspaceEdit instead.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../core/coder/confinement.js';
import type { FileChange, FileChangeResult, WorkspaceFiles } from '../core/ports.js';
import { isMissing } from './nodeArtifactStore.js';

/** As Linux's own limit: a longer chain is a loop or an attack, never a real layout. */
const maxLinksFollowed = 40;

export class NodeWorkspaceFiles implements WorkspaceFiles {
  constructor(readonly root: string) {}

  /** Callers pass paths already checked by src/core/coder/confinement.ts. */
  protected absolute(relativePath: string): string {
    return path.join(this.root, ...relativePath.split('/'));
  }

  /**
   * Where the path lands, refused when a link carries it outside the workspace. A second check
   * behind confinement.ts, right before the file is touched, so a caller that forgot to confine
   * still cannot read or write through a link that leads out.
   */
  protected async landing(relativePath: string): Promise<string> {
    const [root, lands] = await Promise.all([followLinks(this.root), followLinks(this.absolute(relativePath))]).catch((error: unknown) => {
      throw new Error(`${relativePath} cannot be followed: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (!isInside(root, lands)) throw new Error(`${relativePath} leads outside the workspace through a symbolic link`);
    return lands;
  }

  async read(relativePath: string): Promise<string | undefined> {
    try {
      return await fs.readFile(await this.landing(relativePath), 'utf8');
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw error;
    }
  }

  /** One after another, each with its own result: plain files have no undo history to keep together. */
  async writeAll(changes: readonly FileChange[]): Promise<FileChangeResult[]> {
    const results: FileChangeResult[] = [];
    for (const change of changes) {
      try {
        await this.applyOne(change);
        results.push({ path: change.path, ok: true });
      } catch (error) {
        results.push({ path: change.path, ok: false, reason: refusalOf(change.path, error) });
      }
    }
    return results;
  }

  protected async applyOne(change: FileChange): Promise<void> {
    const lands = await this.landing(change.path);
    if (change.text === undefined) {
      // The entry itself goes: a link is removed, not the file it points to.
      await fs.rm(this.absolute(change.path), { force: true });
      return;
    }
    // Written where the check found it lands, so no link is followed after the check.
    await fs.mkdir(path.dirname(lands), { recursive: true });
    await fs.writeFile(lands, change.text, 'utf8');
  }

  async list(relativePath: string): Promise<string[]> {
    try {
      const entries = await fs.readdir(await this.landing(relativePath), { withFileTypes: true });
      return entries.map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name)).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  resolvedPath(relativePath: string): Promise<string> {
    return followLinks(this.absolute(relativePath));
  }
}

/**
 * The absolute path with every symbolic link along it followed, part by part, as the kernel
 * would. Unlike fs.realpath it also follows a dangling link (by reading it), as a write through
 * it creates its target; a part that does not exist is taken as written.
 */
export async function followLinks(absolute: string): Promise<string> {
  const { root } = path.parse(absolute);
  let resolved = root;
  const pending = partsOf(absolute.slice(root.length));
  let followed = 0;
  for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // Textual here is right: `resolved` has no link left in it.
      resolved = path.dirname(resolved);
      continue;
    }
    const next = path.join(resolved, part);
    const target = await linkTarget(next);
    if (target === undefined) {
      resolved = next;
      continue;
    }
    followed += 1;
    if (followed > maxLinksFollowed) throw new Error(`it goes through more than ${maxLinksFollowed} symbolic links (a loop)`);
    const targetRoot = path.parse(target).root;
    if (targetRoot !== '') resolved = targetRoot;
    pending.unshift(...partsOf(target.slice(targetRoot.length)));
  }
  return resolved;
}

/** A file system error in words, naming the workspace path rather than the absolute one. */
function refusalOf(relativePath: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return `cannot create ${relativePath}: a part of its path is a file, not a folder`;
  if (code === 'EISDIR') return `cannot write ${relativePath}: it is a folder`;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to change ${relativePath}`;
  return error instanceof Error ? error.message : String(error);
}

const partsOf = (text: string): string[] => text.split(path.sep === '\\' ? /[\\/]/ : '/');

/** The link's target, or undefined when the path is no link (or does not exist). */
async function linkTarget(file: string): Promise<string | undefined> {
  try {
    return await fs.readlink(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOENT' || code === 'ENOTDIR' || code === 'UNKNOWN') return undefined;
    throw error;
  }
}
