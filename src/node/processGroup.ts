// Stopping a verification command's whole process tree: a signal to its process group (POSIX),
// or taskkill /T (Windows), then a bounded wait until nothing of the group is left alive. Never
// throws: a group that is already gone is the goal, not an error.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const isWindows = process.platform === 'win32';
/** Bounds the wait after SIGKILL, which cannot be ignored but can meet an unreaped zombie. */
const AFTER_SIGKILL_WAIT_MS = 1000;
/** The kernel tells no one when a group empties, so the wait looks this often. */
const GROUP_POLL_MS = 50;

/** Stops the whole tree and resolves once it is gone (or after a bounded wait). Never rejects. */
export async function killTree(pid: number, graceMs: number): Promise<void> {
  if (isWindows) {
    await taskkill(pid);
    return;
  }
  signalGroup(pid, 'SIGTERM');
  if (await groupExitsWithin(pid, graceMs)) {
    return;
  }
  signalGroup(pid, 'SIGKILL');
  await groupExitsWithin(pid, AFTER_SIGKILL_WAIT_MS);
}

function taskkill(pid: number): Promise<void> {
  return new Promise((resolve) => {
    // /T takes the children too, /F because console programs ignore a polite close.
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    killer.once('exit', () => resolve());
    killer.once('error', () => resolve());
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Whether any process of the group led by `pid` is still running (zombies don't count on Linux). */
export function isGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (error) {
    // EPERM means it exists but is not ours to signal; nothing more we can do, but it is alive.
    return isErrnoException(error) && error.code === 'EPERM';
  }
  // A group of zombies is done: they wait only on a reaper we don't control (the sandbox's
  // first process, orphaned when bwrap exits, stays a zombie until init gets round to it).
  return process.platform !== 'linux' || groupHasLiveMember(pid);
}

/** Linux: whether any process of group `pgid` is not a zombie. Unsure counts as alive. */
function groupHasLiveMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // Gone while we looked.
    }
    // After the command name's closing parenthesis: state, ppid, pgrp.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z') {
      return true;
    }
  }
  return false;
}

/** Resolves true once the group is gone, false if it is still alive after `ms`. */
export async function groupExitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (isGroupAlive(pid)) {
    if (performance.now() >= deadline) {
      return false;
    }
    await delay(GROUP_POLL_MS);
  }
  return true;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
