// A window reload in the middle of Phase 3, on real providers (local fakes): the Coder (an
// OpenAI-compatible server) has edited src/index.js and created src/greet.js when the browser
// window reloads, with its next turn still in flight. The reloaded window's new extension host
// resumes the pass; the Coder finishes it, and the Code Report counts the lines changed against
// the files as they were before the Coder's first write (versions/v1/originals.json), not as the
// reload left them. Screenshots: mid-Phase-3 before the reload, resumed after it, the HARD STOP.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { parseCodeReport } from '../../src/core/artifacts/codeReport';
import { renderCodeSpec } from '../../src/core/artifacts/codeSpec';
import { greetSource } from '../fakes/scriptedLoop';
import { useFakeProviders } from './fakeProviders';
import { openWorkbench, runCommand, screenshot, startRun, webviewFrame } from './workbench';

const spec = renderCodeSpec({
  title: 'Add a greet helper to the text kit',
  specId: 'CS-RELOAD-001',
  architect: 'Claude Opus 4.6 (Thinking)',
  created: '2026-11-25T00:00:00Z',
  priority: 'P2',
  objective: 'Add `greet(name)` returning "Hello, <name>!" and export it from the package.',
  files: [
    { action: 'NEW', path: 'src/greet.js', purpose: 'The greeting.', contents: ['`greet(name)`'] },
    { action: 'MODIFY', path: 'src/index.js', change: 'Export `greet` next to `capitalize` and `truncate`.', constraints: [] },
    { action: 'NEW', path: 'test/greet.test.js', purpose: 'Its test.', contents: ['`greet says hello`'] },
  ],
  tests: [{ name: 'greet says hello', description: 'greet("Ada") is "Hello, Ada!"', checked: false }],
  guardrails: ['do not touch `package.json`'],
  verification: { language: 'bash', command: 'node --test' },
  context: '',
});

// The sample workspace's last line of src/index.js, and what the Coder makes of it before and
// after the reload. Against the true original the final file is +3 / -1; against the file as the
// reload left it, it would be +1 / -1.
const exportsLine = 'module.exports = { capitalize, truncate };';
const exportsBeforeReload = "const { greet } = require('./greet');\n\nmodule.exports = { capitalize, truncate, greet };";
const requireBeforeReload = "const { greet } = require('./greet');";
const requireAfterReload = "const { greet } = require('./greet.js');";
// src/greet.js: a first draft before the reload, replaced after it. Created +1 against the true
// original (no file); it would be "Modified +1 / -1" against the draft.
const greetDraft = "exports.greet = (name) => 'Hello ' + name;\n";
const greetTest =
  "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { greet } = require('../src/index.js');\ntest('greet says hello', () => assert.equal(greet('Ada'), 'Hello, Ada!'));\n";

/** A tool call's arguments as two stream fragments, as a real server splits them. */
const args = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  return [text.slice(0, 10), text.slice(10)];
};

function gate(): { promise: Promise<void>; release: () => void } {
  let release: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

/** Polls a condition on disk or in a fake's log (not the page) until it holds. */
async function until(what: string | (() => string), condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every Dual-Model output-channel log the server's extension hosts wrote (one per host). */
function dualModelLogs(userDataDir: string): { file: string; text: string }[] {
  return readdirSync(userDataDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('Dual-Model.log'))
    .map((file) => ({ file, text: readFileSync(join(userDataDir, file), 'utf8') }));
}

/** The Coder's turns as run.json holds them: their tokens in and out. */
const coderTurns = (runDir: string): [number, number][] =>
  (JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { calls: { purpose: string; usage: { inputTokens: number; outputTokens: number } }[] }).calls
    .filter((call) => call.purpose === 'implement')
    .map((call) => [call.usage.inputTokens, call.usage.outputTokens]);

const lockOwner = (runDir: string): string => (JSON.parse(readFileSync(join(runDir, 'run.lock'), 'utf8')) as { owner: string }).owner;

describe('a window reload in the middle of the Coder pass (real providers, local fakes)', () => {
  const fakes = useFakeProviders();

  it('resumes Phase 3 after the reload, keeps the edits and reports against the true originals', async () => {
    const { anthropic, openai } = fakes;
    const { page, workspaceFolder, server } = await openWorkbench({ label: 'e2e-reload-coder', settings: fakes.settings(), env: fakes.env });
    const panel: FrameLocator = webviewFrame(page);
    const originalIndex = readFileSync(join(workspaceFolder, 'src', 'index.js'), 'utf8');
    assert.ok(originalIndex.includes(exportsLine), 'the sample workspace still ends src/index.js with its exports line');

    // Phase 1 on the Anthropic fake, up to the HARD STOP.
    anthropic.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: spec }], chunkSize: 60, usage: { input_tokens: 1200, output_tokens: 300 } });
    await startRun(page, 'Add a greet helper to the text kit');
    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Coder Model' }).waitFor({ timeout: 60_000 });

    // The Coder's pass before the reload: the identity check, one turn of edits, then a turn that
    // never answers (the model "still thinking" when the window goes away).
    openai.enqueue(
      { kind: 'answer', text: ['qwen3-coder'] },
      {
        kind: 'answer',
        toolCalls: [
          { id: 'b1', name: 'edit_file', argumentFragments: args({ path: 'src/index.js', old_text: exportsLine, new_text: exportsBeforeReload }) },
          { id: 'b2', name: 'write_file', argumentFragments: args({ path: 'src/greet.js', content: greetDraft }) },
        ],
        usage: { prompt_tokens: 900, completion_tokens: 120 },
      },
      { kind: 'answer', startGate: new Promise<void>(() => undefined), text: ['never sent'] },
    );
    await panel.locator('[data-testid="confirm-model"]').click();
    await until('the Coder to ask for its third answer', () => openai.requests.length >= 3);
    // The turn before has been carried out, so its edits are on disk, and its originals with them.
    const brain = join(workspaceFolder, '.dual-model', 'brain');
    const [runId, ...otherRuns] = readdirSync(brain);
    assert.ok(runId);
    assert.deepEqual(otherRuns, []);
    const runDir = join(brain, runId);
    assert.equal(readFileSync(join(workspaceFolder, 'src', 'index.js'), 'utf8'), originalIndex.replace(exportsLine, exportsBeforeReload));
    assert.equal(readFileSync(join(workspaceFolder, 'src', 'greet.js'), 'utf8'), greetDraft);
    const originalsFile = join(runDir, 'versions', 'v1', 'originals.json');
    const originalsBefore = JSON.parse(readFileSync(originalsFile, 'utf8')) as Record<string, string | null>;
    assert.deepEqual(originalsBefore, { 'src/index.js': originalIndex, 'src/greet.js': null });
    // The Coder's turn is in run.json as soon as it ended, long before the report: a reload
    // now must not lose its tokens.
    await until(() => `run.json to hold the Coder's first turn; it holds ${JSON.stringify(coderTurns(runDir))}`, () => coderTurns(runDir).length >= 1, 15_000);
    assert.deepEqual(coderTurns(runDir)[0], [900, 120]);
    await panel.locator('[data-testid="phase-label"]', { hasText: 'Phase 3' }).waitFor({ timeout: 30_000 });
    const ownerBefore = lockOwner(runDir);
    let hungUp = false;
    void openai.requests[2]?.closed.then(() => (hungUp = true));
    await screenshot(page, 'reload-coder-01-mid-phase-3');

    // Two answers for the reloaded window, the first held so the resumed pass can be seen
    // waiting on its model. The engine restarts the Coder's loop from the spec (a new
    // conversation) on the files as they are now.
    const resumedTurn = gate();
    openai.enqueue(
      { kind: 'answer', startGate: resumedTurn.promise, toolCalls: [{ id: 'a1', name: 'read_file', argumentFragments: args({ path: 'src/index.js' }) }] },
      {
        kind: 'answer',
        toolCalls: [
          { id: 'a2', name: 'edit_file', argumentFragments: args({ path: 'src/index.js', old_text: requireBeforeReload, new_text: requireAfterReload }) },
          { id: 'a3', name: 'write_file', argumentFragments: args({ path: 'src/greet.js', content: greetSource }) },
          { id: 'a4', name: 'write_file', argumentFragments: args({ path: 'test/greet.test.js', content: greetTest }) },
        ],
      },
      { kind: 'answer', toolCalls: [{ id: 'a5', name: 'run_verification', argumentFragments: ['{}'] }] },
      { kind: 'answer', toolCalls: [{ id: 'a6', name: 'submit_report', argumentFragments: args({ summary: 'Added greet, exported it and tested it.', blockers: [], deviations: [] }) }] },
    );

    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The old window hangs up on its request in flight (its pass stops as its extension host goes)...
    await until('the old window to hang up on its Coder request', () => hungUp, 60_000);
    // ...and the new window asks the Coder again: the fourth request, a fresh conversation.
    await until('the resumed pass to call the Coder', () => openai.requests.length >= 4, 90_000);
    const resumedFirst = openai.requests[3]?.body?.['messages'] as { role: string }[] | undefined;
    assert.deepEqual(resumedFirst?.map((message) => message.role), ['system', 'user'], 'the resumed pass starts a new conversation from the spec');
    // ...and its first message says what the interrupted conversation had already changed.
    const resumedNote = (openai.requests[3]?.body?.['messages'] as { content: string }[] | undefined)?.[1]?.content ?? '';
    const freshFirst = (openai.requests[1]?.body?.['messages'] as { content: string }[] | undefined)?.[1]?.content ?? '';
    assert.doesNotMatch(freshFirst, /interrupted/, 'a fresh pass has no note');
    const [resumedSpec, note = ''] = resumedNote.split('\n\n## This pass was interrupted and resumed\n');
    assert.equal(resumedSpec, freshFirst, 'the same spec as before, with the note after it');
    assert.deepEqual(note.split('\n').filter((line) => line.startsWith('- ')), ['- `src/greet.js` (created)', '- `src/index.js` (modified)']);
    assert.notEqual(lockOwner(runDir), ownerBefore, 'the reloaded window drives the run');
    // It took the run over as it started, because the old window let go as it closed: not later,
    // after the old lock went stale (which would leave the run "driven by another window" ~30 s).
    const resumedLine = `Resumed 1 run(s); showing ${runId} in coder-implement.`;
    // Log files are written asynchronously: give the line a moment to reach the disk.
    await until(
      () => `a Dual-Model log to say "${resumedLine}"; the logs: ${dualModelLogs(server.userDataDir).map((log) => `${log.file}:\n${log.text}`).join('\n') || 'none'}`,
      () => dualModelLogs(server.userDataDir).some((log) => log.text.includes(resumedLine)),
      15_000,
    );
    await panel.locator('[data-testid="phase-label"]', { hasText: 'Phase 3' }).waitFor({ timeout: 30_000 });
    const activity = panel.locator('[data-testid="activity"]');
    await activity.filter({ hasText: 'Coder' }).waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await activity.innerText(), /Another window/);
    await screenshot(page, 'reload-coder-02-resumed');
    resumedTurn.release();

    await panel.locator('[data-testid="hard-stop"]', { hasText: 'Switch to Architect Model' }).waitFor({ timeout: 90_000 });
    // The resumed Coder read the file as the first window had left it: the edit survived.
    assert.match(openai.requests[4]?.rawBody ?? '', /require\('\.\/greet'\)/);
    assert.equal(openai.requests.length, 7, 'exactly the scripted turns: nobody else drove the pass');

    // The files on disk: every edit from both sides of the reload.
    assert.equal(
      readFileSync(join(workspaceFolder, 'src', 'index.js'), 'utf8'),
      originalIndex.replace(exportsLine, exportsBeforeReload.replace(requireBeforeReload, requireAfterReload)),
    );
    assert.equal(readFileSync(join(workspaceFolder, 'src', 'greet.js'), 'utf8'), greetSource);
    assert.equal(readFileSync(join(workspaceFolder, 'test', 'greet.test.js'), 'utf8'), greetTest);
    // originals.json still holds the files as they were before the first write.
    assert.deepEqual(JSON.parse(readFileSync(originalsFile, 'utf8')), { 'src/index.js': originalIndex, 'src/greet.js': null, 'test/greet.test.js': null });

    // The report's Files Changed, counted against those originals.
    const reportFile = join(runDir, 'code_report.md');
    assert.ok(existsSync(reportFile));
    const report = parseCodeReport(readFileSync(reportFile, 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.deepEqual(
      report.value.filesChanged.map((change) => [change.path, change.action, change.added, change.removed]),
      [
        ['src/greet.js', 'Created', 1, 0],
        ['src/index.js', 'Modified', 3, 1],
        ['test/greet.test.js', 'Created', 4, 0],
      ],
    );
    assert.equal(report.value.testResult.status, 'PASS');

    // One run, one pass: confirmed once, one report, still held by the reloaded window.
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { state: { phase: string }; history: { event: string }[]; reports: unknown[] };
    assert.equal(run.state.phase, 'hard-stop-to-architect');
    assert.equal(run.history.filter((entry) => entry.event === 'model-confirmed').length, 1);
    assert.equal(run.history.filter((entry) => entry.event === 'report-written').length, 1);
    assert.equal(run.reports.length, 1);
    // The turn from before the reload kept its place and tokens in run.json under the resumed ones.
    assert.deepEqual(coderTurns(runDir)[0], [900, 120]);
    assert.ok(coderTurns(runDir).length >= 5, `the turn before the reload and the four after it: ${JSON.stringify(coderTurns(runDir))}`);
    assert.deepEqual(readdirSync(brain), [runId]);
    assert.notEqual(lockOwner(runDir), ownerBefore);

    // The panel shows that report, with the same counts.
    const document = panel.locator('[data-testid="document"]').first();
    assert.match(await document.innerText(), /Code Report — CS-RELOAD-001/);
    assert.match(await document.innerText(), /src\/index\.js\s+Modified\s+\+3 \/ -1/);
    assert.match(await document.innerText(), /src\/greet\.js\s+Created\s+\+1/);
    assert.match(await document.innerText(), /PASS/);
    // The report's Files Changed table in view for the screenshot: the verification's terminal
    // takes the bottom of the window, so hide the panel first.
    await runCommand(page, 'View: Hide Panel');
    await document.locator('table').scrollIntoViewIfNeeded();
    await screenshot(page, 'reload-coder-03-hard-stop');
  });
});
