// A candidate's verification runs in its copy (cwd = the copy's root) in the real bubblewrap
// sandbox: the copy is writable, the real workspace is not, not even through the copy's link to
// its dependencies, which the verification can still read. Skipped where bubblewrap cannot run.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { VerificationResult } from '../../../src/core/ports.js';
import { NodeIsolatedCopies } from '../../../src/node/isolatedCopies.js';
import { runProcess } from '../../../src/node/processRunner.js';
import { bubblewrapUnavailable } from '../../../src/node/sandbox.js';
import { committedRepository, writeFiles } from '../../support/sampleRepository.js';

const NODE = JSON.stringify(process.execPath);

describe('a verification run in an isolated copy, sandboxed', function () {
  let scratch: string;
  let workspace: string;

  before(async function () {
    if (process.platform !== 'linux' || (await bubblewrapUnavailable('bwrap')) !== undefined) this.skip();
  });
  beforeEach(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dual-model-copy-sandbox-'));
    workspace = path.join(scratch, 'workspace');
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  const verify = (command: string, cwd: string): Promise<VerificationResult> =>
    runProcess({ command, cwd, timeoutMs: 30_000, label: 'candidate a' }, () => undefined, { sandbox: 'sandboxed' });

  for (const kind of ['worktree', 'copy'] as const) {
    it(`writes in the copy, reads the linked dependencies, and cannot write the real workspace (${kind})`, async () => {
      const files = { '.gitignore': 'node_modules/\n', 'a.txt': 'a\n', 'node_modules/pkg/index.js': 'module.exports = 42;\n' };
      if (kind === 'worktree') committedRepository(workspace, files);
      else writeFiles(workspace, files);
      const copy = await new NodeIsolatedCopies(workspace, path.join(scratch, 'copies')).create('run-1', 'a');
      assert.equal(copy.kind, kind);
      const real = await realpath(workspace);
      const before = readdirSync(workspace, { recursive: true }).map(String).sort();

      const inCopy = await verify(`echo built > made.txt && ${NODE} -e "process.exit(require('pkg') === 42 ? 0 : 1)"`, copy.root);
      assert.equal(inCopy.sandbox, 'sandboxed');
      assert.equal(inCopy.exitCode, 0, inCopy.output);
      assert.equal(readFileSync(path.join(copy.root, 'made.txt'), 'utf8'), 'built\n');

      const attempts = [
        `echo escaped > ${JSON.stringify(path.join(real, 'escaped.txt'))}`,
        'echo escaped > node_modules/pkg/index.js',
        'echo escaped > node_modules/escaped.txt',
        `echo escaped > ${JSON.stringify(path.join(real, 'a.txt'))}`,
        `rm -rf ${JSON.stringify(path.join(real, 'node_modules'))} node_modules/pkg`,
      ];
      for (const attempt of attempts) {
        const result = await verify(attempt, copy.root);
        assert.notEqual(result.exitCode, 0, `${attempt} was allowed: ${result.output}`);
      }
      assert.deepEqual(readdirSync(workspace, { recursive: true }).map(String).sort(), before, 'no file came or went in the workspace');
      assert.equal(readFileSync(path.join(workspace, 'node_modules/pkg/index.js'), 'utf8'), 'module.exports = 42;\n');
      assert.equal(readFileSync(path.join(workspace, 'a.txt'), 'utf8'), 'a\n');
      assert.equal(existsSync(path.join(workspace, 'made.txt')), false);
      await copy.remove();
    });
  }
});
