// Real git repositories and folders for the isolated copies' tests and bench: files written with
// fs, git run as a user would (its own HOME, so the machine's configuration plays no part).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const home = mkdtempSync(path.join(tmpdir(), 'dual-model-git-home-'));

/** Runs git in `cwd` as a user of this test would, returning what it printed. */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
    encoding: 'utf8',
  });
}

/** Writes each file (relative path → text), making folders as needed. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(root, ...relative.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** A repository with one commit of `files`. */
export function committedRepository(root: string, files: Record<string, string>): void {
  mkdirSync(root, { recursive: true });
  gitIn(root, 'init', '-q');
  writeFiles(root, files);
  gitIn(root, 'add', '-A');
  gitIn(root, 'commit', '-q', '-m', 'initial');
}
