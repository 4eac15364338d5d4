// Hostile symbolic links in every position of a path the Coder names, against real files and
// real links: nothing outside the workspace is read, listed, searched, written or deleted, and
// each refusal is recorded for the report. The plain-Node adapter refuses on its own too.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolOutcome } from '../../../src/core/coder/coderTools.js';
import type { CoderToolbox } from '../../../src/core/coder/coderTools.js';
import { NodeWorkspaceFiles } from '../../../src/node/nodeWorkspaceFiles.js';
import { filesOnlyToolbox } from '../../support/toolbox.js';

describe('symbolic links cannot carry the Coder out of the workspace', () => {
  let base: string;
  let root: string;
  let outside: string;
  let workspace: NodeWorkspaceFiles;
  let toolbox: CoderToolbox;

  /** One tool call as a turn of its own, so it is applied before the next is checked. */
  async function call(name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
    const [result] = await toolbox.executeTurn([{ name, input }]);
    assert.ok(result);
    return result.outcome;
  }

  const inRoot = (file: string): string => path.join(root, ...file.split('/'));
  const exists = (file: string): Promise<boolean> => fs.lstat(file).then(() => true, () => false);

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-links-'));
    root = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    await fs.mkdir(path.join(root, 'src'), { recursive: true });
    await fs.mkdir(path.join(outside, 'sub'), { recursive: true });
    await fs.writeFile(path.join(outside, 'secret.txt'), 'TOP SECRET outside\n');
    await fs.writeFile(path.join(outside, 'sub', 'deep.txt'), 'TOP SECRET deep\n');
    await fs.writeFile(inRoot('src/a.js'), 'const a = 1;\n');
    // A file link, a folder link and a folder link used in the middle of a path, all leading out.
    await fs.symlink(path.join(outside, 'secret.txt'), inRoot('src/file-link.txt'));
    await fs.symlink(outside, inRoot('folder-link'));
    await fs.symlink(path.join(outside, 'sub'), inRoot('src/middle'));
    // Dangling links: their targets do not exist yet, outside and inside.
    await fs.symlink(path.join(outside, 'planted.txt'), inRoot('src/dangling-out.txt'));
    await fs.symlink(path.join(outside, 'no-such-folder'), inRoot('src/dangling-folder'));
    await fs.symlink('created.js', inRoot('src/dangling-in.js'));
    // A chain of relative links that ends outside, a loop, and a link that stays inside.
    await fs.symlink('chain-2', inRoot('src/chain-1'));
    await fs.symlink('../../outside/chained.txt', inRoot('src/chain-2'));
    await fs.symlink('loop-b', inRoot('src/loop-a'));
    await fs.symlink('loop-a', inRoot('src/loop-b'));
    await fs.symlink('a.js', inRoot('src/alias.js'));
    workspace = new NodeWorkspaceFiles(root);
    toolbox = filesOnlyToolbox(workspace);
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  async function assertOutsideUntouched(): Promise<void> {
    assert.deepEqual((await fs.readdir(outside)).sort(), ['secret.txt', 'sub']);
    assert.deepEqual(await fs.readdir(path.join(outside, 'sub')), ['deep.txt']);
    assert.equal(await fs.readFile(path.join(outside, 'secret.txt'), 'utf8'), 'TOP SECRET outside\n');
  }

  const hostile: [string, string, Record<string, unknown>][] = [
    ['a file link to an outside file: read', 'read_file', { path: 'src/file-link.txt' }],
    ['a file link to an outside file: write', 'write_file', { path: 'src/file-link.txt', content: 'pwned' }],
    ['a file link to an outside file: edit', 'edit_file', { path: 'src/file-link.txt', old_text: 'TOP', new_text: 'pwned' }],
    ['a file link to an outside file: delete', 'delete_file', { path: 'src/file-link.txt' }],
    ['a folder link to an outside folder: read', 'read_file', { path: 'folder-link/secret.txt' }],
    ['a folder link to an outside folder: list', 'list_directory', { path: 'folder-link' }],
    ['a folder link to an outside folder: write', 'write_file', { path: 'folder-link/new.txt', content: 'pwned' }],
    ['a link in the middle of a path: read', 'read_file', { path: 'src/middle/deep.txt' }],
    ['a link in the middle of a path: write', 'write_file', { path: 'src/middle/new/x.txt', content: 'pwned' }],
    ['a dangling link to an outside file: read', 'read_file', { path: 'src/dangling-out.txt' }],
    ['a dangling link to an outside file: write', 'write_file', { path: 'src/dangling-out.txt', content: 'pwned' }],
    ['a dangling link to an outside file: edit', 'edit_file', { path: 'src/dangling-out.txt', old_text: 'x', new_text: 'pwned' }],
    ['a dangling link to an outside file: delete', 'delete_file', { path: 'src/dangling-out.txt' }],
    ['a dangling link to an outside folder: write below it', 'write_file', { path: 'src/dangling-folder/x.txt', content: 'pwned' }],
    ['a chain of links ending outside: write', 'write_file', { path: 'src/chain-1', content: 'pwned' }],
    ['a chain of links ending outside: read', 'read_file', { path: 'src/chain-1' }],
    ['a search started in a folder link', 'search', { text: 'SECRET', path: 'folder-link' }],
  ];
  for (const [what, name, input] of hostile) {
    it(`refuses ${what}, says why, and records it`, async () => {
      const outcome = await call(name, input);
      assert.equal(outcome.isError, true, outcome.output);
      assert.match(outcome.output, /^Refused: .*leads outside the workspace through a symbolic link/);
      assert.doesNotMatch(outcome.output, /SECRET/);
      assert.equal(toolbox.refusals.length, 1);
      assert.match(toolbox.refusals[0] ?? '', /leads outside the workspace/);
      await assertOutsideUntouched();
      assert.equal(toolbox.originals.size, 0, 'a refused change is no part of the pass');
    });
  }

  it('refuses a link loop by name, for a read and a write', async () => {
    for (const [name, input] of [
      ['read_file', { path: 'src/loop-a' }],
      ['write_file', { path: 'src/loop-a', content: 'x' }],
      ['write_file', { path: 'src/loop-b/x.txt', content: 'x' }],
    ] as const) {
      const outcome = await call(name, input);
      assert.equal(outcome.isError, true);
      assert.match(outcome.output, /^Refused: .*symbolic links .*loop/);
    }
    assert.equal(toolbox.refusals.length, 3);
  });

  for (const climbing of ['a/../../x', 'a/./../../x', 'a\\..\\..\\x', 'src/../src/a.js', 'src/a.js/..', '..']) {
    it(`refuses the path ${JSON.stringify(climbing)}, as ".." after a link is not where it looks`, async () => {
      const outcome = await call('write_file', { path: climbing, content: 'pwned' });
      assert.match(outcome.output, /^Refused: .*"\.\."/);
      assert.equal(await fs.readFile(inRoot('src/a.js'), 'utf8'), 'const a = 1;\n');
      assert.equal(await exists(path.join(base, 'x')), false);
    });
  }

  it('follows a link that stays inside: reads and writes reach its target', async () => {
    assert.equal((await call('read_file', { path: 'src/alias.js' })).output, 'const a = 1;\n');
    assert.equal((await call('write_file', { path: 'src/alias.js', content: 'const a = 2;\n' })).isError, false);
    assert.equal(await fs.readFile(inRoot('src/a.js'), 'utf8'), 'const a = 2;\n');
    assert.equal((await fs.lstat(inRoot('src/alias.js'))).isSymbolicLink(), true, 'the link is still a link');
    assert.deepEqual(toolbox.refusals, []);
  });

  it('lets a write through a dangling link that stays inside create its target inside', async () => {
    const outcome = await call('write_file', { path: 'src/dangling-in.js', content: 'created\n' });
    assert.equal(outcome.isError, false, outcome.output);
    assert.equal(await fs.readFile(inRoot('src/created.js'), 'utf8'), 'created\n');
    assert.deepEqual(toolbox.refusals, []);
    await assertOutsideUntouched();
  });

  it('a search never returns the text of a linked file or folder outside, and says what it skipped', async () => {
    await fs.writeFile(inRoot('src/inside.txt'), 'SECRET? no, just a word inside\n');
    const outcome = await call('search', { text: 'SECRET' });
    assert.equal(outcome.isError, false);
    assert.doesNotMatch(outcome.output, /TOP SECRET/);
    assert.match(outcome.output, /^src\/inside\.txt:1: SECRET\? no/m);
    assert.ok(toolbox.refusals.some((refusal) => /src\/file-link\.txt.*leads outside/.test(refusal)), toolbox.refusals.join('\n'));
  });

  describe('the plain-Node adapter refuses on its own, for a caller that forgot to confine', () => {
    it('does not write, create or delete through a link that leads out', async () => {
      const changes = ['src/dangling-out.txt', 'src/file-link.txt', 'folder-link/new.txt', 'src/middle/x.txt', 'src/chain-1', 'src/dangling-folder/x.txt'].map((file) => ({ path: file, text: 'pwned' }));
      const results = await workspace.writeAll([...changes, { path: 'src/file-link.txt', text: undefined }, { path: 'src/fine.txt', text: 'fine' }]);
      assert.deepEqual(
        results.map((result) => (result.ok ? 'ok' : result.reason)),
        [...changes.map((change) => `${change.path} leads outside the workspace through a symbolic link`), 'src/file-link.txt leads outside the workspace through a symbolic link', 'ok'],
      );
      assert.equal(await fs.readFile(inRoot('src/fine.txt'), 'utf8'), 'fine');
      await assertOutsideUntouched();
      assert.equal(await exists(inRoot('src/file-link.txt')), true);
    });

    it('does not read or list through a link that leads out', async () => {
      await assert.rejects(workspace.read('src/file-link.txt'), /leads outside the workspace/);
      await assert.rejects(workspace.read('src/middle/deep.txt'), /leads outside the workspace/);
      await assert.rejects(workspace.list('folder-link'), /leads outside the workspace/);
    });
  });
});
