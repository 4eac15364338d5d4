// Batch mode in a real VS Code extension host: the demo Architect's three specs, one Model
// Confirmed for all, the real task system running each spec's command, the pause on the second
// spec's failure, the palette command that goes on, and one consolidated report on disk.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseCodeReport } from '../../src/core/artifacts/codeReport';
import { waitUntil } from '../support/waitUntil';
import { api, waitFor } from './support';

describe('Dual-Model batch mode in the extension host', () => {
  before(async () => {
    await vscode.workspace.getConfiguration('dualModel').update('demo.latencyMs', 0, vscode.ConfigurationTarget.Global);
  });

  it('runs three specs on one confirm, pauses on the failing second, goes on from the palette command, and reports them all', async () => {
    const dm = await api();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('dualModel.batchGoOn') && commands.includes('dualModel.batchStop'), 'the batch commands are registered');
    const runId = await vscode.commands.executeCommand<string>('dualModel.start', 'Add slugify, wordCount and titleCase in batch mode');
    assert.ok(runId);
    await waitFor(dm, runId, 'hard-stop-to-coder');
    const runDir = dm.artifactsDir(runId);
    assert.ok(runDir);
    assert.deepEqual(dm.getRun(runId)?.specs.at(-1)?.batchFiles, ['code_spec_01.md', 'code_spec_02.md', 'code_spec_03.md']);

    const tasksSeen: string[] = [];
    const watcher = vscode.tasks.onDidStartTask((event) => tasksSeen.push(event.execution.task.name));
    await vscode.commands.executeCommand('dualModel.confirmModel');
    await waitUntil(
      () => {
        const state = dm.getRun(runId)?.state;
        return state?.phase === 'coder-implement' && state.batch?.paused;
      },
      () => `the batch never paused on spec 02; the run is in ${JSON.stringify(dm.getRun(runId)?.state).slice(0, 400)}`,
      90_000,
    );
    const paused = dm.getRun(runId)?.state;
    assert.ok(paused?.phase === 'coder-implement');
    assert.deepEqual(paused.batch?.done.map((outcome) => [outcome.specId, outcome.verification.passed]), [['CS-DEMO-B01', true], ['CS-DEMO-B02', false]]);

    await vscode.commands.executeCommand('dualModel.batchGoOn');
    await waitFor(dm, runId, 'hard-stop-to-architect', 90_000);
    watcher.dispose();
    for (const file of ['slugify', 'wordCount', 'titleCase']) {
      assert.ok(tasksSeen.some((name) => name.includes(`test/${file}.test.js`)), `the task of spec ${file} ran: ${tasksSeen.join(', ')}`);
    }
    const report = parseCodeReport(await fs.readFile(path.join(runDir, 'code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.equal(report.value.testResult.status, 'FAIL');
    assert.match(report.value.summary, /3 specs; 3 implemented, 2 passed their verification, 1 failed it, 0 skipped/);
    // Nothing is paused any more: the palette command is refused (shown as an error) and changes nothing.
    await vscode.commands.executeCommand('dualModel.batchGoOn');
    assert.equal(dm.getRun(runId)?.state.phase, 'hard-stop-to-architect');
    // The suites share one workspace: put back what the batch changed, so later suites find it as it was.
    const reverted = await vscode.commands.executeCommand<number>('dualModel.revertCoderChanges', runId, true);
    assert.equal(reverted, 6, 'the six files of the three specs are put back');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder);
    await assert.rejects(fs.access(path.join(folder, 'src', 'titleCase.js')), 'the files the batch created are gone');
    await vscode.commands.executeCommand('dualModel.cancelRun');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
