// runGit against a real git that never ends on its own (the credential cache's daemon, a helper
// program git runs as its child): a cancel and a timeout each stop it, helper included, and say
// which; a failure carries git's own words.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { git, runGit } from '../../../src/node/hostileGit.js';
import { within } from '../../support/waitUntil.js';

const posixDescribe = process.platform === 'win32' ? describe.skip : describe;
/** Serves until stopped: a stand-in for a git that hangs on a lock or a network mount. */
const forever = (folder: string): string[] => ['credential-cache--daemon', path.join(folder, 'socket')];

posixDescribe('runGit', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'dual-model-git-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('stops a git that does not end when the signal is aborted, and says it was cancelled', async () => {
    const cancel = new AbortController();
    const running = runGit(forever(folder), { cwd: folder, signal: cancel.signal });
    cancel.abort();
    await within(assert.rejects(running, /^Error: git credential-cache--daemon cancelled$/), 'the cancelled git never settled');
  });

  it('stops it at its time limit, and says so', async () => {
    await within(assert.rejects(runGit(forever(folder), { cwd: folder, timeoutMs: 300 }), /git credential-cache--daemon timed out after 0.3 s/), 'the timed-out git never settled');
  });

  it('a failure names the command and gives git\'s first lines', async () => {
    await assert.rejects(git(['rev-parse', '--show-toplevel'], { cwd: folder }), /^Error: git rev-parse --show-toplevel failed: fatal: not a git repository/);
  });
});
