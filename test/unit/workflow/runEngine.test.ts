import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import { parseCodeReport } from '../../../src/core/artifacts/codeReport.js';
import { parseCodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import { within } from '../../support/waitUntil.js';
import { createEngine, demoClient, demoExcept, demoRoles, MemoryRunOrigins, scratchWorkspaces, waitForEngine, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

/** A model that answers the given text for every call of one purpose, the demo for the rest. */
function scripted(role: RoleSnapshot, purpose: ModelRequest['purpose'], answers: string[]): ModelClient {
  const demo = demoClient(role);
  let calls = 0;
  return {
    info: demo.info,
    async *stream(request, signal): AsyncIterable<ModelEvent> {
      if (request.purpose !== purpose) {
        yield* demo.stream(request, signal);
        return;
      }
      const text = answers[Math.min(calls, answers.length - 1)] ?? '';
      calls += 1;
      yield { type: 'text', text };
      yield { type: 'done', stopReason: 'end' };
    },
  };
}

describe('run engine with the demo models on the sample workspace', () => {
  it('walks the whole loop: spec → HARD STOP → real edits and verification → report → review → revisions → Approved', async () => {
    const root = await workspace();
    const { engine, store } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const specText = await fs.readFile(store.artifactPath(run.runId, 'code_spec.md'), 'utf8');
    const spec = parseCodeSpec(specText);
    assert.ok(spec.ok);
    assert.equal(spec.value.specId, 'CS-DEMO-001');
    assert.match(spec.value.objective, /Add a slugify helper/);

    await engine.confirmModel(run.runId);
    const afterConfirm = engine.get(run.runId)?.state.phase;
    assert.ok(afterConfirm === 'coder-implement' || afterConfirm === 'hard-stop-to-architect', `Model Confirmed moved the run on, to ${String(afterConfirm)}`);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    const slugify = await fs.readFile(path.join(root, 'src', 'slugify.js'), 'utf8');
    assert.match(slugify, /TODO\(architect\)/);
    const report = parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.equal(report.value.testResult.status, 'PASS');
    assert.match(report.value.testOutput, /slugify lowercases and hyphenates/);
    assert.deepEqual(
      report.value.filesChanged.map((change) => [change.path, change.action]),
      [['src/index.js', 'Modified'], ['src/slugify.js', 'Created'], ['test/slugify.test.js', 'Created']],
    );
    const index = report.value.filesChanged.find((change) => change.path === 'src/index.js');
    assert.deepEqual([index?.added, index?.removed], [3, 1]);
    assert.equal(report.value.blockers.length, 1);

    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'architect-review');
    const review = engine.get(run.runId)?.state;
    assert.ok(review?.phase === 'architect-review' && review.verdict?.outcome === 'revisions-needed' && review.verdict.revisedSpecVersion === 2);

    await engine.decide(run.runId, 'revisions-needed');
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    assert.match(await fs.readFile(store.artifactPath(run.runId, 'code_spec.md'), 'utf8'), /CS-DEMO-002/);
    assert.match(await fs.readFile(store.artifactPath(run.runId, 'versions/v1/code_spec.md'), 'utf8'), /CS-DEMO-001/, 'earlier spec kept');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    assert.doesNotMatch(await fs.readFile(path.join(root, 'src', 'slugify.js'), 'utf8'), /TODO\(architect\)/);
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'architect-review');
    const second = engine.get(run.runId)?.state;
    assert.ok(second?.phase === 'architect-review' && second.verdict?.outcome === 'approved');
    await engine.decide(run.runId, 'approved');
    await waitForPhase(engine, run.runId, 'approved');

    const saved = await store.load(run.runId);
    assert.ok(saved.ok);
    assert.deepEqual(saved.record.history.map((entry) => entry.to), [
      'architect-spec', 'hard-stop-to-coder', 'coder-implement', 'hard-stop-to-architect', 'architect-review', 'architect-review',
      'hard-stop-to-coder', 'coder-implement', 'hard-stop-to-architect', 'architect-review', 'architect-review', 'approved',
    ]);
    assert.ok((saved.record.usage['coder-implement']?.outputTokens ?? 0) > 0);
    assert.match(saved.record.history.find((entry) => entry.event === 'model-confirmed')?.detail ?? '', /Demo Coder \(offline replay\) \(demo-coder\) — answered "demo-coder/);
    // Each automatic phase recorded where its time went; the Coder's includes the real test run.
    assert.deepEqual(saved.record.timings.map((t) => t.phase), ['architect-spec', 'coder-implement', 'architect-review', 'coder-implement', 'architect-review']);
    for (const timing of saved.record.timings) assert.ok(timing.wallMs >= timing.modelMs + timing.verificationMs, JSON.stringify(timing));
    assert.ok((saved.record.timings[1]?.verificationMs ?? 0) > 0);
    assert.deepEqual(saved.record.decisions.map((d) => [d.recommended, d.decided]), [['revisions-needed', 'revisions-needed'], ['approved', 'approved']]);
    engine.dispose();
  });

  it('Fundamental redesign goes back to Phase 1 and the Architect writes a new spec', async () => {
    const root = await workspace();
    const { engine, store } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'architect-review');
    await engine.decide(run.runId, 'redesign', 'use Intl.Segmenter instead');
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const spec = await fs.readFile(store.artifactPath(run.runId, 'code_spec.md'), 'utf8');
    assert.match(spec, /CS-DEMO-101/);
    assert.match(spec, /use Intl.Segmenter instead/);
    engine.dispose();
  });

  it('a failing verification is reported as FAIL with its real exit code', async () => {
    const root = await workspace();
    await fs.writeFile(path.join(root, 'test', 'broken.test.js'), "require('node:test')('broken', () => { throw new Error('boom'); });\n");
    const { engine, store } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    const report = parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    assert.equal(report.value.testResult.status, 'FAIL');
    assert.match(report.value.testResult.details, /exited with code 1/);
    assert.equal(report.value.buildResult.status, 'ERRORS');
    assert.match(report.value.testOutput, /boom/);
    engine.dispose();
  });

  it('a model that answers garbage gets one repair request, then the run fails with a clear error', async () => {
    const root = await workspace();
    const { engine } = createEngine({
      workspaceRoot: root,
      clientFor: (role) => (role.modelId === 'demo-architect' ? scripted(role, 'spec', ['lol no', '{"not": "a spec"}']) : demoClient(role)),
    });
    const run = await engine.start({ request: 'x', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'failed');
    const state = engine.get(run.runId)?.state;
    assert.ok(state?.phase === 'failed');
    assert.match(state.error, /still malformed after one repair request/);
    assert.match(state.error, /code_spec\.md:\d+/);
    assert.equal(state.resumeFrom.phase, 'architect-spec');
    engine.dispose();
  });

  it('a malformed spec repaired on the second try goes on normally', async () => {
    const root = await workspace();
    const demo = demoClient(demoRoles.architect);
    let calls = 0;
    const flaky: ModelClient = {
      info: demo.info,
      async *stream(request, signal) {
        if (request.purpose === 'spec' && calls++ === 0) {
          yield { type: 'text', text: '# Code Spec — oops\n\nno sections at all' };
          return;
        }
        yield* demo.stream(request, signal);
      },
    };
    const { engine } = createEngine({ workspaceRoot: root, clientFor: (role) => (role.modelId === 'demo-architect' ? flaky : demoClient(role)) });
    const run = await engine.start({ request: 'x', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    assert.equal(calls, 2);
    engine.dispose();
  });

  it('a garbage review verdict fails the run with a reason; Retry runs the review again', async () => {
    const root = await workspace();
    let garbage = true;
    const { engine } = createEngine({
      workspaceRoot: root,
      clientFor: (role) => {
        if (role.modelId !== 'demo-architect') return demoClient(role);
        const demo = demoClient(role);
        return {
          info: demo.info,
          async *stream(request, signal) {
            if (request.purpose === 'review' && garbage) {
              yield { type: 'text', text: '```json\n{"outcome": "maybe"}\n```' };
              return;
            }
            yield* demo.stream(request, signal);
          },
        };
      },
    });
    const run = await engine.start({ request: 'x', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'failed');
    const failed = engine.get(run.runId)?.state;
    assert.ok(failed?.phase === 'failed');
    assert.match(failed.error, /review could not be read.*outcome/s);
    garbage = false;
    await engine.retry(run.runId);
    await waitForPhase(engine, run.runId, 'architect-review');
    engine.dispose();
  });

  it('cancel stops a running phase and the run ends cancelled', async () => {
    const root = await workspace();
    let asking: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (asking = resolve));
    const hanging: ModelClient = {
      info: demoClient(demoRoles.architect).info,
      async *stream(_request, signal) {
        asking();
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
        yield { type: 'done', stopReason: 'end' };
      },
    };
    const { engine } = createEngine({ workspaceRoot: root, clientFor: () => hanging });
    const run = await engine.start({ request: 'x', roles: demoRoles });
    // Cancelled while the Architect is being asked, not before its phase began.
    await asked;
    await engine.cancel(run.runId);
    await waitForPhase(engine, run.runId, 'cancelled');
    assert.deepEqual(engine.get(run.runId)?.state, { phase: 'cancelled', cancelledIn: 'architect-spec' });
    engine.dispose();
  });

  it('cancel during the identity check at a HARD STOP stops the check, and the run says cancelled', async () => {
    const root = await workspace();
    let checking: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (checking = resolve));
    let stopped = false;
    const slow: ModelClient = {
      info: demoClient(demoRoles.coder).info,
      async *stream(_request, signal) {
        checking();
        await new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            stopped = true;
            reject(signal.reason as Error);
          }),
        );
        yield { type: 'done', stopReason: 'end' };
      },
    };
    const { engine } = createEngine({ workspaceRoot: root, clientFor: (role) => (role.modelId === 'demo-coder' ? slow : demoClient(role)) });
    const run = await engine.start({ request: 'x', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const confirming = engine.confirmModel(run.runId);
    await asked;
    await engine.cancel(run.runId);
    await confirming;
    assert.ok(stopped, 'the identity check was aborted');
    assert.deepEqual(engine.get(run.runId)?.state, { phase: 'cancelled', cancelledIn: 'hard-stop-to-coder' });
    assert.equal(engine.activityOf(run.runId).lastError, undefined, 'no "did not answer"');
    assert.equal(engine.activityOf(run.runId).confirming, false);
    await engine.dispose();
  });

  it('a HARD STOP whose model does not answer stays put and says why', async () => {
    const root = await workspace();
    const silent: ModelClient = {
      info: demoClient(demoRoles.coder).info,
      async *stream() {
        yield { type: 'done', stopReason: 'end' };
      },
    };
    const { engine } = createEngine({ workspaceRoot: root, clientFor: (role) => (role.modelId === 'demo-coder' ? silent : demoClient(role)) });
    const run = await engine.start({ request: 'x', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await assert.rejects(engine.confirmModel(run.runId), /empty answer/);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder');
    assert.match(engine.activityOf(run.runId).lastError ?? '', /did not answer/);
    engine.dispose();
  });
});

describe('resuming after a window reload', () => {
  it('resumes in every phase, with a second window kept out while the first is alive', async () => {
    const root = await workspace();
    const first = createEngine({ workspaceRoot: root, owner: 'window-1' });
    const run = await first.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');

    const second = createEngine({ workspaceRoot: root, owner: 'window-2' });
    const { resumed } = await second.engine.resumeAll();
    assert.deepEqual(resumed, [], 'the lock is held by window-1');
    assert.match(second.engine.activityOf(run.runId).heldElsewhere ?? '', /Another window/);
    await second.engine.dispose();
    assert.equal((await fs.readFile(second.store.artifactPath(run.runId, 'run.lock'), 'utf8')).includes('window-1'), true, 'a window that only watched releases nothing');

    // Window 1 reloads: its extension host closes (releasing the run) and a new one starts with
    // a new identity, as a reloaded VS Code window does.
    await first.engine.dispose();
    const reloaded = createEngine({ workspaceRoot: root, owner: 'window-1-reloaded' });
    assert.deepEqual((await reloaded.engine.resumeAll()).resumed, [run.runId]);
    assert.equal(reloaded.engine.get(run.runId)?.state.phase, 'hard-stop-to-coder');
    await reloaded.engine.confirmModel(run.runId);
    await waitForPhase(reloaded.engine, run.runId, 'hard-stop-to-architect');
    await reloaded.engine.dispose();

    const again = createEngine({ workspaceRoot: root, owner: 'window-1' });
    await again.engine.resumeAll();
    await again.engine.confirmModel(run.runId);
    await waitForPhase(again.engine, run.runId, 'architect-review');
    await again.engine.dispose();
    const last = createEngine({ workspaceRoot: root, owner: 'window-1' });
    await last.engine.resumeAll();
    const review = last.engine.get(run.runId)?.state;
    assert.ok(review?.phase === 'architect-review' && review.verdict, 'the verdict survives the reload');
    await last.engine.decide(run.runId, 'approved');
    await waitForPhase(last.engine, run.runId, 'approved');
    await last.engine.dispose();
  });

  it('does not resume a run it is already driving', async () => {
    const root = await workspace();
    const { engine } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    assert.deepEqual((await engine.resumeAll()).resumed, []);
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    assert.equal(engine.get(run.runId)?.specs.length, 1, 'the spec was written once');
    await engine.dispose();
  });

  it('a window waiting on a run takes it over as soon as the driving window closes', async () => {
    const root = await workspace();
    const driving = createEngine({ workspaceRoot: root, owner: 'driver' });
    const run = await driving.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(driving.engine, run.runId, 'hard-stop-to-coder');
    const { createEngine: create } = await import('../support/engineHarness.js');
    const watching = create({ workspaceRoot: root, owner: 'watcher', heldRetryMs: 20 });
    assert.deepEqual((await watching.engine.resumeAll()).resumed, []);
    await driving.engine.dispose();
    await waitForEngine(watching.engine, () => watching.engine.activityOf(run.runId).heldElsewhere === undefined, 'the watching window never took the run over');
    await watching.engine.confirmModel(run.runId);
    await waitForPhase(watching.engine, run.runId, 'hard-stop-to-architect');
    await watching.engine.dispose();
  });

  it('a reload in the middle of Phase 3 keeps the edits and reports against the true originals', async () => {
    const root = await workspace();
    const originalIndex = await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8');
    // A Coder that edits src/index.js, then is cut off (the window reloads) before it finishes.
    let askedAfterEdit: () => void = () => undefined;
    const editApplied = new Promise<void>((resolve) => (askedAfterEdit = resolve));
    const interrupted = demoExcept(demoRoles.coder, 'implement', async function* (request, signal) {
      if (!request.messages.some((m) => m.role === 'assistant')) {
        yield { type: 'tool-call', id: '1', name: 'edit_file', input: { path: 'src/index.js', old_text: 'module.exports = { capitalize, truncate };', new_text: "const { slugify } = require('./slugify');\n\nmodule.exports = { capitalize, truncate, slugify };" } };
        yield { type: 'done', stopReason: 'tool-use' };
        return;
      }
      // Asked again: the edit's tool result is in, so the edit is on disk.
      askedAfterEdit();
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    });
    const first = createEngine({ workspaceRoot: root, owner: 'w', clientFor: (role) => (role.modelId === 'demo-coder' ? interrupted : demoClient(role)) });
    const run = await first.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');
    await first.engine.confirmModel(run.runId);
    await within(editApplied, 'the Coder was never asked again after its edit');
    assert.match(await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8'), /slugify/, 'the edit is on disk before the window reloads');
    await first.engine.dispose();
    assert.equal(first.engine.get(run.runId)?.state.phase, 'coder-implement');

    const second = createEngine({ workspaceRoot: root, owner: 'w' });
    await second.engine.resumeAll();
    await waitForPhase(second.engine, run.runId, 'hard-stop-to-architect');
    const report = parseCodeReport(await fs.readFile(second.store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    const index = report.value.filesChanged.find((change) => change.path === 'src/index.js');
    assert.deepEqual([index?.action, index?.added, index?.removed], ['Modified', 3, 1], 'counted against the file before the first pass');
    assert.equal(report.value.testResult.status, 'PASS');
    const originals = JSON.parse(await fs.readFile(second.store.artifactPath(run.runId, 'versions/v1/originals.json'), 'utf8')) as Record<string, string>;
    assert.equal(originals['src/index.js'], originalIndex);
    second.engine.dispose();
  });
  it("tells a resumed Coder which files its interrupted pass had already changed; a fresh pass hears nothing of it", async () => {
    const root = await workspace();
    const firstMessages: string[] = [];
    let secondTurnAsked: () => void = () => undefined;
    // Asked once every tool call of the first turn has been carried out.
    const firstTurnDone = new Promise<void>((resolve) => (secondTurnAsked = resolve));
    const firstUserText = (request: ModelRequest): string =>
      (request.messages[0]?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
    // Before the reload the Coder modifies src/index.js, creates src/notes.js, deletes README.md,
    // and creates then deletes src/draft.js (touched, but as it was before the pass); its next
    // turn is cut off by the reload.
    const interrupted = demoExcept(demoRoles.coder, 'implement', async function* (request, signal) {
      if (!request.messages.some((m) => m.role === 'assistant')) {
        firstMessages.push(firstUserText(request));
        yield { type: 'tool-call', id: '1', name: 'edit_file', input: { path: 'src/index.js', old_text: 'module.exports = { capitalize, truncate };', new_text: "const { slugify } = require('./slugify');\n\nmodule.exports = { capitalize, truncate, slugify };" } };
        yield { type: 'tool-call', id: '2', name: 'write_file', input: { path: 'src/notes.js', content: '// notes\n' } };
        yield { type: 'tool-call', id: '3', name: 'delete_file', input: { path: 'README.md' } };
        yield { type: 'tool-call', id: '4', name: 'write_file', input: { path: 'src/draft.js', content: '// draft\n' } };
        yield { type: 'tool-call', id: '5', name: 'delete_file', input: { path: 'src/draft.js' } };
        yield { type: 'done', stopReason: 'tool-use' };
        return;
      }
      secondTurnAsked();
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    });
    const resumed = (role: RoleSnapshot): ModelClient => ({
      info: demoClient(role).info,
      async *stream(request, signal) {
        if (request.purpose === 'implement' && !request.messages.some((m) => m.role === 'assistant')) firstMessages.push(firstUserText(request));
        yield* demoClient(role).stream(request, signal);
      },
    });
    const first = createEngine({ workspaceRoot: root, owner: 'w', clientFor: (role) => (role.modelId === 'demo-coder' ? interrupted : demoClient(role)) });
    const run = await first.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');
    await first.engine.confirmModel(run.runId);
    await firstTurnDone;
    await first.engine.dispose();

    const second = createEngine({ workspaceRoot: root, owner: 'w', clientFor: (role) => (role.modelId === 'demo-coder' ? resumed(role) : demoClient(role)) });
    await second.engine.resumeAll();
    await waitForPhase(second.engine, run.runId, 'hard-stop-to-architect');
    await second.engine.dispose();

    assert.equal(firstMessages.length, 2, 'one conversation before the reload, one after');
    const [fresh = '', afterReload = ''] = firstMessages;
    assert.ok(fresh.startsWith('Implement this Code Spec.'));
    assert.doesNotMatch(fresh, /interrupted/);
    assert.ok(afterReload.startsWith(fresh), 'the same spec, with the note after it');
    const note = afterReload.slice(fresh.length);
    assert.match(note, /^\n\n## This pass was interrupted and resumed\n/);
    assert.deepEqual(
      note.split('\n').filter((line) => line.startsWith('- ')),
      ['- `README.md` (deleted)', '- `src/index.js` (modified)', '- `src/notes.js` (created)'],
    );
    assert.match(note, /Read a file before you change it again/);
  });
});

describe('batch mode', () => {
  it('saves code_spec_01.md … and implements them in sequence under one consolidated report', async () => {
    const { renderCodeSpec } = await import('../../../src/core/artifacts/codeSpec.js');
    const spec = (id: string, file: string, command: string, batch?: { total: number }) =>
      renderCodeSpec({
        title: `Add ${file}`,
        specId: id,
        architect: 'scripted',
        created: '2026-11-25T00:00:00Z',
        priority: 'P2',
        ...(batch ? { batch } : {}),
        objective: `Create ${file}.`,
        files: [{ action: 'NEW', path: file, purpose: 'a constant', contents: ['`module.exports = 1`'] }],
        tests: [{ name: 'loads', description: 'it loads', checked: false }],
        guardrails: ['touch nothing else'],
        verification: { language: 'bash', command },
        context: '',
      });
    const batchAnswer = `${spec('CS-B1', 'src/one.js', 'node --test', { total: 2 })}\n---\n\n${spec('CS-B2', 'src/two.js', 'node -e "require(\'./src/two.js\')"')}`;
    const architect = scripted(demoRoles.architect, 'spec', [batchAnswer]);
    const coder: ModelClient = {
      info: demoClient(demoRoles.coder).info,
      async *stream(request) {
        if (request.purpose !== 'implement') {
          yield { type: 'text', text: 'demo-coder' };
          return;
        }
        const first = request.messages[0]?.content[0];
        const target = first?.type === 'text' && first.text.includes('CS-B2') ? 'src/two.js' : 'src/one.js';
        if (request.messages.length === 1) {
          yield { type: 'tool-call', id: 'w', name: 'write_file', input: { path: target, content: 'module.exports = 1;\n' } };
        } else {
          yield { type: 'tool-call', id: 'r', name: 'submit_report', input: { summary: `wrote ${target}`, blockers: [], deviations: [] } };
        }
      },
    };
    const root = await workspace();
    const { engine, store } = createEngine({ workspaceRoot: root, clientFor: (role) => (role.modelId === 'demo-architect' ? architect : coder) });
    const run = await engine.start({ request: 'two files', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    assert.deepEqual(engine.get(run.runId)?.specs[0]?.batchFiles, ['code_spec_01.md', 'code_spec_02.md']);
    const first = parseCodeSpec(await fs.readFile(store.artifactPath(run.runId, 'code_spec_01.md'), 'utf8'));
    assert.ok(first.ok && first.value.batch?.total === 2);
    await assert.rejects(fs.access(store.artifactPath(run.runId, 'code_spec.md')));
    assert.deepEqual(engine.pendingApproval(run.runId)?.commands, ['node --test', 'node -e "require(\'./src/two.js\')"']);

    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    const report = parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.equal(report.value.specId, 'CS-B1, CS-B2');
    assert.deepEqual(report.value.filesChanged.map((change) => change.path), ['src/one.js', 'src/two.js']);
    assert.equal(report.value.testResult.status, 'PASS');
    assert.match(report.value.testOutput, /\$ node --test[\s\S]*\$ node -e/);
    assert.match(report.value.summary, /### Spec 01 — CS-B1: Add src\/one\.js[\s\S]*wrote src\/one\.js[\s\S]*### Spec 02 — CS-B2[\s\S]*wrote src\/two\.js[\s\S]*2 passed their verification, 0 failed it, 0 skipped/);
    engine.dispose();
  });
});

describe('a spec edited by hand at the HARD STOP', () => {
  it('is what the Coder gets, once shown and confirmed, when it parses, and is refused with file and line when it does not', async () => {
    const root = await workspace();
    const { engine, store } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const file = store.artifactPath(run.runId, 'code_spec.md');
    const original = await fs.readFile(file, 'utf8');

    await fs.writeFile(file, original.replace(/## Verification Command[\s\S]*?```\n\n/, ''));
    await assert.rejects(engine.confirmModel(run.runId), /code_spec\.md was edited and no longer parses[\s\S]*code_spec\.md:\d+: section "Verification Command"/);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder', 'nothing moved on');

    await fs.writeFile(file, original.replace('node --test', 'node --test test/slugify.test.js'));
    // The edit is shown first (it changed the command); confirmed again, it is what runs.
    await assert.rejects(engine.confirmModel(run.runId), /changed since it was shown/);
    assert.deepEqual(engine.pendingApproval(run.runId)?.commands, ['node --test test/slugify.test.js']);
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    assert.match(await fs.readFile(store.artifactPath(run.runId, 'versions/v1/code_spec.md'), 'utf8'), /node --test test\/slugify\.test\.js/);
    const report = parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    assert.match(report.value.buildOutput, /\$ node --test test\/slugify\.test\.js/, 'the edited command is the one that ran');
    await engine.dispose();
  });
});

/** Demo models whose Architect keeps the text of every spec request it is sent. */
function recordingSpecRequests(): { seen: string[]; clientFor: (role: RoleSnapshot) => ModelClient } {
  const seen: string[] = [];
  const demo = demoClient(demoRoles.architect);
  const recording: ModelClient = {
    info: demo.info,
    async *stream(request, signal) {
      if (request.purpose === 'spec') seen.push(request.messages.map((m) => m.content.map((p) => (p.type === 'text' ? p.text : '')).join('')).join('\n'));
      yield* demo.stream(request, signal);
    },
  };
  return { seen, clientFor: (role) => (role.modelId === 'demo-architect' ? recording : demoClient(role)) };
}

describe("the Architect's context", () => {
  it('carries the files the user added (confined to the workspace) into the spec request', async () => {
    const root = await workspace();
    const { seen, clientFor } = recordingSpecRequests();
    const { engine } = createEngine({ workspaceRoot: root, clientFor });
    const run = await engine.start({ request: 'x', roles: demoRoles, contextFiles: ['src/index.js', '../outside.txt', 'missing.js'] });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    assert.match(seen[0] ?? '', /## File added by the user: src\/index\.js[\s\S]*function truncate/);
    assert.doesNotMatch(seen[0] ?? '', /outside\.txt|missing\.js/);
    assert.deepEqual(engine.get(run.runId)?.contextFiles, ['src/index.js', '../outside.txt', 'missing.js']);
    await engine.dispose();
  });

  it('shows the Architect the file open in the editor, read afresh, once even if also added', async () => {
    const root = await workspace();
    const { seen, clientFor } = recordingSpecRequests();
    const { engine } = createEngine({ workspaceRoot: root, clientFor });
    const first = await engine.start({ request: 'x', roles: demoRoles, activeFile: { file: 'src/index.js', line: 7 } });
    await waitForPhase(engine, first.runId, 'hard-stop-to-coder');
    assert.match(seen[0] ?? '', /## File open in the editor: src\/index\.js \(cursor at line 7\)[\s\S]*function truncate/);
    assert.deepEqual(engine.get(first.runId)?.activeFile, { file: 'src/index.js', line: 7 });
    const both = await engine.start({ request: 'y', roles: demoRoles, contextFiles: ['src/index.js'], activeFile: { file: 'src/index.js', line: 1 } });
    await waitForPhase(engine, both.runId, 'hard-stop-to-coder');
    assert.equal(seen[1]?.match(/function truncate/g)?.length, 1, 'the file is sent once');
    // A path that leads out of the workspace is not read, as for added files.
    const outside = await engine.start({ request: 'z', roles: demoRoles, activeFile: { file: '../outside.txt', line: 1 } });
    await waitForPhase(engine, outside.runId, 'hard-stop-to-coder');
    assert.doesNotMatch(seen[2] ?? '', /File open in the editor/);
    await engine.dispose();
  });
});

describe('runs found on disk that this machine did not start', () => {
  /** A client that counts every request, to prove that nothing called a model. */
  function counting(): { clientFor: (role: RoleSnapshot) => ModelClient; calls: () => number } {
    let calls = 0;
    return {
      calls: () => calls,
      clientFor: (role) => {
        const demo = demoClient(role);
        return {
          info: demo.info,
          stream(request, signal) {
            calls += 1;
            return demo.stream(request, signal);
          },
        };
      },
    };
  }

  /** A run left on disk by "another machine" (a repository that ships .dual-model/), mid-phase. */
  async function plantedRun(root: string, until: 'hard-stop-to-coder' | 'architect-spec'): Promise<string> {
    const elsewhere = createEngine({ workspaceRoot: root, owner: 'other-machine', origins: new MemoryRunOrigins() });
    const run = await elsewhere.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    if (until === 'hard-stop-to-coder') await waitForPhase(elsewhere.engine, run.runId, 'hard-stop-to-coder');
    await elsewhere.engine.dispose();
    if (until === 'architect-spec') {
      // As if the file had been written in Phase 1: the state a resume would redo at once.
      const file = elsewhere.store.artifactPath(run.runId, 'run.json');
      const json = JSON.parse(await fs.readFile(file, 'utf8')) as { state: unknown };
      json.state = { phase: 'architect-spec', reason: 'initial' };
      await fs.writeFile(file, JSON.stringify(json));
      await fs.rm(elsewhere.store.artifactPath(run.runId, 'run.lock'), { force: true });
    }
    return run.runId;
  }

  it('is listed and readable but calls no model, takes no lock and refuses every intent until the user resumes it', async () => {
    const root = await workspace();
    const runId = await plantedRun(root, 'architect-spec');
    const model = counting();
    const here = createEngine({ workspaceRoot: root, owner: 'this-window', origins: new MemoryRunOrigins(), clientFor: model.clientFor });
    const { resumed, dormant } = await here.engine.resumeAll();
    assert.deepEqual([resumed, dormant], [[], [runId]]);
    assert.equal(here.engine.get(runId)?.state.phase, 'architect-spec', 'listed with its phase');
    assert.match(here.engine.activityOf(runId).dormant ?? '', /not started on this machine/);
    await assert.rejects(fs.access(here.store.artifactPath(runId, 'run.lock')), 'no lock taken');
    await assert.rejects(here.engine.retry(runId), /Resume it first/);
    assert.equal(model.calls(), 0, 'no model was called');

    await here.engine.resumeDormant(runId);
    await waitForPhase(here.engine, runId, 'hard-stop-to-coder');
    assert.ok(model.calls() > 0, 'resumed by the user, the Architect writes the spec');
    await here.engine.dispose();
  });

  it('a planted run at a HARD STOP cannot be confirmed until resumed; once resumed it is this machine\'s', async () => {
    const root = await workspace();
    const runId = await plantedRun(root, 'hard-stop-to-coder');
    const origins = new MemoryRunOrigins();
    const here = createEngine({ workspaceRoot: root, owner: 'this-window', origins });
    await here.engine.resumeAll();
    await assert.rejects(here.engine.confirmModel(runId), /not started on this machine.*Resume it first/s);
    await here.engine.resumeDormant(runId);
    assert.equal(origins.startedHere(runId), true);
    await here.engine.dispose();
    const reloaded = createEngine({ workspaceRoot: root, owner: 'this-window-reloaded', origins });
    assert.deepEqual((await reloaded.engine.resumeAll()).resumed, [runId], 'after a reload it resumes by itself');
    await reloaded.engine.dispose();
  });

  it("in Restricted Mode not even this machine's own runs resume", async () => {
    const root = await workspace();
    const origins = new MemoryRunOrigins();
    const model = counting();
    const first = createEngine({ workspaceRoot: root, owner: 'window-1', origins });
    const run = await first.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');
    await first.engine.dispose();
    const restricted = createEngine({ workspaceRoot: root, owner: 'window-2', origins, clientFor: model.clientFor });
    const { resumed, dormant } = await restricted.engine.resumeAll('The workspace is not trusted (Restricted Mode).');
    assert.deepEqual([resumed, dormant], [[], [run.runId]]);
    await assert.rejects(restricted.engine.confirmModel(run.runId), /Restricted Mode/);
    assert.equal(model.calls(), 0);
    await restricted.engine.dispose();
  });
});

describe('opening an artifact for the panel', () => {
  it('refuses a run id it does not know or that leads elsewhere, and a path out of the run folder', async () => {
    const root = await workspace();
    const { engine, store } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    assert.equal(engine.artifactFile(run.runId, 'versions/v1/code_spec.md'), store.artifactPath(run.runId, 'versions/v1/code_spec.md'));
    // A forged message: the run id walks out of brain/, the path then points back at a real file.
    for (const runId of ['..', '../..', `${run.runId}/..`, `../${run.runId}`, '', 'not-a-run']) {
      assert.throws(() => engine.artifactFile(runId, `brain/${run.runId}/code_spec.md`), /no run|not a run/i, runId);
    }
    for (const file of ['../../../package.json', '/etc/passwd', '..', '']) {
      assert.throws(() => engine.artifactFile(run.runId, file), /not an artifact/, file);
    }
    await engine.dispose();
  });
});
