// The file changes of one Coder turn are applied together: what reaches the WorkspaceFiles port,
// in what order, and what each call is told. Real files in a temporary folder; the port is
// wrapped to record (or fail) its writeAll calls.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolCall } from '../../../src/core/coder/coderTools.js';
import { CoderToolbox } from '../../../src/core/coder/coderTools.js';
import { runCoderLoop } from '../../../src/core/coder/toolLoop.js';
import type { ContentPart, ModelClient, ModelEvent } from '../../../src/core/models/modelClient.js';
import type { FileChange, FileChangeResult, VerificationRunner } from '../../../src/core/ports.js';
import { NodeWorkspaceFiles } from '../../../src/node/nodeWorkspaceFiles.js';

type ToolResult = Extract<ContentPart, { type: 'tool-result' }>;

/** What happened at the port, in order: originals saved, and each writeAll with its changes. */
type PortEvent = { type: 'remember'; originals: [string, string | undefined][] } | { type: 'writeAll'; changes: FileChange[] };

/** The workspace on disk, recording each writeAll; with `failAt`, a writeAll fails on that file, after writing the ones before it. */
class RecordingWorkspace extends NodeWorkspaceFiles {
  constructor(
    root: string,
    private readonly events: PortEvent[],
    private readonly failAt?: string,
  ) {
    super(root);
  }

  override async writeAll(changes: readonly FileChange[]): Promise<FileChangeResult[]> {
    this.events.push({ type: 'writeAll', changes: changes.map((change) => ({ ...change })) });
    for (const change of changes) {
      if (change.path === this.failAt) throw new Error('the disk is full');
      await super.applyOne(change);
    }
    return changes.map((change) => ({ path: change.path, ok: true }));
  }
}

/** A Coder that makes the given calls, one list per turn, then stops; ids are "turn.call". */
function scriptedCoder(turns: ToolCall[][]): { client: ModelClient; results: () => Map<string, ToolResult> } {
  let seen: ContentPart[][] = [];
  const client: ModelClient = {
    info: { provider: 'test', modelId: 'scripted-coder', displayName: 'Scripted Coder', isDemo: false },
    async *stream(request): AsyncIterable<ModelEvent> {
      seen = request.messages.filter((message) => message.role === 'user').map((message) => message.content);
      const turn = request.messages.filter((message) => message.role === 'assistant').length;
      for (const [index, call] of (turns[turn] ?? []).entries()) yield { type: 'tool-call', id: `${turn + 1}.${index + 1}`, name: call.name, input: call.input };
      yield { type: 'done', stopReason: turns[turn] ? 'tool-use' : 'end' };
    },
  };
  const results = (): Map<string, ToolResult> =>
    new Map(seen.flat().flatMap((part) => (part.type === 'tool-result' ? [[part.callId, part] as const] : [])));
  return { client, results };
}

describe("a Coder turn's file changes are applied together", () => {
  let base: string;
  let root: string;
  let events: PortEvent[];
  let verifier: VerificationRunner;
  /** What each verification found in src/b.js, to see that it ran after the changes before it. */
  let verifiedB: (string | undefined)[];

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-turn-'));
    root = path.join(base, 'ws');
    await fs.mkdir(path.join(root, 'src'), { recursive: true });
    await fs.mkdir(path.join(base, 'outside'));
    await fs.writeFile(path.join(root, 'src', 'index.js'), "module.exports = { a: 1 };\n");
    events = [];
    verifiedB = [];
    verifier = {
      run: async () => {
        verifiedB.push(await fs.readFile(path.join(root, 'src', 'b.js'), 'utf8').catch(() => undefined));
        return { exitCode: 0, output: 'ok', timedOut: false, durationMs: 1 };
      },
    };
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  async function runTurns(turns: ToolCall[][], options: { failAt?: string; rememberOriginals?: () => Promise<void> } = {}) {
    const workspace = new RecordingWorkspace(root, events, options.failAt);
    const originals = new Map<string, string | undefined>();
    const toolbox = new CoderToolbox({
      workspace,
      verifier,
      guarded: [],
      approvedCommand: 'node --test',
      timeoutMs: 1000,
      maxVerificationRuns: 5,
      originals,
      rememberOriginals:
        options.rememberOriginals ??
        (async (all) => {
          events.push({ type: 'remember', originals: [...all] });
        }),
      signal: new AbortController().signal,
    });
    const coder = scriptedCoder(turns);
    await runCoderLoop({
      client: coder.client,
      system: '',
      firstMessage: 'the spec',
      toolbox,
      thinking: 'none',
      maxTurns: turns.length + 1,
      maxOutputTokens: 1000,
      signal: new AbortController().signal,
      onText: () => undefined,
      onTool: () => undefined,
    });
    return { results: coder.results(), toolbox, originals };
  }

  const read = (file: string): Promise<string | undefined> => fs.readFile(path.join(root, file), 'utf8').catch(() => undefined);

  it('makes two creates and edits of the same turn one writeAll, an edit applying to the text written before it', async () => {
    const { results, originals } = await runTurns([
      [
        { name: 'write_file', input: { path: 'src/b.js', content: 'const b = 1;\n' } },
        { name: 'edit_file', input: { path: 'src/b.js', old_text: 'b = 1', new_text: 'b = 2' } },
        { name: 'write_file', input: { path: 'test/b.test.js', content: 'test\n' } },
        { name: 'edit_file', input: { path: 'src/index.js', old_text: 'a: 1', new_text: 'a: 1, b: 2' } },
      ],
    ]);
    assert.deepEqual(
      [...results.values()].map((result) => [result.callId, result.isError, result.output]),
      [
        ['1.1', false, 'Wrote src/b.js (13 characters).'],
        ['1.2', false, 'Wrote src/b.js (13 characters).'],
        ['1.3', false, 'Wrote test/b.test.js (5 characters).'],
        ['1.4', false, 'Wrote src/index.js (33 characters).'],
      ],
    );
    // One writeAll, one entry per file with its final content, and the originals saved before it.
    assert.deepEqual(events, [
      {
        type: 'remember',
        originals: [
          ['src/b.js', undefined],
          ['test/b.test.js', undefined],
          ['src/index.js', 'module.exports = { a: 1 };\n'],
        ],
      },
      {
        type: 'writeAll',
        changes: [
          { path: 'src/b.js', text: 'const b = 2;\n' },
          { path: 'test/b.test.js', text: 'test\n' },
          { path: 'src/index.js', text: 'module.exports = { a: 1, b: 2 };\n' },
        ],
      },
    ]);
    assert.equal(await read('src/b.js'), 'const b = 2;\n');
    assert.equal(await read('src/index.js'), 'module.exports = { a: 1, b: 2 };\n');
    assert.equal(originals.size, 3);
  });

  it('applies the changes before a read, a verification or a delete later in the turn sees them', async () => {
    const { results } = await runTurns([
      [
        { name: 'write_file', input: { path: 'src/a.js', content: 'first\n' } },
        { name: 'read_file', input: { path: 'src/a.js' } },
        { name: 'write_file', input: { path: 'src/b.js', content: 'b\n' } },
        { name: 'run_verification', input: {} },
        { name: 'write_file', input: { path: 'src/a.js', content: 'second\n' } },
        { name: 'delete_file', input: { path: 'src/b.js' } },
      ],
    ]);
    assert.equal(results.get('1.2')?.output, 'first\n', 'the read saw the write before it');
    assert.deepEqual(verifiedB, ['b\n'], 'the verification saw the write before it');
    assert.deepEqual(
      events.filter((event) => event.type === 'writeAll').map((event) => event.changes),
      [[{ path: 'src/a.js', text: 'first\n' }], [{ path: 'src/b.js', text: 'b\n' }], [{ path: 'src/a.js', text: 'second\n' }, { path: 'src/b.js', text: undefined }]],
    );
    assert.equal(await read('src/a.js'), 'second\n');
    assert.equal(await read('src/b.js'), undefined);
  });

  it('a call that fails its checks gets its own error, and the rest of its group is still applied', async () => {
    const { results, toolbox, originals } = await runTurns([
      [
        { name: 'write_file', input: { path: 'src/a.js', content: 'a\n' } },
        { name: 'edit_file', input: { path: 'src/index.js', old_text: 'no such text', new_text: 'x' } },
        { name: 'write_file', input: { path: '../outside/secret.js', content: 'x' } },
        { name: 'delete_file', input: { path: 'src/missing.js' } },
        { name: 'write_file', input: { path: 'src/c.js' } },
        { name: 'write_file', input: { path: 'src/b.js', content: 'b\n' } },
      ],
    ]);
    assert.deepEqual(
      [...results.values()].map((result) => result.isError),
      [false, true, true, true, true, false],
    );
    assert.match(results.get('1.2')?.output ?? '', /old_text was not found in src\/index\.js/);
    assert.match(results.get('1.3')?.output ?? '', /^Refused/);
    assert.equal(results.get('1.4')?.output, 'No file at src/missing.js.');
    assert.match(results.get('1.5')?.output ?? '', /"content" must be a string/);
    assert.deepEqual(
      events.filter((event) => event.type === 'writeAll').map((event) => event.changes),
      [[{ path: 'src/a.js', text: 'a\n' }, { path: 'src/b.js', text: 'b\n' }]],
    );
    assert.equal(toolbox.refusals.length, 1);
    // Only files really changed are the pass's: a failed edit or delete leaves nothing to revert.
    assert.deepEqual([...originals.keys()], ['src/a.js', 'src/b.js']);
    await assert.rejects(fs.access(path.join(base, 'outside', 'secret.js')));
  });

  it('a writeAll that fails turns every call of its group into an error saying what is on disk, and only that group', async () => {
    const { results } = await runTurns(
      [
        [
          { name: 'write_file', input: { path: 'src/a.js', content: 'a\n' } },
          { name: 'edit_file', input: { path: 'src/index.js', old_text: 'no such text', new_text: 'x' } },
          { name: 'write_file', input: { path: 'src/fails.js', content: 'never\n' } },
          { name: 'read_file', input: { path: 'src/index.js' } },
          { name: 'write_file', input: { path: 'src/b.js', content: 'b\n' } },
        ],
      ],
      { failAt: 'src/fails.js' },
    );
    // The port wrote src/a.js before it failed on src/fails.js: neither call is reported done,
    // and each is told the truth about its own file.
    assert.equal(await read('src/a.js'), 'a\n');
    assert.equal(results.get('1.1')?.isError, true);
    assert.match(results.get('1.1')?.output ?? '', /^Failed with the 2 file changes of this turn applied together: the disk is full\. src\/a\.js changed on disk all the same/);
    assert.equal(results.get('1.3')?.isError, true);
    assert.match(results.get('1.3')?.output ?? '', /the disk is full\. src\/fails\.js is unchanged on disk\.$/);
    // The failed check keeps its own error; the calls after the group go on as usual.
    assert.match(results.get('1.2')?.output ?? '', /old_text was not found/);
    assert.deepEqual([results.get('1.4')?.isError, results.get('1.5')?.output], [false, 'Wrote src/b.js (2 characters).']);
    assert.equal(await read('src/b.js'), 'b\n');
  });

  it("writes nothing of a group whose originals could not be saved, as a pass's revert depends on them", async () => {
    const { results } = await runTurns(
      [
        [
          { name: 'write_file', input: { path: 'src/a.js', content: 'a\n' } },
          { name: 'edit_file', input: { path: 'src/index.js', old_text: 'a: 1', new_text: 'a: 2' } },
        ],
      ],
      {
        rememberOriginals: async () => {
          throw new Error('the artifacts folder is read-only');
        },
      },
    );
    assert.deepEqual(events, [], 'no writeAll');
    assert.match(results.get('1.1')?.output ?? '', /the artifacts folder is read-only\. src\/a\.js is unchanged on disk\.$/);
    assert.match(results.get('1.2')?.output ?? '', /the artifacts folder is read-only\. src\/index\.js is unchanged on disk\.$/);
    assert.equal(await read('src/index.js'), 'module.exports = { a: 1 };\n');
  });
});
