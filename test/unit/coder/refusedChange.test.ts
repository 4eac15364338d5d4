// One refused change must not lose the turn: the others land, each call hears its own result,
// and the refusal reaches the report. Real files; the port is the plain-Node adapter, or one
// that refuses a named path the way VS Code refuses an edit.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CoderToolbox } from '../../../src/core/coder/coderTools.js';
import type { FileChange, FileChangeResult, WorkspaceFiles } from '../../../src/core/ports.js';
import { NodeWorkspaceFiles } from '../../../src/node/nodeWorkspaceFiles.js';
import { filesOnlyToolbox } from '../../support/toolbox.js';

/** The workspace on disk, except that the editor refuses to change one path (as applyEdit can). */
class RefusingWorkspace extends NodeWorkspaceFiles {
  constructor(
    root: string,
    private readonly refused: string,
  ) {
    super(root);
  }

  override async writeAll(changes: readonly FileChange[]): Promise<FileChangeResult[]> {
    const results: FileChangeResult[] = [];
    for (const change of changes) {
      if (change.path === this.refused) {
        results.push({ path: change.path, ok: false, reason: `the editor refused to change ${change.path}` });
        continue;
      }
      results.push(...(await super.writeAll([change])));
    }
    return results;
  }
}

describe('a refused change does not lose the rest of the turn', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-refused-'));
    await fs.writeFile(path.join(root, 'README.md'), '# readme\n');
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  function toolboxOn(workspace: WorkspaceFiles): CoderToolbox {
    return filesOnlyToolbox(workspace);
  }

  it('the good writes land and say so; the refused one gets an error and goes into the refusals', async () => {
    const toolbox = toolboxOn(new RefusingWorkspace(root, 'src/bad.js'));
    const done = await toolbox.executeTurn([
      { name: 'write_file', input: { path: 'src/good.js', content: 'good\n' } },
      { name: 'write_file', input: { path: 'src/bad.js', content: 'bad\n' } },
      { name: 'edit_file', input: { path: 'README.md', old_text: 'readme', new_text: 'README' } },
    ]);
    assert.deepEqual(
      done.map(({ outcome }) => [outcome.isError, outcome.output]),
      [
        [false, 'Wrote src/good.js (5 characters).'],
        [true, 'Failed: the editor refused to change src/bad.js. src/bad.js is unchanged on disk.'],
        [false, 'Wrote README.md (9 characters).'],
      ],
    );
    assert.equal(await fs.readFile(path.join(root, 'src', 'good.js'), 'utf8'), 'good\n');
    assert.equal(await fs.readFile(path.join(root, 'README.md'), 'utf8'), '# README\n');
    await assert.rejects(fs.access(path.join(root, 'src', 'bad.js')));
    assert.deepEqual(toolbox.refusals, ['change src/bad.js: the editor refused to change src/bad.js']);
  });

  it('the plain-Node adapter reports a file it cannot create (its parent is a file) and writes the rest', async () => {
    const workspace = new NodeWorkspaceFiles(root);
    const results = await workspace.writeAll([
      { path: 'good.txt', text: 'good\n' },
      { path: 'README.md/x.txt', text: 'bad\n' },
      { path: 'after.txt', text: 'after\n' },
    ]);
    assert.deepEqual(results.map((result) => [result.path, result.ok]), [['good.txt', true], ['README.md/x.txt', false], ['after.txt', true]]);
    const refused = results[1];
    assert.ok(refused && !refused.ok);
    assert.match(refused.reason, /README\.md/);
    assert.equal(await fs.readFile(path.join(root, 'after.txt'), 'utf8'), 'after\n');
    assert.equal(await fs.readFile(path.join(root, 'README.md'), 'utf8'), '# readme\n');

    const toolbox = toolboxOn(workspace);
    const done = await toolbox.executeTurn([
      { name: 'write_file', input: { path: 'src/new.js', content: 'new\n' } },
      { name: 'write_file', input: { path: 'README.md/x.txt', content: 'bad\n' } },
    ]);
    assert.deepEqual(done.map(({ outcome }) => outcome.isError), [false, true]);
    assert.match(done[1]?.outcome.output ?? '', /^Failed: .*README\.md\/x\.txt is unchanged on disk\.$/);
    assert.equal(toolbox.refusals.length, 1);
  });
});
