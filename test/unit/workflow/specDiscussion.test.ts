// The HARD STOP as a real gate: the user discusses the spec with the Architect before confirming
// (answers kept per spec version), has it revised from the answers, or (opting in) lets the HARD
// STOP confirm itself once the next model answers.
import assert from 'node:assert/strict';
import type { ModelRequest } from '../../../src/core/models/modelClient.js';
import { ModelError } from '../../../src/core/models/modelErrors.js';
import { waitUntil } from '../../support/waitUntil.js';
import { createEngine, demoClient, demoExcept, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

describe('discussing the spec at the HARD STOP', () => {
  it('answers a question about the spec shown, keeps it in run.json and the view, and sends the earlier turns with the next question', async () => {
    const seen: ModelRequest[] = [];
    const architect = demoExcept(demoRoles.architect, 'spec-question', async function* (request) {
      seen.push(request);
      yield { type: 'text', text: `Answer ${seen.length}.` };
      yield { type: 'done', stopReason: 'end' };
    });
    const { engine } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => (role.modelId === demoRoles.architect.modelId ? architect : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');

    assert.equal(await engine.askAboutSpec(run.runId, 'Why a new file?'), 'Answer 1.');
    assert.equal(await engine.askAboutSpec(run.runId, 'And the tests?'), 'Answer 2.');
    const text = (request: ModelRequest | undefined): string => request?.messages.map((message) => message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')).join('') ?? '';
    assert.match(text(seen[0]), /## Code Spec[\s\S]*# Code Spec[\s\S]*## Question\n\nWhy a new file\?/);
    assert.match(text(seen[1]), /## Earlier question\n\nWhy a new file\?\n\n## Your answer\n\nAnswer 1\.[\s\S]*## Question\n\nAnd the tests\?/);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder', 'a question moves nothing on');
    assert.deepEqual(engine.get(run.runId)?.specQuestions?.map((turn) => [turn.specVersion, turn.question, turn.answer]), [[1, 'Why a new file?', 'Answer 1.'], [1, 'And the tests?', 'Answer 2.']]);
    assert.deepEqual((await engine.snapshot(run.runId))?.view.hardStop?.discussion, [{ question: 'Why a new file?', answer: 'Answer 1.' }, { question: 'And the tests?', answer: 'Answer 2.' }]);
    assert.ok(engine.get(run.runId)?.calls.some((call) => call.purpose === 'spec-question' && call.phase === 'hard-stop-to-coder'), 'the question is metered like any call');
    await engine.dispose();
  });

  it('revises the spec from the discussion: a new version written with the answers, shown at a new HARD STOP', async () => {
    const seen: ModelRequest[] = [];
    const architect = demoExcept(demoRoles.architect, 'spec', async function* (request, signal) {
      seen.push(request);
      yield* demoClient(demoRoles.architect).stream(request, signal);
    });
    const { engine } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => (role.modelId === demoRoles.architect.modelId ? architect : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await assert.rejects(engine.reviseSpecFromDiscussion(run.runId), /Ask the Architect about the spec first/);
    await engine.askAboutSpec(run.runId, 'Should accented letters be transliterated?');
    await engine.reviseSpecFromDiscussion(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const state = engine.get(run.runId)?.state;
    assert.equal(state?.phase === 'hard-stop-to-coder' ? state.specVersion : undefined, 2, 'a new spec version waits at the HARD STOP');
    const prompt = seen.at(-1)?.messages.map((message) => message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')).join('') ?? '';
    assert.match(prompt, /## Revisions needed[\s\S]*The user asked: Should accented letters be transliterated\?\nYou answered: /);
    assert.deepEqual((await engine.snapshot(run.runId))?.view.hardStop?.discussion, [], 'the new version starts a new discussion');
    await engine.dispose();
  });

  it('a failed answer says why, keeps nothing, and leaves the HARD STOP as it was; a question elsewhere is refused', async () => {
    const architect = demoExcept(demoRoles.architect, 'spec-question', async function* () {
      yield* [];
      throw new ModelError('auth', 'invalid x-api-key', { provider: 'test', status: 401 });
    });
    const { engine } = createEngine({ workspaceRoot: await workspace(), clientFor: (role) => (role.modelId === demoRoles.architect.modelId ? architect : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await assert.rejects(engine.askAboutSpec(run.runId, 'Why?'), /invalid x-api-key/);
    assert.match(engine.activityOf(run.runId).lastError ?? '', /The Architect could not answer: invalid x-api-key/);
    assert.equal(engine.get(run.runId)?.specQuestions, undefined);
    await assert.rejects(engine.askAboutSpec(run.runId, '   '), /Write a question/);
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await assert.rejects(engine.askAboutSpec(run.runId, 'Why?'), /only at the HARD STOP before the Coder/);
    await engine.dispose();
  });
});

describe('a HARD STOP that confirms itself (the user’s opt-in)', () => {
  it('goes through both HARD STOPs once each model answers, the identity check and the approved command included', async () => {
    const { engine } = createEngine({ workspaceRoot: await workspace(), autoConfirm: () => true });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'architect-review');
    const history = engine.get(run.runId)?.history.map((entry) => `${entry.event}:${entry.to}`);
    assert.deepEqual(history?.filter((entry) => entry.startsWith('model-confirmed')), ['model-confirmed:coder-implement', 'model-confirmed:architect-review']);
    assert.ok(engine.get(run.runId)?.calls.filter((call) => call.purpose === 'identity').length === 2, 'each model answered the identity check');
    await engine.dispose();
  });

  it('stays at the HARD STOP, saying why, when the model does not answer, and never in Restricted Mode', async () => {
    const coder = demoExcept(demoRoles.coder, 'identity', async function* () {
      yield* [];
      throw new ModelError('auth', 'invalid key', { provider: 'test', status: 401 });
    });
    const { engine } = createEngine({ workspaceRoot: await workspace(), autoConfirm: () => true, clientFor: (role) => (role.modelId === demoRoles.coder.modelId ? coder : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await waitUntil(() => engine.activityOf(run.runId).lastError !== undefined, () => 'the failed self-confirm never said why', 10_000);
    assert.match(engine.activityOf(run.runId).lastError ?? '', /did not answer: invalid key/);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder');
    await engine.dispose();

    const untrusted = createEngine({ workspaceRoot: await workspace(), autoConfirm: () => true, isTrusted: () => false });
    const second = await untrusted.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(untrusted.engine, second.runId, 'hard-stop-to-coder');
    await waitUntil(() => untrusted.engine.activityOf(second.runId).lastError !== undefined, () => 'Restricted Mode never said why it did not confirm', 10_000);
    assert.match(untrusted.engine.activityOf(second.runId).lastError ?? '', /not trusted/);
    assert.equal(untrusted.engine.get(second.runId)?.state.phase, 'hard-stop-to-coder');
    assert.equal((await untrusted.engine.snapshot(second.runId))?.view.hardStop?.autoConfirm, true, 'the HARD STOP says it would confirm itself');
    await untrusted.engine.dispose();
  });
});
