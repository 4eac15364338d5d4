// ArtifactStore on the local file system. The artifacts root is a plain folder (the workspace's
// .dual-model/ by default), and a Node extension host can write it directly and atomically.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ArtifactStore } from '../core/ports.js';

export class NodeArtifactStore implements ArtifactStore {
  async readText(file: string): Promise<string | undefined> {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async writeTextAtomic(file: string, text: string): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, text, 'utf8');
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async listDirectories(folder: string): Promise<string[]> {
    try {
      const entries = await fs.readdir(folder, { withFileTypes: true });
      return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /**
   * Written under a temporary name, then linked into place: link() fails when the name exists,
   * like O_EXCL, and a reader never sees the file empty or half written (the run lock's claims
   * are judged by their content). File systems without hard links fall back to O_EXCL.
   */
  async createExclusive(file: string, text: string): Promise<boolean> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, text, 'utf8');
      await fs.link(temp, file);
      return true;
    } catch (error) {
      const code = codeOf(error);
      if (code === 'EEXIST') return false;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return this.createExclusiveInPlace(file, text);
      throw error;
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  private async createExclusiveInPlace(file: string, text: string): Promise<boolean> {
    try {
      await fs.writeFile(file, text, { encoding: 'utf8', flag: 'wx' });
      return true;
    } catch (error) {
      if (codeOf(error) === 'EEXIST') return false;
      throw error;
    }
  }

  async remove(file: string): Promise<void> {
    await fs.rm(file, { force: true });
  }
}

export const isMissing = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
};

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
