// The sandboxed verification against real processes, a real bubblewrap and a real local server:
// no network, writes only to the workspace and its own temporary folder, nothing of the host's
// processes visible, and a timeout still leaves no process behind. Skipped where bubblewrap
// cannot run (the unit suite also runs on machines without it); the fallback is tested everywhere.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runProcess, type ProcessRunnerOptions } from '../../../src/node/processRunner.js';
import { bubblewrapUnavailable } from '../../../src/node/sandbox.js';
import type { VerificationRequest, VerificationResult } from '../../../src/core/ports.js';
import { holdTimeout } from '../../support/heldTimeout.js';
import { waitUntil, within } from '../../support/waitUntil.js';

const NODE = JSON.stringify(process.execPath);

describe('runProcess in the sandbox', function () {
  let dir: string;
  let outside: string;

  before(async function () {
    if (process.platform !== 'linux' || (await bubblewrapUnavailable('bwrap')) !== undefined) {
      this.skip();
    }
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dual-model-sandbox-ws-'));
    outside = await mkdtemp(path.join(tmpdir(), 'dual-model-sandbox-outside-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  async function run(command: string, overrides: Partial<VerificationRequest> = {}, options: Partial<ProcessRunnerOptions> = {}): Promise<{ result: VerificationResult; streamed: string }> {
    const chunks: string[] = [];
    const result = await runProcess({ command, cwd: dir, timeoutMs: 30_000, label: 'test', ...overrides }, (chunk) => chunks.push(chunk), {
      sandbox: 'sandboxed',
      ...options,
    });
    return { result, streamed: chunks.join('') };
  }

  it('says it ran sandboxed, and the unsandboxed run says so too', async () => {
    assert.equal((await run('true')).result.sandbox, 'sandboxed');
    assert.equal((await run('true', {}, { sandbox: 'unsandboxed' })).result.sandbox, 'unsandboxed');
  });

  describe('with a local HTTP server outside the sandbox', () => {
    let server: Server;
    let url: string;
    beforeEach(async () => {
      server = createServer((_request, response) => response.end('reached the server\n'));
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterEach(() => {
      server.close();
    });

    const fetchScript = (target: string): string =>
      `${NODE} -e "fetch('${target}').then(async (r) => console.log(await r.text())).catch((e) => { console.error(String(e.cause ?? e)); process.exit(2); })"`;

    it('cannot reach it, and the output says the sandbox blocked it and how to allow it', async () => {
      const { result, streamed } = await run(fetchScript(url));
      assert.equal(result.exitCode, 2);
      assert.doesNotMatch(result.output, /reached the server/);
      assert.match(result.output, /\[dual-model\] the sandbox blocked a network connection/);
      assert.match(result.output, /dualModel\.verification\.sandbox.*"unsandboxed".*user settings/);
      assert.match(streamed, /the sandbox blocked a network connection/, 'the terminal shows the note too');
    });

    it('reaches it unsandboxed', async () => {
      const { result } = await run(fetchScript(url), {}, { sandbox: 'unsandboxed' });
      assert.equal(result.exitCode, 0);
      assert.match(result.output, /reached the server/);
      assert.doesNotMatch(result.output, /sandbox blocked/);
    });

    it('cannot resolve a host name either', async () => {
      const { result } = await run(fetchScript('http://example.com/'));
      assert.equal(result.exitCode, 2);
      assert.match(result.output, /the sandbox blocked a network connection/);
    });
  });

  it('writes in the workspace and in $TMPDIR, a folder of its own that is removed afterwards', async () => {
    const { result } = await run('echo made > made.txt && echo temp > "$TMPDIR/t.txt" && cat "$TMPDIR/t.txt" && echo "$TMPDIR"');
    assert.equal(result.exitCode, 0, result.output);
    assert.equal(await readFile(path.join(dir, 'made.txt'), 'utf8'), 'made\n');
    const [temp, folder] = result.output.trim().split('\n');
    assert.equal(temp, 'temp');
    assert.ok(folder !== undefined && folder !== tmpdir() && path.isAbsolute(folder), `TMPDIR is a folder of its own: ${folder}`);
    assert.equal(existsSync(folder), false, 'the temporary folder is removed after the run');
  });

  it('cannot write outside the workspace, and says so', async () => {
    const target = path.join(outside, 'escaped.txt');
    const { result } = await run(`echo escaped > ${JSON.stringify(target)}`);
    assert.notEqual(result.exitCode, 0);
    assert.equal(existsSync(target), false, 'nothing was written outside');
    assert.match(result.output, /\[dual-model\] the sandbox blocked a write outside the workspace/);
    assert.match(result.output, /dualModel\.verification\.sandbox/);
  });

  it('blames nothing on the sandbox when a command fails on its own', async () => {
    const { result } = await run('echo "1 test failed"; exit 1');
    assert.equal(result.exitCode, 1);
    // Under load bwrap's reaping can add a note about leftover processes; what matters is that
    // nothing blames the sandbox.
    assert.match(result.output, /^1 test failed\n/);
    assert.doesNotMatch(result.output, /sandbox/i);
  });

  it('cannot undo the read-only mounts, even when the extension host runs as root', async () => {
    const { result } = await run(`mount -o remount,rw / 2>&1; umount -l ${JSON.stringify(outside)} 2>&1; echo x > ${JSON.stringify(path.join(outside, 'x'))}`);
    assert.notEqual(result.exitCode, 0);
    assert.equal(existsSync(path.join(outside, 'x')), false);
  });

  it("cannot read the host processes' environments, where the keys live", async () => {
    // A process that started with a key in its environment, as the extension host does.
    const marker = `sk-ant-host-process-key-${process.pid}-${Date.now()}`;
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env: { ...process.env, ANTHROPIC_API_KEY: marker }, stdio: 'ignore' });
    try {
      const grep = `cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c ${marker}; true`;
      // The count is the first line; under load a "left processes running" note may follow it.
      const count = async (options: Partial<ProcessRunnerOptions> = {}): Promise<string | undefined> => (await run(grep, {}, options)).result.output.split('\n')[0];
      assert.equal(await count({ sandbox: 'unsandboxed' }), '1', 'unsandboxed, the host process is readable (the test can see it)');
      assert.equal(await count(), '0');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('kills the whole tree at the timeout, leaving no process', async () => {
    // A duration unique to this run, so its processes can be told apart in /proc from the host.
    const token = `100.${process.pid}${Date.now() % 100_000}`;
    // The timeout fires once all three (two sleeps and node) are up, however slow bwrap starts.
    const timeout = holdTimeout(1000);
    const running = runProcess(
      { command: `sleep ${token} & ${NODE} -e "setInterval(() => {}, 1000)" ${token} & echo started; sleep ${token}`, cwd: dir, timeoutMs: 1000, label: 'test' },
      () => undefined,
      { sandbox: 'sandboxed' },
    );
    try {
      await waitUntil(() => programsWith(token).filter((program) => program === 'sleep').length === 2 && programsWith(token).includes(path.basename(process.execPath)), 'the sandboxed sleeps and node never all showed in /proc');
    } finally {
      timeout.release();
      timeout.restore();
    }
    const result = await within(running, 'the sandboxed run never ended after its timeout', 15_000);
    assert.equal(result.timedOut, true);
    assert.equal(result.sandbox, 'sandboxed');
    assert.deepEqual(processesWith(token), [], 'no process of the sandboxed tree survives');
  });

  it('cancels through the sandbox, leaving no process', async () => {
    const token = `200.${process.pid}${Date.now() % 100_000}`;
    const controller = new AbortController();
    const result = await runProcess(
      { command: `sleep ${token} & echo started; wait`, cwd: dir, timeoutMs: 60_000, label: 'test', signal: controller.signal },
      (chunk) => {
        if (chunk.includes('started')) controller.abort();
      },
      { sandbox: 'sandboxed' },
    );
    assert.equal(result.notRun, 'cancelled');
    assert.deepEqual(processesWith(token), []);
  });
});

describe('runProcess where no sandbox can run', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dual-model-nosandbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs unsandboxed, and the result and the output say why', async function () {
    if (process.platform === 'win32') this.skip();
    const chunks: string[] = [];
    const result = await runProcess({ command: 'echo ran', cwd: dir, timeoutMs: 30_000, label: 'test' }, (chunk) => chunks.push(chunk), {
      sandbox: 'sandboxed',
      bubblewrap: path.join(dir, 'no-such-bwrap'),
    });
    assert.equal(result.exitCode, 0);
    assert.match(result.sandbox ?? '', /^unavailable: /);
    assert.match(result.output, /^ran$/m);
    assert.match(result.output, /\[dual-model\] not sandboxed: /);
  });

  it('says what is wrong with a bubblewrap that cannot run', async function () {
    if (process.platform === 'win32') this.skip();
    const broken = path.join(dir, 'bwrap');
    await writeFile(broken, '#!/bin/sh\necho "bwrap: No permissions to creating new namespace" >&2\nexit 1\n', { mode: 0o755 });
    const reason = await bubblewrapUnavailable(broken);
    assert.match(reason ?? '', /No permissions to creating new namespace/);
  });
});

/** Host pids of live processes whose command line holds `token`. */
/** The program names (argv[0]'s base name) of the live processes whose command line holds `token`. */
function programsWith(token: string): string[] {
  return processesWith(token).flatMap((pid) => {
    try {
      return [path.basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '')];
    } catch {
      return [];
    }
  });
}

function processesWith(token: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const zombie = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
      if (commandLine.includes(token) && !zombie) found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

describe('how the HARD STOP describes the verification sandbox', () => {
  it('says sandboxed where bubblewrap runs, and why not where the user or the machine says no', async () => {
    const { describeVerificationSandbox } = await import('../../../src/node/sandbox.js');
    assert.deepEqual(await describeVerificationSandbox('sandboxed'), { sandboxed: true, text: 'Runs sandboxed: no network, and writes only to the workspace and a temporary folder of its own.' });
    const chosen = await describeVerificationSandbox('unsandboxed');
    assert.equal(chosen.sandboxed, false);
    assert.match(chosen.text, /dualModel\.verification\.sandbox is "unsandboxed".*network/);
    const missing = await describeVerificationSandbox('sandboxed', '/nonexistent/bwrap');
    assert.equal(missing.sandboxed, false);
    assert.match(missing.text, /no sandbox is available here \(.+\)/);
  });
});
