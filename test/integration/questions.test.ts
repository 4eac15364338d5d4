// TODO(architect) markers in the real host: the CodeLens, the Open Questions view and Problems
// kept current from disk and from unsaved editors, Ask Architect against the offline demo
// Architect (answer in a comment thread, kept for the open run), Apply after its diff preview,
// Dismiss, cancel; and in Restricted Mode, Apply writes nothing.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { findMarkers } from '../../src/core/questions/markers';
import type { AnswerEntry } from '../../src/vscode/questions/questionAnswers';
import { AnswerPreviews, applyAnswer } from '../../src/vscode/questions/applyAnswer';
import { QuestionAnswers } from '../../src/vscode/questions/questionAnswers';
import { QuestionLensProvider } from '../../src/vscode/questions/questionLenses';
import { waitUntil, within } from '../support/waitUntil';
import { startFakeAnthropicServer, type FakeAnthropicReply, type FakeAnthropicServer } from '../fakes/anthropicServer';
import { api, setSettings, useFakeProviderSettings, waitFor } from './support';

type Listed = { file: string; line: number; question: string };
type AnswerState = { status: string; answer: string; thread: string; error?: string } | undefined;

/** Workspace storage as a Memento keeps it, in memory: what a reloaded window reads back. */
function memoryStorage(): Pick<vscode.Memento, 'get' | 'update'> {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string, fallback?: T) => (values.has(key) ? structuredClone(values.get(key)) : fallback) as T,
    update: async (key: string, value: unknown) => {
      values.set(key, structuredClone(value));
    },
  };
}

const folder = (): string => {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'a folder is open');
  return first.uri.fsPath;
};

const pricing = [
  "'use strict';",
  '',
  '/**',
  ' * Adds tax to a price.',
  ' * TODO(architect): should accented letters be transliterated in product names?',
  ' */',
  'function withTax(price) {',
  '  // TODO(architect): round per line or per invoice?',
  '  return price * 1.2;',
  '}',
  '',
  'module.exports = { withTax };',
  '',
].join('\n');

const listed = async (): Promise<Listed[]> => vscode.commands.executeCommand<Listed[]>('dualModel.listOpenQuestions');
const listedIn = async (file: string): Promise<Listed[]> => (await listed()).filter((entry) => entry.file === file);
const answerAt = (uri: vscode.Uri, line: number): Thenable<AnswerState> => vscode.commands.executeCommand<AnswerState>('dualModel.questionAnswer', uri, line);
const lensTitles = async (uri: vscode.Uri, line: number): Promise<string[]> => {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 50)) ?? [];
  return lenses.filter((lens) => lens.range.start.line === line).map((lens) => lens.command?.title ?? '(unresolved)');
};
const ourDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Dual-Model');

describe('TODO(architect) questions in the editor', () => {
  let uri: vscode.Uri;
  before(async () => {
    await vscode.workspace.getConfiguration('dualModel').update('demo.latencyMs', 0, vscode.ConfigurationTarget.Global);
    await api();
    await fs.mkdir(path.join(folder(), 'node_modules', 'dep'), { recursive: true });
    await fs.writeFile(path.join(folder(), 'node_modules', 'dep', 'index.js'), '// TODO(architect): never listed\n');
    await fs.writeFile(path.join(folder(), 'src', 'pricing.js'), pricing);
    uri = vscode.Uri.file(path.join(folder(), 'src', 'pricing.js'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(path.join(folder(), 'src', 'pricing.js'), { force: true });
    await fs.rm(path.join(folder(), 'node_modules'), { recursive: true, force: true });
  });

  it('lists a new file\'s markers in the Open Questions view and in Problems, and skips node_modules', async () => {
    const entries = await waitUntil(async () => {
      const found = await listedIn('src/pricing.js');
      return found.length === 2 ? found : undefined;
    }, "the watcher never listed src/pricing.js's two markers", 20_000);
    assert.deepEqual(entries, [
      { file: 'src/pricing.js', line: 5, question: 'should accented letters be transliterated in product names?' },
      { file: 'src/pricing.js', line: 8, question: 'round per line or per invoice?' },
    ]);
    assert.ok(!(await listed()).some((entry) => entry.file.includes('node_modules')), 'node_modules is skipped');
    const diagnostics = ourDiagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.severity, d.message]), [
      [4, vscode.DiagnosticSeverity.Information, 'TODO(architect): should accented letters be transliterated in product names?'],
      [7, vscode.DiagnosticSeverity.Information, 'TODO(architect): round per line or per invoice?'],
    ]);
  });

  it('shows "Ask Architect" above each marker, resolved with its command', async () => {
    await vscode.window.showTextDocument(uri);
    assert.deepEqual(await lensTitles(uri, 4), ['$(comment-discussion) Ask Architect']);
    assert.deepEqual(await lensTitles(uri, 7), ['$(comment-discussion) Ask Architect']);
    assert.deepEqual(await lensTitles(uri, 0), []);
  });

  it('asks the Architect: the answer shows in a comment thread, then Apply previews and edits the file', async () => {
    const result = await vscode.commands.executeCommand<{ status: string; answer: string }>('dualModel.askArchitect', uri, 4);
    assert.equal(result?.status, 'answered');
    assert.match(result.answer, /NFKD/);
    const state = await answerAt(uri, 4);
    assert.equal(state?.status, 'answered');
    assert.match(state.thread, /Transliterate: decompose the text with NFKD/);
    assert.deepEqual(await lensTitles(uri, 4), ['$(check) Apply answer', '$(code) Apply answer with its code', '$(close) Dismiss']);

    // The command asks in a notification (the e2e journey clicks it); here the same function
    // runs with the answer the command holds, and the test plays the user at the prompt.
    assert.equal(await vscode.commands.executeCommand('dualModel.dismissAnswer', uri, 4), true);
    const previews = new AnswerPreviews('dual-model-answer-test');
    try {
      const shown = await vscode.workspace.openTextDocument(uri);
      const [marker] = findMarkers(shown.getText());
      assert.ok(marker);
      const entry = { key: 'k', uri, question: marker.question, status: 'answered', answer: result.answer, architect: 'Demo' } satisfies AnswerEntry;
      let diffShown = '';
      const declined = await applyAnswer(shown, marker, entry, false, previews, async () => {
        const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
        diffShown = tab?.input instanceof vscode.TabInputTextDiff ? (await vscode.workspace.openTextDocument(tab.input.modified)).getText() : `no diff but ${tab?.label ?? 'nothing'}`;
        return false;
      });
      assert.equal(declined, false);
      assert.match(diffShown, /^ \* Architect: Transliterate/m, 'the diff shows the file with the decision');
      assert.equal(shown.getText(), pricing, 'declining changes nothing');
      assert.ok(!vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputTextDiff)), 'the preview closes');
      assert.equal(await applyAnswer(shown, marker, entry, false, previews, async () => true), true);
    } finally {
      previews.dispose();
    }
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.lineAt(4).text, ' * Architect: Transliterate: decompose the text with NFKD and drop the combining marks before lower-casing, so "Crème Brûlée" becomes "creme-brulee" rather than "cr-me-br-l-e".');
    assert.equal(document.lineAt(5).text, ' */', 'the comment is closed where it was');
    // The unsaved edit already updated the view and Problems.
    await waitUntil(async () => (await listedIn('src/pricing.js')).length === 1, 'the applied marker stayed in the Open Questions view');
    await waitUntil(() => ourDiagnostics(uri).length === 1, 'the applied marker stayed in Problems');
    await document.save();
  });

  it('Dismiss drops the answer and brings "Ask Architect" back', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const line = findMarkers(document.getText())[0]?.line ?? -1;
    assert.equal(line, 7);
    await vscode.commands.executeCommand('dualModel.askArchitect', uri, line);
    assert.equal((await answerAt(uri, line))?.status, 'answered');
    assert.equal(await vscode.commands.executeCommand('dualModel.dismissAnswer', uri, line), true);
    assert.equal(await answerAt(uri, line), undefined);
    assert.deepEqual(await lensTitles(uri, line), ['$(comment-discussion) Ask Architect']);
  });

  it('an answer neither applied nor dismissed comes back after a reload, with its thread and lenses; a dismissed one does not', async () => {
    const storage = memoryStorage();
    const document = await vscode.workspace.openTextDocument(uri);
    const [marker] = findMarkers(document.getText());
    assert.ok(marker);
    const before = new QuestionAnswers(storage);
    const asked = before.begin(uri, marker, 'Demo Architect', 'run-1');
    before.finish(asked, { answer: 'Per invoice, so the totals match the ledger.' });
    before.dispose();

    // The reloaded window: a new instance over the same workspace storage.
    const after = new QuestionAnswers(storage);
    const lenses = new QuestionLensProvider(after);
    try {
      const restored = after.get(uri, marker);
      assert.equal(restored?.status, 'answered');
      assert.equal(restored.answer, 'Per invoice, so the totals match the ledger.');
      assert.equal(restored.runId, 'run-1', 'the run it was asked for, for questions.json');
      assert.deepEqual(lenses.provideCodeLenses(document).map((lens) => lens.kind), ['apply', 'dismiss']);
      assert.match(after.threadText(restored), /Per invoice/, 'the thread is back on the marker once the CodeLens finds it');
      after.drop(uri, marker);
    } finally {
      after.dispose();
    }
    const third = new QuestionAnswers(storage);
    assert.equal(third.get(uri, marker), undefined, 'a dismissed answer stays dismissed after a reload');
    third.dispose();
  });

  it('a cancelled question keeps what arrived and offers to ask again', async () => {
    await vscode.workspace.getConfiguration('dualModel').update('demo.latencyMs', 300, vscode.ConfigurationTarget.Global);
    try {
      const asking = Promise.resolve(vscode.commands.executeCommand<{ status: string; error?: string }>('dualModel.askArchitect', uri, 7));
      await waitUntil(async () => (await answerAt(uri, 7))?.answer, 'the demo Architect never streamed a first chunk', 20_000, 50);
      await vscode.commands.executeCommand('dualModel.cancelQuestion', uri, 7);
      const result = await within(asking, 'the cancelled question never ended');
      assert.equal(result?.status, 'failed');
      assert.match(result.error ?? '', /cancelled/);
      const state = await answerAt(uri, 7);
      assert.match(state?.thread ?? '', /failed:\*\* You cancelled[\s\S]*What arrived before it failed:\n\nKeep the simplest/);
      assert.deepEqual(await lensTitles(uri, 7), ['$(refresh) Ask Architect again', '$(close) Dismiss']);
      await vscode.commands.executeCommand('dualModel.dismissAnswer', uri, 7);
    } finally {
      await vscode.workspace.getConfiguration('dualModel').update('demo.latencyMs', 0, vscode.ConfigurationTarget.Global);
    }
  });

  it('follows unsaved edits and deletions', async () => {
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# not a comment in JS, but a marker all the same\n// TODO(architect): typed, not saved\n'));
    await waitUntil(async () => (await listedIn('src/pricing.js')).some((entry) => entry.question === 'typed, not saved'), 'an unsaved marker never reached the view');
    // Reverted by its URI, not as "the active editor": when the command runs, the focus can be on
    // another editor (a run's panel the earlier suites opened), and the revert would miss this one.
    await vscode.commands.executeCommand('workbench.action.files.revert', uri);
    // VS Code's part, waited for apart from the view's, so a failure says which of the two did not happen.
    await waitUntil(() => !editor.document.isDirty && !editor.document.getText().includes('typed, not saved'), 'VS Code never reverted the unsaved edit', 20_000, 50);
    await waitUntil(async () => !(await listedIn('src/pricing.js')).some((entry) => entry.question === 'typed, not saved'), 'a reverted marker stayed in the view');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(path.join(folder(), 'src', 'pricing.js'));
    await waitUntil(async () => (await listedIn('src/pricing.js')).length === 0, 'a deleted file stayed in the view', 20_000);
    await waitUntil(() => ourDiagnostics(uri).length === 0, 'a deleted file kept its Problems');
  });

  it('keeps an answer asked while a run is open in its questions.json, for the next spec', async () => {
    const dm = await api();
    const runId = await dm.startRun('Add a slugify helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    const file = vscode.Uri.file(path.join(folder(), 'src', 'carry.py'));
    await fs.writeFile(file.fsPath, 'def f():\n    """TODO(architect): raise or return None?"""\n');
    try {
      const result = await vscode.commands.executeCommand<{ status: string }>('dualModel.askArchitect', file, 1);
      assert.equal(result?.status, 'answered');
      const kept = JSON.parse(await fs.readFile(path.join(dm.artifactsDir(runId) ?? '', 'questions.json'), 'utf8')) as { questions: { file: string; line: number; question: string }[] };
      assert.deepEqual(kept.questions.map((q) => [q.file, q.line, q.question]), [['src/carry.py', 2, 'raise or return None?']]);
      await vscode.commands.executeCommand('dualModel.dismissAnswer', file, 1);
      const after = JSON.parse(await fs.readFile(path.join(dm.artifactsDir(runId) ?? '', 'questions.json'), 'utf8')) as { questions: unknown[] };
      assert.deepEqual(after.questions, [], 'a dismissed answer is not carried into the next spec');
    } finally {
      await dm.cancel(runId);
      await fs.rm(file.fsPath, { force: true });
    }
  });

  it('provideCodeLenses on a 50,000-line file (a figure for npm run bench)', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i += 1) lines.push(i % 250 === 0 ? `  // TODO(architect): question ${i}?` : `  const value${i} = compute("${i}"); // a comment`);
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: lines.join('\n') });
    const times: number[] = [];
    let count = 0;
    for (let round = 0; round < 9; round += 1) {
      const started = performance.now();
      // No resolve count: the lenses come back as provideCodeLenses made them, unresolved.
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
      times.push(performance.now() - started);
      count = lenses.length;
    }
    assert.equal(count, 200);
    const median = [...times].sort((a, b) => a - b)[4] ?? 0;
    // The provider itself, called on the real document in this host (no round trip to the workbench).
    const answers = new QuestionAnswers(memoryStorage());
    const provider = new QuestionLensProvider(answers);
    const direct: number[] = [];
    for (let round = 0; round < 21; round += 1) {
      const started = performance.now();
      count = provider.provideCodeLenses(document).length;
      direct.push(performance.now() - started);
    }
    answers.dispose();
    assert.equal(count, 200);
    const directMedian = [...direct].sort((a, b) => a - b)[10] ?? 0;
    console.log(`DUALMODEL-BENCH codeLens provideCodeLensesMs=${directMedian.toFixed(2)} roundTripMs=${median.toFixed(2)} lines=50000 lenses=${count} (median of 21 direct calls; of 9 vscode.executeCodeLensProvider round trips)`);
  });
});

describe('TODO(architect) questions asked of a real provider (fake Anthropic server, real SDK)', () => {
  let anthropic: FakeAnthropicServer;
  let restore: Record<string, undefined> = {};
  let keyId = '';
  let file: vscode.Uri;
  before(async () => {
    await api();
    anthropic = await startFakeAnthropicServer();
    // The Coder is resolved too (as for /dual-model); a local URL needs no key and is never called here.
    restore = await useFakeProviderSettings(anthropic.url, 'http://127.0.0.1:9/v1');
    keyId = (await vscode.commands.executeCommand<{ id: string }>('dualModel.addApiKey', 'anthropic', 'sk-ant-questions-0000', 'questions')).id;
    file = vscode.Uri.file(path.join(folder(), 'src', 'provider.sql'));
    await fs.writeFile(file.fsPath, 'SELECT 1;\n-- TODO(architect): one index or two?\n');
  });
  after(async () => {
    await vscode.commands.executeCommand('dualModel.removeApiKey', 'anthropic', keyId);
    await setSettings(restore);
    await anthropic.close();
    await fs.rm(file.fsPath, { force: true });
  });

  it('streams the answer after a 429, sending the question, the code and the file', async () => {
    anthropic.enqueue(
      { kind: 'http-error', status: 429, headers: { 'retry-after-ms': '5' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } },
      { kind: 'answer', blocks: [{ type: 'text', text: 'One composite index on (a, b).' }], chunkSize: 5 },
    );
    const result = await vscode.commands.executeCommand<{ status: string; answer: string }>('dualModel.askArchitect', file, 1);
    assert.deepEqual(result, { status: 'answered', answer: 'One composite index on (a, b).' });
    assert.equal(anthropic.requests.length, 2, 'the 429 was retried once');
    const sent = JSON.stringify(anthropic.requests[1]?.body);
    assert.match(sent, /## Question \(src\/provider\.sql, line 2\)/);
    assert.match(sent, /SELECT 1;/);
    assert.match(sent, /not instructions from the user/);
    assert.match((await answerAt(file, 1))?.thread ?? '', /One composite index/);
    await vscode.commands.executeCommand('dualModel.dismissAnswer', file, 1);
  });

  it('a refused request shows its error in the thread, and the marker can be asked again', async () => {
    anthropic.enqueue({ kind: 'http-error', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } } });
    const result = await vscode.commands.executeCommand<{ status: string; error?: string }>('dualModel.askArchitect', file, 1);
    assert.equal(result?.status, 'failed');
    assert.match(result.error ?? '', /prompt is too long/);
    assert.match((await answerAt(file, 1))?.thread ?? '', /failed:\*\*.*prompt is too long/s);
    assert.deepEqual(await lensTitles(file, 1), ['$(refresh) Ask Architect again', '$(close) Dismiss']);
    await vscode.commands.executeCommand('dualModel.dismissAnswer', file, 1);
  });

  it('a stream that keeps dropping fails clearly and keeps what arrived', async () => {
    const cut: FakeAnthropicReply = { kind: 'answer', blocks: [{ type: 'text', text: 'Two indexes, because the reads' }], chunkSize: 6, interrupt: { afterEvents: 5, how: 'cut' } };
    anthropic.enqueue(cut, cut, cut, cut);
    const result = await vscode.commands.executeCommand<{ status: string; answer: string; error?: string }>('dualModel.askArchitect', file, 1);
    assert.equal(result?.status, 'failed');
    assert.ok(result.error, 'the error is given');
    const thread = (await answerAt(file, 1))?.thread ?? '';
    assert.match(thread, /The Architect's answer failed:/);
    if (result.answer) assert.ok(thread.includes(`What arrived before it failed:\n\n${result.answer}`), thread);
    await vscode.commands.executeCommand('dualModel.dismissAnswer', file, 1);
  });

  it('is not sent when it could cross the per-day spending cap, and is once the cap allows it', async () => {
    anthropic.enqueue({ kind: 'answer', blocks: [{ type: 'text', text: 'Within the cap.' }] });
    const sent = anthropic.requests.length;
    try {
      await setSettings({ 'spend.capPerDayUsd': 0.001 });
      const refused = await vscode.commands.executeCommand<{ status: string; error?: string }>('dualModel.askArchitect', file, 1);
      assert.equal(refused?.status, 'failed');
      assert.match(refused.error ?? '', /^Not sent: it would cross the cap per day of <\$0\.01 \(dualModel\.spend\.capPerDayUsd\)/);
      assert.equal(anthropic.requests.length, sent, 'the fake server received nothing');
      await vscode.commands.executeCommand('dualModel.dismissAnswer', file, 1);
      await setSettings({ 'spend.capPerDayUsd': 100 });
      const answered = await vscode.commands.executeCommand<{ status: string; answer: string }>('dualModel.askArchitect', file, 1);
      assert.deepEqual(answered, { status: 'answered', answer: 'Within the cap.' });
    } finally {
      await setSettings({ 'spend.capPerDayUsd': undefined });
      await vscode.commands.executeCommand('dualModel.dismissAnswer', file, 1);
    }
  });
});

describe('TODO(architect) questions in an untrusted workspace [untrusted]', () => {
  it('answers, but Apply writes nothing and says why', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await vscode.workspace.getConfiguration('dualModel').update('demo.latencyMs', 0, vscode.ConfigurationTarget.Global);
    await api();
    const file = vscode.Uri.file(path.join(folder(), 'src', 'untrusted.js'));
    const text = '// TODO(architect): round per line or per invoice?\n';
    await fs.writeFile(file.fsPath, text);
    try {
      const document = await vscode.workspace.openTextDocument(file);
      const result = await vscode.commands.executeCommand<{ status: string }>('dualModel.askArchitect', file, 0);
      assert.equal(result?.status, 'answered');
      // The command reports the refusal (as an error message) and returns nothing.
      assert.equal(await vscode.commands.executeCommand('dualModel.applyAnswer', file, 0), undefined);
      assert.equal(document.getText(), text);
      assert.equal(await fs.readFile(file.fsPath, 'utf8'), text);
      const [marker] = findMarkers(text);
      assert.ok(marker);
      const entry = { key: 'k', uri: file, question: marker.question, status: 'answered', answer: 'Per invoice.', architect: 'Demo' } satisfies AnswerEntry;
      const previews = new AnswerPreviews('dual-model-answer-untrusted');
      await assert.rejects(applyAnswer(document, marker, entry, false, previews, async () => true), /not trusted \(Restricted Mode\), so no answer is written/);
      assert.equal(document.getText(), text);
      previews.dispose();
    } finally {
      await fs.rm(file.fsPath, { force: true });
    }
  });
});
