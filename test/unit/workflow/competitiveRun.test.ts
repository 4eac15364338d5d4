// Competitive mode (best-of-N) through a real engine: real files in copies of the sample
// workspace, real `node --test` verifications, scripted Coders that pass, fail their verification,
// break a guardrail and write the same file differently, and the Architect as judge.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import { slugifySourceV1, slugifyTestV1 } from '../../../src/providers/demo/demoScript.js';
import type { RunEngine } from '../../../src/core/workflow/runEngine.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import type { CompetitionState } from '../../../src/core/workflow/runState.js';
import { waitUntil } from '../../support/waitUntil.js';
import { CopiesForTests } from '../../support/copiesForTests.js';
import { answeringIdentity, createEngine, demoClient, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
const copyFolders: CopiesForTests[] = [];
after(async () => {
  await cleanup();
  await Promise.all(copyFolders.map((copies) => fs.rm(copies.base, { recursive: true, force: true })));
});

type Call = { name: string; input: Record<string, unknown> };

const coder = (modelId: string, displayName: string): RoleSnapshot => ({ provider: 'scripted-labs', modelId, displayName, thinking: 'none', isDemo: false });
const alpha = coder('alpha-coder-7', 'Alpha Coder Seven');
const beta = coder('beta-coder-2', 'Beta Coder Two');
const gamma = coder('gamma-coder-1', 'Gamma Coder One');
const delta = coder('delta-coder-4', 'Delta Coder Four');

const passingSlugify = (variant: string): string => `'use strict';\n\n// ${variant}\nfunction slugify(text, separator = '-') {\n  if (typeof text !== 'string') throw new TypeError('slugify expects a string');\n  return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).join(separator);\n}\n\nmodule.exports = { slugify };\n`;

/** A Coder that plays `turns` in order (one per answer), then submits `summary`. */
function scripted(role: RoleSnapshot, turns: Call[][], summary: string): ModelClient {
  return {
    info: { provider: role.provider, modelId: role.modelId, displayName: role.displayName, isDemo: false },
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      const turn = request.messages.filter((message) => message.role === 'assistant').length;
      const calls = turns[turn] ?? [{ name: 'submit_report', input: { summary, blockers: [], deviations: [] } }];
      let id = 0;
      for (const call of calls) yield { type: 'tool-call', id: `${role.modelId}-${turn}-${(id += 1)}`, name: call.name, input: call.input };
      yield { type: 'usage', usage: { inputTokens: 100, outputTokens: 20 * (turn + 1), cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 } };
      yield { type: 'done', stopReason: 'tool-use' };
    },
  };
}

const write = (file: string, content: string): Call => ({ name: 'write_file', input: { path: file, content } });
const verify: Call = { name: 'run_verification', input: {} };

/** Passes, with the demo's slugify (which leaves one TODO(architect) question) and names itself in a comment and its summary. */
const passesWithQuestion = (role: RoleSnapshot): ModelClient =>
  scripted(role, [[write('src/slugify.js', `// written by ${role.displayName} (${role.modelId})\n${slugifySourceV1}`), write('test/slugify.test.js', slugifyTestV1)], [verify]], `I am ${role.displayName}; slugify is added.`);
/** Passes with a slugify of its own, no question left. */
const passesClean = (role: RoleSnapshot): ModelClient =>
  scripted(role, [[write('src/slugify.js', passingSlugify('split on runs of other characters')), write('test/slugify.test.js', slugifyTestV1)], [verify]], 'slugify is added, split-based.');
/** Its test fails: its slugify keeps upper case. */
const failsVerification = (role: RoleSnapshot): ModelClient =>
  scripted(role, [[write('src/slugify.js', `'use strict';\nmodule.exports = { slugify: (text) => text.replace(/ /g, '-') };\n`), write('test/slugify.test.js', slugifyTestV1)], [verify]], 'slugify is added.');
/** Tries package.json (a guardrail of the spec), then writes a passing slugify. */
const breaksGuardrail = (role: RoleSnapshot): ModelClient =>
  scripted(role, [[write('package.json', '{}\n')], [write('src/slugify.js', passingSlugify('guardrail tried first')), write('test/slugify.test.js', slugifyTestV1)], [verify]], 'slugify is added.');

interface Setup {
  engine: RunEngine;
  root: string;
  copies: CopiesForTests;
  runId: string;
  judgeRequests: ModelRequest[];
}

interface SetupOptions {
  /** The copies the run makes (the test's fs.cp copies unless given). */
  copies?: (workspaceRoot: string) => CopiesForTests;
  guardCalls?: (runId: string, client: ModelClient) => ModelClient;
  isTrusted?: () => boolean;
}

async function competition(coders: Record<string, (role: RoleSnapshot) => ModelClient>, judge?: (request: ModelRequest, asked: number) => string, options: SetupOptions = {}): Promise<Setup> {
  const workspaceRoot = await workspace();
  const copies = options.copies?.(workspaceRoot) ?? new CopiesForTests(workspaceRoot);
  copyFolders.push(copies);
  const roles = Object.keys(coders).map((modelId) => [alpha, beta, gamma, delta].find((role) => role.modelId === modelId) ?? coder(modelId, modelId));
  const judgeRequests: ModelRequest[] = [];
  const architect: ModelClient = {
    info: demoClient(demoRoles.architect).info,
    async *stream(request, signal) {
      if (request.purpose !== 'judge' || !judge) return yield* demoClient(demoRoles.architect).stream(request, signal);
      judgeRequests.push(structuredClone(request));
      yield { type: 'text', text: judge(request, judgeRequests.length) };
      yield { type: 'done', stopReason: 'end' };
    },
  };
  const { engine } = createEngine({
    workspaceRoot,
    ...options,
    copies,
    clientFor: (role) => (role.modelId === 'demo-architect' ? architect : answeringIdentity(coders[role.modelId]?.(role) ?? demoClient(role))),
  });
  const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles, mode: { mode: 'competitive', coders: roles } });
  await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
  await engine.confirmModel(run.runId);
  return { engine, root: workspaceRoot, copies, runId: run.runId, judgeRequests };
}

function competitionOf(engine: RunEngine, runId: string): CompetitionState | undefined {
  const state = engine.get(runId)?.state;
  return state?.phase === 'coder-implement' ? state.competition : undefined;
}

function waitForPick(engine: RunEngine, runId: string): Promise<CompetitionState> {
  return waitUntil(
    () => {
      const state = engine.get(runId)?.state;
      if (state?.phase === 'failed') throw new Error(`run failed: ${state.error}`);
      return competitionOf(engine, runId)?.awaitingPick ? competitionOf(engine, runId) : undefined;
    },
    () => `the competition never waited for a pick; the run is in ${JSON.stringify(engine.get(runId)?.state)}`,
    60_000,
  );
}

const noCopiesLeft = (copies: CopiesForTests, runId: string): Promise<boolean> =>
  waitUntil(async () => (await copies.existing(runId)).length === 0, 'the run\'s copies were never removed');

describe('competitive mode: candidates ranked by their facts, judged anonymously, one applied', () => {
  it('runs every candidate in its own copy, ranks them, lets the judge pick, applies the pick, and revert puts the files back', async () => {
    const setup = await competition(
      { 'alpha-coder-7': passesWithQuestion, 'beta-coder-2': failsVerification, 'gamma-coder-1': breaksGuardrail, 'delta-coder-4': passesClean },
      () => 'Here is my pick:\n```json\n{"pick": "Candidate C", "reasons": "C is the simplest."}\n```',
    );
    const { engine, runId, root, copies } = setup;
    const indexBefore = await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8');
    const picked = await waitForPick(engine, runId);
    await fs.access(path.join(root, 'src', 'slugify.js')).then(() => assert.fail('a candidate wrote into the workspace'), () => undefined);

    const byLabel = Object.fromEntries(picked.ended.map((candidate) => [candidate.label, candidate]));
    assert.deepEqual(Object.keys(byLabel), ['A', 'B', 'C', 'D']);
    assert.equal(byLabel.A?.facts?.verificationPassed, true);
    assert.equal(byLabel.A?.facts?.openQuestions, 1, 'the demo slugify leaves one TODO(architect)');
    assert.equal(byLabel.B?.facts?.verificationPassed, false);
    assert.match(byLabel.B?.facts?.verificationDetails ?? '', /`node --test` exited with code 1/);
    assert.equal(byLabel.C?.facts?.refusals, 1, 'the guardrail refused package.json');
    assert.equal(byLabel.D?.facts?.refusals, 0);
    assert.deepEqual(byLabel.D?.files.map((file) => [file.path, file.action]), [['src/slugify.js', 'Created'], ['test/slugify.test.js', 'Created']]);
    assert.deepEqual(picked.judge, { pick: 'C', reasons: 'C is the simplest.', by: 'architect' });

    const calls = engine.get(runId)?.calls ?? [];
    assert.deepEqual([...new Set(calls.filter((call) => call.candidate).map((call) => `${call.candidate}:${call.modelId}`))].sort(), ['A:alpha-coder-7', 'B:beta-coder-2', 'C:gamma-coder-1', 'D:delta-coder-4']);

    // The judge saw the survivors best by the facts first (D: clean; A: one question; C: one refusal, which weighs more) and not B.
    const sent = JSON.stringify(setup.judgeRequests[0]);
    assert.deepEqual([...sent.matchAll(/## Candidate ([A-H])/g)].map((match) => match[1]), ['D', 'A', 'C']);
    for (const role of [alpha, beta, gamma, delta]) {
      for (const name of [role.displayName, role.modelId, role.provider]) assert.ok(!sent.toLowerCase().includes(name.toLowerCase()), `the judge's request names ${name}`);
    }

    const view = (await engine.snapshot(runId))?.view.competition;
    assert.ok(view?.awaitingPick);
    assert.deepEqual(view.candidates.map((candidate) => [candidate.label, candidate.status, candidate.rank, candidate.excluded !== undefined, candidate.model]), [
      ['A', 'done', 2, false, undefined],
      ['B', 'done', 4, true, undefined],
      ['C', 'done', 3, false, undefined],
      ['D', 'done', 1, false, undefined],
    ]);
    assert.ok(await noCopiesLeft(copies, runId));

    const saved = await engine.candidateWork(runId, 'D');
    assert.deepEqual(saved.files.map((file) => [file.path, file.before, file.after?.includes('split on runs')]), [['src/slugify.js', null, true], ['test/slugify.test.js', null, false]], 'D\'s changes outlive its copy');
    await assert.rejects(engine.candidateWork(runId, '../../run'), /There is no candidate "\.\.\/\.\.\/ru"\./);
    await engine.applyCandidate(runId, 'C');
    await waitForPhase(engine, runId, 'hard-stop-to-architect');
    assert.match(await fs.readFile(path.join(root, 'src', 'slugify.js'), 'utf8'), /guardrail tried first/);
    assert.equal(await fs.readFile(path.join(root, 'package.json'), 'utf8').then((text) => text !== '{}\n'), true, 'the refused write never reached the workspace');
    const after = (await engine.snapshot(runId))?.view.competition;
    assert.equal(after?.applied, 'C', 'the competition stays in run.json after the pass');
    assert.equal(after.awaitingPick, false);
    assert.deepEqual(after.candidates.map((candidate) => candidate.model?.modelId), ['alpha-coder-7', 'beta-coder-2', 'gamma-coder-1', 'delta-coder-4'], 'the models are shown once one is applied');
    const report = (await engine.snapshot(runId))?.view.report;
    assert.ok(report && !report.unreadable, report?.unreadable);
    assert.match(report.summary, /candidate C, Gamma Coder One \(scripted-labs · gamma-coder-1\), was applied, out of 4 Coders/);
    assert.match(report.summary, /\| D \| Delta Coder Four \| passed \| 0 \|/);
    assert.deepEqual(report.files.map((file) => file.path), ['src/slugify.js', 'test/slugify.test.js']);

    const reverted = await engine.revertCoderPass(runId);
    assert.deepEqual(reverted?.files, ['src/slugify.js', 'test/slugify.test.js']);
    await fs.access(path.join(root, 'src', 'slugify.js')).then(() => assert.fail('revert left the applied file'), () => undefined);
    assert.equal(await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8'), indexBefore);
    await engine.dispose();
  });
});

/** A Coder that never answers: it waits until its call is stopped, saying when it began. */
function blocking(started: () => void): (role: RoleSnapshot) => ModelClient {
  return (role) => ({
    info: { provider: role.provider, modelId: role.modelId, displayName: role.displayName, isDemo: false },
    // eslint-disable-next-line require-yield
    async *stream(_request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      started();
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    },
  });
}

describe("competitive mode: the HARD STOP checks the models that will code", () => {
  it('checks each distinct Coder of the mode, not the Coder role; one that does not answer refuses the confirm and nothing fans out', async () => {
    const workspaceRoot = await workspace();
    const copies = new CopiesForTests(workspaceRoot);
    copyFolders.push(copies);
    const silent = (role: RoleSnapshot): ModelClient => ({
      info: { provider: role.provider, modelId: role.modelId, displayName: role.displayName, isDemo: false },
      // eslint-disable-next-line require-yield
      async *stream(): AsyncIterable<ModelEvent> {
        throw new Error('401 invalid x-api-key');
      },
    });
    let betaAnswers = false;
    const { engine } = createEngine({ workspaceRoot, copies, clientFor: (role) => (role.modelId === 'beta-coder-2' && !betaAnswers ? silent(role) : answeringIdentity(role.modelId === 'alpha-coder-7' ? passesClean(role) : role.modelId === 'beta-coder-2' ? passesClean(role) : demoClient(role))) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles, mode: { mode: 'competitive', coders: [alpha, alpha, beta] } });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await assert.rejects(engine.confirmModel(run.runId), /^Error: Beta Coder Two did not answer: 401 invalid x-api-key$/);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder', 'the run waits at its HARD STOP');
    assert.deepEqual(await copies.existing(run.runId), [], 'no copy was made');
    betaAnswers = true;
    await engine.confirmModel(run.runId);
    const checked = engine.get(run.runId)?.calls.filter((call) => call.purpose === 'identity').map((call) => [call.modelId, call.outcome]) ?? [];
    // Alpha twice in the mode, checked once per confirm; the Coder role (the demo) never.
    assert.deepEqual(checked.sort(), [['alpha-coder-7', 'ok'], ['alpha-coder-7', 'ok'], ['beta-coder-2', 'error'], ['beta-coder-2', 'ok']]);
    await waitForPick(engine, run.runId);
    await engine.dispose();
  });
});

describe('competitive mode: the offline demo end to end', () => {
  it("two demo Coders, judged by the demo Architect: its reasons read whole, with no provider name to take out", async () => {
    const workspaceRoot = await workspace();
    const copies = new CopiesForTests(workspaceRoot);
    copyFolders.push(copies);
    const { engine } = createEngine({ workspaceRoot, copies });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles, mode: { mode: 'competitive', coders: [demoRoles.coder, demoRoles.coder] } });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    const picked = await waitForPick(engine, run.runId);
    assert.equal(picked.judge?.by, 'architect', JSON.stringify(picked.judge));
    assert.doesNotMatch(picked.judge?.reasons ?? '', /\[a model\]/, 'the demo judge named its own provider, which the anonymiser took out');
    assert.match(picked.judge?.reasons ?? '', /^Candidate A passes its verification/);
    await engine.dispose();
  });
});

describe('competitive mode: one candidate failing never loses the others', () => {
  it('a Coder whose model fails ends as failed with its error; the others finish, and a lone survivor is proposed by the facts without asking the judge', async () => {
    const exploding = (role: RoleSnapshot): ModelClient => ({
      info: { provider: role.provider, modelId: role.modelId, displayName: role.displayName, isDemo: false },
      // eslint-disable-next-line require-yield
      async *stream(): AsyncIterable<ModelEvent> {
        throw new Error(`the provider hung up on ${role.displayName}`);
      },
    });
    const { engine, runId, copies, judgeRequests } = await competition({ 'alpha-coder-7': failsVerification, 'beta-coder-2': exploding, 'gamma-coder-1': passesClean }, () => 'never asked');
    const picked = await waitForPick(engine, runId);
    assert.deepEqual(picked.ended.map((candidate) => [candidate.label, candidate.status]), [['A', 'done'], ['B', 'failed'], ['C', 'done']]);
    assert.equal(picked.ended[1]?.error, 'the provider hung up on [a model]', 'its error does not say which model it was before the pick');
    assert.deepEqual(picked.judge, { pick: 'C', reasons: 'Candidate C is the only one that passed its verification with changes; the Architect was not asked.', by: 'facts' });
    assert.equal(judgeRequests.length, 0);
    const view = (await engine.snapshot(runId))?.view.competition;
    assert.deepEqual(view?.candidates.map((candidate) => [candidate.label, candidate.excluded?.split(':')[0]]), [['A', 'its verification failed'], ['B', 'it failed'], ['C', undefined]]);
    assert.ok(await noCopiesLeft(copies, runId));
    await engine.dispose();
  });

  it('a copy that cannot be made fails that candidate only', async () => {
    class NoCopyForB extends CopiesForTests {
      override async create(runId: string, label: string, signal?: AbortSignal) {
        if (label === 'b') throw new Error('the disk is full');
        return super.create(runId, label, signal);
      }
    }
    const { engine, runId, copies } = await competition({ 'alpha-coder-7': passesClean, 'beta-coder-2': passesClean }, undefined, { copies: (root) => new NoCopyForB(root) });
    const picked = await waitForPick(engine, runId);
    assert.deepEqual(picked.ended.map((candidate) => [candidate.label, candidate.status, candidate.error]), [['A', 'done', undefined], ['B', 'failed', 'the disk is full']]);
    assert.equal(engine.get(runId)?.calls.filter((call) => call.candidate === 'B').length, 0, 'B\'s Coder was never asked');
    assert.ok(await noCopiesLeft(copies, runId));
    await engine.dispose();
  });

  it('a spending cap refusing one Coder\'s call fails that candidate only, recorded in run.json under its label', async () => {
    // The cap lets the HARD STOP's small identity check through and refuses the Coder's first turn.
    const refusing = (client: ModelClient): ModelClient => ({
      info: client.info,
      async *stream(request, signal): AsyncIterable<ModelEvent> {
        if (request.purpose === 'identity') return yield* client.stream(request, signal);
        throw new Error('Not sent: it would cross the cap per run of $0.01 (dualModel.spend.capPerRunUsd).');
      },
    });
    const { engine, runId } = await competition({ 'alpha-coder-7': passesClean, 'beta-coder-2': passesClean }, undefined, {
      guardCalls: (_runId, client) => (client.info.modelId === 'beta-coder-2' ? refusing(client) : client),
    });
    const picked = await waitForPick(engine, runId);
    assert.deepEqual(picked.ended.map((candidate) => [candidate.label, candidate.status]), [['A', 'done'], ['B', 'failed']]);
    assert.match(picked.ended[1]?.error ?? '', /^Not sent: it would cross the cap per run/);
    const refused = engine.get(runId)?.calls.filter((call) => call.candidate === 'B') ?? [];
    assert.deepEqual(refused.map((call) => [call.outcome, call.modelId]), [['error', 'beta-coder-2']]);
    assert.equal(picked.judge?.pick, 'A');
    await engine.dispose();
  });

  it('none surviving: the judge sees nothing and the run waits at the pick, each candidate saying why', async () => {
    const { engine, runId, judgeRequests } = await competition({ 'alpha-coder-7': failsVerification, 'beta-coder-2': (role) => scripted(role, [], 'I changed nothing.') }, () => 'never asked');
    const picked = await waitForPick(engine, runId);
    assert.equal(picked.judge, undefined);
    // B's verification passed (it changed nothing), so it ranks first by the facts.
    assert.match(picked.note ?? '', /^No candidate passed its verification with changes, so the Architect judged none \(B: it changed nothing; A: its verification failed: `node --test` exited with code 1/);
    assert.equal(judgeRequests.length, 0);
    await engine.dispose();
  });
});

describe('competitive mode: the judge', () => {
  it('an unreadable answer gets one repair request; a second one falls back to the best by the facts, saying so', async () => {
    const { engine, runId, judgeRequests } = await competition({ 'alpha-coder-7': passesWithQuestion, 'beta-coder-2': passesClean }, () => 'They are both lovely.');
    const picked = await waitForPick(engine, runId);
    assert.equal(judgeRequests.length, 2);
    const repair = judgeRequests[1]?.messages.at(-1)?.content[0];
    assert.match(repair?.type === 'text' ? repair.text : '', /^Your answer could not be read: the answer contains no JSON object\. Answer again with only this JSON object, where pick is one of B, A/);
    assert.equal(picked.judge?.by, 'facts');
    assert.equal(picked.judge?.pick, 'B', 'B left no open question');
    assert.match(picked.judge?.reasons ?? '', /could not be read after one repair request \(the answer contains no JSON object\); the best by the facts, candidate B, is proposed instead/);
    await engine.dispose();
  });

  it('a pick that is not a survivor is repaired like garbage', async () => {
    const { engine, runId, judgeRequests } = await competition({ 'alpha-coder-7': passesWithQuestion, 'beta-coder-2': passesClean, 'gamma-coder-1': failsVerification }, (_request, asked) =>
      asked === 1 ? '{"pick": "C", "reasons": "C is bold."}' : '{"pick": "a", "reasons": "A is complete."}',
    );
    const picked = await waitForPick(engine, runId);
    assert.equal(judgeRequests.length, 2);
    assert.deepEqual(picked.judge, { pick: 'A', reasons: 'A is complete.', by: 'architect' });
    await engine.dispose();
  });
});

describe('competitive mode: cancel, Restricted Mode and reload', () => {
  it('cancel stops every candidate at work and removes every copy', async () => {
    let began = 0;
    const { engine, runId, copies } = await competition({ 'alpha-coder-7': passesClean, 'beta-coder-2': blocking(() => (began += 1)), 'gamma-coder-1': blocking(() => (began += 1)) });
    await waitUntil(() => began === 2 && competitionOf(engine, runId)?.ended.length === 1, () => `two Coders never began and one never ended (began ${began})`, 30_000);
    assert.equal((await copies.existing(runId)).length, 2, 'the two at work have their copies');
    const working = (await engine.snapshot(runId))?.view.competition?.candidates;
    assert.deepEqual(working?.map((candidate) => [candidate.label, candidate.status, candidate.message, candidate.model]), [
      ['A', 'done', undefined, undefined],
      ['B', 'working', 'Candidate B is implementing the spec…', undefined],
      ['C', 'working', 'Candidate C is implementing the spec…', undefined],
    ]);
    await engine.cancel(runId);
    assert.equal(engine.get(runId)?.state.phase, 'cancelled');
    assert.ok(await noCopiesLeft(copies, runId));
    await engine.dispose();
  });

  it('in Restricted Mode the pick is not applied and no file changes', async () => {
    let trusted = true;
    const { engine, runId, root } = await competition({ 'alpha-coder-7': passesClean, 'beta-coder-2': passesWithQuestion }, () => '{"pick": "A", "reasons": "fine"}', { isTrusted: () => trusted });
    await waitForPick(engine, runId);
    trusted = false;
    await assert.rejects(engine.applyCandidate(runId, 'A'), /not trusted \(Restricted Mode\)/);
    await fs.access(path.join(root, 'src', 'slugify.js')).then(() => assert.fail('a file was written in Restricted Mode'), () => undefined);
    assert.ok(competitionOf(engine, runId)?.awaitingPick, 'the run still waits for the pick');
    trusted = true;
    await engine.applyCandidate(runId, 'A');
    await waitForPhase(engine, runId, 'hard-stop-to-architect');
    await engine.dispose();
  });

  it('a candidate file edited on disk to reach outside the workspace is refused whole at the apply, and nothing is written', async () => {
    const { engine, runId, root } = await competition({ 'alpha-coder-7': passesClean, 'beta-coder-2': passesWithQuestion }, () => '{"pick": "A", "reasons": "fine"}');
    await waitForPick(engine, runId);
    const saved = path.join(root, '.dual-model', 'brain', runId, 'candidates', 'A.json');
    const work = JSON.parse(await fs.readFile(saved, 'utf8')) as { files: { path: string; before: string | null; after: string | null }[] };
    work.files.push({ path: '../escaped.txt', before: null, after: 'out\n' }, { path: 'src/../../escaped-too.txt', before: null, after: 'out\n' });
    await fs.writeFile(saved, JSON.stringify(work));
    await assert.rejects(engine.applyCandidate(runId, 'A'), /Candidate A was not applied: "\.\.\/escaped\.txt" contains "\.\."/);
    await assert.rejects(fs.access(path.join(root, '..', 'escaped.txt')));
    await assert.rejects(fs.access(path.join(root, 'src', 'slugify.js')), 'none of its files was written');
    assert.ok(competitionOf(engine, runId)?.awaitingPick, 'the run still waits for a pick');
    await engine.dispose();
  });

  it('a competition resumed in Restricted Mode runs no candidate and makes no copy; it fails asking for trust, keeping the finished ones for Retry', async () => {
    let began = 0;
    const first = await competition({ 'alpha-coder-7': passesClean, 'beta-coder-2': blocking(() => (began += 1)) });
    const { runId, root, copies } = first;
    await waitUntil(() => began === 1 && competitionOf(first.engine, runId)?.ended.length === 1, 'A never ended while B worked', 30_000);
    await first.engine.dispose();
    await waitUntil(async () => (await copies.existing(runId)).length === 0, 'B\'s copy was never removed when the window closed');
    let trusted = false;
    const asked: string[] = [];
    const second = createEngine({ workspaceRoot: root, owner: 'window-2', copies, isTrusted: () => trusted, clientFor: (role) => (asked.push(role.modelId), passesWithQuestion(role)) });
    await second.engine.resumeAll();
    await waitForPhase(second.engine, runId, 'failed');
    const failed = second.engine.get(runId)?.state;
    assert.ok(failed?.phase === 'failed' && failed.resumeFrom.phase === 'coder-implement');
    assert.match(failed.error, /not trusted \(Restricted Mode\)/);
    assert.deepEqual(failed.resumeFrom.competition?.ended.map((candidate) => candidate.label), ['A'], 'the finished candidate is kept');
    assert.deepEqual(asked, [], 'no model was asked');
    assert.deepEqual(await copies.existing(runId), [], 'no copy was made');
    trusted = true;
    await second.engine.retry(runId);
    const picked = await waitForPick(second.engine, runId);
    assert.deepEqual(picked.ended.map((candidate) => [candidate.label, candidate.status]), [['A', 'done'], ['B', 'done']]);
    await second.engine.dispose();
  });

  it('a closing window lets go of its runs only once its stopped candidates removed their copies', async () => {
    let began = 0;
    // Removal made slow on purpose (a stand-in for a large copy on a slow disk): a window that let
    // go first would leave the copy for the next window to meet.
    class SlowRemoval extends CopiesForTests {
      override async create(runId: string, label: string, signal?: AbortSignal) {
        const copy = await super.create(runId, label, signal);
        const remove = copy.remove.bind(copy);
        return Object.assign(Object.create(copy) as typeof copy, { remove: async () => (await new Promise((resolve) => setTimeout(resolve, 300)), remove()) });
      }
    }
    const { engine, runId, copies } = await competition({ 'alpha-coder-7': blocking(() => (began += 1)), 'beta-coder-2': blocking(() => (began += 1)) }, undefined, { copies: (root) => new SlowRemoval(root) });
    await waitUntil(() => began === 2, 'the two Coders never began', 30_000);
    await engine.dispose();
    assert.deepEqual(await copies.existing(runId), [], 'the window let go while its candidates\' copies were still there');
  });

  it('a reload mid-competition keeps the finished candidate, removes the copy left behind and restarts the unfinished one in a fresh copy', async () => {
    let began = 0;
    const alphaTurns: number[] = [];
    const countedAlpha = (role: RoleSnapshot): ModelClient => {
      const inner = passesClean(role);
      return { info: inner.info, stream: (request, signal) => (alphaTurns.push(1), inner.stream(request, signal)) };
    };
    const first = await competition({ 'alpha-coder-7': countedAlpha, 'beta-coder-2': blocking(() => (began += 1)) });
    const { runId, root, copies } = first;
    await waitUntil(() => began === 1 && competitionOf(first.engine, runId)?.ended.length === 1, 'A never ended while B worked', 30_000);
    const alphaCalls = alphaTurns.length;
    await first.engine.dispose();
    // A closing window lets go of its runs only once its stopped candidates removed their copies.
    assert.deepEqual(await copies.existing(runId), [], 'the closing window let go before B\'s copy was removed');
    // What a crash would leave: B's copy still on disk, with work of its own in it.
    const stray = await copies.create(runId, 'b');
    await fs.writeFile(path.join(stray.root, 'stray.txt'), 'left by the window that closed\n');
    await copies.create(runId, 'z');

    const second = createEngine({ workspaceRoot: root, owner: 'window-2', copies, clientFor: (role) => (role.modelId === 'alpha-coder-7' ? countedAlpha(role) : role.modelId === 'beta-coder-2' ? passesWithQuestion(role) : demoClient(role)) });
    await second.engine.resumeAll();
    const picked = await waitForPick(second.engine, runId);
    assert.equal(alphaTurns.length, alphaCalls, 'the finished candidate did not run again');
    assert.deepEqual(picked.ended.map((candidate) => [candidate.label, candidate.status]), [['A', 'done'], ['B', 'done']]);
    assert.deepEqual(picked.ended[1]?.files.map((file) => file.path), ['src/slugify.js', 'test/slugify.test.js'], 'B worked in a fresh copy, not the one left behind');
    assert.ok(await noCopiesLeft(copies, runId));
    await second.engine.applyCandidate(runId, picked.judge?.pick ?? 'A');
    await waitForPhase(second.engine, runId, 'hard-stop-to-architect');
    await second.engine.dispose();
  });
});
