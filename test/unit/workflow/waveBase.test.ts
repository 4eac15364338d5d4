// The base of a wave's merge, read from real folders: the named paths as the workspace had them
// when the wave began, and any other changed path from a copy that left it alone (never from a
// copy that changed it under another spelling). What cannot be known is left out, and the merge
// then calls it a conflict.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readWaveBase, snapshotPaths } from '../../../src/core/workflow/waveBase.js';
import { NodeWorkspaceFiles } from '../../../src/node/nodeWorkspaceFiles.js';

describe("the base of a wave's merge", () => {
  let base: string;
  let workspace: NodeWorkspaceFiles;
  const folder = async (name: string, files: Record<string, string>): Promise<NodeWorkspaceFiles> => {
    const root = path.join(base, name);
    await fs.mkdir(root, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await fs.writeFile(path.join(root, file), text);
    }
    return new NodeWorkspaceFiles(root);
  };

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-wavebase-'));
    workspace = await folder('ws', { 'a.ts': 'a0\n', 'src/b.ts': 'b0\n', 'u.ts': 'u0\n' });
  });
  afterEach(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('snapshots the named paths as they are, an absent one as absent, and leaves out what cannot be read as a file', async () => {
    const snapshot = await snapshotPaths(workspace, ['a.ts', 'new.ts', 'src/', '../outside.ts']);
    assert.deepEqual([...snapshot], [['a.ts', 'a0\n'], ['new.ts', undefined]]);
  });

  it('reads an unnamed changed path from a copy that left it alone', async () => {
    const one = await folder('one', { 'a.ts': 'a1\n', 'u.ts': 'u1\n' });
    const two = await folder('two', { 'a.ts': 'a0\n', 'u.ts': 'u0\n' });
    const found = await readWaveBase(new Map([['a.ts', 'a0\n']]), [
      { label: 'spec-1', workspace: one, changes: [{ path: 'a.ts', text: 'a1\n' }, { path: 'u.ts', text: 'u1\n' }] },
      { label: 'spec-2', workspace: two, changes: [] },
    ]);
    assert.deepEqual([...found].sort(), [['a.ts', 'a0\n'], ['u.ts', 'u0\n']]);
  });

  it('never reads the base from a copy that changed the path under another spelling', async () => {
    const one = await folder('one', { 'U.ts': 'u1\n' });
    const two = await folder('two', { 'u.ts': 'u2\n' });
    const found = await readWaveBase(new Map(), [
      { label: 'spec-1', workspace: one, changes: [{ path: 'U.ts', text: 'u1\n' }] },
      { label: 'spec-2', workspace: two, changes: [{ path: 'u.ts', text: 'u2\n' }] },
    ]);
    assert.deepEqual([...found], [], 'unknown, so the merge will call it a conflict');
  });
});
