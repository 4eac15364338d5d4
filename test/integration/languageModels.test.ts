// The `vscode-lm` provider in the real extension host: both roles played by chat models another
// extension registers through vscode.lm (test/lmExtension, loaded beside ours), which answer
// through the local fake OpenAI-compatible server. Real files are edited and a real task runs;
// VS Code's own errors (no permission, blocked) and a cancel travel the real API both ways.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DualModelApi } from '../../src/extension';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openaiServer';
import { waitUntil, within } from '../support/waitUntil';
import { enqueueCoder, greetSource, loopSpec } from '../fakes/scriptedLoop';
import { api, readLogs, readReport, reportPhaseTimings, setSettings, waitFor } from './support';

const vendor = 'dualmodel-test';
const models = [
  { id: 'dm-test-architect', name: 'Test Architect', family: 'test-architect' },
  { id: 'dm-test-coder', name: 'Test Coder', family: 'test-coder' },
];

interface LastRequest { modelId: string; toolNames: string[]; messageCount: number; requestCount: number }
const lastRequest = async () => vscode.commands.executeCommand<LastRequest | undefined>('dualModelTestLm.lastRequest');

/** Waits until the run has ended in `failed` or `cancelled`, and returns that state. */
async function waitForEnd(dm: DualModelApi, runId: string) {
  // A poll: the extension's API announces no run changes (see waitFor in support.ts).
  return waitUntil(
    () => {
      const state = dm.getRun(runId)?.state;
      return state?.phase === 'failed' || state?.phase === 'cancelled' ? state : undefined;
    },
    () => `the run never ended; it is in ${dm.getRun(runId)?.state.phase}`,
    60_000,
  );
}

describe('VS Code language models (vscode.lm, real host)', () => {
  let openai: FakeOpenAiServer;
  const roleSettings = {
    'architect.provider': 'vscode-lm',
    'architect.model': 'dm-test-architect',
    'architect.fallbackModel': '',
    'coder.provider': 'vscode-lm',
    'coder.model': 'test-coder',
    'coder.fallbackModel': '',
    demoModels: 'never',
  };
  const configure = (extra: Record<string, unknown> = {}) =>
    vscode.commands.executeCommand('dualModelTestLm.configure', { baseUrl: openai.baseUrl, models, ...extra });

  before(async () => {
    openai = await startFakeOpenAiServer();
    await configure();
    await setSettings(roleSettings);
  });

  beforeEach(() => openai.reset());

  after(async () => {
    await setSettings(Object.fromEntries(Object.keys(roleSettings).map((key) => [key, undefined])));
    await vscode.commands.executeCommand('dualModelTestLm.configure', { baseUrl: '', models: [] });
    await openai.close();
  });

  it("finds the test extension's models through vscode.lm", async () => {
    const offered = await vscode.lm.selectChatModels({ vendor });
    assert.deepEqual(offered.map((model) => model.id).sort(), ['dm-test-architect', 'dm-test-coder']);
  });

  it("runs a whole loop on VS Code's models: spec, real edits and task, report, review", async () => {
    const dm = await api();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

    openai.enqueue({ kind: 'answer', text: loopSpec.match(/[\s\S]{1,40}/g) ?? [] });
    const runId = await dm.startRun('Add a greet helper');
    assert.ok(runId, 'the run started: both models were found');
    await waitFor(dm, runId, 'hard-stop-to-coder');
    const run = dm.getRun(runId);
    // Named as VS Code names them; the Coder was set by family, and resolved to its model.
    assert.equal(run?.roles.architect.displayName, 'Test Architect (VS Code)');
    assert.equal(run?.roles.coder.displayName, 'Test Coder (VS Code)');
    const specRequest = openai.requests[0]?.body as { model: string; messages: { role: string; content: string }[] };
    assert.equal(specRequest.model, 'dm-test-architect');
    // vscode.lm has no system role: the system prompt leads the first user message.
    assert.equal(specRequest.messages[0]?.role, 'user');
    assert.match(specRequest.messages[0]?.content ?? '', /Code Spec[\s\S]*Add a greet helper/);

    enqueueCoder(openai);
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');
    assert.equal(await fs.readFile(path.join(folder, 'src', 'greet.js'), 'utf8'), greetSource);
    const report = await readReport(dm, runId);
    assert.equal(report.testResult.status, 'PASS');
    assert.match(report.testOutput, /greet says hello/);
    // The identity check, then the Coder's turns: its tools were offered through vscode.lm, and
    // each tool's result went back to the model as a tool message.
    const coderTurns = openai.requests.slice(2).map((request) => request.body as { model: string; tools?: { function: { name: string } }[]; messages: { role: string; tool_call_id?: string }[] });
    assert.equal(coderTurns[0]?.model, 'dm-test-coder');
    assert.ok(coderTurns[0]?.tools?.some((tool) => tool.function.name === 'write_file'));
    assert.deepEqual(coderTurns[1]?.messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id), ['c1', 'c2']);

    openai.enqueue(
      { kind: 'answer', text: ['dm-test-architect'] },
      { kind: 'answer', text: ['```json\n{"outcome":"approved","reasons":"Correct and tested.","blockerAnswers":[]}\n```'] },
    );
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'architect-review');
    await dm.decide('approved', undefined, runId);
    await waitFor(dm, runId, 'approved');
    reportPhaseTimings('vscode-lm', dm.getRun(runId));
    // vscode.lm reports no usage: the model's own countTokens measured both ways.
    const usage = dm.getRun(runId)?.usage['architect-spec'];
    assert.ok(usage && usage.inputTokens > 0 && usage.outputTokens > 0, JSON.stringify(usage));
  });

  it('says what to do when VS Code refuses access, and does not retry', async () => {
    const dm = await api();
    const before = (await lastRequest())?.requestCount ?? 0;
    await configure({ failWith: 'NoPermissions' });
    const runId = await dm.startRun('Refused');
    assert.ok(runId);
    const state = await waitForEnd(dm, runId);
    assert.equal(state.phase, 'failed');
    assert.match(state.phase === 'failed' ? state.error : '', /did not allow Dual-Model to use Test Architect[\s\S]*Manage Language Model Access/);
    assert.equal((await lastRequest())?.requestCount, before + 1, 'an auth refusal is not retried');
    assert.equal(openai.requests.length, 0);
    await dm.cancel(runId).catch(() => undefined);
  });

  it('retries a blocked request (a quota) and goes on', async () => {
    const dm = await api();
    const before = (await lastRequest())?.requestCount ?? 0;
    await configure({ failWith: 'Blocked' });
    openai.enqueue({ kind: 'answer', text: [loopSpec] });
    const runId = await dm.startRun('Blocked once');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    assert.equal((await lastRequest())?.requestCount, before + 2, 'refused once, then answered');
    await dm.cancel(runId);
  });

  it("cancelling the run cancels VS Code's request, down to the provider's connection", async () => {
    const dm = await api();
    openai.enqueue({ kind: 'hang' });
    const runId = await dm.startRun('Hangs');
    assert.ok(runId);
    await within(openai.received(1), 'the request never reached the server', 30_000);
    assert.equal(openai.requests.length, 1, 'one request reached the server');
    await dm.cancel(runId);
    const state = await waitForEnd(dm, runId);
    assert.equal(state.phase, 'cancelled');
    // The test provider aborts its fetch when VS Code cancels its token: the server sees the close.
    await within(openai.requests[0]?.closed ?? Promise.reject(new Error('no request was recorded')), "the provider's connection was never closed", 10_000);
  });

  it('names the models VS Code offers when the configured one is not among them', async () => {
    const dm = await api();
    await setSettings({ 'architect.model': 'no-such-model' });
    try {
      assert.equal(await dm.startRun('Nobody home'), undefined, 'no run starts');
      assert.match(await readLogs(dm), /VS Code offers no chat model "no-such-model"\. Available: [^\n]*dm-test-architect/);
    } finally {
      await setSettings({ 'architect.model': 'dm-test-architect' });
    }
  });
});
