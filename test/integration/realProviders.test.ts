// A whole loop on real providers in the real extension host: the Architect on Anthropic (the real
// SDK) and the Coder on an OpenAI-compatible server, both answered by local fakes that speak
// their wire protocols. Real files are edited, a real task runs, and a canary key is searched for
// in everything the run leaves behind.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DualModelApi } from '../../src/extension';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';
import { renderCodeSpec } from '../../src/core/artifacts/codeSpec';
import { parseCodeReport } from '../../src/core/artifacts/codeReport';
import type { Phase } from '../../src/core/workflow/runState';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/anthropicServer';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openaiServer';

const CANARY = 'sk-ant-CANARY-5e2d8c1b9a7f3e6d4c2b';

async function waitFor(dm: DualModelApi, runId: string, phase: Phase, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = dm.getRun(runId)?.state;
    if (state?.phase === phase && (phase !== 'architect-review' || (state.phase === 'architect-review' && state.verdict))) return;
    if (state?.phase === 'failed') throw new Error(`run failed: ${state.error}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${phase}; the run is in ${state?.phase}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const spec = renderCodeSpec({
  title: 'Add a greet helper',
  specId: 'CS-REAL-001',
  architect: 'Claude Opus 4.6 (Thinking)',
  created: '2026-11-25T00:00:00Z',
  priority: 'P2',
  objective: 'Add `greet(name)` returning "Hello, <name>!".',
  files: [
    { action: 'NEW', path: 'src/greet.js', purpose: 'The greeting.', contents: ['`function greet(name)`'] },
    { action: 'NEW', path: 'test/greet.test.js', purpose: 'Its test.', contents: ['`greet says hello`'] },
  ],
  tests: [{ name: 'greet says hello', description: 'greet("Ada") is "Hello, Ada!"', checked: false }],
  guardrails: ['do not touch `package.json`'],
  verification: { language: 'bash', command: 'node --test test/greet.test.js' },
  context: '',
});

const args = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  return [text.slice(0, 10), text.slice(10)];
};

describe('a whole loop on real providers (fake servers, real SDK, real host)', () => {
  let anthropic: FakeAnthropicServer;
  let openai: FakeOpenAiServer;
  const settings = () => vscode.workspace.getConfiguration('dualModel');
  const set = async (values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) await settings().update(key, value, vscode.ConfigurationTarget.Global);
  };
  let keyId = '';

  before(async () => {
    anthropic = await startFakeAnthropicServer();
    openai = await startFakeOpenAiServer();
    await set({
      'architect.provider': 'anthropic',
      'architect.model': 'claude-opus-4-6',
      'architect.thinking': 'high',
      'anthropic.baseUrl': anthropic.url,
      'coder.provider': 'openai-compatible',
      'coder.model': 'qwen3-coder',
      'coder.thinking': 'none',
      'coder.fallbackModel': '',
      'openaiCompatible.baseUrl': openai.baseUrl,
      demoModels: 'never',
    });
    const added = await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'anthropic', CANARY, 'canary');
    keyId = added.id;
  });

  after(async () => {
    await vscode.commands.executeCommand('dualModel.removeApiKey', 'anthropic', keyId);
    await set({
      'architect.provider': undefined,
      'architect.model': undefined,
      'architect.thinking': undefined,
      'anthropic.baseUrl': undefined,
      'coder.provider': undefined,
      'coder.model': undefined,
      'coder.thinking': undefined,
      'coder.fallbackModel': undefined,
      'openaiCompatible.baseUrl': undefined,
      demoModels: undefined,
    });
    await anthropic.close();
    await openai.close();
  });

  it('specs, implements with real edits and a real task, reviews, and leaks no key', async () => {
    const extension = vscode.extensions.getExtension<DualModelApi>('dual-model.dual-model-orchestration');
    assert.ok(extension);
    const dm = extension.isActive ? extension.exports : await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

    // Phase 1: the Architect streams the spec; a 429 first, retried after its retry-after.
    anthropic.enqueue(
      { kind: 'http-error', status: 429, headers: { 'retry-after-ms': '5' }, body: (request: { headers: Record<string, unknown> }) => ({ type: 'error', error: { type: 'rate_limit_error', message: `slow down ${String(request.headers.authorization)}` } }) },
      { kind: 'answer', blocks: [{ type: 'thinking', thinking: 'Plan the greet helper.', signature: 'sig' }, { type: 'text', text: spec }], chunkSize: 40, usage: { input_tokens: 1200, output_tokens: 300 } },
    );
    const runId = await dm.startRun('Add a greet helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    assert.equal(anthropic.requests.length, 2, 'the 429 was retried once');
    const specRequest = anthropic.requests[1]?.body as { model: string; thinking?: { type: string }; system: unknown };
    assert.equal(specRequest.model, 'claude-opus-4-6');
    assert.equal(specRequest.thinking?.type, 'adaptive');
    assert.match(JSON.stringify(specRequest.system), /Code Spec/);

    // HARD STOP → the Coder on the OpenAI-compatible server answers the identity check, then works.
    openai.enqueue(
      { kind: 'answer', text: ['qwen3-coder'] },
      {
        kind: 'answer',
        toolCalls: [
          { id: 'c1', name: 'write_file', argumentFragments: args({ path: 'src/greet.js', content: "exports.greet = (name) => `Hello, ${name}!`;\n" }) },
          { id: 'c2', name: 'write_file', argumentFragments: args({ path: 'test/greet.test.js', content: "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { greet } = require('../src/greet');\ntest('greet says hello', () => assert.equal(greet('Ada'), 'Hello, Ada!'));\n" }) },
        ],
        usage: { prompt_tokens: 900, completion_tokens: 120 },
      },
      { kind: 'answer', toolCalls: [{ id: 'c3', name: 'run_verification', argumentFragments: ['{}'] }] },
      { kind: 'answer', toolCalls: [{ id: 'c4', name: 'submit_report', argumentFragments: args({ summary: 'Added greet and its test.', blockers: [], deviations: [] }) }] },
    );
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');
    assert.equal(await fs.readFile(path.join(folder, 'src', 'greet.js'), 'utf8'), "exports.greet = (name) => `Hello, ${name}!`;\n");
    const runDir = dm.artifactsDir(runId) ?? '';
    const report = parseCodeReport(await fs.readFile(path.join(runDir, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    assert.equal(report.value.testResult.status, 'PASS');
    assert.match(report.value.testOutput, /greet says hello/);
    const coderTurn = openai.requests[1]?.body as { model: string; tools?: { function: { name: string } }[] };
    assert.equal(coderTurn.model, 'qwen3-coder');
    assert.ok(coderTurn.tools?.some((tool) => tool.function.name === 'write_file'));

    // HARD STOP → the Architect checks in and reviews.
    anthropic.enqueue(
      { kind: 'answer', blocks: [{ type: 'text', text: 'claude-opus-4-6' }] },
      { kind: 'answer', blocks: [{ type: 'text', text: '```json\n{"outcome":"approved","reasons":"Correct and tested.","blockerAnswers":[]}\n```' }] },
    );
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'architect-review');
    await dm.decide('approved', undefined, runId);
    await waitFor(dm, runId, 'approved');

    const run = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as { usage: Record<string, { inputTokens: number }> };
    assert.equal(run.usage['architect-spec']?.inputTokens, 1200);
    // The canary key appears nowhere the run wrote, nor in any answer the extension gave.
    const files = await fs.readdir(runDir, { recursive: true });
    assert.ok(files.includes('code_report.md'));
    for (const file of files) {
      // Folders, and the lock the run released as it ended, have no text to search.
      const text = await fs.readFile(path.join(runDir, file), 'utf8').catch(() => '');
      assert.doesNotMatch(text, /CANARY/, file);
    }
    assert.doesNotMatch(JSON.stringify(dm.getRun(runId)), /CANARY/);
    assert.doesNotMatch(JSON.stringify(await vscode.commands.executeCommand('dualModel.listApiKeys', 'anthropic')), /CANARY/);
  });
});
