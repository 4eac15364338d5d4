// Starting the verification command the way a terminal would: through the platform shell, or
// the same shell inside bubblewrap. On POSIX the shell leads a new process group, so one signal
// to the group (processGroup.ts) reaches everything the command started.
import { spawn, type ChildProcess } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { bubblewrapArguments } from './sandbox.js';
import { verificationEnvironment } from './verificationEnvironment.js';

const isWindows = process.platform === 'win32';

/** The shell inside bubblewrap, with its own TMPDIR; spawned like spawnShell, so the group kill reaches it. */
export async function spawnSandboxed(command: string, cwd: string, temp: string, bubblewrap: string): Promise<ChildProcess> {
  // Bound by their real paths: a workspace reached through a link must be writable where it is.
  const paths = { workspace: await realpath(cwd), temp: await realpath(temp), cwd };
  const env = verificationEnvironment(process.env, { TMPDIR: paths.temp });
  return spawn(bubblewrap, [...bubblewrapArguments(paths), '/bin/sh', '-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

export function spawnShell(command: string, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  if (isWindows) {
    // What Node's own `shell: true` does on Windows: /d skips AutoRun, /s + outer quotes keep the
    // command line verbatim.
    return spawn(process.env['ComSpec'] ?? 'cmd.exe', ['/d', '/s', '/c', `"${command}"`], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsVerbatimArguments: true,
      windowsHide: true,
    });
  }
  // detached: the shell leads a new process group, so one signal to -pid reaches everything it
  // started. stdin ignored: a command that prompts gets EOF instead of hanging until the timeout.
  return spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}
