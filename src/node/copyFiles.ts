// The file side of an isolated copy: copying the workspace's files byte for byte (never through
// a link that leads elsewhere), linking its dependency folders, and the content snapshot that
// changes() compares against. Paths are relative with forward slashes.
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Folders of installed dependencies: linked into a copy, not copied, so the copy's verification
 * finds them at no cost in disk or time. The sandbox keeps the real ones read-only.
 */
export const dependencyFolderNames: ReadonlySet<string> = new Set(['node_modules', '.venv', 'venv', 'vendor', 'bower_components']);

/** Never copied nor compared: git's own folder and this extension's artifacts (run records of every run). */
export const alwaysSkipped: readonly string[] = ['.git', '.dual-model'];

const toNative = (relative: string): string => path.join(...relative.split('/'));

/**
 * True when no folder between `root` and the entry is a symbolic link: the entry is where its
 * path says, not somewhere a link leads. `checked` remembers folders already found plain.
 */
async function plainParents(root: string, relative: string, checked: Set<string>): Promise<boolean> {
  const parts = relative.split('/').slice(0, -1);
  let folder = '';
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') return false;
    folder = folder === '' ? part : `${folder}/${part}`;
    if (checked.has(folder)) continue;
    const stats = await fs.lstat(path.join(root, toNative(folder))).catch(() => undefined);
    if (stats === undefined || !stats.isDirectory()) return false;
    checked.add(folder);
  }
  return true;
}

/**
 * Copies the listed entries from `source` to `destination`: files as bytes (a clone where the
 * file system can), links as links with the same target text. An entry reached through a linked
 * folder, a folder (a submodule, a nested repository) or anything else is left out.
 */
export async function copyListed(source: string, destination: string, entries: readonly string[], signal?: AbortSignal): Promise<void> {
  const plainInSource = new Set<string>();
  const plainInDestination = new Set<string>();
  for (const entry of entries) {
    signal?.throwIfAborted();
    if (!(await plainParents(source, entry, plainInSource))) continue;
    const from = path.join(source, toNative(entry));
    const stats = await fs.lstat(from).catch(() => undefined);
    if (stats === undefined || !(stats.isFile() || stats.isSymbolicLink())) continue;
    const to = path.join(destination, toNative(entry));
    await fs.mkdir(path.dirname(to), { recursive: true });
    // A copied link named like a folder of a later entry must not carry that entry out.
    if (!(await plainParents(destination, entry, plainInDestination))) continue;
    if (stats.isSymbolicLink()) await fs.symlink(await fs.readlink(from), to);
    else await fs.copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  }
}

/**
 * Every file and link under `root`, walking real folders only, leaving out folders named in
 * `skipped` and dependency folders; the dependency folders found are returned apart.
 */
export async function walkFiles(root: string, skipped: ReadonlySet<string>, signal?: AbortSignal): Promise<{ entries: string[]; dependencies: string[] }> {
  const entries: string[] = [];
  const dependencies: string[] = [];
  const pending = [''];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    signal?.throwIfAborted();
    const children = await fs.readdir(path.join(root, toNative(folder)), { withFileTypes: true });
    for (const child of children) {
      const relative = folder === '' ? child.name : `${folder}/${child.name}`;
      if (skipped.has(child.name)) continue;
      if (dependencyFolderNames.has(child.name) && (child.isDirectory() || child.isSymbolicLink())) dependencies.push(relative);
      else if (child.isDirectory()) pending.push(relative);
      else if (child.isFile() || child.isSymbolicLink()) entries.push(relative);
    }
  }
  return { entries: entries.sort(), dependencies: dependencies.sort() };
}

/** Links each dependency folder of `source` at the same place in `destination` (absolute targets: the copy lives elsewhere). */
export async function linkDependencies(source: string, destination: string, folders: readonly string[]): Promise<string[]> {
  const linked: string[] = [];
  const plainInSource = new Set<string>();
  for (const folder of folders) {
    if (!(await plainParents(source, folder, plainInSource))) continue;
    const to = path.join(destination, toNative(folder));
    if (await fs.lstat(to).catch(() => undefined)) continue;
    await fs.mkdir(path.dirname(to), { recursive: true });
    // A junction on Windows: a folder link any user may make there.
    await fs.symlink(path.join(source, toNative(folder)), to, process.platform === 'win32' ? 'junction' : 'dir');
    linked.push(folder);
  }
  return linked;
}

/** Content hashes of the listed regular files (links and anything reached through a link left out). */
export async function snapshotOf(root: string, entries: readonly string[], signal?: AbortSignal): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const plain = new Set<string>();
  for (const entry of entries) {
    signal?.throwIfAborted();
    const bytes = await readPlainFile(root, entry, plain);
    if (bytes !== undefined) hashes[entry] = hashOf(bytes);
  }
  return hashes;
}

/** The bytes of a regular file reached through real folders only, or undefined. */
export async function readPlainFile(root: string, entry: string, plain: Set<string>): Promise<Buffer | undefined> {
  if (!(await plainParents(root, entry, plain))) return undefined;
  const file = path.join(root, toNative(entry));
  try {
    // O_NOFOLLOW: a link put there since the check is refused rather than read through.
    const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      if (!(await handle.stat()).isFile()) return undefined;
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

export const hashOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** As git decides: a NUL in the first 8,000 bytes means binary. */
export const isBinary = (bytes: Buffer): boolean => bytes.subarray(0, 8000).includes(0);

/** Removes a folder and all in it. Links inside are removed as links: nothing they point to is touched. */
export async function removeFolder(folder: string): Promise<void> {
  await fs.rm(folder, { recursive: true, force: true, maxRetries: 2 });
}
