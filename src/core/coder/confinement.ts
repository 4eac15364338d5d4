// Every path the Coder names is untrusted. It must stay inside the workspace: no absolute paths,
// no `..`, no symlink that leads out. Guardrailed files are refused even inside it.
import * as path from 'node:path';
import type { WorkspaceFiles } from '../ports.js';

export type Confined = { ok: true; relativePath: string } | { ok: false; reason: string };

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
  if (parts.some((part) => part === '..')) return { ok: false, reason: `"${raw}" climbs out with ".."` };
  if (parts.length === 0) return { ok: true, relativePath: '.' };
  return { ok: true, relativePath: parts.join('/') };
}

/**
 * The full check: normalised, and its real location (after symlinks) inside the workspace's real
 * root. For a path that does not exist yet, the nearest existing ancestor is checked.
 */
export async function confine(workspace: WorkspaceFiles, raw: string): Promise<Confined> {
  const normalised = normaliseRelativePath(raw);
  if (!normalised.ok) return normalised;
  const root = await workspace.realPath('.');
  if (!root) return { ok: false, reason: 'the workspace folder does not exist' };
  let probe = normalised.relativePath;
  for (;;) {
    const real = await workspace.realPath(probe);
    if (real !== undefined) {
      const inside = path.relative(root, real);
      if (inside.startsWith('..') || path.isAbsolute(inside)) {
        return { ok: false, reason: `"${raw}" leads outside the workspace through a symbolic link` };
      }
      return normalised;
    }
    if (probe === '.' || !probe.includes('/')) return normalised;
    probe = probe.slice(0, probe.lastIndexOf('/'));
  }
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
