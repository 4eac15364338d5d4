import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ModelClient } from '../../../src/core/models/modelClient.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import { createEngine, demoClient, demoExcept, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

const exists = (file: string): Promise<boolean> => fs.access(file).then(() => true, () => false);

describe('reverting a Coder pass is an engine event', () => {
  it('puts the files back, records it in the run history and run.json, and the review then sees the files as they are', async () => {
    const root = await workspace();
    const indexBefore = await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8');
    const reviewRequests: string[] = [];
    const architect = (role: RoleSnapshot): ModelClient =>
      demoExcept(role, 'review', (request, signal) => {
        reviewRequests.push(request.messages.flatMap((message) => message.content.map((part) => (part.type === 'text' ? part.text : ''))).join('\n'));
        return demoClient(role).stream(request, signal);
      });
    const { engine, store } = createEngine({ workspaceRoot: root, clientFor: (role) => (role.modelId === 'demo-architect' ? architect(role) : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    assert.notEqual(await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8'), indexBefore, 'the pass changed src/index.js');

    const reverted = await engine.revertCoderPass(run.runId);
    assert.deepEqual(reverted, { specVersion: 1, files: ['src/index.js', 'src/slugify.js', 'test/slugify.test.js'] });
    assert.equal(await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8'), indexBefore);
    assert.equal(await exists(path.join(root, 'src', 'slugify.js')), false, 'a file the pass created is removed');
    const line = engine.get(run.runId)?.history.at(-1);
    assert.deepEqual([line?.event, line?.from, line?.to], ['pass-reverted', 'hard-stop-to-architect', 'hard-stop-to-architect']);
    assert.match(line?.detail ?? '', /3 file\(s\) of the pass on spec v1/);
    const onDisk = await store.load(run.runId);
    assert.ok(onDisk.ok);
    assert.equal(onDisk.record.history.at(-1)?.event, 'pass-reverted', 'run.json holds the revert');

    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'architect-review');
    assert.equal(reviewRequests.length, 1);
    assert.doesNotMatch(reviewRequests[0] ?? '', /b\/src\/index\.js/, 'the review diffs the files as they are: nothing left of the pass');
    await engine.dispose();
  });

  it('is refused while the Coder is still working, and changes no file', async () => {
    const root = await workspace();
    let edited: () => void = () => undefined;
    const editLanded = new Promise<void>((resolve) => (edited = resolve));
    const working = demoExcept(demoRoles.coder, 'implement', async function* (request, signal) {
      if (!request.messages.some((message) => message.role === 'assistant')) {
        yield { type: 'tool-call', id: '1', name: 'write_file', input: { path: 'src/draft.js', content: 'module.exports = 1;\n' } };
        yield { type: 'done', stopReason: 'tool-use' };
        return;
      }
      edited();
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    });
    const { engine } = createEngine({ workspaceRoot: root, clientFor: (role) => (role.modelId === 'demo-coder' ? working : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await editLanded;
    const historyBefore = engine.get(run.runId)?.history.length;
    await assert.rejects(engine.revertCoderPass(run.runId), /not possible while the run is in phase "coder-implement"/);
    assert.equal(await fs.readFile(path.join(root, 'src', 'draft.js'), 'utf8'), 'module.exports = 1;\n', 'the pass under way keeps its file');
    assert.equal(engine.get(run.runId)?.history.length, historyBefore);
    await engine.cancel(run.runId);
    await engine.dispose();
  });

  it('is refused in Restricted Mode, and changes no file', async () => {
    const root = await workspace();
    let trusted = true;
    const { engine } = createEngine({ workspaceRoot: root, isTrusted: () => trusted });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    const indexAfterPass = await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8');
    const historyBefore = engine.get(run.runId)?.history.length;
    trusted = false;
    await assert.rejects(engine.revertCoderPass(run.runId), /not trusted \(Restricted Mode\)/);
    assert.equal(await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8'), indexAfterPass);
    assert.equal(await exists(path.join(root, 'src', 'slugify.js')), true);
    assert.equal(engine.get(run.runId)?.history.length, historyBefore);
    await engine.dispose();
  });
});
