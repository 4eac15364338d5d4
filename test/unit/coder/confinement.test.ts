import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolOutcome } from '../../../src/core/coder/coderTools.js';
import { CoderToolbox } from '../../../src/core/coder/coderTools.js';
import { confine, guardedPatterns, isGuarded, normaliseRelativePath } from '../../../src/core/coder/confinement.js';
import type { VerificationRunner } from '../../../src/core/ports.js';
import { NodeWorkspaceFiles } from '../../../src/node/nodeWorkspaceFiles.js';
import { filesOnlyToolbox } from '../../support/toolbox.js';

/** One tool call as a turn of its own, so each is applied before the next is checked. */
async function execute(toolbox: CoderToolbox, name: string, input: Record<string, unknown>): Promise<ToolOutcome> {
  const [result] = await toolbox.executeTurn([{ name, input }]);
  assert.ok(result);
  return result.outcome;
}

describe('the Coder is confined to the workspace', () => {
  let base: string;
  let root: string;
  let outside: string;
  let workspace: NodeWorkspaceFiles;
  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-confine-'));
    root = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    await fs.mkdir(path.join(root, 'src'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.writeFile(path.join(root, 'src', 'a.js'), 'a');
    await fs.symlink(outside, path.join(root, 'escape'));
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'src', 'link.txt'));
    workspace = new NodeWorkspaceFiles(root);
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  it('normalises harmless spellings', () => {
    assert.deepEqual(normaliseRelativePath('./src//a.js'), { ok: true, relativePath: 'src/a.js' });
    assert.deepEqual(normaliseRelativePath('src\\a.js'), { ok: true, relativePath: 'src/a.js' });
    assert.deepEqual(normaliseRelativePath('`src/a.js`'), { ok: true, relativePath: 'src/a.js' });
  });

  for (const hostile of ['../outside/secret.txt', 'src/../../outside/secret.txt', '/etc/passwd', 'C:\\Windows\\win.ini', '~/.ssh/id_rsa', '', 'a\0b']) {
    it(`refuses ${JSON.stringify(hostile)}`, async () => {
      const result = await confine(workspace, hostile);
      assert.equal(result.ok, false);
    });
  }

  it('refuses a symlinked folder or file that leads out, also for files not yet created', async () => {
    for (const hostile of ['escape/secret.txt', 'escape/new-file.txt', 'src/link.txt', 'escape']) {
      const result = await confine(workspace, hostile);
      assert.equal(result.ok, false, hostile);
      if (!result.ok) assert.match(result.reason, /symbolic link/);
    }
    assert.deepEqual(await confine(workspace, 'src/new/deep/file.js'), { ok: true, relativePath: 'src/new/deep/file.js' });
  });

  it('reads guardrailed paths from the spec and matches files, folders and globs', () => {
    const patterns = guardedPatterns(['modify `test/index.test.js` or `package.json`', 'anything in `vendor/`', 'no `*.lock` files in `config/*.json`', 'avoid `eval` and `any`']);
    assert.deepEqual(patterns, ['test/index.test.js', 'package.json', 'vendor/', '*.lock', 'config/*.json']);
    assert.equal(isGuarded('package.json', patterns), 'package.json');
    assert.equal(isGuarded('vendor/lib/x.js', patterns), 'vendor/');
    assert.equal(isGuarded('config/app.json', patterns), 'config/*.json');
    assert.equal(isGuarded('config/deep/app.json', patterns), undefined);
    assert.equal(isGuarded('src/index.js', patterns), undefined);
  });

  it('the toolbox refuses hostile and guardrailed writes, records them, and touches nothing', async () => {
    const never: VerificationRunner = { run: () => Promise.reject(new Error('must not run')) };
    const toolbox = filesOnlyToolbox(workspace, { verifier: never, guarded: ['package.json'] });
    await fs.writeFile(path.join(root, 'package.json'), '{}');
    const attempts: [string, Record<string, unknown>][] = [
      ['write_file', { path: '../outside/secret.txt', content: 'pwned' }],
      ['write_file', { path: 'escape/secret.txt', content: 'pwned' }],
      ['edit_file', { path: 'src/link.txt', old_text: 'secret', new_text: 'pwned' }],
      ['write_file', { path: path.join(outside, 'secret.txt'), content: 'pwned' }],
      ['delete_file', { path: 'package.json' }],
      ['write_file', { path: 'package.json', content: 'pwned' }],
      ['read_file', { path: '../outside/secret.txt' }],
    ];
    for (const [name, input] of attempts) {
      const outcome = await execute(toolbox, name, input);
      assert.equal(outcome.isError, true, `${name} ${JSON.stringify(input)}`);
      assert.match(outcome.output, /^Refused/);
    }
    assert.equal(toolbox.refusals.length, attempts.length);
    assert.equal(await fs.readFile(path.join(outside, 'secret.txt'), 'utf8'), 'secret');
    assert.equal(await fs.readFile(path.join(root, 'package.json'), 'utf8'), '{}');
    assert.equal(toolbox.originals.size, 0);
  });

  it('edits exact strings once, keeps the original, and explains a miss', async () => {
    const originals = new Map<string, string | undefined>();
    let remembered = 0;
    const toolbox = new CoderToolbox({
      workspace,
      verifier: { run: () => Promise.reject(new Error('unused')) },
      guarded: [],
      approvedCommand: 'true',
      timeoutMs: 1000,
      maxVerificationRuns: 1,
      originals,
      rememberOriginals: async () => {
        remembered += 1;
      },
      signal: new AbortController().signal,
    });
    await fs.writeFile(path.join(root, 'src', 'b.js'), 'one two two\n');
    assert.match((await execute(toolbox, 'edit_file', { path: 'src/b.js', old_text: 'two', new_text: '2' })).output, /more than once/);
    assert.match((await execute(toolbox, 'edit_file', { path: 'src/b.js', old_text: 'three', new_text: '3' })).output, /not found/);
    assert.equal((await execute(toolbox, 'edit_file', { path: 'src/b.js', old_text: 'one', new_text: '1' })).isError, false);
    assert.equal((await execute(toolbox, 'write_file', { path: 'src/new.js', content: 'x' })).isError, false);
    assert.equal(await fs.readFile(path.join(root, 'src', 'b.js'), 'utf8'), '1 two two\n');
    assert.deepEqual([...originals.entries()], [['src/b.js', 'one two two\n'], ['src/new.js', undefined]]);
    assert.equal(remembered, 2);
    assert.equal((await execute(toolbox, 'write_file', { path: 'src/new.js' })).isError, true, 'content is required');
    assert.match((await execute(toolbox, 'rm_rf', {})).output, /Unknown tool/);
  });
});
