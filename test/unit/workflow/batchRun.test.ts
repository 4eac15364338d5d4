import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseCodeReport } from '../../../src/core/artifacts/codeReport.js';
import { renderCodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import type { ModelClient, ModelRequest } from '../../../src/core/models/modelClient.js';
import { parseRunRecord } from '../../../src/core/workflow/runRecord.js';
import type { RunEngine } from '../../../src/core/workflow/runEngine.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import { parseSpecAnswer } from '../../../src/core/workflow/specVersions.js';
import { waitUntil } from '../../support/waitUntil.js';
import { createEngine, demoClient, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

const batchRequest = 'Add slugify, wordCount and titleCase in batch mode';

/** Resolves once the run's batch pass is paused on a failed spec; names what it saw instead. */
function waitForPause(engine: RunEngine, runId: string): Promise<unknown> {
  return waitUntil(
    () => {
      const state = engine.get(runId)?.state;
      if (state?.phase === 'failed') throw new Error(`run failed: ${state.error}`);
      return state?.phase === 'coder-implement' && state.batch?.paused && !engine.activityOf(runId).busy;
    },
    () => `the batch never paused; the run is in ${JSON.stringify(engine.get(runId)?.state)}`,
    30_000,
  );
}

const firstUserText = (request: ModelRequest): string => (request.messages[0]?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');

describe('batch mode: the Batch Mode note is checked when the spec answer is read', () => {
  const spec = (id: string, batch?: { total: number }) =>
    renderCodeSpec({
      title: `Spec ${id}`,
      specId: id,
      architect: 'scripted',
      created: '2026-11-27T00:00:00Z',
      priority: 'P2',
      ...(batch ? { batch } : {}),
      objective: 'Do it.',
      files: [{ action: 'NEW', path: `src/${id}.js`, purpose: 'a constant', contents: ['`module.exports = 1`'] }],
      tests: [{ name: 'loads', description: 'it loads', checked: false }],
      guardrails: ['touch nothing else'],
      verification: { language: 'bash', command: 'node --test' },
      context: '',
    });
  const joined = (...specs: string[]): string => specs.join('\n---\n\n');

  it('reads a batch whose first spec carries the note with the right count', () => {
    const parsed = parseSpecAnswer(joined(spec('A', { total: 3 }), spec('B'), spec('C')));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.specs.map((s) => s.specId), ['A', 'B', 'C']);
  });

  it('refuses several specs without the note, and says which note to write', () => {
    const parsed = parseSpecAnswer(joined(spec('A'), spec('B')));
    assert.ok(!parsed.ok);
    assert.match(parsed.error, /^code_spec_01\.md: 2 specs were found .* but the first has no Batch Mode note/);
    assert.match(parsed.error, /> \*\*Batch Mode Active\.\*\* Implement specs 01 through 02 sequentially\./);
  });

  it('refuses a note whose count does not match the specs found', () => {
    const parsed = parseSpecAnswer(joined(spec('A', { total: 3 }), spec('B')));
    assert.ok(!parsed.ok);
    assert.match(parsed.error, /announces 3 specs but the answer holds 2/);
    const single = parseSpecAnswer(spec('A', { total: 2 }));
    assert.ok(!single.ok);
    assert.match(single.error, /^code_spec\.md: the Batch Mode note announces 2 specs but the answer holds 1\. Separate the specs/);
  });

  it('refuses the note in any spec but the first', () => {
    const parsed = parseSpecAnswer(joined(spec('A', { total: 2 }), spec('B', { total: 2 })));
    assert.ok(!parsed.ok);
    assert.match(parsed.error, /^code_spec_02\.md: the Batch Mode note belongs in the first spec only/);
  });

  it('a malformed batch answer gets one repair request, and a second failure fails the run naming the problem', async () => {
    let asked = 0;
    const architect: ModelClient = {
      info: demoClient(demoRoles.architect).info,
      async *stream(request, signal) {
        if (request.purpose !== 'spec') return yield* demoClient(demoRoles.architect).stream(request, signal);
        asked += 1;
        yield { type: 'text', text: joined(spec('A'), spec('B')) };
        yield { type: 'done', stopReason: 'end' };
      },
    };
    const { engine } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => (role.modelId === 'demo-architect' ? architect : demoClient(role)) });
    const run = await engine.start({ request: 'two things', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'failed');
    const state = engine.get(run.runId)?.state;
    assert.ok(state?.phase === 'failed');
    assert.match(state.error, /still malformed after one repair request:\ncode_spec_01\.md: 2 specs were found/);
    assert.equal(asked, 2);
    await engine.dispose();
  });
});

describe('batch mode with the demo models: three specs, the second failing its verification', () => {
  it('one HARD STOP approves all three commands; the pass pauses on spec 02 and, going on, writes one consolidated report', async () => {
    const root = await workspace();
    const { engine, store } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: batchRequest, roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    assert.deepEqual(engine.get(run.runId)?.specs[0]?.batchFiles, ['code_spec_01.md', 'code_spec_02.md', 'code_spec_03.md']);
    assert.deepEqual(engine.pendingApproval(run.runId)?.commands, ['node --test test/slugify.test.js', 'node --test test/wordCount.test.js', 'node --test test/titleCase.test.js']);
    const atHardStop = await engine.snapshot(run.runId);
    assert.deepEqual(
      atHardStop?.view.batch?.specs.map((spec) => [spec.file, spec.specId, spec.title, spec.command, spec.status]),
      [
        ['code_spec_01.md', 'CS-DEMO-B01', 'Add a slugify utility', 'node --test test/slugify.test.js', 'pending'],
        ['code_spec_02.md', 'CS-DEMO-B02', 'Add a wordCount utility', 'node --test test/wordCount.test.js', 'pending'],
        ['code_spec_03.md', 'CS-DEMO-B03', 'Add a titleCase utility', 'node --test test/titleCase.test.js', 'pending'],
      ],
    );

    await engine.confirmModel(run.runId);
    await waitForPause(engine, run.runId);
    // What a reloaded window would read: run.json holds the progress, valid against the schema.
    const saved = parseRunRecord(run.runId, await fs.readFile(store.artifactPath(run.runId, 'run.json'), 'utf8'));
    assert.ok(saved.ok, saved.ok ? '' : saved.error);
    const state = saved.record.state;
    assert.ok(state.phase === 'coder-implement' && state.batch?.paused);
    assert.deepEqual(state.batch.done.map((outcome) => [outcome.specId, outcome.verification.passed, outcome.verification.exitCode]), [['CS-DEMO-B01', true, 0], ['CS-DEMO-B02', false, 1]]);
    assert.match(state.batch.done[1]?.verification.output ?? '', /wordCount ignores surrounding whitespace/);
    await assert.rejects(fs.access(path.join(root, 'src', 'titleCase.js')), 'spec 03 waits for the choice');
    const paused = await engine.snapshot(run.runId);
    assert.equal(paused?.view.batch?.paused?.specId, 'CS-DEMO-B02');
    assert.match(paused?.view.batch?.paused?.output ?? '', /7 !== 2/, 'the failing assertion of spec 02');
    assert.deepEqual(paused?.view.batch?.specs.map((spec) => spec.status), ['passed', 'failed', 'pending']);
    const opened = paused?.view.documents[paused.view.activeDocument];
    assert.match(opened?.path ?? '', /code_spec_02\.md$/, 'the panel opens the spec that failed, not the newest document');

    await engine.continueBatch(run.runId, 'go-on');
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    assert.equal(await fs.readFile(path.join(root, 'src', 'titleCase.js'), 'utf8').then((text) => text.includes('titleCase'), () => false), true);
    const report = parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.equal(report.value.specId, 'CS-DEMO-B01, CS-DEMO-B02, CS-DEMO-B03');
    assert.equal(report.value.testResult.status, 'FAIL');
    assert.match(report.value.testResult.details, /^spec 02 \(CS-DEMO-B02\): `node --test test\/wordCount\.test\.js` exited with code 1/);
    assert.match(report.value.summary, /### Spec 01 — CS-DEMO-B01[\s\S]*\*\*Verification:\*\* PASS[\s\S]*### Spec 02 — CS-DEMO-B02[\s\S]*\*\*Verification:\*\* FAIL[\s\S]*### Spec 03 — CS-DEMO-B03[\s\S]*\*\*Verification:\*\* PASS/);
    assert.match(report.value.summary, /### Totals\n\n3 specs; 3 implemented, 2 passed their verification, 1 failed it, 0 skipped\./);
    assert.deepEqual(report.value.filesChanged.map((file) => file.path), ['src/slugify.js', 'src/titleCase.js', 'src/wordCount.js', 'test/slugify.test.js', 'test/titleCase.test.js', 'test/wordCount.test.js']);
    assert.ok(report.value.blockers.some((blocker) => blocker.startsWith('[CS-DEMO-B02] The test "wordCount ignores surrounding whitespace" fails')));
    assert.match(report.value.testOutput, /# spec 01 \(CS-DEMO-B01\)[\s\S]*# spec 02 \(CS-DEMO-B02\)[\s\S]*# spec 03 \(CS-DEMO-B03\)/);
    assert.deepEqual(
      engine.get(run.runId)?.reports[0]?.checks?.map((check) => [check.command, check.exitCode]),
      [['node --test test/slugify.test.js', 0], ['node --test test/wordCount.test.js', 1], ['node --test test/titleCase.test.js', 0]],
      'run.json keeps each command\'s last run, for the side-panel review',
    );

    // The rest of the demo: the Architect's fix for spec 02, then Approved.
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'architect-review');
    await engine.decide(run.runId, 'revisions-needed');
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'architect-review');
    const review = engine.get(run.runId)?.state;
    assert.ok(review?.phase === 'architect-review' && review.verdict?.outcome === 'approved', JSON.stringify(review));
    await engine.dispose();
  });

  it('Stop here writes the report of what was done, names the skipped spec, and moves to the HARD STOP to the Architect', async () => {
    const root = await workspace();
    const { engine, store } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: batchRequest, roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPause(engine, run.runId);
    await assert.rejects(engine.confirmModel(run.runId), /no HARD STOP waiting/);
    await engine.continueBatch(run.runId, 'stop');
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await assert.rejects(fs.access(path.join(root, 'src', 'titleCase.js')), 'the skipped spec changed nothing');
    const report = parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.match(report.value.summary, /### Spec 03 — CS-DEMO-B03: Add a titleCase utility \(`code_spec_03\.md`\)\n\n\*\*Skipped:\*\* not implemented: the batch was stopped after spec 02 \(CS-DEMO-B02\) failed its verification\./);
    assert.match(report.value.summary, /3 specs; 2 implemented, 1 passed their verification, 1 failed it, 1 skipped\./);
    assert.ok(report.value.deviations.includes('Skipped spec 03 (CS-DEMO-B03), `code_spec_03.md`: the batch was stopped after spec 02 (CS-DEMO-B02) failed its verification.'));
    assert.match(report.value.testResult.details, /1 spec\(s\) skipped/);
    const history = engine.get(run.runId)?.history.map((entry) => entry.event);
    assert.deepEqual(history?.slice(-4), ['batch-spec-done', 'batch-spec-done', 'batch-stop', 'report-written']);
    await engine.dispose();
  });

  it('in Restricted Mode Go on is refused and nothing runs; Stop still reports what was done', async () => {
    const root = await workspace();
    let trusted = true;
    const { engine, store } = createEngine({ workspaceRoot: root, isTrusted: () => trusted });
    const run = await engine.start({ request: batchRequest, roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPause(engine, run.runId);
    trusted = false;
    await assert.rejects(engine.continueBatch(run.runId, 'go-on'), /not trusted \(Restricted Mode\).*press Go on again/);
    const state = engine.get(run.runId)?.state;
    assert.ok(state?.phase === 'coder-implement' && state.batch?.paused, 'the batch still waits for the choice');
    await assert.rejects(fs.access(path.join(root, 'src', 'titleCase.js')), 'spec 03 did not run');
    await engine.continueBatch(run.runId, 'stop');
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    assert.ok(parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8')).ok);
    await engine.dispose();
  });

  it('a reload while paused waits for the choice again; going on implements spec 03 only', async () => {
    const root = await workspace();
    const first = createEngine({ workspaceRoot: root, owner: 'w' });
    const run = await first.engine.start({ request: batchRequest, roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');
    await first.engine.confirmModel(run.runId);
    await waitForPause(first.engine, run.runId);
    await first.engine.dispose();

    const implemented: string[] = [];
    const counting = (role: RoleSnapshot): ModelClient => ({
      info: demoClient(role).info,
      async *stream(request, signal) {
        if (request.purpose === 'implement' && request.messages.length === 1) implemented.push(/Spec ID:\*\* (\S+)/.exec(firstUserText(request))?.[1] ?? '?');
        yield* demoClient(role).stream(request, signal);
      },
    });
    const second = createEngine({ workspaceRoot: root, owner: 'w', clientFor: counting });
    await second.engine.resumeAll();
    await waitForPause(second.engine, run.runId);
    assert.deepEqual(implemented, [], 'nothing runs until the user chooses');
    await second.engine.continueBatch(run.runId, 'go-on');
    await waitForPhase(second.engine, run.runId, 'hard-stop-to-architect');
    assert.deepEqual(implemented, ['CS-DEMO-B03']);
    const report = parseCodeReport(await fs.readFile(second.store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    assert.match(report.value.summary, /3 implemented, 2 passed their verification, 1 failed it/, 'the earlier specs\' results survive the reload');
    await second.engine.dispose();
  });

  it('a reload in the middle of spec 03 resumes at spec 03, telling the Coder only what spec 03 had changed', async () => {
    const root = await workspace();
    let cut: () => void = () => undefined;
    const spec03Begun = new Promise<void>((resolve) => (cut = resolve));
    // Spec 03's Coder writes src/titleCase.js, then the window reloads before its next turn.
    const interrupted = (role: RoleSnapshot): ModelClient => ({
      info: demoClient(role).info,
      async *stream(request, signal) {
        if (request.purpose !== 'implement' || !firstUserText(request).includes('CS-DEMO-B03')) return yield* demoClient(role).stream(request, signal);
        if (request.messages.length === 1) {
          yield { type: 'tool-call', id: 't', name: 'write_file', input: { path: 'src/titleCase.js', content: '// half done\n' } };
          yield { type: 'done', stopReason: 'tool-use' };
          return;
        }
        cut();
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
      },
    });
    const first = createEngine({ workspaceRoot: root, owner: 'w', clientFor: interrupted });
    const run = await first.engine.start({ request: batchRequest, roles: demoRoles });
    await waitForPhase(first.engine, run.runId, 'hard-stop-to-coder');
    await first.engine.confirmModel(run.runId);
    await waitForPause(first.engine, run.runId);
    await first.engine.continueBatch(run.runId, 'go-on');
    await spec03Begun;
    await first.engine.dispose();

    const firstMessages: string[] = [];
    const recording = (role: RoleSnapshot): ModelClient => ({
      info: demoClient(role).info,
      async *stream(request, signal) {
        if (request.purpose === 'implement' && request.messages.length === 1) firstMessages.push(firstUserText(request));
        yield* demoClient(role).stream(request, signal);
      },
    });
    const second = createEngine({ workspaceRoot: root, owner: 'w', clientFor: recording });
    await second.engine.resumeAll();
    await waitForPhase(second.engine, run.runId, 'hard-stop-to-architect');
    assert.equal(firstMessages.length, 1, 'one conversation after the reload, for spec 03 alone');
    const [resumed = ''] = firstMessages;
    assert.match(resumed, /\*\*Spec ID:\*\* CS-DEMO-B03/);
    const note = resumed.slice(resumed.indexOf('## This pass was interrupted and resumed'));
    assert.ok(note.length < resumed.length, 'the resumed Coder is told its spec was interrupted');
    assert.deepEqual(note.split('\n').filter((line) => line.startsWith('- `')), ['- `src/titleCase.js` (created)'], 'only what spec 03 had changed');
    const report = parseCodeReport(await fs.readFile(second.store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    assert.match(report.value.summary, /### Spec 01 — CS-DEMO-B01[\s\S]*### Spec 02 — CS-DEMO-B02[\s\S]*### Spec 03 — CS-DEMO-B03[\s\S]*3 implemented, 2 passed/);
    assert.match(report.value.summary, /### Spec 03 — CS-DEMO-B03[^\n]*\n\n\*\*Verification:\*\* PASS[^\n]*\n\*\*Files:\*\* `src\/titleCase\.js` \(created, \+\d+ \/ -0\), `test\/titleCase\.test\.js`/);
    await second.engine.dispose();
  });
});

describe('batch progress in run.json', () => {
  const record = (state: unknown): string =>
    JSON.stringify({
      schemaVersion: 1,
      runId: 'r1',
      request: 'x',
      createdAt: '2026-11-27T00:00:00Z',
      updatedAt: '2026-11-27T00:00:00Z',
      revision: 3,
      roles: demoRoles,
      state,
      specs: [{ version: 1, createdAt: '2026-11-27T00:00:00Z', specId: 'A, B', batchFiles: ['code_spec_01.md', 'code_spec_02.md'] }],
      reports: [],
      decisions: [],
      history: [],
      usage: {},
    });
  const implementing = { phase: 'coder-implement', specVersion: 1, approvedCommands: ['node --test'], confirmedModel: 'coder' };

  it('reads a run.json from before batch progress was saved (a pass under way resumes from spec 01)', () => {
    const loaded = parseRunRecord('r1', record(implementing));
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.error);
    assert.ok(loaded.record.state.phase === 'coder-implement' && loaded.record.state.batch === undefined);
  });

  it('refuses damaged progress by its place in the file, and leaves the run as it is', () => {
    const loaded = parseRunRecord('r1', record({ ...implementing, batch: { done: [{ index: -1, specId: 'A' }] } }));
    assert.ok(!loaded.ok);
    assert.match(loaded.error, /^run\.json is damaged at "state\.batch\.done\.0\.index"/);
  });
});
