// The repository is hostile: making, comparing and removing a copy must run none of its code
// (hooks, fsmonitor, filters, ssh), copy nothing from outside it through a link, and delete
// nothing outside the copy. Each program the repository names would leave a mark if it ran.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { IsolatedCopy } from '../../../src/core/ports.js';
import { NodeIsolatedCopies } from '../../../src/node/isolatedCopies.js';
import { committedRepository, gitIn, writeFiles } from '../../support/sampleRepository.js';

const posixDescribe = process.platform === 'win32' ? describe.skip : describe;

posixDescribe('NodeIsolatedCopies on a hostile workspace', () => {
  let scratch: string;
  let workspace: string;
  let base: string;
  let outside: string;
  let marks: string;

  beforeEach(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dual-model-hostile-copies-'));
    workspace = path.join(scratch, 'workspace');
    base = path.join(scratch, 'copies');
    outside = path.join(scratch, 'outside');
    marks = path.join(scratch, 'marks');
    mkdirSync(outside);
    mkdirSync(marks);
    writeFileSync(path.join(outside, 'precious.txt'), 'precious\n');
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** A program that leaves a mark named `name` if it ever runs. */
  function marker(name: string): string {
    const script = path.join(scratch, `${name}.sh`);
    writeFileSync(script, `#!/bin/sh\necho ran >> ${JSON.stringify(path.join(marks, name))}\ncat\n`);
    chmodSync(script, 0o755);
    return script;
  }
  const ranPrograms = (): string[] => readdirSync(marks);

  /** Everything a copy's life does: make, write, compare, find again, remove, sweep. */
  async function liveThroughACopy(): Promise<IsolatedCopy> {
    const copies = new NodeIsolatedCopies(workspace, base);
    const copy = await copies.create('run-1', 'a');
    await copy.workspace.writeAll([{ path: 'a.txt', text: 'changed by the candidate\n' }]);
    await copy.changes();
    await new NodeIsolatedCopies(workspace, base).existing('run-1');
    await copy.remove();
    await copies.create('run-2', 'a');
    await copies.sweep(new Set());
    return copy;
  }

  it('runs none of its hooks, from .git/hooks or from a core.hooksPath it sets', async () => {
    committedRepository(workspace, { 'a.txt': 'a\n' });
    const hooks = ['post-checkout', 'reference-transaction', 'post-index-change', 'pre-auto-gc', 'post-rewrite'];
    const ownHooks = path.join(workspace, 'my-hooks');
    mkdirSync(ownHooks);
    for (const hook of hooks) {
      const script = marker(hook);
      writeFileSync(path.join(workspace, '.git', 'hooks', hook), readFileSync(script));
      writeFileSync(path.join(ownHooks, hook), readFileSync(script));
      chmodSync(path.join(workspace, '.git', 'hooks', hook), 0o755);
      chmodSync(path.join(ownHooks, hook), 0o755);
    }
    await liveThroughACopy();
    gitIn(workspace, 'config', 'core.hooksPath', ownHooks);
    await liveThroughACopy();
    assert.deepEqual(ranPrograms(), []);
  });

  it('runs neither its core.fsmonitor nor its filters, and copies the bytes as they are on disk', async () => {
    // Committed before the filter exists, so the commit itself runs nothing.
    committedRepository(workspace, { 'a.txt': 'a\n', 'b.txt': 'b as committed\n', '.gitattributes': '* filter=evil\n*.txt diff=evil\n' });
    gitIn(workspace, 'config', 'core.fsmonitor', marker('fsmonitor'));
    gitIn(workspace, 'config', 'filter.evil.smudge', marker('smudge'));
    gitIn(workspace, 'config', 'filter.evil.clean', marker('clean'));
    gitIn(workspace, 'config', 'filter.evil.required', 'true');
    gitIn(workspace, 'config', 'diff.evil.textconv', marker('textconv'));
    gitIn(workspace, 'config', 'core.sshCommand', marker('ssh'));
    writeFileSync(path.join(workspace, 'b.txt'), 'b modified\n');
    const copies = new NodeIsolatedCopies(workspace, base);
    const copy = await copies.create('run-1', 'a');
    assert.equal(readFileSync(path.join(copy.root, 'b.txt'), 'utf8'), 'b modified\n');
    await liveThroughACopy().catch(() => undefined);
    await copy.remove();
    assert.deepEqual(ranPrograms(), []);
  });

  it('uses the workspace\'s repository whatever GIT_DIR or GIT_WORK_TREE our own environment holds', async () => {
    committedRepository(workspace, { 'a.txt': 'workspace\n' });
    const other = path.join(scratch, 'other');
    committedRepository(other, { 'a.txt': 'other repository\n' });
    const saved = { dir: process.env['GIT_DIR'], tree: process.env['GIT_WORK_TREE'] };
    process.env['GIT_DIR'] = path.join(other, '.git');
    process.env['GIT_WORK_TREE'] = other;
    try {
      const copy = await new NodeIsolatedCopies(workspace, base).create('run-1', 'a');
      assert.equal(readFileSync(path.join(copy.root, 'a.txt'), 'utf8'), 'workspace\n');
      assert.equal(copy.kind, 'worktree');
    } finally {
      for (const [name, value] of [['GIT_DIR', saved.dir], ['GIT_WORK_TREE', saved.tree]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    assert.ok(!gitIn(other, 'branch').includes('dual-model/'), 'the other repository got no branch');
  });

  it('copies nothing from outside through a folder that became a link, and keeps a link out as a link', async () => {
    committedRepository(workspace, { 'a.txt': 'a\n', 'secrets/key.txt': 'committed placeholder\n' });
    writeFileSync(path.join(outside, 'key.txt'), 'the real secret\n');
    rmSync(path.join(workspace, 'secrets'), { recursive: true });
    symlinkSync(outside, path.join(workspace, 'secrets'));
    symlinkSync(path.join(outside, 'precious.txt'), path.join(workspace, 'link-out.txt'));
    for (const kind of ['worktree', 'copy'] as const) {
      if (kind === 'copy') rmSync(path.join(workspace, '.git'), { recursive: true });
      const copy = await new NodeIsolatedCopies(workspace, base).create(`run-${kind}`, 'a');
      assert.equal(copy.kind, kind);
      const copied = readdirSync(copy.root, { recursive: true }).map(String);
      for (const entry of copied) {
        const file = path.join(copy.root, entry);
        if (existsSync(file) && !entry.startsWith('secrets') && !entry.startsWith('link-out')) {
          assert.doesNotMatch(readFileSync(file, 'utf8').toString(), /the real secret/, `${entry} holds what was outside (${kind})`);
        }
      }
      assert.equal(await copy.workspace.read('secrets/key.txt').catch(() => 'refused'), 'refused', `the copy does not read out through the link (${kind})`);
      await copy.remove();
      assert.equal(readFileSync(path.join(outside, 'precious.txt'), 'utf8'), 'precious\n');
      assert.equal(readFileSync(path.join(outside, 'key.txt'), 'utf8'), 'the real secret\n');
    }
  });

  it('remove() and sweep() delete a link in the copy, never what it points to', async () => {
    committedRepository(workspace, { 'a.txt': 'a\n' });
    for (const kind of ['worktree', 'copy'] as const) {
      if (kind === 'copy') rmSync(path.join(workspace, '.git'), { recursive: true });
      const copies = new NodeIsolatedCopies(workspace, base);
      const removed = await copies.create(`run-${kind}-1`, 'a');
      const swept = await copies.create(`run-${kind}-2`, 'a');
      for (const copy of [removed, swept]) {
        symlinkSync(outside, path.join(copy.root, 'out-folder'));
        symlinkSync(path.join(outside, 'precious.txt'), path.join(copy.root, 'out-file.txt'));
        mkdirSync(path.join(copy.root, 'deep'));
        symlinkSync(outside, path.join(copy.root, 'deep', 'out'));
      }
      await removed.remove();
      await new NodeIsolatedCopies(workspace, base).sweep(new Set());
      assert.equal(existsSync(swept.root), false);
      assert.deepEqual(readdirSync(outside), ['precious.txt'], `the outside folder is intact (${kind})`);
      assert.equal(readFileSync(path.join(outside, 'precious.txt'), 'utf8'), 'precious\n');
    }
  });

  it('a copy whose `.git` file its commands rewrote is still removed, with its branch, and git follows nothing there', async () => {
    committedRepository(workspace, { 'a.txt': 'a\n' });
    const copy = await new NodeIsolatedCopies(workspace, base).create('run-1', 'a');
    const fake = path.join(copy.root, 'fake-git');
    mkdirSync(fake);
    gitIn(fake, 'init', '-q', '--bare');
    gitIn(fake, 'config', 'core.fsmonitor', marker('fake-fsmonitor'));
    writeFileSync(path.join(copy.root, '.git'), `gitdir: ${fake}\n`);
    await copy.workspace.writeAll([{ path: 'b.txt', text: 'b\n' }]);
    const changed = (await copy.changes()).map((change) => change.path);
    assert.ok(changed.includes('b.txt') && !changed.includes('.git'), changed.join(', '));
    await copy.remove();
    assert.equal(existsSync(copy.root), false);
    assert.ok(!gitIn(workspace, 'branch').includes('dual-model/run-1/a'));
    assert.equal(gitIn(workspace, 'worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).length, 1);
    assert.deepEqual(ranPrograms(), []);
  });

  it('a core.worktree pointing elsewhere does not make it copy that folder', async () => {
    committedRepository(workspace, { 'a.txt': 'a\n' });
    writeFiles(outside, { 'elsewhere.txt': 'not the workspace\n' });
    gitIn(workspace, 'config', 'core.worktree', outside);
    const copy = await new NodeIsolatedCopies(workspace, base).create('run-1', 'a');
    assert.equal(existsSync(path.join(copy.root, 'elsewhere.txt')), false);
    assert.equal(readFileSync(path.join(copy.root, 'a.txt'), 'utf8'), 'a\n');
    await copy.remove();
    assert.deepEqual(readdirSync(outside).sort(), ['elsewhere.txt', 'precious.txt']);
  });
});
