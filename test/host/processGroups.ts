// Child process groups we started. Each child runs detached (its own group), so one signal to
// the group reaches everything under it, e.g. code-server's agent host. Groups still alive when
// this process exits, normally or by an uncaught error, are killed on the way out.
import type { ChildProcess } from 'node:child_process';

const live = new Set<number>();

process.on('exit', () => {
  for (const pgid of live) {
    signalGroup(pgid, 'SIGKILL');
  }
});

let signalsHandled = false;

/**
 * Turns SIGINT/SIGTERM/SIGHUP into a normal exit, so the 'exit' handlers run (ours above and
 * Playwright's, which kills the browser). Killed by a signal, Node would skip them and leave
 * code-server and Chromium running.
 */
export function exitOnSignals(): void {
  if (signalsHandled) {
    return;
  }
  signalsHandled = true;
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const [signal, code] of Object.entries(codes)) {
    process.once(signal, () => process.exit(code));
  }
}

export function trackGroup(child: ChildProcess): number {
  if (child.pid === undefined) {
    throw new Error('child process has no pid: it failed to spawn');
  }
  exitOnSignals();
  live.add(child.pid);
  return child.pid;
}

/** Returns false when the group no longer has any process. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the whole group, then SIGKILL to whatever is left after `graceMs`. */
export async function stopGroup(pgid: number, graceMs = 5000): Promise<void> {
  if (signalGroup(pgid, 'SIGTERM')) {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && signalGroup(pgid, 0)) {
      await sleep(100);
    }
    signalGroup(pgid, 'SIGKILL');
    // Bounded: an orphan that nobody reaps stays a zombie and still answers signal 0.
    for (let i = 0; i < 40 && signalGroup(pgid, 0); i++) {
      await sleep(50);
    }
  }
  live.delete(pgid);
}
