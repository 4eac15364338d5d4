// Files inside the workspace that change what runs or where keys go (.vscode/, .git/,
// .devcontainer/) and the run's own state (the artifacts root) are the Coder's only where the
// spec names the exact path. Real files and links in a temporary workspace.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolOutcome } from '../../../src/core/coder/coderTools.js';
import type { CoderToolbox } from '../../../src/core/coder/coderTools.js';
import { coderSystemPrompt } from '../../../src/core/prompts/prompts.js';
import { NodeWorkspaceFiles } from '../../../src/node/nodeWorkspaceFiles.js';
import { filesOnlyToolbox } from '../../support/toolbox.js';

describe('the Coder cannot change what runs or where keys go', () => {
  let root: string;

  const inRoot = (file: string): string => path.join(root, ...file.split('/'));
  const contentOf = (file: string): Promise<string | undefined> => fs.readFile(inRoot(file), 'utf8').catch(() => undefined);

  function toolbox(options: { namedInSpec?: string[]; artifactsRoot?: string } = {}): CoderToolbox {
    return filesOnlyToolbox(new NodeWorkspaceFiles(root), { protectedPaths: { artifactsRoot: options.artifactsRoot ?? '.dual-model', namedInSpec: options.namedInSpec ?? [] } });
  }

  async function call(coder: CoderToolbox, name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
    const [result] = await coder.executeTurn([{ name, input }]);
    assert.ok(result);
    return result.outcome;
  }

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-protected-'));
    for (const [file, text] of [
      ['.vscode/settings.json', '{}\n'],
      ['.vscode/tasks.json', '{}\n'],
      ['.git/config', '[core]\n'],
      ['.git/hooks/pre-commit.sample', '#!/bin/sh\n'],
      ['src/.git/config', '[core]\n'],
      ['.devcontainer/devcontainer.json', '{}\n'],
      ['.dual-model/brain/x/run.json', '{"phase":"approved"}\n'],
      ['src/a.js', 'const a = 1;\n'],
    ] as const) {
      await fs.mkdir(path.dirname(inRoot(file)), { recursive: true });
      await fs.writeFile(inRoot(file), text);
    }
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  const hostile = [
    '.vscode/settings.json',
    '.VSCODE/settings.json',
    '.vscode/tasks.json',
    '.vscode/launch.json',
    '.git/hooks/pre-commit',
    '.git/config',
    'src/.git/config',
    'src/.Git/hooks/post-checkout',
    '.devcontainer/devcontainer.json',
    '.dual-model/brain/x/run.json',
    '.Dual-Model/brain/x/run.json',
    '.git',
  ];
  for (const file of hostile) {
    it(`refuses to write, edit or delete ${file} when the spec does not name it, and says why`, async () => {
      const coder = toolbox();
      const before = await contentOf(file);
      for (const [name, input] of [
        ['write_file', { path: file, content: 'pwned' }],
        ['edit_file', { path: file, old_text: '{', new_text: 'pwned' }],
        ['delete_file', { path: file }],
      ] as const) {
        const outcome = await call(coder, name, input);
        assert.equal(outcome.isError, true, `${name}: ${outcome.output}`);
        assert.match(outcome.output, /^Refused: change .*(can change what runs on your machine or where your API keys are sent|the run's own state).*Files to Modify/, name);
      }
      assert.equal(coder.refusals.length, 3);
      assert.equal(await contentOf(file), before);
      assert.equal(coder.originals.size, 0);
    });
  }

  it('a spec naming .git/hooks/pre-commit lets the Coder write that one path and no other', async () => {
    const coder = toolbox({ namedInSpec: ['.git/hooks/pre-commit', 'src/a.js'] });
    assert.equal((await call(coder, 'write_file', { path: '.git/hooks/pre-commit', content: '#!/bin/sh\nnpm test\n' })).isError, false);
    assert.equal(await contentOf('.git/hooks/pre-commit'), '#!/bin/sh\nnpm test\n');
    for (const other of ['.git/hooks/pre-push', '.git/config', '.git/hooks/pre-commit.sample', 'sub/.git/hooks/pre-commit', '.GIT/hooks/pre-commit']) {
      const outcome = await call(coder, 'write_file', { path: other, content: 'pwned' });
      assert.match(outcome.output, /^Refused: .*\.git\//i, other);
    }
    assert.equal(coder.refusals.length, 5);
  });

  it('refuses a protected path reached through a link, even one the spec names under another name', async () => {
    await fs.symlink('.vscode', inRoot('settings-link'));
    await fs.symlink('../.git/hooks/pre-commit', inRoot('src/hook.sh'));
    const coder = toolbox({ namedInSpec: ['src/hook.sh', 'settings-link/settings.json'] });
    for (const file of ['settings-link/settings.json', 'src/hook.sh']) {
      const outcome = await call(coder, 'write_file', { path: file, content: 'pwned' });
      assert.match(outcome.output, /^Refused: .*(\.vscode|\.git)\//, file);
    }
    assert.equal(await contentOf('.vscode/settings.json'), '{}\n');
    assert.equal(await contentOf('.git/hooks/pre-commit'), undefined);
  });

  it('may read .vscode/ and .git/, but not the run state in the artifacts root', async () => {
    const coder = toolbox();
    assert.equal((await call(coder, 'read_file', { path: '.vscode/settings.json' })).output, '{}\n');
    assert.equal((await call(coder, 'read_file', { path: '.git/config' })).output, '[core]\n');
    for (const [name, input] of [
      ['read_file', { path: '.dual-model/brain/x/run.json' }],
      ['list_directory', { path: '.dual-model/brain' }],
      ['search', { text: 'phase', path: '.dual-model' }],
    ] as const) {
      const outcome = await call(coder, name, input);
      assert.match(outcome.output, /^Refused: .*the run's own state/, name);
    }
  });

  it('protects an artifacts root set elsewhere in the workspace, and search skips it', async () => {
    await fs.mkdir(inRoot('build/dm-state/brain/y'), { recursive: true });
    await fs.writeFile(inRoot('build/dm-state/brain/y/run.json'), '{"phase":"coder-implement"}\n');
    const coder = toolbox({ artifactsRoot: 'build/dm-state' });
    assert.match((await call(coder, 'write_file', { path: 'BUILD/dm-state/brain/y/run.json', content: '{}' })).output, /^Refused: .*the run's own state/);
    assert.match((await call(coder, 'read_file', { path: 'build/dm-state/brain/y/run.json' })).output, /^Refused: .*the run's own state/);
    const search = await call(coder, 'search', { text: 'phase' });
    assert.doesNotMatch(search.output, /coder-implement/);
    assert.equal((await call(coder, 'write_file', { path: 'build/out.txt', content: 'fine' })).isError, false);
  });

  it('leaves ordinary files alone: a name that only looks like a protected folder is fine', async () => {
    const coder = toolbox();
    for (const file of ['src/git/config.js', 'docs/.vscode-notes.md', 'src/.gitignore', '.github/workflows/ci.yml']) {
      assert.equal((await call(coder, 'write_file', { path: file, content: 'x' })).isError, false, file);
    }
    assert.deepEqual(coder.refusals, []);
  });
});

describe("the Coder's instructions", () => {
  it('name the protected folders and the one way to change them', () => {
    const prompt = coderSystemPrompt('Coder');
    for (const folder of ['.vscode/', '.git/', '.devcontainer/', '.dual-model/']) assert.ok(prompt.includes(folder), folder);
    assert.match(prompt, /only if the spec names that exact path under Files to Modify/);
  });
});
