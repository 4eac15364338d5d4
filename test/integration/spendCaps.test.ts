// The per-run spending cap in the real host, on the fake Anthropic server: a run whose first
// call could cross the cap fails before anything is sent, naming the cap, the spend so far and
// the call's estimate; once the cap is raised, Retry sends it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';
import { api, setSettings, useFakeProviderSettings, waitFor } from './support';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/anthropicServer';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openaiServer';
import { enqueueSpec } from '../fakes/scriptedLoop';

describe('spending caps on a run (fake servers, real host)', () => {
  let anthropic: FakeAnthropicServer;
  let openai: FakeOpenAiServer;
  let fakeSettings: Record<string, undefined> = {};
  let keyId = '';

  before(async () => {
    anthropic = await startFakeAnthropicServer();
    openai = await startFakeOpenAiServer();
    fakeSettings = await useFakeProviderSettings(anthropic.url, openai.baseUrl);
    keyId = (await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'anthropic', 'sk-ant-CAPS-0000000000000000', 'caps')).id;
  });

  after(async () => {
    await vscode.commands.executeCommand('dualModel.removeApiKey', 'anthropic', keyId);
    await setSettings({ ...fakeSettings, 'spend.capPerRunUsd': undefined });
    await anthropic.close();
    await openai.close();
  });

  it('stops the run before a call that could cross the cap is sent, and Retry sends it once the cap is raised', async () => {
    const dm = await api();
    await setSettings({ 'spend.capPerRunUsd': 0.01 });
    enqueueSpec(anthropic);
    const runId = await dm.startRun('Add a greet helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'failed');
    const state = dm.getRun(runId)?.state;
    assert.ok(state?.phase === 'failed');
    assert.match(state.error, /^Not sent: it would cross the cap per run of \$0\.01 \(dualModel\.spend\.capPerRunUsd\)\. \$0\.00 is spent; this would cost up to \$\d+\.\d\d\. Nothing was spent\./);
    assert.equal(anthropic.requests.length, 0, 'the fake server received nothing');

    await setSettings({ 'spend.capPerRunUsd': 100 });
    await dm.answerWebviewMessage({ type: 'retryPhase', requestId: 'retry-1', runId });
    await waitFor(dm, runId, 'hard-stop-to-coder');
    assert.equal(anthropic.requests.length, 1);
    await dm.cancel(runId);
  });
});
