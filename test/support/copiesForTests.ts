// Isolated copies for tests: the workspace copied with fs.cp into a temporary folder (its run
// artifacts, node_modules and .git left out), with a second copy kept as the baseline that
// changes() compares against, file by file. Real files, real folders; the extension's own adapter
// (git worktrees or copies) replaces this after the merge.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileChange, IsolatedCopies, IsolatedCopy } from '../../src/core/ports.js';
import { NodeWorkspaceFiles } from '../../src/node/nodeWorkspaceFiles.js';

const left = new Set(['.dual-model', 'node_modules', '.git']);

export class CopiesForTests implements IsolatedCopies {
  /** Every copy made, for a test to look for leftovers. */
  readonly made: string[] = [];

  constructor(
    private readonly workspaceRoot: string,
    readonly base: string = path.join(os.tmpdir(), `dm-copies-${process.pid}-${Math.random().toString(16).slice(2, 8)}`),
  ) {}

  async create(runId: string, label: string, signal?: AbortSignal): Promise<IsolatedCopy> {
    signal?.throwIfAborted();
    const folder = path.join(this.base, runId, label);
    await fs.rm(folder, { recursive: true, force: true });
    for (const part of ['tree', 'baseline']) {
      await fs.cp(this.workspaceRoot, path.join(folder, part), { recursive: true, filter: (source) => !left.has(path.basename(source)) });
    }
    this.made.push(folder);
    return copyAt(folder, label);
  }

  async existing(runId: string): Promise<IsolatedCopy[]> {
    const labels = await fs.readdir(path.join(this.base, runId)).catch(() => []);
    return labels.map((label) => copyAt(path.join(this.base, runId, label), label));
  }

  async sweep(keep: ReadonlySet<string>): Promise<string[]> {
    const runs = await fs.readdir(this.base).catch(() => []);
    const gone = runs.filter((runId) => !keep.has(runId));
    await Promise.all(gone.map((runId) => fs.rm(path.join(this.base, runId), { recursive: true, force: true })));
    return gone;
  }
}

function copyAt(folder: string, label: string): IsolatedCopy {
  const root = path.join(folder, 'tree');
  return {
    label,
    root,
    kind: 'copy',
    workspace: new NodeWorkspaceFiles(root),
    changes: async () => {
      const [now, before] = await Promise.all([filesUnder(root), filesUnder(path.join(folder, 'baseline'))]);
      const changes: FileChange[] = [];
      for (const file of [...new Set([...now.keys(), ...before.keys()])].sort()) {
        if (now.get(file) !== before.get(file)) changes.push({ path: file, text: now.get(file) });
      }
      return changes;
    },
    remove: () => fs.rm(folder, { recursive: true, force: true }),
  };
}

async function filesUnder(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, full).split(path.sep).join('/');
    if (entry.isFile() && !relative.split('/').some((part) => left.has(part))) files.set(relative, await fs.readFile(full, 'utf8'));
  }
  return files;
}
