// The engine's one picture of a run: what the host posts to every view, built in core, frozen,
// and read again from disk only when what it shows could have changed.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import type { ArtifactStore, VerificationRunner } from '../../../src/core/ports.js';
import { RunViewSchema } from '../../../src/core/workflow/runViewSchema.js';
import { createEngine, demoRoles, processVerifier, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

/** Counts reads of each artifact file (by name), to see when the snapshot goes to disk. */
function countingReads(reads: Map<string, number>): (store: ArtifactStore) => ArtifactStore {
  return (store) => ({
    ...store,
    readText: (file) => {
      const name = file.split(/[/\\]/).slice(-3).join('/');
      reads.set(name, (reads.get(name) ?? 0) + 1);
      return store.readText(file);
    },
    writeTextAtomic: (file, text) => store.writeTextAtomic(file, text),
    listDirectories: (dir) => store.listDirectories(dir),
    createExclusive: (file, text) => store.createExclusive(file, text),
    remove: (file) => store.remove(file),
  });
}

describe('the engine’s run snapshot', () => {
  it('at the HARD STOP holds the state, the spec document, the commands and the digest a confirm binds to, and how the command will run', async () => {
    const verifier: VerificationRunner = { ...processVerifier, describeSandbox: async () => ({ sandboxed: true, text: 'Runs sandboxed: test note.' }) };
    const { engine } = createEngine({ workspaceRoot: await workspace(), verifier });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const snapshot = await engine.snapshot(run.runId);
    await engine.dispose();

    assert.ok(snapshot, 'a snapshot of a known run');
    assert.equal(snapshot.record.state.phase, 'hard-stop-to-coder');
    assert.equal(RunViewSchema.safeParse(snapshot.view).success, true, 'the view is what the webview accepts');
    assert.equal(snapshot.view.phase, 'hard-stop-to-coder');
    assert.deepEqual(snapshot.view.documents.map((doc) => doc.label), ['Code Spec v1']);
    assert.match(snapshot.view.documents[0]?.markdown ?? '', /^# Code Spec/m);
    assert.equal(snapshot.view.hardStop?.verificationCommand, engine.pendingApproval(run.runId)?.commands.join('\n'));
    assert.equal(snapshot.view.hardStop?.specDigest, engine.pendingApproval(run.runId)?.digest);
    assert.deepEqual(snapshot.view.hardStop?.sandbox, { sandboxed: true, text: 'Runs sandboxed: test note.' });
  });

  it('is frozen all the way down, and a copy: whoever holds it cannot change the run', async () => {
    const { engine } = createEngine({ workspaceRoot: await workspace() });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const snapshot = await engine.snapshot(run.runId);
    assert.ok(snapshot);
    assert.throws(() => {
      (snapshot.view as { phase: string }).phase = 'approved';
    }, TypeError);
    assert.throws(() => {
      (snapshot.record.history as unknown[]).push({});
    }, TypeError);
    assert.throws(() => {
      (snapshot.view.documents[0] as { markdown: string }).markdown = 'forged';
    }, TypeError);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder');
    assert.notEqual(snapshot.record, engine.get(run.runId), 'the record handed out is not the engine’s own');
    await engine.dispose();
  });

  it('reads the documents again only after a transition or an adopted spec edit, never for an activity update', async () => {
    const reads = new Map<string, number>();
    const { engine, store } = createEngine({ workspaceRoot: await workspace(), wrapArtifacts: countingReads(reads) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const specReads = (): number => reads.get('versions/v1/code_spec.md') ?? 0;

    await engine.snapshot(run.runId);
    const afterFirst = specReads();
    await engine.snapshot(run.runId);
    await engine.snapshot(run.runId);
    assert.equal(specReads(), afterFirst, 'the same state is painted from what was read');

    // A hand edit of the spec: the next confirm adopts it (and is refused, as it was not shown),
    // and the snapshot after shows the edit.
    const file = store.artifactPath(run.runId, 'code_spec.md');
    const original = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, original.replace('node --test', 'node --test test/slugify.test.js'));
    await assert.rejects(engine.confirmModel(run.runId), /changed since it was shown/);
    const edited = await engine.snapshot(run.runId);
    assert.ok(specReads() > afterFirst, 'an adopted edit is read again');
    assert.match(edited?.view.documents[0]?.markdown ?? '', /node --test test\/slugify\.test\.js/);
    assert.equal(edited?.view.hardStop?.verificationCommand, 'node --test test/slugify.test.js');

    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    const reported = await engine.snapshot(run.runId);
    assert.deepEqual(reported?.view.documents.map((doc) => doc.kind), ['spec', 'report'], 'the transition brought the report in');
    await engine.dispose();
  });

  it('is undefined for a run the engine does not know', async () => {
    const { engine } = createEngine({ workspaceRoot: await workspace() });
    assert.equal(await engine.snapshot('no-such-run'), undefined);
    await engine.dispose();
  });
});
