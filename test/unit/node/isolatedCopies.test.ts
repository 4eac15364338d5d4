// NodeIsolatedCopies against real git and real files: a copy starts as the workspace is now
// (uncommitted, deleted and untracked files included, ignored ones not), changes() reports what
// the copy changed, remove() leaves nothing, and a new instance finds or sweeps what an old one left.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NodeIsolatedCopies } from '../../../src/node/isolatedCopies.js';
import { committedRepository, gitIn, writeFiles } from '../../support/sampleRepository.js';

const posixDescribe = process.platform === 'win32' ? describe.skip : describe;

posixDescribe('NodeIsolatedCopies', () => {
  let scratch: string;
  let workspace: string;
  let base: string;

  beforeEach(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dual-model-copies-'));
    workspace = path.join(scratch, 'workspace');
    base = path.join(scratch, 'copies');
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  const read = (file: string): string => readFileSync(file, 'utf8');
  const branches = (): string[] => gitIn(workspace, 'branch', '--format=%(refname:short)').split('\n').filter((name) => name !== '');
  const worktreePaths = (): string[] => gitIn(workspace, 'worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).map((line) => line.slice(9));

  describe('in a git repository', () => {
    beforeEach(() => {
      committedRepository(workspace, {
        '.gitignore': 'dist/\nnode_modules/\n',
        'a.txt': 'committed a\n',
        'src/b.ts': 'export const b = 1;\n',
        'src/keep.ts': 'export const keep = 1;\n',
      });
      writeFiles(workspace, {
        'a.txt': 'modified a\n',
        'new.txt': 'untracked\n',
        'dist/out.js': 'built\n',
        'node_modules/pkg/index.js': 'module.exports = 42;\n',
      });
      rmSync(path.join(workspace, 'src/b.ts'));
    });

    it('makes a worktree on a temporary branch, outside the workspace, as the workspace is now', async () => {
      const copies = new NodeIsolatedCopies(workspace, base);
      const copy = await copies.create('run-1', 'a');
      assert.equal(copy.kind, 'worktree');
      assert.equal(copy.branch, 'dual-model/run-1/a');
      assert.ok(!copy.root.startsWith(workspace + path.sep), `the copy ${copy.root} is outside the workspace`);
      assert.equal(read(path.join(copy.root, 'a.txt')), 'modified a\n', 'an uncommitted change comes along');
      assert.equal(read(path.join(copy.root, 'new.txt')), 'untracked\n', 'an untracked file comes along');
      assert.equal(existsSync(path.join(copy.root, 'src/b.ts')), false, 'a deleted file stays deleted');
      assert.equal(read(path.join(copy.root, 'src/keep.ts')), 'export const keep = 1;\n');
      assert.equal(existsSync(path.join(copy.root, 'dist')), false, 'ignored build output is left out');
      assert.ok(lstatSync(path.join(copy.root, 'node_modules')).isSymbolicLink(), 'dependencies are linked');
      assert.equal(readlinkSync(path.join(copy.root, 'node_modules')), path.join(await realWorkspace(), 'node_modules'));
      assert.ok(branches().includes('dual-model/run-1/a'));
      assert.ok(worktreePaths().some((worktree) => worktree.startsWith(copy.root)));
      assert.deepEqual(await copy.changes(), [], 'nothing changed yet');
      assert.equal(gitIn(copy.root, 'status', '--porcelain', '--', 'src/keep.ts'), '', 'the index is the commit the copy started from');
    });

    it('reports what the copy changed: modified, created and deleted, sorted; the workspace is untouched', async () => {
      const copy = await new NodeIsolatedCopies(workspace, base).create('run-1', 'a');
      const results = await copy.workspace.writeAll([
        { path: 'src/keep.ts', text: 'export const keep = 2;\n' },
        { path: 'c/new-file.ts', text: 'created\n' },
        { path: 'new.txt', text: undefined },
      ]);
      assert.ok(results.every((result) => result.ok), JSON.stringify(results));
      writeFiles(copy.root, { 'dist/ignored.js': 'build output\n' });
      assert.deepEqual(await copy.changes(), [
        { path: 'c/new-file.ts', text: 'created\n' },
        { path: 'new.txt', text: undefined },
        { path: 'src/keep.ts', text: 'export const keep = 2;\n' },
      ]);
      assert.equal(read(path.join(workspace, 'src/keep.ts')), 'export const keep = 1;\n');
      assert.equal(read(path.join(workspace, 'new.txt')), 'untracked\n');
    });

    it('keeps an executable script executable', async () => {
      writeFiles(workspace, { 'check.sh': '#!/bin/sh\nexit 0\n' });
      chmodSync(path.join(workspace, 'check.sh'), 0o755);
      const copy = await new NodeIsolatedCopies(workspace, base).create('run-1', 'a');
      assert.equal(statSync(path.join(copy.root, 'check.sh')).mode & 0o111, 0o111);
    });

    it('makes and removes eight copies at once, each on its own branch, leaving nothing', async () => {
      const copies = new NodeIsolatedCopies(workspace, base);
      const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
      const made = await Promise.all(labels.map((label) => copies.create('run-1', label)));
      assert.deepEqual(made.map((copy) => copy.branch).sort(), labels.map((label) => `dual-model/run-1/${label}`));
      await Promise.all(made.map((copy) => copy.remove()));
      assert.ok(!branches().some((name) => name.startsWith('dual-model/')), branches().join(', '));
      assert.deepEqual(worktreePaths(), [await realWorkspace()]);
    });

    it('two copies at once do not see each other\'s writes', async () => {
      const copies = new NodeIsolatedCopies(workspace, base);
      const [first, second] = await Promise.all([copies.create('run-1', 'a'), copies.create('run-1', 'b')]);
      await first.workspace.writeAll([{ path: 'a.txt', text: 'first\n' }]);
      await second.workspace.writeAll([{ path: 'only-b.txt', text: 'second\n' }]);
      assert.equal(read(path.join(second.root, 'a.txt')), 'modified a\n');
      assert.equal(existsSync(path.join(first.root, 'only-b.txt')), false);
      assert.deepEqual(await first.changes(), [{ path: 'a.txt', text: 'first\n' }]);
      assert.deepEqual(await second.changes(), [{ path: 'only-b.txt', text: 'second\n' }]);
    });

    it('remove() takes the folder, the worktree registration and the branch, and is safe to call twice', async () => {
      const copy = await new NodeIsolatedCopies(workspace, base).create('run-1', 'a');
      await copy.remove();
      assert.equal(existsSync(copy.root), false);
      assert.ok(!branches().includes('dual-model/run-1/a'));
      assert.deepEqual(worktreePaths(), [await realWorkspace()]);
      await copy.remove();
      assert.equal(read(path.join(workspace, 'a.txt')), 'modified a\n', 'the workspace is untouched');
    });

    it('takes a free branch name when its own is taken, and leaves that branch alone', async () => {
      gitIn(workspace, 'branch', 'dual-model/run-1/a');
      const copy = await new NodeIsolatedCopies(workspace, base).create('run-1', 'a');
      assert.equal(copy.branch, 'dual-model/run-1/a-2');
      await copy.remove();
      assert.ok(branches().includes('dual-model/run-1/a'), 'the branch that was there stays');
    });

    it('refuses a second copy with the same label, and keeps the first', async () => {
      const copies = new NodeIsolatedCopies(workspace, base);
      const copy = await copies.create('run-1', 'a');
      await assert.rejects(copies.create('run-1', 'a'), /already has a copy labelled a/);
      assert.equal(read(path.join(copy.root, 'a.txt')), 'modified a\n');
    });

    it('a failure says what git said and leaves no half copy, registration or branch', async () => {
      // A file where git keeps its worktrees' records: `worktree add` cannot register the copy.
      writeFileSync(path.join(workspace, '.git', 'worktrees'), 'in the way');
      await assert.rejects(new NodeIsolatedCopies(workspace, base).create('run-1', 'a'), /could not make copy a of run run-1: git worktree add failed: .+/);
      assert.ok(!branches().some((name) => name.startsWith('dual-model/')), `no branch left: ${branches().join(', ')}`);
      assert.deepEqual(readdirDeep(base).filter((entry) => entry.includes(path.sep)), [], 'nothing left but the workspace\'s own (empty) folder');
    });

    it('a failure once the worktree is registered removes it and its branch too', async () => {
      // A corrupt index: `worktree add` still works, listing the workspace's files then fails.
      writeFileSync(path.join(workspace, '.git', 'index'), 'not an index');
      await assert.rejects(new NodeIsolatedCopies(workspace, base).create('run-1', 'a'), /could not make copy a of run run-1: git ls-files -z failed: .*index/);
      assert.ok(!branches().some((name) => name.startsWith('dual-model/')), `no branch left: ${branches().join(', ')}`);
      assert.deepEqual(worktreePaths(), [await realWorkspace()]);
      assert.deepEqual(readdirDeep(base).filter((entry) => entry.includes(path.sep)), []);
    });

    it('a cancelled creation stops, says so, and leaves nothing', async () => {
      const cancel = new AbortController();
      cancel.abort(new Error('the user stopped the run'));
      await assert.rejects(new NodeIsolatedCopies(workspace, base).create('run-1', 'a', cancel.signal), /could not make copy a of run run-1: the user stopped the run/);
      assert.deepEqual(readdirDeep(base).filter((entry) => entry.includes(path.sep)), []);
      assert.ok(!branches().some((name) => name.startsWith('dual-model/')));
    });

    it('refuses a run id or label that is not a plain name, before touching anything', async () => {
      const copies = new NodeIsolatedCopies(workspace, base);
      for (const [runId, label] of [['..', 'a'], ['run-1', '..'], ['run/1', 'a'], ['run-1', 'a/b'], ['run-1', 'a\0b'], ['run-1', ''], ['run-1', '../../escape']]) {
        await assert.rejects(copies.create(runId ?? '', label ?? ''), /cannot name a copy/, `${JSON.stringify(runId)} / ${JSON.stringify(label)}`);
      }
      await assert.rejects(copies.existing('../x'), /cannot name a copy/);
      assert.ok(!branches().some((name) => name.startsWith('dual-model/')));
    });

    it('refuses a copies\' folder inside the workspace', async () => {
      await assert.rejects(new NodeIsolatedCopies(workspace, path.join(workspace, 'copies')).create('run-1', 'a'), /inside the workspace/);
    });

    it('after a reload, a new instance finds a run\'s copies and sweeps the runs not kept, crash leftovers included', async () => {
      const before = new NodeIsolatedCopies(workspace, base);
      const kept = await before.create('run-1', 'a');
      await before.create('run-1', 'b');
      const dropped = await before.create('run-2', 'a');
      await kept.workspace.writeAll([{ path: 'a.txt', text: 'kept work\n' }]);
      // What a crash leaves: a folder with no record, and a branch with no folder.
      writeFiles(path.resolve(dropped.root, '..', '..', '..'), { 'run-3/a/tree/half.txt': 'half\n' });
      gitIn(workspace, 'branch', 'dual-model/run-4/a');

      const after = new NodeIsolatedCopies(workspace, base);
      const found = await after.existing('run-1');
      assert.deepEqual(found.map((copy) => [copy.label, copy.kind, copy.branch]), [['a', 'worktree', 'dual-model/run-1/a'], ['b', 'worktree', 'dual-model/run-1/b']]);
      assert.deepEqual(await found[0]?.changes(), [{ path: 'a.txt', text: 'kept work\n' }]);
      assert.deepEqual(await after.existing('run-9'), []);

      assert.deepEqual(await after.sweep(new Set(['run-1'])), ['run-2', 'run-3', 'run-4']);
      assert.equal(existsSync(dropped.root), false);
      assert.deepEqual(branches().filter((name) => name.startsWith('dual-model/')).sort(), ['dual-model/run-1/a', 'dual-model/run-1/b']);
      assert.equal(worktreePaths().length, 3, 'the workspace and run-1\'s two copies');
      assert.equal(read(path.join(kept.root, 'a.txt')), 'kept work\n', 'a kept run\'s copy is untouched');
      assert.deepEqual(await after.sweep(new Set(['run-1'])), [], 'nothing left to sweep');
    });

    it('in a subfolder of a repository: a worktree of the repository, the copy at the same subpath', async () => {
      writeFiles(workspace, { 'packages/app/index.ts': 'export {};\n', 'tsconfig.base.json': '{}\n' });
      const app = path.join(workspace, 'packages', 'app');
      const copy = await new NodeIsolatedCopies(app, base).create('run-1', 'a');
      assert.equal(copy.kind, 'worktree');
      assert.ok(copy.root.endsWith(path.join('tree', 'packages', 'app')), copy.root);
      assert.equal(read(path.join(copy.root, 'index.ts')), 'export {};\n');
      assert.equal(read(path.join(copy.root, '..', '..', 'tsconfig.base.json')), '{}\n', 'the rest of the repository is there for the verification');
      await copy.workspace.writeAll([{ path: 'index.ts', text: 'export const x = 1;\n' }]);
      writeFiles(path.join(copy.root, '..', '..'), { 'outside-the-workspace.txt': 'not reported\n' });
      assert.deepEqual(await copy.changes(), [{ path: 'index.ts', text: 'export const x = 1;\n' }]);
      await copy.remove();
      assert.ok(!branches().includes('dual-model/run-1/a'));
    });

    it('in a folder the repository ignores (a scratch folder, a build output): a plain copy of that folder, as if no repository were there', async () => {
      // The browser journeys open their workspace under the repository's ignored .test-output/.
      writeFiles(workspace, { 'dist/scratch/src/app.js': 'app\n' });
      const scratchFolder = path.join(workspace, 'dist', 'scratch');
      const copy = await new NodeIsolatedCopies(scratchFolder, base).create('run-1', 'a');
      assert.equal(copy.kind, 'copy');
      assert.equal(read(path.join(copy.root, 'src/app.js')), 'app\n');
      await copy.workspace.writeAll([{ path: 'src/app.js', text: 'changed\n' }]);
      assert.deepEqual(await copy.changes(), [{ path: 'src/app.js', text: 'changed\n' }]);
      await copy.remove();
      assert.deepEqual(branches().filter((name) => name.startsWith('dual-model/')), [], 'no branch made in the repository around it');
    });

    const realWorkspace = (): Promise<string> => realpath(workspace);
  });

  describe('in a folder that is no git repository', () => {
    beforeEach(() => {
      writeFiles(workspace, {
        'a.txt': 'a\n',
        'src/b.ts': 'b\n',
        'dist/out.js': 'built\n',
        'node_modules/pkg/index.js': 'module.exports = 42;\n',
        '.dual-model/brain/run-1/run.json': '{}\n',
      });
    });

    it('makes a plain copy: every file but the skipped folders, dependencies linked', async () => {
      const copy = await new NodeIsolatedCopies(workspace, base, { skip: ['dist'] }).create('run-1', 'a');
      assert.equal(copy.kind, 'copy');
      assert.equal(copy.branch, undefined);
      assert.equal(read(path.join(copy.root, 'src/b.ts')), 'b\n');
      assert.equal(existsSync(path.join(copy.root, 'dist')), false, 'a folder the caller named is skipped');
      assert.equal(existsSync(path.join(copy.root, '.dual-model')), false, 'the run records are not copied');
      assert.ok(lstatSync(path.join(copy.root, 'node_modules')).isSymbolicLink());
      assert.deepEqual(await copy.changes(), []);
    });

    it('reports modified, created and deleted files, not the links or skipped folders', async () => {
      const copy = await new NodeIsolatedCopies(workspace, base, { skip: ['dist'] }).create('run-1', 'a');
      await copy.workspace.writeAll([
        { path: 'a.txt', text: 'changed\n' },
        { path: 'src/c.ts', text: 'c\n' },
        { path: 'src/b.ts', text: undefined },
      ]);
      writeFiles(copy.root, { 'dist/new.js': 'built again\n' });
      assert.deepEqual(await copy.changes(), [
        { path: 'a.txt', text: 'changed\n' },
        { path: 'src/b.ts', text: undefined },
        { path: 'src/c.ts', text: 'c\n' },
      ]);
    });

    it('removes itself, twice safely; existing() and sweep() work the same', async () => {
      const copies = new NodeIsolatedCopies(workspace, base);
      const copy = await copies.create('run-1', 'a');
      await copies.create('run-2', 'a');
      assert.deepEqual((await new NodeIsolatedCopies(workspace, base).existing('run-1')).map((found) => found.root), [copy.root]);
      await copy.remove();
      await copy.remove();
      assert.equal(existsSync(copy.root), false);
      assert.deepEqual(await new NodeIsolatedCopies(workspace, base).sweep(new Set()), ['run-2']);
      assert.equal(read(path.join(workspace, 'a.txt')), 'a\n');
    });

    it('copies a link as a link, with the same target', async () => {
      symlinkSync('a.txt', path.join(workspace, 'link-to-a'));
      const copy = await new NodeIsolatedCopies(workspace, base).create('run-1', 'a');
      assert.equal(readlinkSync(path.join(copy.root, 'link-to-a')), 'a.txt');
      assert.equal(read(path.join(copy.root, 'link-to-a')), 'a\n');
    });
  });
});

function readdirDeep(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder, { recursive: true }).map(String) : [];
}
