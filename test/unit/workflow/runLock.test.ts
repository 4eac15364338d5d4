// One window drives a run: taking a stale lock over is atomic, and a window that lost its lock
// stops at once. Real files in a temporary folder, real concurrent file operations.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelClient } from '../../../src/core/models/modelClient.js';
import { RunLock } from '../../../src/core/workflow/runLock.js';
import { NodeArtifactStore } from '../../../src/node/nodeArtifactStore.js';
import { createEngine, demoClient, demoRoles, scratchWorkspaces } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
const dirs: string[] = [];
after(async () => {
  await cleanup();
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-lock-'));
  dirs.push(dir);
  return dir;
}

/** The clock of a window that finds a 30 s lock stale: a minute ahead. */
const later = { now: () => new Date(Date.now() + 60_000) };

describe('the run lock', () => {
  it('three windows taking over the same stale lock at once: exactly one wins, every time', async () => {
    const dir = await tempDir();
    const files = new NodeArtifactStore();
    const runDir = (runId: string): string => path.join(dir, runId);
    for (let round = 0; round < 60; round += 1) {
      const runId = `run-${round}`;
      await fs.mkdir(runDir(runId), { recursive: true });
      // A lock whose window went quiet a minute ago (by the clock of the windows that find it).
      await fs.writeFile(path.join(runDir(runId), 'run.lock'), `${JSON.stringify({ owner: 'gone', at: new Date().toISOString() })}\n`);
      const windows = ['A', 'B', 'C'].map((owner) => new RunLock(files, runDir, owner, later, 30_000));
      const results = await Promise.all(windows.map((lock) => lock.acquire(runId)));
      assert.equal(results.filter((result) => result.ok).length, 1, `round ${round}: ${JSON.stringify(results)}`);
      const winner = ['A', 'B', 'C'][results.findIndex((result) => result.ok)];
      const held = JSON.parse(await fs.readFile(path.join(runDir(runId), 'run.lock'), 'utf8')) as { owner: string };
      assert.equal(held.owner, winner, 'the lock names the one that won');
    }
  });

  it('a stalled window refreshing its lock as another takes it over: exactly one keeps it, every time', async () => {
    const dir = await tempDir();
    const files = new NodeArtifactStore();
    const runDir = (runId: string): string => path.join(dir, runId);
    for (let round = 0; round < 60; round += 1) {
      const runId = `run-${round}`;
      const stalled = new RunLock(files, runDir, 'stalled', { now: () => new Date() }, 30_000);
      assert.deepEqual(await stalled.acquire(runId), { ok: true });
      const taker = new RunLock(files, runDir, 'taker', later, 30_000);
      const [kept, taken] = await Promise.all([stalled.refresh(runId), taker.acquire(runId)]);
      assert.equal(Number(kept) + Number(taken.ok), 1, `round ${round}: refresh ${kept}, acquire ${JSON.stringify(taken)}`);
      assert.equal(await stalled.refresh(runId), kept, 'a window that lost the lock does not get it back by refreshing');
    }
  });

  it('a window whose lock was taken stops its phase and writes nothing more to run.json', async () => {
    const root = await workspace();
    let aborted: unknown;
    let thinking: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (thinking = resolve));
    const stalled: ModelClient = {
      info: demoClient(demoRoles.architect).info,
      async *stream(_request, signal) {
        thinking();
        await new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            reject(signal.reason as Error);
          }),
        );
        yield { type: 'done', stopReason: 'end' };
      },
    };
    const { engine, store } = createEngine({ workspaceRoot: root, owner: 'window-1', lockStaleMs: 1_500, clientFor: () => stalled });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await started;
    const runJson = store.artifactPath(run.runId, 'run.json');
    const before = await fs.readFile(runJson, 'utf8');

    // Another window finds the lock stale (its clock says so) and takes the run over.
    const soon = { now: () => new Date(Date.now() + 3_000) };
    const other = new RunLock(new NodeArtifactStore(), (id) => store.runDir(id), 'window-2', soon, 1_500);
    assert.deepEqual(await other.acquire(run.runId), { ok: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the first window never noticed it lost the lock')), 15_000);
      const check = (): void => {
        if (!/another window took over/i.test(engine.activityOf(run.runId).heldElsewhere ?? '')) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      };
      const subscription = engine.onUpdate(check);
      check();
    });
    assert.ok(aborted, 'its model call was stopped');
    assert.equal(engine.activityOf(run.runId).busy, false);
    await engine.dispose();
    assert.equal(await fs.readFile(runJson, 'utf8'), before, 'run.json as it was when the lock was lost');
    const lock = JSON.parse(await fs.readFile(store.artifactPath(run.runId, 'run.lock'), 'utf8')) as { owner: string };
    assert.equal(lock.owner, 'window-2', 'closing did not release the other window’s lock');
  });
});
