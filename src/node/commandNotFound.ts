// Telling "the shell could not find your command" apart from "your command ran and exited 127".
// The shell returns the same code for both (`npm test` with no jest inside exits 127 too), so
// the only honest test is whether the command's own first word could have been found.
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import * as path from 'node:path';

const isWindows = process.platform === 'win32';
/** What the shell itself returns when it cannot find the command. */
export const NOT_FOUND_EXIT_CODE = isWindows ? 9009 : 127;

/** Words the shell runs itself, so they are never on PATH and a 127 is not about them. */
const SHELL_BUILTINS = new Set(
  isWindows
    ? ['call', 'cd', 'chdir', 'cls', 'copy', 'del', 'dir', 'echo', 'exit', 'if', 'for', 'md', 'mkdir', 'move', 'rd', 'ren', 'rmdir', 'set', 'setlocal', 'start', 'type']
    : ['.', ':', '!', '{', 'break', 'case', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'for', 'if', 'printf', 'read', 'readonly', 'return', 'set', 'shift', 'test', '[', 'trap', 'true', 'unset', 'until', 'wait', 'while'],
);

/**
 * The command's first word when the shell could not have found it (so a NOT_FOUND_EXIT_CODE was
 * about the command itself), or undefined when it exists or is a shell builtin.
 */
export async function missingCommand(command: string, cwd: string): Promise<string | undefined> {
  const word = firstWord(command);
  if (word === undefined || SHELL_BUILTINS.has(word) || (await commandExists(word, cwd))) {
    return undefined;
  }
  return word;
}

/** The program the command starts with: skips `NAME=value` prefixes and strips quotes. */
export function firstWord(command: string): string | undefined {
  const tokens = command.match(/"[^"]*"|'[^']*'|[^\s;&|<>()]+/g) ?? [];
  for (const token of tokens) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(token)) {
      continue;
    }
    return token.replace(/^(["'])(.*)\1$/, '$2');
  }
  return undefined;
}

/** Whether the shell could have found `word`: a path that exists, or a program on PATH. */
async function commandExists(word: string, cwd: string): Promise<boolean> {
  const hasSeparator = word.includes('/') || (isWindows && word.includes('\\'));
  const extensions = isWindows ? ['', ...(process.env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';')] : [''];
  const directories = hasSeparator
    ? [cwd]
    : [...(isWindows ? [cwd] : []), ...(process.env['PATH'] ?? '').split(path.delimiter).filter((entry) => entry !== '')];
  for (const directory of directories) {
    for (const extension of extensions) {
      if (await isExecutableFile(path.resolve(directory, word + extension))) {
        return true;
      }
    }
  }
  return false;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) {
      return false;
    }
    if (!isWindows) {
      await access(file, fsConstants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}
