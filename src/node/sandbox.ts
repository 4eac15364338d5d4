// The verification sandbox on Linux: bubblewrap, called directly. The command sees the whole file
// system read-only except the workspace and a temporary folder of its own, has no network (a
// network namespace with only its own loopback), no capabilities (the extension host may be
// root) and its own process namespace, so /proc shows none of the host's processes or their
// environments. Killing bwrap's process group stops everything inside: the kernel ends a process
// namespace with its first process, and --die-with-parent covers the host dying.
//
// Not @anthropic-ai/sandbox-runtime: on Linux it refuses to start without socat (and ripgrep)
// even when no network is allowed, starts HTTP and SOCKS proxies in our process plus socat
// bridges outside the command's process group, holds its configuration in a process-wide
// singleton, and ships native helpers (seccomp, Windows) found by paths relative to its own
// module, which an esbuild bundle does not keep. Zero network needs none of that.
import { spawn } from 'node:child_process';

/** The user's choice (dualModel.verification.sandbox); where no sandbox can run, both run unsandboxed. */
export type SandboxChoice = 'sandboxed' | 'unsandboxed';

/** Why bubblewrap cannot sandbox here, or undefined when it can. One probe per program path. */
export function bubblewrapUnavailable(program: string): Promise<string | undefined> {
  let probe = probes.get(program);
  if (probe === undefined) {
    probe = probeBubblewrap(program);
    probes.set(program, probe);
  }
  return probe;
}

const probes = new Map<string, Promise<string | undefined>>();

/** How the verification will run, in words for the HARD STOP, next to the command the user approves. */
export async function describeVerificationSandbox(choice: SandboxChoice, program = 'bwrap'): Promise<{ sandboxed: boolean; text: string }> {
  const unrestricted = 'it can use the network and write wherever you can';
  if (choice === 'unsandboxed') return { sandboxed: false, text: `Runs unsandboxed (dualModel.verification.sandbox is "unsandboxed"): ${unrestricted}.` };
  const unavailable = await bubblewrapUnavailable(program);
  return unavailable === undefined
    ? { sandboxed: true, text: 'Runs sandboxed: no network, and writes only to the workspace and a temporary folder of its own.' }
    : { sandboxed: false, text: `Runs unsandboxed, as no sandbox is available here (${unavailable}): ${unrestricted}.` };
}
const PROBE_TIMEOUT_MS = 10_000;

export interface SandboxPaths {
  /** Writable: the workspace folder (resolved, links followed). */
  workspace: string;
  /** Writable: the run's own temporary folder (resolved), also its TMPDIR. */
  temp: string;
  /** Where the command starts. */
  cwd: string;
}

/** bwrap's arguments up to (not including) the program it runs. */
export function bubblewrapArguments(paths?: SandboxPaths): string[] {
  const writable = paths === undefined ? [] : ['--bind', paths.workspace, paths.workspace, '--bind', paths.temp, paths.temp];
  return [
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--die-with-parent',
    '--cap-drop',
    'ALL',
    '--ro-bind',
    '/',
    '/',
    ...writable,
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    ...(paths === undefined ? [] : ['--chdir', paths.cwd]),
  ];
}

/** Runs the same sandbox a verification gets around `true`: what fails here would fail there. */
function probeBubblewrap(program: string): Promise<string | undefined> {
  if (process.platform !== 'linux') {
    return Promise.resolve(`no sandbox on ${process.platform} yet`);
  }
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn(program, [...bubblewrapArguments(), '/bin/sh', '-c', 'exit 0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`bubblewrap did not finish a trial run in ${PROBE_TIMEOUT_MS / 1000} s`);
    }, PROBE_TIMEOUT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ENOENT' ? 'bubblewrap (bwrap) is not installed' : `bubblewrap could not start: ${error.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const said = stderr.trim().split('\n')[0] ?? '';
      resolve(code === 0 ? undefined : `bubblewrap failed its trial run${said === '' ? ` (exit code ${String(code)})` : `: ${said}`}`);
    });
  });
}
