// Restricted Mode, held by the engine: in an untrusted workspace no Coder pass starts and no
// verification runs, whichever way the run gets there (the HARD STOP, Retry, a resume after a
// reload), and the run keeps its work and says what to do.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import type { VerificationRunner } from '../../../src/core/ports.js';
import type { RunEngine } from '../../../src/core/workflow/runEngine.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import { createEngine, demoClient, demoExcept, demoRoles, processVerifier, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

/** Resolves once `accept` holds for the run's record; the message names what never happened. */
function waitForRecord(engine: RunEngine, runId: string, what: string, accept: (record: RunRecord) => boolean, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): boolean => {
      const record = engine.get(runId);
      return record !== undefined && accept(record);
    };
    if (done()) return resolve();
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for ${what}; the run is in ${engine.get(runId)?.state.phase}`));
    }, timeoutMs);
    const subscription = engine.onUpdate(() => {
      if (!done()) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

/** The demo models, with every request's purpose written down. */
function recordingPurposes(): { asked: ModelRequest['purpose'][]; clientFor: (role: typeof demoRoles.coder) => ModelClient } {
  const asked: ModelRequest['purpose'][] = [];
  return {
    asked,
    clientFor: (role) => ({
      info: demoClient(role).info,
      stream: (request, signal) => {
        asked.push(request.purpose);
        return demoClient(role).stream(request, signal);
      },
    }),
  };
}

function countingVerifier(): { runs: string[]; verifier: VerificationRunner } {
  const runs: string[] = [];
  return { runs, verifier: { run: (request) => (runs.push(request.command), processVerifier.run(request)) } };
}

const trustMessage = /not trusted[\s\S]*[Tt]rust the workspace/;

describe('an untrusted workspace (Restricted Mode)', () => {
  it('refuses the HARD STOP confirm before any model is asked; the run keeps waiting and says why', async () => {
    const root = await workspace();
    let trusted = false;
    const { asked, clientFor } = recordingPurposes();
    const { engine } = createEngine({ workspaceRoot: root, clientFor, isTrusted: () => trusted });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await assert.rejects(engine.confirmModel(run.runId), trustMessage);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder');
    assert.match(engine.activityOf(run.runId).lastError ?? '', trustMessage);
    assert.deepEqual(asked, ['spec'], 'no identity check, no Coder');
    trusted = true;
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await engine.dispose();
  });

  it('refuses Retry of a failed Coder phase, and Retry works once the workspace is trusted', async () => {
    const root = await workspace();
    let trusted = true;
    let failNext = true;
    const implementCalls: number[] = [];
    const coder = demoExcept(demoRoles.coder, 'implement', (request, signal) => {
      implementCalls.push(request.messages.length);
      if (failNext) {
        failNext = false;
        throw new Error('the provider is down');
      }
      return demoClient(demoRoles.coder).stream(request, signal);
    });
    const { verifier, runs } = countingVerifier();
    const { engine } = createEngine({ workspaceRoot: root, verifier, clientFor: (role) => (role.modelId === 'demo-coder' ? coder : demoClient(role)), isTrusted: () => trusted });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'failed');
    const failed = engine.get(run.runId)?.state;
    assert.ok(failed?.phase === 'failed' && failed.resumeFrom.phase === 'coder-implement');
    const callsBefore = implementCalls.length;

    trusted = false;
    await assert.rejects(engine.retry(run.runId), trustMessage);
    assert.equal(engine.get(run.runId)?.state.phase, 'failed', 'the run keeps its place');
    assert.equal(implementCalls.length, callsBefore, 'the Coder was not asked');
    assert.deepEqual(runs, []);
    await assert.rejects(fs.access(path.join(root, 'src', 'slugify.js')), 'nothing was written');

    trusted = true;
    await engine.retry(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    assert.ok(runs.length > 0);
    await engine.dispose();
  });

  it('a run resumed into the Coder phase does not run the Coder; it fails asking for trust, and Retry resumes it', async () => {
    const root = await workspace();
    // The first window is cut off (reloaded) while its Coder thinks, before it changed anything.
    let reached: () => void = () => undefined;
    const thinking = new Promise<void>((resolve) => (reached = resolve));
    const stalled = demoExcept(demoRoles.coder, 'implement', async function* (_request, signal) {
      reached();
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
      yield { type: 'done', stopReason: 'end' };
    });
    const first = createEngine({ workspaceRoot: root, owner: 'w', clientFor: (role) => (role.modelId === 'demo-coder' ? stalled : demoClient(role)) });
    const run = await first.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');
    await first.engine.confirmModel(run.runId);
    await thinking;
    await first.engine.dispose();

    let trusted = false;
    const { asked, clientFor } = recordingPurposes();
    const { verifier, runs } = countingVerifier();
    const second = createEngine({ workspaceRoot: root, owner: 'w', clientFor, verifier, isTrusted: () => trusted });
    await second.engine.resumeAll();
    await waitForPhase(second.engine, run.runId, 'failed');
    const failed = second.engine.get(run.runId)?.state;
    assert.ok(failed?.phase === 'failed');
    assert.match(failed.error, trustMessage);
    assert.equal(failed.resumeFrom.phase, 'coder-implement', 'Retry resumes the Coder phase');
    assert.equal(asked.length, 0, 'no model was asked');
    assert.deepEqual(runs, []);
    await assert.rejects(fs.access(path.join(root, 'src', 'slugify.js')));

    trusted = true;
    await second.engine.retry(run.runId);
    await waitForPhase(second.engine, run.runId, 'hard-stop-to-architect');
    assert.ok(asked.includes('implement'));
    await second.engine.dispose();
  });

  it('a Coder pass under way writes nothing and runs nothing once the workspace is not trusted', async () => {
    const root = await workspace();
    let trusted = true;
    // Trust goes away between the Coder's first turn and its tool calls (whatever the cause: the
    // engine checks every write and every verification, not only the start of the pass).
    const coder = demoExcept(demoRoles.coder, 'implement', async function* (request): AsyncGenerator<ModelEvent> {
      if (request.messages.length === 1) {
        trusted = false;
        yield { type: 'tool-call', id: 'w', name: 'write_file', input: { path: 'src/planted.js', content: 'module.exports = 1;\n' } };
        yield { type: 'tool-call', id: 'v', name: 'run_verification', input: {} };
        yield { type: 'done', stopReason: 'tool-use' };
        return;
      }
      yield { type: 'tool-call', id: 'r', name: 'submit_report', input: { summary: 'done', blockers: [], deviations: [] } };
      yield { type: 'done', stopReason: 'tool-use' };
    });
    const { verifier, runs } = countingVerifier();
    const { engine } = createEngine({ workspaceRoot: root, verifier, clientFor: (role) => (role.modelId === 'demo-coder' ? coder : demoClient(role)), isTrusted: () => trusted });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForRecord(engine, run.runId, 'the pass to end', (record) => record.state.phase !== 'coder-implement' && record.state.phase !== 'hard-stop-to-coder');
    assert.deepEqual(runs, [], 'no verification ran');
    await assert.rejects(fs.access(path.join(root, 'src', 'planted.js')), 'nothing was written');
    await engine.dispose();
  });
});
