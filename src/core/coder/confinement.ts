// Every path the Coder names is untrusted. It must stay inside the workspace: no absolute paths,
// no `..`, no symlink that leads out, dangling or not. Guardrailed files are refused even inside it.
import * as path from 'node:path';
import type { WorkspaceFiles } from '../ports.js';

export type Confined = { ok: true; relativePath: string } | { ok: false; reason: string };

/** A confined path and where it really lands (links followed), both workspace-relative. */
export type Located = { ok: true; relativePath: string; landsAt: string } | { ok: false; reason: string };

/** Normalises a model-supplied path to a workspace-relative POSIX path, or says why it can't be. */
export function normaliseRelativePath(raw: string): Confined {
  const trimmed = raw.trim().replace(/^`|`$/g, '');
  if (!trimmed) return { ok: false, reason: 'empty path' };
  if (trimmed.includes('\0')) return { ok: false, reason: 'path contains a NUL byte' };
  const slashed = trimmed.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed) || slashed.startsWith('~')) {
    return { ok: false, reason: `"${raw}" is absolute; use a path relative to the workspace root` };
  }
  const parts = slashed.split('/').filter((part) => part !== '' && part !== '.');
  // Never resolved textually: after a link, ".." is the parent of the link's target, not of the link.
  if (parts.some((part) => part === '..')) return { ok: false, reason: `"${raw}" contains ".."; name the path from the workspace root without it` };
  if (parts.length === 0) return { ok: true, relativePath: '.' };
  return { ok: true, relativePath: parts.join('/') };
}

/**
 * The full check: normalised, and where it lands once every link along it is followed (dangling
 * ones included, so a write cannot create a file outside through one) inside the workspace's
 * own landing place.
 */
export async function locate(workspace: WorkspaceFiles, raw: string): Promise<Located> {
  const normalised = normaliseRelativePath(raw);
  if (!normalised.ok) return normalised;
  let root: string;
  let lands: string;
  try {
    [root, lands] = await Promise.all([workspace.resolvedPath('.'), workspace.resolvedPath(normalised.relativePath)]);
  } catch (error) {
    return { ok: false, reason: `"${raw}" cannot be followed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isInside(root, lands)) return { ok: false, reason: `"${raw}" leads outside the workspace through a symbolic link` };
  return { ok: true, relativePath: normalised.relativePath, landsAt: path.relative(root, lands).split(path.sep).join('/') || '.' };
}

/** `locate` for callers that need only the verdict and the normalised path. */
export async function confine(workspace: WorkspaceFiles, raw: string): Promise<Confined> {
  const located = await locate(workspace, raw);
  return located.ok ? { ok: true, relativePath: located.relativePath } : located;
}

/** True when `target` is `root` or below it (absolute paths of this platform). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * Paths the spec's Guardrails put off limits: every `backticked` path-like token in a guardrail
 * line. A token ending in "/" protects a folder; "*" matches within one path segment.
 */
export function guardedPatterns(guardrails: readonly string[]): string[] {
  const patterns: string[] = [];
  for (const line of guardrails) {
    for (const match of line.matchAll(/`([^`]+)`/g)) {
      const token = match[1]?.trim() ?? '';
      if (/^[\w.*@-]+(\/[\w.*@-]*)*\/?$/.test(token) && (token.includes('/') || token.includes('.'))) {
        const normalised = normaliseRelativePath(token);
        if (normalised.ok) patterns.push(token.endsWith('/') ? `${normalised.relativePath}/` : normalised.relativePath);
      }
    }
  }
  return patterns;
}

export function isGuarded(relativePath: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => {
    if (pattern.endsWith('/')) return relativePath.startsWith(pattern) || `${relativePath}/` === pattern;
    if (pattern.includes('*')) {
      const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('[^/]*')}$`);
      return regex.test(relativePath);
    }
    return relativePath === pattern;
  });
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
