// runProcess against real shells and processes: exit codes, streams, decoding, the output cap,
// and above all that a timeout or cancel leaves no process of the tree behind.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { firstWord } from '../../../src/node/commandNotFound.js';
import { runProcess } from '../../../src/node/processRunner.js';
import type { VerificationRequest, VerificationResult } from '../../../src/core/ports.js';
import { holdTimeout } from '../../support/heldTimeout.js';
import { waitUntil, within } from '../../support/waitUntil.js';

const posixDescribe = process.platform === 'win32' ? describe.skip : describe;

/** Node itself, quoted for the shell, so tests don't depend on `node` being on PATH. */
const NODE = JSON.stringify(process.execPath);

/**
 * A node process that records its pid, prints a line, optionally starts one more level of
 * itself (sharing stdout, as real test runners do with workers) and then never exits.
 */
const TREE_SCRIPT = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const [pidFile, depth] = process.argv.slice(2);
fs.appendFileSync(pidFile, process.pid + '\\n');
if (Number(depth) > 0) spawn(process.execPath, [__filename, pidFile, String(Number(depth) - 1)], { stdio: 'inherit' });
console.log('level ' + depth + ' running');
setInterval(() => {}, 1000);
`;

interface Run {
  result: VerificationResult;
  chunks: string[];
}

posixDescribe('runProcess', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dual-model-runner-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(command: string, overrides: Partial<VerificationRequest> = {}): Promise<Run> {
    const chunks: string[] = [];
    const result = await runProcess({ command, cwd: dir, timeoutMs: 30_000, label: 'test', ...overrides }, (chunk) => chunks.push(chunk));
    return { result, chunks };
  }

  async function readPids(file: string): Promise<number[]> {
    const text = await readFile(file, 'utf8');
    return text.split('\n').filter((line) => line.trim() !== '').map(Number);
  }

  /**
   * Runs `command` with a timeout that fires only once `count` pids are in `pidFile`: what is
   * tested is what the timeout kills, so the tree must be whole first, however slow the machine.
   */
  async function runUntilTimeout(command: string, timeoutMs: number, pidFile: string, count: number): Promise<Run> {
    const timeout = holdTimeout(timeoutMs);
    const running = run(command, { timeoutMs });
    try {
      await waitUntil(async () => (await readPids(pidFile).catch(() => [])).length >= count, `the tree never wrote its ${count} pids to ${path.basename(pidFile)}`);
    } finally {
      timeout.release();
      timeout.restore();
    }
    return within(running, `the run never ended after its ${timeoutMs} ms timeout`, 15_000);
  }

  it('runs a passing command and captures its output', async () => {
    const { result, chunks } = await run('echo hello; echo world');
    assert.equal(result.exitCode, 0);
    assert.equal(result.output, 'hello\nworld\n');
    assert.equal(result.timedOut, false);
    assert.equal(result.notRun, undefined);
    assert.equal(chunks.join(''), 'hello\nworld\n');
  });

  it('reports a failing exit code', async () => {
    const { result } = await run('echo failing; exit 3');
    assert.equal(result.exitCode, 3);
    assert.equal(result.output, 'failing\n');
    assert.equal(result.timedOut, false);
    assert.equal(result.notRun, undefined);
  });

  it('captures stderr together with stdout', async () => {
    const { result } = await run('echo to-stdout; echo to-stderr >&2; exit 1');
    assert.equal(result.exitCode, 1);
    assert.match(result.output, /to-stdout/);
    assert.match(result.output, /to-stderr/);
  });

  it('runs in the requested working directory and inherits the environment', async () => {
    const { result } = await run('pwd; echo "$DUAL_MODEL_TEST_VAR"');
    process.env['DUAL_MODEL_TEST_VAR'] = 'inherited';
    const second = await run('echo "$DUAL_MODEL_TEST_VAR"');
    delete process.env['DUAL_MODEL_TEST_VAR'];
    assert.equal(result.output.split('\n')[0], dir);
    assert.equal(second.result.output, 'inherited\n');
  });

  it('decodes a UTF-8 character split across two writes', async () => {
    // The euro sign is E2 82 AC; the pause makes the pipe deliver the halves separately.
    const { result, chunks } = await run(String.raw`printf 'price: \342\202'; sleep 0.3; printf '\254 ok\n'`);
    assert.equal(result.output, 'price: € ok\n');
    assert.equal(chunks.join(''), 'price: € ok\n');
    assert.ok(chunks.every((chunk) => !chunk.includes('\uFFFD')));
  });

  it('reports a command that does not exist as not run, keeping the exit code and output', async () => {
    const { result } = await run('no-such-command-dual-model-xyz --flag');
    assert.equal(result.exitCode, 127);
    assert.equal(result.notRun, 'command not found: no-such-command-dual-model-xyz');
    assert.match(result.output, /no-such-command-dual-model-xyz/);
  });

  it('does not blame the first word when something inside the command is missing', async () => {
    const { result } = await run(`FOO=1 sh -c 'no-such-command-dual-model-xyz'`);
    assert.equal(result.exitCode, 127);
    assert.equal(result.notRun, undefined);
  });

  it('does not spawn anything for an empty command', async () => {
    const { result, chunks } = await run('   ');
    assert.equal(result.exitCode, undefined);
    assert.equal(result.output, '');
    assert.equal(result.timedOut, false);
    assert.ok(result.notRun !== undefined && result.notRun.length > 0);
    assert.deepEqual(chunks, []);
  });

  it('reports a missing working directory as not run', async () => {
    const { result } = await run('echo hi', { cwd: path.join(dir, 'missing') });
    assert.equal(result.exitCode, undefined);
    assert.match(result.notRun ?? '', /working directory/);
  });

  it('on timeout kills the whole tree: shell, background job, child and grandchild', async () => {
    const pidFile = path.join(dir, 'pids');
    const script = path.join(dir, 'tree.cjs');
    await writeFile(script, TREE_SCRIPT);
    const command = `echo $$ >> pids; sleep 300 & echo $! >> pids; ${NODE} tree.cjs pids 1; sleep 300`;
    const { result } = await runUntilTimeout(command, 1500, pidFile, 4);

    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, undefined);
    assert.equal(result.notRun, undefined);
    assert.match(result.output, /level 1 running/);
    assert.match(result.output, /level 0 running/);
    assert.match(result.output, /\[dual-model\] verification timed out after 1\.5 s; killed the process tree/);
    const pids = await readPids(pidFile);
    assert.equal(pids.length, 4, 'shell, sleep, node child and node grandchild');
    assert.deepEqual(pids.filter(isAlive), [], 'no process of the tree survives');
  });

  it('SIGKILLs a tree that ignores SIGTERM', async () => {
    const pidFile = path.join(dir, 'pids');
    const ignoring = `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); require('fs').appendFileSync('pids', process.pid + '\\n'); console.log('stubborn'); setInterval(() => {}, 1000)`;
    const command = `trap '' TERM; echo $$ >> pids; ${NODE} -e ${shellQuote(ignoring)} & sleep 300`;
    // Its pid is written after the SIGTERM handler is in place.
    const { result } = await runUntilTimeout(command, 800, pidFile, 2);

    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, undefined);
    const pids = await readPids(pidFile);
    assert.equal(pids.length, 2);
    assert.deepEqual(pids.filter(isAlive), []);
  });

  it('cancels through the AbortSignal and kills the tree', async () => {
    const pidFile = path.join(dir, 'pids');
    const controller = new AbortController();
    const chunks: string[] = [];
    const result = await runProcess(
      { command: 'echo $$ >> pids; sleep 300 & echo $! >> pids; echo started; wait', cwd: dir, timeoutMs: 60_000, label: 'test', signal: controller.signal },
      (chunk) => {
        chunks.push(chunk);
        if (chunks.join('').includes('started')) {
          controller.abort();
        }
      },
    );

    assert.equal(result.notRun, 'cancelled');
    assert.equal(result.timedOut, false);
    assert.equal(result.exitCode, undefined);
    assert.match(result.output, /cancelled/);
    const pids = await readPids(pidFile);
    assert.equal(pids.length, 2);
    assert.deepEqual(pids.filter(isAlive), []);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { result, chunks } = await run('echo never', { signal: controller.signal });
    assert.equal(result.notRun, 'cancelled');
    assert.deepEqual(chunks, []);
  });

  it('stops processes a finished command left running in the background', async () => {
    // The background sleep inherits stdout, so without this the run would wait on the pipe.
    const { result } = await run('sleep 300 & echo $! > pids; echo done');
    assert.equal(result.exitCode, 0);
    assert.equal(result.timedOut, false);
    assert.match(result.output, /^done\n/);
    assert.match(result.output, /left processes running/);
    const pids = await readPids(path.join(dir, 'pids'));
    assert.deepEqual(pids.filter(isAlive), []);
  });

  it('stops waiting for output held open by a process that left the group', async function () {
    if (!(await commandOnPath('setsid'))) {
      this.skip();
    }
    // setsid puts the sleep in its own session, out of reach of the group kill; it still holds
    // stdout, so only the close grace lets the run finish.
    // The shell waits for the escaped process to write its pid, so there is one to clean up.
    const { result } = await run(`setsid sh -c 'echo $$ > escaped.tmp && mv escaped.tmp escaped; exec sleep 300' & until [ -s escaped ]; do sleep 0.01; done; echo done`);
    const escaped = await readPids(path.join(dir, 'escaped'));
    for (const pid of escaped) {
      process.kill(pid, 'SIGKILL');
    }
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /^done\n/);
    assert.match(result.output, /stopped reading output/);
  });

  it('keeps the head and tail of very long output and says how much was dropped', async () => {
    const total = 5_000_000;
    const { result, chunks } = await run(`echo BEGIN; head -c ${total} /dev/zero | tr '\\0' a; echo; echo END`);
    assert.equal(result.exitCode, 0);
    const marker = /\n?\[… (\d+) bytes omitted …\]\n/.exec(result.output);
    assert.ok(marker, 'the omitted marker is present');
    assert.ok(result.output.startsWith('BEGIN\naaaa'));
    assert.ok(result.output.endsWith('aaaa\nEND\n'));
    assert.ok(result.output.length <= 2 * 200 * 1024 + 100, `bounded, got ${result.output.length}`);
    // Everything streamed reached the terminal side; kept + omitted account for all of it.
    const streamed = Buffer.byteLength(chunks.join(''));
    assert.equal(streamed, 'BEGIN\n'.length + total + '\nEND\n'.length);
    assert.equal(Buffer.byteLength(result.output) - Buffer.byteLength(marker[0]) + Number(marker[1]), streamed);
  });

  it('strips ANSI escapes from the captured text but streams them raw', async () => {
    const { result, chunks } = await run(String.raw`printf '\033[1;31mred\033[0m plain \033]8;;https://example.com\033\\link\033]8;;\033\\\n'`);
    assert.equal(result.output, 'red plain link\n');
    assert.ok(chunks.join('').includes('\x1b[1;31m'), 'the terminal still gets the colours');
  });
});

describe('firstWord', () => {
  it('finds the program, skipping assignments and quotes', () => {
    assert.equal(firstWord('npm test'), 'npm');
    assert.equal(firstWord('  CI=1 FOO=bar pytest -q'), 'pytest');
    assert.equal(firstWord(`"./my tool" --x`), './my tool');
    assert.equal(firstWord('make&&make test'), 'make');
    assert.equal(firstWord(''), undefined);
  });
});

/** Alive means signalable and not a zombie (a reparented zombie waits on a reaper we don't control). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') {
      return false;
    }
    throw error;
  }
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  return true;
}

async function commandOnPath(name: string): Promise<boolean> {
  const result = await runProcess({ command: `command -v ${name}`, cwd: tmpdir(), timeoutMs: 10_000, label: 'probe' }, () => undefined);
  return result.exitCode === 0;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
