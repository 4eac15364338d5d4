// A whole loop with Gemini in both roles in the real extension host: the Architect and the Coder
// on the real @google/genai SDK, answered by the local Gemini fake. A 429 with RetryInfo, a 503,
// a Coder that keeps failing until it falls over to its fallback model, and a 400 that fails the
// review until the phase is retried, each echoing the key the request carried; real files are
// edited, a real task runs, and the canary key is then searched for in everything the run leaves
// behind.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KeyListing } from '../../src/core/keyvault/apiKeys';
import { waitUntil } from '../support/waitUntil';
import { api, assertKeyLeftNoTrace, readLogs, readReport, reportPhaseTimings, setSettings, waitFor } from './support';
import { errorBody, retryInfo, startFakeGeminiServer, type FakeGeminiReply, type FakeGeminiServer, type RecordedGeminiRequest } from '../fakes/geminiServer';
import { enqueueGeminiCoder, enqueueGeminiReview, enqueueGeminiSpec, greetTest, writeTurnParts } from '../fakes/scriptedGeminiLoop';
import { greetSource } from '../fakes/scriptedLoop';

// Not shaped like a Google key (AIza…), so the generic patterns of scrubSecrets cannot catch it:
// only scrubbing the very key the client holds keeps it out.
const CANARY = 'GEMINI-CANARY-3f9a7c1e5b2d8f4a6c0e';
const ARCHITECT = 'gemini-3.1-pro-preview';
const CODER = 'gemini-3-flash-preview';
const CODER_FALLBACK = 'gemini-2.5-flash-lite';

/** The key a request carried, as a careless proxy would echo it back. */
const keyOf = (request: RecordedGeminiRequest): string => String(request.headers['x-goog-api-key']);

const overloaded = (): FakeGeminiReply => ({
  kind: 'http-error',
  status: 503,
  headers: { 'retry-after-ms': '5' },
  bodyFrom: (request) => errorBody(503, `The model is overloaded (key ${keyOf(request)}).`),
});

interface GeminiBody {
  contents: { role: string; parts: Record<string, unknown>[] }[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: { functionDeclarations?: { name: string; parametersJsonSchema?: unknown }[] }[];
  generationConfig?: {
    thinkingConfig?: { thinkingLevel?: string; thinkingBudget?: number; includeThoughts?: boolean };
    responseMimeType?: string;
    responseJsonSchema?: unknown;
  };
}

describe('a whole loop on Gemini in both roles (fake server, real SDK, real host)', () => {
  let gemini: FakeGeminiServer;
  let keyId = '';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

  before(async () => {
    gemini = await startFakeGeminiServer();
    await setSettings({
      'architect.provider': 'google',
      'architect.model': ARCHITECT,
      'architect.thinking': 'high',
      'architect.fallbackModel': '',
      'coder.provider': 'google',
      'coder.model': CODER,
      'coder.thinking': 'medium',
      'coder.fallbackModel': CODER_FALLBACK,
      // Not the Coder's level: the fallback must answer at its own (the seed's "(Low)" fallbacks).
      'coder.fallbackThinking': 'low',
      'google.baseUrl': gemini.url,
      demoModels: 'never',
    });
    keyId = (await vscode.commands.executeCommand<KeyListing>('dualModel.addApiKey', 'google', CANARY, 'canary')).id;
    // An earlier suite's loop writes the same files: without them the Coder's edits are the only
    // way they can exist when the test looks.
    await fs.rm(path.join(folder, 'src', 'greet.js'), { force: true });
    await fs.rm(path.join(folder, 'test', 'greet.test.js'), { force: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('dualModel.removeApiKey', 'google', keyId);
    await setSettings({
      'architect.provider': undefined,
      'architect.model': undefined,
      'architect.thinking': undefined,
      'architect.fallbackModel': undefined,
      'coder.provider': undefined,
      'coder.model': undefined,
      'coder.thinking': undefined,
      'coder.fallbackModel': undefined,
      'coder.fallbackThinking': undefined,
      'google.baseUrl': undefined,
      demoModels: undefined,
    });
    await gemini.close();
  });

  it('specs, implements with real edits and a real task, falls over, fails and retries the review, and leaks no key', async () => {
    const dm = await api();
    const body = (index: number): GeminiBody => gemini.requests[index]?.body as GeminiBody;

    // Phase 1: a 429 whose RetryInfo asks for 1.5 s, then the spec, thought first.
    gemini.enqueue({
      kind: 'http-error',
      status: 429,
      bodyFrom: (request) => errorBody(429, `Quota exceeded for key ${keyOf(request)}.`, [retryInfo('1.5s')]),
    });
    enqueueGeminiSpec(gemini);
    const runId = await dm.startRun('Add a greet helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    assert.equal(gemini.requests.length, 2, 'the 429 was retried once');
    for (const request of gemini.requests) {
      assert.equal(request.path, `/v1beta/models/${ARCHITECT}:streamGenerateContent?alt=sse`);
      assert.equal(request.headers['x-goog-api-key'], CANARY, 'the key was really sent');
    }
    assert.deepEqual(body(1), body(0), 'the retry sent the same request');
    assert.deepEqual(body(1).generationConfig?.thinkingConfig, { thinkingLevel: 'HIGH', includeThoughts: true });
    assert.match(JSON.stringify(body(1).systemInstruction), /Code Spec/);
    assert.equal(body(1).tools, undefined, 'the Architect writes the spec without tools');

    // HARD STOP → the Coder answers the identity check, then works: a 503 before its second turn
    // (retried), and four before its third, which use up the retries and move it to its fallback.
    enqueueGeminiCoder(gemini, { modelId: CODER, beforeVerifyTurn: [overloaded()], beforeReportTurn: [overloaded(), overloaded(), overloaded(), overloaded()] });
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');
    assert.equal(await fs.readFile(path.join(folder, 'src', 'greet.js'), 'utf8'), greetSource);
    assert.equal(await fs.readFile(path.join(folder, 'test', 'greet.test.js'), 'utf8'), greetTest);
    const runDir = dm.artifactsDir(runId) ?? '';
    const report = await readReport(dm, runId);
    assert.equal(report.testResult.status, 'PASS');
    assert.match(report.testOutput, /greet says hello/);

    // Requests 2–10: identity, turn 1, 503, turn 2, four 503s, turn 3 on the fallback.
    const coderModels = gemini.requests.slice(2).map((request) => request.model);
    assert.deepEqual(coderModels, [CODER, CODER, CODER, CODER, CODER, CODER, CODER, CODER, CODER_FALLBACK]);
    // The identity check asks for as little thinking as a Flash model takes.
    assert.deepEqual(body(2).generationConfig?.thinkingConfig, { thinkingLevel: 'MINIMAL', includeThoughts: true });
    const firstTurn = body(3);
    assert.deepEqual(firstTurn.generationConfig?.thinkingConfig, { thinkingLevel: 'MEDIUM', includeThoughts: true });
    const declared = firstTurn.tools?.flatMap((tool) => tool.functionDeclarations ?? []) ?? [];
    for (const name of ['write_file', 'run_verification', 'submit_report']) {
      assert.ok(declared.find((declaration) => declaration.name === name)?.parametersJsonSchema, `${name} is declared with its schema`);
    }
    assert.equal(firstTurn.contents.length, 1);
    // The second turn: sent twice (the 503, then its retry), identically; Gemini's own first
    // answer goes back unchanged (thought and signature included), then the results by call id.
    assert.deepEqual(body(5), body(4), 'the retry sent the same request');
    const secondTurn = body(5).contents;
    assert.equal(secondTurn.length, 3);
    assert.deepEqual(secondTurn[1], { role: 'model', parts: writeTurnParts });
    assert.equal(secondTurn[2]?.role, 'user');
    const responses = secondTurn[2]?.parts.map((part) => part.functionResponse as { id: string; name: string; response: { output?: string } });
    assert.deepEqual(responses?.map((response) => [response.id, response.name]), [['fc-1', 'write_file'], ['fc-2', 'write_file']]);
    assert.ok(responses?.every((response) => typeof response.response.output === 'string'), 'both writes succeeded');
    // The third turn on the fallback: a Gemini 2.x model, so a thinking budget instead of a level,
    // and the history rebuilt from our own record (another model's signatures mean nothing to it).
    const fallbackTurn = body(10);
    assert.deepEqual(fallbackTurn.generationConfig?.thinkingConfig, { thinkingBudget: 1024, includeThoughts: true });
    assert.equal(fallbackTurn.contents.length, 5);
    assert.deepEqual(fallbackTurn.contents[1], {
      role: 'model',
      parts: writeTurnParts.flatMap((part) => ('functionCall' in part ? [{ functionCall: part.functionCall }] : [])),
    });
    const verification = fallbackTurn.contents[4]?.parts[0]?.functionResponse as { id: string; name: string; response: { output: string } };
    assert.equal(verification.id, 'fc-3');
    assert.equal(verification.name, 'run_verification');
    assert.match(verification.response.output, /greet says hello/);

    // HARD STOP → the Architect checks in, then its review is refused with a 400 that echoes the
    // key. A bad request is not retried: the run fails, saying why, and the user retries the phase.
    enqueueGeminiReview(gemini, {
      modelId: ARCHITECT,
      beforeVerdict: [{ kind: 'http-error', status: 400, bodyFrom: (request) => errorBody(400, `Invalid value at 'contents' for key ${keyOf(request)}.`) }],
    });
    await dm.confirmModel(runId);
    await assert.rejects(waitFor(dm, runId, 'architect-review'), /run failed: Gemini \(gemini-3\.1-pro-preview\) answered HTTP 400 INVALID_ARGUMENT: [^\n]*\[redacted\]/);
    assert.equal(gemini.requests.length, 13, 'the 400 was not retried');
    await vscode.commands.executeCommand('dualModel.retryPhase');
    await waitFor(dm, runId, 'architect-review');
    assert.equal(gemini.requests.length, 14, 'the retried phase asked for the review again, and only that');
    assert.deepEqual(gemini.requests.slice(11).map((request) => request.model), [ARCHITECT, ARCHITECT, ARCHITECT]);
    // A Pro model cannot stop thinking: LOW is the least it takes.
    assert.deepEqual(body(11).generationConfig?.thinkingConfig, { thinkingLevel: 'LOW', includeThoughts: true });
    const review = body(13);
    assert.deepEqual(review, body(12), 'the retried phase sent the same review request');
    assert.equal(review.generationConfig?.responseMimeType, 'application/json');
    assert.ok(review.generationConfig?.responseJsonSchema, 'the verdict schema is sent');
    assert.match(JSON.stringify(review.contents), /greet says hello/, 'the review sees the report');
    const state = dm.getRun(runId)?.state;
    if (state?.phase !== 'architect-review') assert.fail(`the run is in ${state?.phase}, not in review`);
    assert.deepEqual(state.verdict, { outcome: 'approved', reasons: 'Correct and tested.', blockerAnswers: [] });
    // What each model said at its HARD STOP is what the run records as the model confirmed.
    assert.match(state.confirmedModel, new RegExp(`answered "${ARCHITECT}"`));
    const history = dm.getRun(runId)?.history ?? [];
    assert.ok(history.some((entry) => entry.detail?.includes(`answered "${CODER}"`)), 'the Coder check is in the history');
    // The server's words, echoed key and all, reached the run record: the search below has
    // something to find if the key were not redacted.
    assert.ok(history.some((entry) => entry.event === 'fail' && /HTTP 400 INVALID_ARGUMENT: Invalid value at 'contents' for key \[redacted\]/.test(entry.detail ?? '')));
    await dm.decide('approved', undefined, runId);
    await waitFor(dm, runId, 'approved');
    reportPhaseTimings('gemini', dm.getRun(runId));

    const saved = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as { usage: Record<string, Record<string, number>> };
    // Gemini counts cached tokens inside promptTokenCount; they are counted once, as cache reads.
    assert.deepEqual(saved.usage['architect-spec'], { inputTokens: 1200, outputTokens: 400, cacheReadTokens: 300, cacheWriteTokens: 0, thinkingTokens: 120 });
    // All three Coder turns, the fallback's included.
    assert.equal(saved.usage['coder-implement']?.inputTokens, 900 + 1000 + 1100);
    assert.equal(saved.usage['coder-implement']?.outputTokens, 120 + 20 + 60);
    assert.equal(saved.usage['architect-review']?.inputTokens, 2000);

    // Every failure echoed the key, so each had a chance to leak it; it reached none of them.
    assert.ok(gemini.requests.every((request) => request.headers['x-goog-api-key'] === CANARY), 'the key was really sent with every request');
    await assertKeyLeftNoTrace(dm, runId, 'google', /CANARY/);
    // Nor in the extension's logs, which record these retries and the fall-over, key redacted.
    // The log is written behind the output channel, so wait for the last line to reach the file.
    const fellOver = /continuing on the fallback model Gemini 2\.5 Flash-Lite/;
    // A poll: no event says the log file caught up with the channel.
    const logs = await waitUntil(async () => {
      const text = await readLogs(dm);
      return fellOver.test(text) ? text : undefined;
    }, "the log file never recorded the fall-over to Gemini 2.5 Flash-Lite");
    // "in 2 s" is the server's 1.5 s RetryInfo rounded up; our own first backoff is at most 1 s.
    assert.match(logs, new RegExp(`Gemini \\(${ARCHITECT}\\) answered HTTP 429 RESOURCE_EXHAUSTED: Quota exceeded for key \\[redacted\\]\\.[^\\n]* — retry 1 in 2 s`));
    assert.match(logs, new RegExp(`Gemini \\(${CODER}\\) answered HTTP 503 UNAVAILABLE: The model is overloaded \\(key \\[redacted\\]\\)\\.[^\\n]* — retry 3 in`));
    assert.match(logs, fellOver);
    assert.doesNotMatch(logs, /CANARY/);
  });
});
