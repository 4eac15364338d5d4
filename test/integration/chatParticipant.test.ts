// The @dual-model chat participant in the real extension host, reached the way a user reaches it:
// a request typed into VS Code's own Chat view (workbench.action.chat.open with the query sends
// it). VS Code sends no chat request without a language model for `request.model`, so the
// test-only provider (test/lmExtension) offers one; the participant never calls it, and the run
// is played by the offline demo models. What the answer says is checked in the unit tests
// (test/unit/chat) and in the browser journey (test/e2e/chat.e2e.ts).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, setSettings, waitFor } from './support';
import { waitUntil } from '../support/waitUntil';

describe('the @dual-model chat participant (real host)', () => {
  const chatModel = { id: 'dm-chat-model', name: 'Chat Test Model', family: 'chat-test' };

  before(async () => {
    await setSettings({ 'demo.latencyMs': 0 });
    await vscode.commands.executeCommand('dualModelTestLm.configure', { baseUrl: 'http://127.0.0.1:9/v1', models: [chatModel] });
    assert.equal((await vscode.lm.selectChatModels({ vendor: 'dualmodel-test' })).length, 1, 'a chat model is offered');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
    await vscode.commands.executeCommand('dualModelTestLm.configure', { baseUrl: '', models: [] });
    await setSettings({ 'demo.latencyMs': undefined });
  });

  it('a request typed into the Chat view reaches the participant, which starts the same run as the command and takes it to the HARD STOP', async () => {
    const dm = await api();
    const request = `Add a slugify helper (from chat ${Date.now()})`;
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: `@dual-model /dual-model ${request}`, isPartialQuery: false });
    const runId = await waitUntil(
      () => {
        const id = dm.currentRunId();
        return id && dm.getRun(id)?.request === request ? id : undefined;
      },
      () => `no run started for the chat request "${request}" (the run in view: ${dm.currentRunId() ?? 'none'})`,
      // Under mocha's 60 s, so a failure names what never happened.
      45_000,
      50,
    );
    await waitFor(dm, runId, 'hard-stop-to-coder');
    // The run lives in the panel like any other: the command path continues it.
    await dm.cancel(runId);
    assert.equal(dm.getRun(runId)?.state.phase, 'cancelled');
  });
});
