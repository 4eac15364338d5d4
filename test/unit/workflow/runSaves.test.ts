// run.json between transitions: each model call is saved as it ends (a Coder pass can take 30
// turns before its next transition), a call that ends while a save is under way is not lost, and
// a window that has closed writes nothing more, so the window that takes the run over can save.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import type { ModelClient, ModelRequest, TokenUsage } from '../../../src/core/models/modelClient.js';
import type { ArtifactStore } from '../../../src/core/ports.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import type { RunStore } from '../../../src/core/workflow/runStore.js';
import { createEngine, demoClient, demoExcept, demoRoles, scratchWorkspaces, waitForEngine, waitForPhase } from '../support/engineHarness.js';
import { waitUntil } from '../../support/waitUntil.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

const tokens = (inputTokens: number, outputTokens: number): TokenUsage => ({ inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 });

function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function saved(store: RunStore, runId: string): Promise<RunRecord> {
  const loaded = await store.load(runId);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.error);
  return loaded.record;
}

const implementCalls = (record: RunRecord | undefined): RunRecord['calls'] => (record?.calls ?? []).filter((call) => call.purpose === 'implement');

/** A model still answering: waits for the abort, then (once `ends` opens) fails as an aborted request does. */
async function hangUntilAborted(signal: AbortSignal, ends: Promise<void> = Promise.resolve()): Promise<never> {
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  await ends;
  throw signal.reason as Error;
}

/** Holds the next write of run.json at a gate when asked to, so a test can act while a save is under way. */
class RunJsonWrites {
  private next: { reached: () => void; gate: Promise<void> } | undefined;

  wrap(store: ArtifactStore): ArtifactStore {
    return {
      readText: (file) => store.readText(file),
      listDirectories: (dir) => store.listDirectories(dir),
      createExclusive: (file, text) => store.createExclusive(file, text),
      remove: (file) => store.remove(file),
      writeTextAtomic: async (file, text) => {
        const held = file.endsWith('run.json') ? this.next : undefined;
        if (held) {
          this.next = undefined;
          held.reached();
          await held.gate;
        }
        await store.writeTextAtomic(file, text);
      },
    };
  }

  /** `held` resolves when the next write of run.json waits at the gate; `release` lets it through. */
  holdNext(): { held: Promise<void>; release: () => void } {
    const reached = gate();
    const release = gate();
    this.next = { reached: reached.open, gate: release.promise };
    return { held: reached.promise, release: release.open };
  }
}

describe('run.json while a phase runs', () => {
  it('holds every Coder turn as it ends: a reloaded window sees all its calls and tokens before the report', async () => {
    const root = await workspace();
    const turns = 5;
    let requests = 0;
    const lastTurnAsked = gate();
    // Five turns that each list the workspace and report their own token counts, then a sixth
    // that is still waiting on the model when the window goes.
    const coder = (role: RoleSnapshot): ModelClient =>
      demoExcept(role, 'implement', async function* (request, signal) {
        requests += 1;
        if (requests > turns) {
          lastTurnAsked.open();
          await hangUntilAborted(signal);
          return;
        }
        yield { type: 'tool-call', id: `t${requests}`, name: 'list_directory', input: { path: '.' } };
        yield { type: 'usage', usage: tokens(1000 * requests, 10 * requests) };
        yield { type: 'done', stopReason: 'tool-use' };
      });
    const first = createEngine({ workspaceRoot: root, owner: 'window-1', clientFor: (role) => (role.modelId === 'demo-coder' ? coder(role) : demoClient(role)) });
    const run = await first.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');
    await first.engine.confirmModel(run.runId);
    await lastTurnAsked.promise;

    // Still in the pass, no report yet: run.json already holds the five turns. This is all a
    // window that crashed now would leave.
    // No event says run.json was written: the shared bounded poll, named.
    await waitUntil(async () => implementCalls(await saved(first.store, run.runId)).length === turns, 'run.json never held the five Coder turns');
    const onDisk = await saved(first.store, run.runId);
    assert.equal(onDisk.state.phase, 'coder-implement');
    assert.deepEqual(onDisk.reports, []);
    const expected = [1, 2, 3, 4, 5].map((turn) => tokens(1000 * turn, 10 * turn));
    assert.deepEqual(implementCalls(onDisk).map((call) => call.usage), expected);
    assert.deepEqual(onDisk.usage['coder-implement'], tokens(15_000, 150));

    // The window reloads: the new one sees the same calls and tokens, and goes on saving on top.
    await first.engine.dispose();
    const reloaded = createEngine({ workspaceRoot: root, owner: 'window-1-reloaded' });
    assert.deepEqual((await reloaded.engine.resumeAll()).resumed, [run.runId]);
    assert.deepEqual(implementCalls(reloaded.engine.get(run.runId)).slice(0, turns).map((call) => call.usage), expected);
    await waitForPhase(reloaded.engine, run.runId, 'hard-stop-to-architect');
    const after = await saved(reloaded.store, run.runId);
    await reloaded.engine.dispose();
    assert.deepEqual(implementCalls(after).slice(0, turns).map((call) => call.usage), expected);
    assert.ok(implementCalls(after).length > turns, 'the resumed pass added its own turns');
  });

  it('keeps a call that ends while run.json is being saved (the call a Cancel cuts short)', async () => {
    const root = await workspace();
    const writes = new RunJsonWrites();
    const asked = gate();
    const mayEnd = gate();
    // The Coder reports the tokens it was sent, then is cut off by the Cancel; the abort reaches
    // the end of the call only once run.json's save for the Cancel is under way.
    const coder = (role: RoleSnapshot): ModelClient =>
      demoExcept(role, 'implement', async function* (request, signal) {
        yield { type: 'usage', usage: tokens(4321, 0) };
        asked.open();
        await hangUntilAborted(signal, mayEnd.promise);
      });
    const { engine, store } = createEngine({
      workspaceRoot: root,
      wrapArtifacts: (store) => writes.wrap(store),
      clientFor: (role) => (role.modelId === 'demo-coder' ? coder(role) : demoClient(role)),
    });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await asked.promise;

    const save = writes.holdNext();
    const cancelled = engine.cancel(run.runId);
    await save.held;
    mayEnd.open();
    // A call joins the run without an update event: the shared bounded poll, named.
    await waitUntil(() => implementCalls(engine.get(run.runId)).length === 1, 'the cut-off call was never recorded');
    save.release();
    await cancelled;

    const [call] = implementCalls(engine.get(run.runId));
    assert.equal(engine.get(run.runId)?.state.phase, 'cancelled');
    assert.deepEqual([call?.outcome, call?.usage], ['cancelled', tokens(4321, 0)], 'the panel still shows the call');
    await waitUntil(async () => implementCalls(await saved(store, run.runId)).length === 1, 'run.json never held the cut-off call');
    const onDisk = await saved(store, run.runId);
    assert.equal(onDisk.state.phase, 'cancelled');
    assert.deepEqual(onDisk.usage['coder-implement'], tokens(4321, 0));
    await engine.dispose();
  });

  it('a window that closes saves the calls that ended while run.json was being written, then lets go', async () => {
    const root = await workspace();
    const writes = new RunJsonWrites();
    const firstMayAnswer = gate();
    const thirdAsked = gate();
    let requests = 0;
    // Two turns that answer (the first once the test is ready for it), then one the window's
    // closing cuts off.
    const coder = (role: RoleSnapshot): ModelClient =>
      demoExcept(role, 'implement', async function* (request, signal) {
        requests += 1;
        if (requests === 1) await firstMayAnswer.promise;
        if (requests === 3) {
          thirdAsked.open();
          await hangUntilAborted(signal);
          return;
        }
        yield { type: 'tool-call', id: `t${requests}`, name: 'list_directory', input: { path: '.' } };
        yield { type: 'usage', usage: tokens(100 * requests, requests) };
        yield { type: 'done', stopReason: 'tool-use' };
      });
    const { engine, store } = createEngine({
      workspaceRoot: root,
      wrapArtifacts: (inner) => writes.wrap(inner),
      clientFor: (role) => (role.modelId === 'demo-coder' ? coder(role) : demoClient(role)),
    });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    // The first turn's save is held, the second turn ends meanwhile, then the window closes.
    const firstSave = writes.holdNext();
    firstMayAnswer.open();
    await firstSave.held;
    await thirdAsked.promise;
    assert.equal(implementCalls(engine.get(run.runId)).length, 2);
    const closed = engine.dispose();
    firstSave.release();
    await closed;
    // The third, cut off by the closing, had ended too by the time the final save (queued behind
    // the held one) ran.
    assert.deepEqual(
      implementCalls(await saved(store, run.runId)).map((call) => [call.outcome, call.usage]),
      [['ok', tokens(100, 1)], ['ok', tokens(200, 2)], ['cancelled', tokens(0, 0)]],
    );
    await assert.rejects(fs.access(store.artifactPath(run.runId, 'run.lock')), 'the run was let go after the save');
  });

  it('a window that has closed writes nothing: an answer arriving late cannot bump the revision under the next window', async () => {
    const root = await workspace();
    const asked = gate();
    const answer = gate();
    const implementedBy: string[] = [];
    // The Coder's identity check is answered only after the window has closed (an answer already
    // on its way: it does not stop when the request is aborted).
    const coder = (window: string) => (role: RoleSnapshot): ModelClient => ({
      info: demoClient(role).info,
      async *stream(request: ModelRequest, signal: AbortSignal) {
        if (request.purpose === 'identity' && window === 'window-1') {
          asked.open();
          await answer.promise;
          yield* demoClient(role).stream(request, new AbortController().signal);
          return;
        }
        if (request.purpose === 'implement') implementedBy.push(window);
        yield* demoClient(role).stream(request, signal);
      },
    });
    const clients = (window: string) => (role: RoleSnapshot): ModelClient => (role.modelId === 'demo-coder' ? coder(window)(role) : demoClient(role));
    const first = createEngine({ workspaceRoot: root, owner: 'window-1', clientFor: clients('window-1') });
    const run = await first.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');
    const confirming = first.engine.confirmModel(run.runId).then(
      () => 'confirmed',
      (error: Error) => error.message,
    );
    await asked.promise;
    await first.engine.dispose();
    const runJson = first.store.artifactPath(run.runId, 'run.json');
    const left = await fs.readFile(runJson, 'utf8');

    // The reloaded window takes the run over; then the closed window's answer arrives.
    const second = createEngine({ workspaceRoot: root, owner: 'window-2', clientFor: clients('window-2') });
    assert.deepEqual((await second.engine.resumeAll()).resumed, [run.runId]);
    answer.open();
    assert.match(await confirming, /window is closing/);
    assert.equal(await fs.readFile(runJson, 'utf8'), left, 'the closed window wrote nothing');

    await second.engine.confirmModel(run.runId);
    await waitForPhase(second.engine, run.runId, 'hard-stop-to-architect');
    await second.engine.dispose();
    const record = await saved(second.store, run.runId);
    assert.equal(record.history.filter((entry) => entry.event === 'model-confirmed').length, 1);
    assert.deepEqual([...new Set(implementedBy)], ['window-2'], 'only the window that holds the run drives the Coder');
  });

  it('a window waiting on a run reads run.json again when it takes the run over, with what the other window saved since', async () => {
    const root = await workspace();
    let refuse = true;
    const coder = (role: RoleSnapshot): ModelClient => ({
      info: demoClient(role).info,
      async *stream(request: ModelRequest, signal: AbortSignal) {
        if (request.purpose === 'identity' && refuse) {
          refuse = false;
          throw new Error('socket hang up');
        }
        yield* demoClient(role).stream(request, signal);
      },
    });
    const driving = createEngine({ workspaceRoot: root, owner: 'driver', clientFor: (role) => (role.modelId === 'demo-coder' ? coder(role) : demoClient(role)) });
    const run = await driving.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(driving.engine, run.runId, 'hard-stop-to-coder');
    const watching = createEngine({ workspaceRoot: root, owner: 'watcher', heldRetryMs: 20 });
    assert.deepEqual((await watching.engine.resumeAll()).resumed, []);

    // After the watcher read run.json, the driving window's model check fails; then it closes.
    await assert.rejects(driving.engine.confirmModel(run.runId), /socket hang up/);
    await driving.engine.dispose();
    await waitForEngine(watching.engine, () => watching.engine.activityOf(run.runId).heldElsewhere === undefined, 'the watching window never took the run over');
    assert.deepEqual(
      watching.engine.get(run.runId)?.calls.filter((call) => call.purpose === 'identity').map((call) => [call.outcome, call.error]),
      [['error', 'socket hang up']],
      'the failed check, saved by the window that made it',
    );
    await watching.engine.confirmModel(run.runId);
    await waitForPhase(watching.engine, run.runId, 'hard-stop-to-architect');
    await watching.engine.dispose();
    const checks = (await saved(watching.store, run.runId)).calls.filter((call) => call.purpose === 'identity' && call.phase === 'hard-stop-to-coder');
    assert.deepEqual(checks.map((call) => call.outcome), ['error', 'ok']);
  });

  it('a window waiting on a run takes it over once, even when reading run.json outlasts its retry interval', async () => {
    const root = await workspace();
    // The watching window's reads of run.json are slow (a loaded machine): each try to take the
    // run over is still reading when the next is due.
    let slowReads = false;
    const slow = (store: ArtifactStore): ArtifactStore => ({
      ...store,
      readText: async (file) => {
        if (slowReads && file.endsWith('run.json')) await new Promise((resolve) => setTimeout(resolve, 200));
        return store.readText(file);
      },
      listDirectories: (dir) => store.listDirectories(dir),
      createExclusive: (file, text) => store.createExclusive(file, text),
      remove: (file) => store.remove(file),
      writeTextAtomic: (file, text) => store.writeTextAtomic(file, text),
    });
    const driving = createEngine({ workspaceRoot: root, owner: 'driver' });
    const run = await driving.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(driving.engine, run.runId, 'hard-stop-to-coder');
    const watching = createEngine({ workspaceRoot: root, owner: 'watcher', heldRetryMs: 10, wrapArtifacts: slow });
    assert.deepEqual((await watching.engine.resumeAll()).resumed, []);
    slowReads = true;

    await driving.engine.dispose();
    await waitForEngine(watching.engine, () => watching.engine.activityOf(run.runId).heldElsewhere === undefined, 'the watching window never took the run over');
    // The identity check it makes is in memory at once, and must stay there: a later try to take
    // the run over, reading run.json from before it, must not put the older record back.
    await watching.engine.confirmModel(run.runId);
    await waitForPhase(watching.engine, run.runId, 'hard-stop-to-architect');
    await watching.engine.dispose();
    const checks = (await saved(watching.store, run.runId)).calls.filter((call) => call.purpose === 'identity' && call.phase === 'hard-stop-to-coder');
    assert.deepEqual(checks.map((call) => call.outcome), ['ok']);
    assert.equal((await saved(watching.store, run.runId)).history.filter((entry) => entry.event === 'model-confirmed').length, 1);
  });
});
