// The workspace listing the Architect sees in its prompt, read through the WorkspaceFiles port.
import type { WorkspaceFiles } from '../ports.js';

/** A shallow file tree for the Architect's prompt: skips dependency and build folders. */
export async function workspaceTree(files: WorkspaceFiles, maxEntries = 300): Promise<string> {
  const lines: string[] = [];
  const skip = new Set(['node_modules', '.git', '.dual-model', 'dist', 'out', 'build', '.venv', 'target']);
  const walk = async (folder: string, depth: number): Promise<void> => {
    if (depth > 4) return;
    for (const name of await files.list(folder)) {
      if (lines.length >= maxEntries) return;
      const bare = name.replace(/\/$/, '');
      if (skip.has(bare)) continue;
      const child = folder === '.' ? bare : `${folder}/${bare}`;
      lines.push(name.endsWith('/') ? `${child}/` : child);
      if (name.endsWith('/')) await walk(child, depth + 1);
    }
  };
  await walk('.', 0);
  if (lines.length >= maxEntries) lines.push(`… (more than ${maxEntries} entries)`);
  return lines.join('\n');
}
