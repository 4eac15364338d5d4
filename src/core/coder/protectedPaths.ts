// Inside the workspace yet not the Coder's to change: files that decide what runs on the user's
// machine or where their keys are sent (.vscode/ settings and tasks, .git/ hooks and config,
// .devcontainer/), and the run's own state (the artifacts root). A spec may name an exact path
// among them under Files to Modify; the HARD STOP then says so in plain words.
import * as path from 'node:path';

/** Folders whose files change what runs or where requests go, wherever they sit (nested repos too). */
export const runAffectingFolders: readonly string[] = ['.vscode', '.git', '.devcontainer'];

/** The artifacts root (workspace-relative, when inside it) and the exact paths the spec names. */
export interface ProtectedPaths {
  artifactsRoot: string | undefined;
  namedInSpec: readonly string[];
}

/** The default artifacts root, protected when the caller says nothing else. */
export const defaultProtectedPaths: ProtectedPaths = { artifactsRoot: '.dual-model', namedInSpec: [] };

export type Protection = { folder: string; kind: 'runs-or-keys' | 'run-state' };

/**
 * A folder segment as a case-insensitive file system (macOS, Windows) sees it; Windows also
 * ignores trailing dots and spaces, so ".git." is ".git" there.
 */
const canonical = (segment: string): string => segment.replace(/[. ]+$/, '').toLowerCase();

/** The protected folder a workspace-relative path lies in (or is), or undefined. */
export function protectionOf(relativePath: string, artifactsRoot: string | undefined): Protection | undefined {
  const segments = relativePath.split('/');
  const canonicalSegments = segments.map(canonical);
  const rootSegments = artifactsRoot === undefined || artifactsRoot === '.' ? [] : artifactsRoot.split('/').map(canonical);
  if (rootSegments.length > 0 && rootSegments.every((segment, index) => canonicalSegments[index] === segment)) {
    return { folder: `${artifactsRoot}/`, kind: 'run-state' };
  }
  const index = canonicalSegments.findIndex((segment) => runAffectingFolders.includes(segment));
  return index < 0 ? undefined : { folder: `${segments.slice(0, index + 1).join('/')}/`, kind: 'runs-or-keys' };
}

/** Why a protected path is off limits, in words for the Coder and the report. */
export function protectionReason(protection: Protection): string {
  return protection.kind === 'run-state'
    ? `${protection.folder} is the run's own state (the artifacts root)`
    : `files under ${protection.folder} can change what runs on your machine or where your API keys are sent`;
}

/** The paths a spec names that lie in a protected folder, for the HARD STOP to flag. */
export function protectedPathsNamed(paths: readonly string[], artifactsRoot: string | undefined): string[] {
  const loose = (file: string): string =>
    file
      .replace(/\\/g, '/')
      .split('/')
      .filter((segment) => segment !== '' && segment !== '.')
      .join('/');
  return [...new Set(paths.map((file) => file.trim()))].filter((file) => protectionOf(loose(file), artifactsRoot) !== undefined);
}

/** The artifacts root as a workspace-relative POSIX path, or undefined when it lies outside the workspace. */
export function artifactsRootIn(workspaceRoot: string, artifactsRoot: string): string | undefined {
  const relative = path.relative(workspaceRoot, artifactsRoot);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}
