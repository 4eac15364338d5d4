// A whole loop on real providers in the real extension host: the Architect on Anthropic (the real
// SDK) and the Coder on an OpenAI-compatible server, both answered by local fakes that speak
// their wire protocols. Real files are edited, a real task runs, and a canary key is searched for
// in everything the run leaves behind.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';
import { api, assertKeyLeftNoTrace, readLogs, readReport, reportPhaseTimings, setSettings, useFakeProviderSettings, waitFor } from './support';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/anthropicServer';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openaiServer';
import { enqueueCoder, enqueueReview, enqueueSpec, greetSource } from '../fakes/scriptedLoop';

const CANARY = 'sk-ant-CANARY-5e2d8c1b9a7f3e6d4c2b';
const OPENAI_CANARY = 'sk-CANARYOPENAI-1a2b3c4d5e6f7a8b';

describe('a whole loop on real providers (fake servers, real SDK, real host)', () => {
  let anthropic: FakeAnthropicServer;
  let openai: FakeOpenAiServer;
  let fakeSettings: Record<string, undefined> = {};
  let keyId = '';
  let openAiKeyId = '';

  before(async () => {
    anthropic = await startFakeAnthropicServer();
    openai = await startFakeOpenAiServer();
    fakeSettings = await useFakeProviderSettings(anthropic.url, openai.baseUrl);
    const added = await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'anthropic', CANARY, 'canary');
    keyId = added.id;
    openAiKeyId = (await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'openai-compatible', OPENAI_CANARY, 'canary')).id;
  });

  after(async () => {
    await vscode.commands.executeCommand('dualModel.removeApiKey', 'anthropic', keyId);
    await vscode.commands.executeCommand('dualModel.removeApiKey', 'openai-compatible', openAiKeyId);
    await setSettings(fakeSettings);
    await anthropic.close();
    await openai.close();
  });

  it('specs, implements with real edits and a real task, reviews, and leaks no key', async () => {
    const dm = await api();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

    // Phase 1: the Architect streams the spec; a 429 first, retried after its retry-after.
    anthropic.enqueue({
      kind: 'http-error',
      status: 429,
      headers: { 'retry-after-ms': '5' },
      body: (request: { headers: Record<string, unknown> }) => ({ type: 'error', error: { type: 'rate_limit_error', message: `slow down ${String(request.headers.authorization)}` } }),
    });
    enqueueSpec(anthropic);
    const runId = await dm.startRun('Add a greet helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    assert.equal(anthropic.requests.length, 2, 'the 429 was retried once');
    const specRequest = anthropic.requests[1]?.body as { model: string; thinking?: { type: string }; system: unknown };
    assert.equal(specRequest.model, 'claude-opus-4-6');
    assert.equal(specRequest.thinking?.type, 'adaptive');
    assert.match(JSON.stringify(specRequest.system), /Code Spec/);

    // HARD STOP → the Coder on the OpenAI-compatible server answers the identity check, then works.
    // The Coder's server is overloaded once, and says so echoing the key it was sent.
    openai.enqueue({ kind: 'error', status: 503, headers: { 'retry-after-ms': '5' }, message: (request) => `overloaded for ${String(request.headers.authorization)}` });
    enqueueCoder(openai);
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');
    assert.equal(await fs.readFile(path.join(folder, 'src', 'greet.js'), 'utf8'), greetSource);
    const runDir = dm.artifactsDir(runId) ?? '';
    const report = await readReport(dm, runId);
    assert.equal(report.testResult.status, 'PASS');
    assert.match(report.testOutput, /greet says hello/);
    // Requests: the 503, the identity check retried, then the Coder's first turn.
    const coderTurn = openai.requests[2]?.body as { model: string; tools?: { function: { name: string } }[] };
    assert.equal(coderTurn.model, 'qwen3-coder');
    assert.ok(coderTurn.tools?.some((tool) => tool.function.name === 'write_file'));

    // HARD STOP → the Architect checks in and reviews.
    enqueueReview(anthropic);
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'architect-review');
    await dm.decide('approved', undefined, runId);
    await waitFor(dm, runId, 'approved');
    reportPhaseTimings('anthropic+openai', dm.getRun(runId));

    const run = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as { usage: Record<string, { inputTokens: number }> };
    assert.equal(run.usage['architect-spec']?.inputTokens, 1200);
    // The canary key appears nowhere the run wrote, nor in any answer the extension gave.
    await assertKeyLeftNoTrace(dm, runId, 'anthropic', /CANARY/);
    assert.equal(openai.requests[0]?.headers.authorization, `Bearer ${OPENAI_CANARY}`, 'the key was really sent');
    // Nor in the extension's logs, which record the retries these failures caused.
    const logs = await readLogs(dm);
    assert.match(logs, /retry 1/, 'the log folder holds the Dual-Model output, retries included');
    assert.doesNotMatch(logs, /CANARY/);
  });
});
