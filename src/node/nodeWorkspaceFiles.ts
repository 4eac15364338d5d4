// The workspace on the local file system: what the Coder's tools read and write when no editor
// is involved (unit tests, benchmarks). In VS Code, writes go through a WorkspaceEdit instead.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileChange, WorkspaceFiles } from '../core/ports.js';
import { isMissing } from './nodeArtifactStore.js';

export class NodeWorkspaceFiles implements WorkspaceFiles {
  constructor(readonly root: string) {}

  /** Callers pass paths already checked by src/core/coder/confinement.ts. */
  protected absolute(relativePath: string): string {
    return path.join(this.root, ...relativePath.split('/'));
  }

  async read(relativePath: string): Promise<string | undefined> {
    try {
      return await fs.readFile(this.absolute(relativePath), 'utf8');
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw error;
    }
  }

  /** One after another: plain files have no undo history to keep together. */
  async writeAll(changes: readonly FileChange[]): Promise<void> {
    for (const change of changes) await this.applyOne(change);
  }

  protected async applyOne(change: FileChange): Promise<void> {
    const file = this.absolute(change.path);
    if (change.text === undefined) {
      await fs.rm(file, { force: true });
      return;
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, change.text, 'utf8');
  }

  async list(relativePath: string): Promise<string[]> {
    try {
      const entries = await fs.readdir(this.absolute(relativePath), { withFileTypes: true });
      return entries.map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name)).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async realPath(relativePath: string): Promise<string | undefined> {
    try {
      return await fs.realpath(this.absolute(relativePath));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}
