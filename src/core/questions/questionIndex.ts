// Every open TODO(architect) question of the workspace, by file: what the tree and Problems show.
// Pure (no vscode, no file system): the adapters feed it file texts as they are read, changed or
// deleted, and ask it what changed. Paths are workspace-relative with forward slashes.
import type { QuestionMarker } from './markers.js';
import { findMarkers } from './markers.js';

/** What a workspace scan leaves out, and why (the rules are the index's, the walking is not). */
export interface ScanRules {
  /** Folder names skipped wherever they are (`node_modules`, `.git`). */
  skippedFolderNames: readonly string[];
  /** Workspace-relative folders skipped with everything below (the artifacts root). */
  skippedFolders: readonly string[];
  /** Files larger than this are not read. */
  maxFileBytes: number;
}

export const defaultMaxFileBytes = 1024 * 1024;

export function scanRules(artifactsFolder: string | undefined, maxFileBytes = defaultMaxFileBytes): ScanRules {
  const artifacts = artifactsFolder === undefined ? [] : [normalize(artifactsFolder)].filter((folder) => folder !== '' && !folder.startsWith('../'));
  return { skippedFolderNames: ['node_modules', '.git'], skippedFolders: artifacts, maxFileBytes };
}

/** Why a path is not scanned, or undefined when it is (a folder: its whole subtree). */
export function skippedPath(rules: ScanRules, relativePath: string): string | undefined {
  const path = normalize(relativePath);
  if (path === '' || path.startsWith('../')) return 'outside the workspace';
  const parts = path.split('/');
  const named = parts.find((part) => rules.skippedFolderNames.includes(part));
  if (named) return `inside ${named}`;
  const folder = rules.skippedFolders.find((skipped) => path === skipped || path.startsWith(`${skipped}/`));
  return folder === undefined ? undefined : `inside the artifacts folder ${folder}`;
}

/** Why a file's content is not scanned: too large, or binary (a NUL byte in its first 8 KB). */
export function skippedContent(rules: ScanRules, size: number, head: Uint8Array): string | undefined {
  if (size > rules.maxFileBytes) return `larger than ${rules.maxFileBytes} bytes`;
  return head.subarray(0, 8192).includes(0) ? 'binary' : undefined;
}

const normalize = (path: string): string =>
  path
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');

export class QuestionIndex {
  private readonly byFile = new Map<string, readonly QuestionMarker[]>();

  /** Scans `text` as the file's new content; true when its questions changed. */
  update(file: string, text: string): boolean {
    const path = normalize(file);
    const markers = text.includes('TODO(architect)') ? findMarkers(text) : [];
    const before = this.byFile.get(path);
    if (markers.length === 0) {
      return this.byFile.delete(path);
    }
    this.byFile.set(path, markers);
    return !before || !sameMarkers(before, markers);
  }

  /** Forgets a deleted file, or every file under a deleted folder; true when questions went. */
  remove(fileOrFolder: string): boolean {
    const path = normalize(fileOrFolder);
    let removed = this.byFile.delete(path);
    for (const file of [...this.byFile.keys()]) {
      if (file.startsWith(`${path}/`)) removed = this.byFile.delete(file) || removed;
    }
    return removed;
  }

  clear(): void {
    this.byFile.clear();
  }

  markers(file: string): readonly QuestionMarker[] {
    return this.byFile.get(normalize(file)) ?? [];
  }

  /** The files with at least one question, sorted. */
  files(): string[] {
    return [...this.byFile.keys()].sort();
  }

  get questionCount(): number {
    let count = 0;
    for (const markers of this.byFile.values()) count += markers.length;
    return count;
  }
}

/** Same lines, columns and questions: nothing the tree or Problems show has moved. */
function sameMarkers(a: readonly QuestionMarker[], b: readonly QuestionMarker[]): boolean {
  return a.length === b.length && a.every((marker, i) => {
    const other = b[i];
    return other !== undefined && marker.line === other.line && marker.column === other.column && marker.question === other.question && marker.range.end.line === other.range.end.line && marker.range.end.character === other.range.end.character;
  });
}
