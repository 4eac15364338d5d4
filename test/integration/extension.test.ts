// The extension in a real VS Code extension host: commands, the whole demo loop through the real
// task system and WorkspaceEdits, artifacts on disk, and a misconfigured role refused up front.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseCodeReport } from '../../src/core/artifacts/codeReport';
import { parseCodeSpec } from '../../src/core/artifacts/codeSpec';
import { waitUntil } from '../support/waitUntil';
import { api, EXTENSION_ID, reportPhaseTimings, waitFor } from './support';

/** Every text file of the workspace by its slash path, outside the run's own artifacts. */
async function workspaceTexts(root: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const entry of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (entry.isFile() && !/^(\.dual-model|node_modules|\.git)\//.test(relative)) texts.set(relative, await fs.readFile(file, 'utf8'));
  }
  return texts;
}

/** Each open tab's label and the keys of its input, to say what opened instead. */
function describeTabs(): string {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  return tabs.map((tab) => `"${tab.label}" (${typeof tab.input === 'object' && tab.input !== null ? `${tab.input.constructor.name} {${Object.keys(tab.input).join(', ')}}` : String(tab.input)})`).join('; ') || 'none';
}

/**
 * The diffs of the multi-diff tab whose title starts with `label`, left and right, once it is open. The stable API
 * types a multi-diff tab's input as unknown; at run time it is a TabInputTextMultiDiff whose
 * `textDiffs` are ordinary TabInputTextDiffs, so that is what is read.
 */
function diffsInTab(label: string): vscode.TabInputTextDiff[] | undefined {
  // VS Code appends the count: "<title> (3 files)".
  const tab = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.label.startsWith(label));
  if (!tab) return undefined;
  const input: unknown = tab.input;
  const textDiffs = typeof input === 'object' && input !== null && 'textDiffs' in input ? input.textDiffs : undefined;
  assert.ok(Array.isArray(textDiffs) && textDiffs.length > 0, `the "${label}" tab lists its diffs`);
  return textDiffs.map((diff: unknown) => {
    assert.ok(diff instanceof vscode.TabInputTextDiff, `each diff in "${label}" is a text diff`);
    return diff;
  });
}

describe('Dual-Model in the extension host', () => {
  const folder = (): string => {
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first);
    return first.uri.fsPath;
  };

  before(async () => {
    await vscode.workspace.getConfiguration('dualModel').update('demo.latencyMs', 0, vscode.ConfigurationTarget.Global);
  });

  it('registers its commands, with /dual-model findable in the palette', async () => {
    const dm = await api();
    // A figure for `npm run bench`, not an assertion: activate() from entry to return.
    console.log(`DUALMODEL-BENCH activationMs=${dm.activationMs.toFixed(3)} providerBundlesLoadedAtActivation=${String(Object.keys(require.cache).some((key) => /dist[\\/]providers[\\/]|@anthropic-ai|@google\/genai/.test(key)))}`);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['dualModel.start', 'dualModel.confirmModel', 'dualModel.approve', 'dualModel.requestRevisions', 'dualModel.redesign', 'dualModel.configureRoles', 'dualModel.showPanel', 'dualModel.cancelRun']) {
      assert.ok(commands.includes(id), id);
    }
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string; title: string }[] } };
    const start = manifest.contributes.commands.find((command) => command.command === 'dualModel.start');
    assert.match(start?.title ?? '', /\/dual-model/);
  });

  it('refuses to start with a retired model, naming the successor, and creates no run', async () => {
    const dm = await api();
    const settings = vscode.workspace.getConfiguration('dualModel');
    await settings.update('coder.model', 'gemini-3-pro-preview', vscode.ConfigurationTarget.Global);
    try {
      const before = await fs.readdir(path.join(folder(), '.dual-model', 'brain')).catch(() => []);
      assert.equal(await dm.startRun('should not start'), undefined);
      const after = await fs.readdir(path.join(folder(), '.dual-model', 'brain')).catch(() => []);
      assert.deepEqual(after, before);
    } finally {
      await settings.update('coder.model', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('runs the whole demo loop: spec, HARD STOP, real edits and task, report, review, Approved', async () => {
    const dm = await api();
    const runId = await vscode.commands.executeCommand<string>('dualModel.start', 'Add a slugify helper');
    assert.ok(runId, 'the start command returns the run id');
    await waitFor(dm, runId, 'hard-stop-to-coder');
    const runDir = dm.artifactsDir(runId);
    assert.ok(runDir);
    assert.equal(runDir, path.join(folder(), '.dual-model', 'brain', runId));
    const spec = parseCodeSpec(await fs.readFile(path.join(runDir, 'code_spec.md'), 'utf8'));
    assert.ok(spec.ok);
    assert.equal(spec.value.verification.command, 'node --test');

    const tasksSeen = new Set<string>();
    const watcher = vscode.tasks.onDidStartTask((event) => tasksSeen.add(event.execution.task.name));
    await vscode.commands.executeCommand('dualModel.confirmModel');
    await waitFor(dm, runId, 'hard-stop-to-architect');
    watcher.dispose();
    assert.ok([...tasksSeen].some((name) => name.includes('node --test')), `a verification task ran: ${[...tasksSeen].join(', ')}`);

    const slugify = await fs.readFile(path.join(folder(), 'src', 'slugify.js'), 'utf8');
    assert.match(slugify, /TODO\(architect\)/);
    const report = parseCodeReport(await fs.readFile(path.join(runDir, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    assert.equal(report.value.testResult.status, 'PASS');
    assert.match(report.value.testOutput, /slugify rejects non-strings/);
    assert.deepEqual(report.value.filesChanged.map((change) => change.path), ['src/index.js', 'src/slugify.js', 'test/slugify.test.js']);

    await vscode.commands.executeCommand('dualModel.confirmModel');
    await waitFor(dm, runId, 'architect-review');
    await vscode.commands.executeCommand('dualModel.approve');
    await waitFor(dm, runId, 'approved');
    const saved = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as {
      state: { phase: string };
      schemaVersion: number;
      timings: { phase: string; wallMs: number; modelMs: number; verificationMs: number }[];
    };
    assert.equal(saved.state.phase, 'approved');
    assert.equal(saved.schemaVersion, 1);
    reportPhaseTimings('demo', dm.getRun(runId));
    assert.deepEqual(saved.timings.map((timing) => timing.phase), ['architect-spec', 'coder-implement', 'architect-review']);
  });

  it("shows and reverts the Coder's pass, restoring every file as it was", async () => {
    const dm = await api();
    const indexFile = path.join(folder(), 'src', 'index.js');
    await fs.writeFile(indexFile, (await fs.readFile(indexFile, 'utf8')).replace(/slugify/g, 'removedForThisTest'));
    await fs.rm(path.join(folder(), 'src', 'slugify.js'), { force: true });
    const before = await fs.readFile(indexFile, 'utf8');
    const beforeRun = await workspaceTexts(folder());
    const runId = await dm.startRun('Add a slugify helper (to revert)');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');
    assert.notEqual(await fs.readFile(indexFile, 'utf8'), before);

    // One tab, each diff in it: left the file before the pass ('' for one it created), right the file now.
    await vscode.commands.executeCommand('dualModel.showCoderChanges', runId);
    const diffs = await waitUntil(() => diffsInTab("Coder's changes (spec v1)"), () => `no tab titled "Coder's changes (spec v1)" ever opened; the tabs: ${describeTabs()}`, 10_000);
    const changed: string[] = [];
    for (const diff of diffs) {
      const file = path.relative(folder(), diff.modified.fsPath).split(path.sep).join('/');
      changed.push(file);
      assert.equal(diff.modified.scheme, 'file', `${file}: the right side is the file itself`);
      assert.equal(diff.original.scheme, 'dual-model-original', `${file}: the left side is the kept original`);
      const left = (await vscode.workspace.openTextDocument(diff.original)).getText();
      const right = (await vscode.workspace.openTextDocument(diff.modified)).getText();
      assert.equal(left, beforeRun.get(file) ?? '', `${file}: left is the file before the pass`);
      assert.equal(right, await fs.readFile(diff.modified.fsPath, 'utf8'), `${file}: right is the file now`);
      // A file an earlier test left behind may have been rewritten with the same text.
      if (file.startsWith('src/')) assert.notEqual(left, right, `${file}: the pass changed it`);
    }
    assert.ok(changed.includes('src/index.js') && changed.includes('src/slugify.js'), `the edited and the created file are shown: ${changed.join(', ')}`);

    const reverted = await vscode.commands.executeCommand<number>('dualModel.revertCoderChanges', runId, true);
    assert.equal(reverted, diffs.length, 'it reverts exactly the files it showed');
    assert.equal(reverted, 3);
    assert.equal(await fs.readFile(indexFile, 'utf8'), before);
    await assert.rejects(fs.access(path.join(folder(), 'src', 'slugify.js')), 'the file it created is gone');
    await dm.cancel(runId);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("never overwrites a person's unsaved edits, and edits a file changed on disk behind an open editor", async () => {
    const dm = await api();
    const indexFile = path.join(folder(), 'src', 'index.js');
    await fs.rm(path.join(folder(), 'src', 'slugify.js'), { force: true });
    // index.js: open in an editor, then changed on disk by another tool (the editor is behind).
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(indexFile));
    await fs.writeFile(indexFile, (await fs.readFile(indexFile, 'utf8')).replace(/slugify/g, 'renamedByAnotherTool'));
    const onDisk = await fs.readFile(indexFile, 'utf8');
    const runId = await dm.startRun('Add a slugify helper (editor behind the disk)');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.confirmModel(runId);
    await waitFor(dm, runId, 'hard-stop-to-architect');
    const edited = await fs.readFile(indexFile, 'utf8');
    assert.notEqual(edited, onDisk, 'the Coder edited the file despite the stale editor');
    assert.match(edited, /slugify/);

    // Now unsaved edits in that editor: writing the file (here, reverting the pass, which goes
    // through the same adapter as the Coder) is refused and the person's text stays.
    const document = await vscode.workspace.openTextDocument(indexFile);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '// my unsaved note\n'));
    assert.ok(document.isDirty);
    const reverted = await vscode.commands.executeCommand<number>('dualModel.revertCoderChanges', runId, true).then(
      () => 'reverted',
      (error: Error) => error.message,
    );
    assert.match(String(reverted), /unsaved changes in an editor/);
    assert.ok(document.isDirty && document.getText().startsWith('// my unsaved note'), 'the unsaved text is still there');
    assert.equal(await fs.readFile(indexFile, 'utf8'), edited, 'and the disk was not touched');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await dm.cancel(runId);
  });

  it('shows an earlier run on request', async () => {
    const dm = await api();
    const first = await dm.startRun('First request');
    assert.ok(first);
    await waitFor(dm, first, 'hard-stop-to-coder');
    const second = await dm.startRun('Second request');
    assert.ok(second);
    await waitFor(dm, second, 'hard-stop-to-coder');
    assert.equal(dm.currentRunId(), second);
    await vscode.commands.executeCommand('dualModel.openRun', first);
    assert.equal(dm.currentRunId(), first);
    await dm.cancel(first);
    await dm.cancel(second);
  });

  it('takes the active editor, its cursor and its selection as context for the Architect', async () => {
    const dm = await api();
    const document = await vscode.workspace.openTextDocument(path.join(folder(), 'src', 'index.js'));
    const editor = await vscode.window.showTextDocument(document);
    const start = document.positionAt(document.getText().indexOf('function truncate'));
    editor.selection = new vscode.Selection(start, start.translate(3));
    const runId = await dm.startRun('Make truncate handle emoji');
    assert.ok(runId);
    const selection = dm.getRun(runId)?.selection;
    assert.equal(selection?.file, 'src/index.js');
    assert.equal(selection?.startLine, start.line + 1);
    assert.match(selection?.text ?? '', /^function truncate/);
    // The cursor is the selection's active end, three lines down.
    assert.deepEqual(dm.getRun(runId)?.activeFile, { file: 'src/index.js', line: editor.selection.active.line + 1 });
    assert.equal(editor.selection.active.line, start.line + 3);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.cancel(runId);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('sends the files added for the Architect with the next run, and only that one', async () => {
    const dm = await api();
    const added = await vscode.commands.executeCommand<string[]>('dualModel.addContextFile', vscode.Uri.file(path.join(folder(), 'README.md')));
    assert.deepEqual(added, ['README.md']);
    const first = await dm.startRun('Document the helpers');
    assert.ok(first);
    assert.deepEqual(dm.getRun(first)?.contextFiles, ['README.md']);
    await waitFor(dm, first, 'hard-stop-to-coder');
    const second = await dm.startRun('Another request');
    assert.ok(second);
    assert.equal(dm.getRun(second)?.contextFiles, undefined);
    await dm.cancel(first);
    await waitFor(dm, second, 'hard-stop-to-coder');
    await dm.cancel(second);
  });

  it('keeps runs under a changed artifacts root, at once', async () => {
    const dm = await api();
    const settings = vscode.workspace.getConfiguration('dualModel');
    await settings.update('artifactsRoot', 'elsewhere/runs', vscode.ConfigurationTarget.Workspace);
    try {
      // The controller moves when the configuration event arrives, a moment after update(); our
      // own listener for that event may run before the extension's, so look rather than listen.
      await waitUntil(() => dm.artifactsDir('probe')?.includes(path.join('elsewhere', 'runs')), () => `runs never moved under elsewhere/runs; they go to ${dm.artifactsDir('probe')}`, 5_000);
      const runId = await dm.startRun('Under another root');
      assert.ok(runId);
      assert.equal(dm.artifactsDir(runId), path.join(folder(), 'elsewhere', 'runs', 'brain', runId));
      await waitFor(dm, runId, 'hard-stop-to-coder');
      await fs.access(path.join(folder(), 'elsewhere', 'runs', 'brain', runId, 'code_spec.md'));
      await dm.cancel(runId);
    } finally {
      await settings.update('artifactsRoot', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('cancels a run waiting at its HARD STOP', async () => {
    const dm = await api();
    const runId = await dm.startRun('Add a slugify helper again');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await dm.cancel(runId);
    await waitFor(dm, runId, 'cancelled');
  });
});

describe('Dual-Model in an untrusted workspace [untrusted]', () => {
  it('writes the spec, but the Coder does not start and the reason is given', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await vscode.workspace.getConfiguration('dualModel').update('demo.latencyMs', 0, vscode.ConfigurationTarget.Global);
    const dm = await api();
    const runId = await dm.startRun('Add a slugify helper');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    await assert.rejects(dm.confirmModel(runId), /not trusted.*Manage Workspace Trust/s);
    assert.equal(dm.getRun(runId)?.state.phase, 'hard-stop-to-coder');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    await assert.rejects(fs.access(path.join(folder, 'src', 'slugify.js')), 'no file was written');
    await dm.cancel(runId);
  });
});
