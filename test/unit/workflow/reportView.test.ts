// The newest Code Report taken apart for the side-panel review: files, verification facts from
// run.json, blockers beside the Architect's answers, and whether the pass can be reverted now.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { buildReportView } from '../../../src/core/workflow/reportView.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import { runRecordIn } from '../../support/runRecords.js';
import { createEngine, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

describe('the Code Report as the review shows it', () => {
  it('after a Coder pass: the files it changed, each command’s exit code, and Revert offered while the run waits', async () => {
    const { engine } = createEngine({ workspaceRoot: await workspace() });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    const report = (await engine.snapshot(run.runId))?.view.report;
    assert.ok(report, 'a report view once the pass reported');
    assert.equal(report.unreadable, undefined);
    assert.deepEqual(report.files.map((file) => file.path).sort(), [...(await engine.coderPass(run.runId))!.originals.keys()].sort());
    assert.equal(report.checks.length, 1);
    assert.match(report.checks[0]?.outcome ?? '', /^exit code 0 · \d+\.\d s$/);
    assert.equal(report.testResult?.status, 'PASS');
    assert.equal(report.revertable, true);
    assert.equal(report.reverted, false);

    await engine.revertCoderPass(run.runId);
    const after = (await engine.snapshot(run.runId))?.view.report;
    assert.equal(after?.reverted, true, 'the history says the pass was put back');
    await engine.dispose();
  });

  it('a hand-edited report that no longer parses says where, and keeps the facts run.json has', async () => {
    const { engine, store } = createEngine({ workspaceRoot: await workspace() });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await fs.writeFile(store.artifactPath(run.runId, 'versions/v1/code_report.md'), '# Code Report: nothing here\n');
    await engine.dispose();
    const second = createEngine({ workspaceRoot: store.root.replace(/[/\\]\.dual-model$/, ''), owner: 'second-window' });
    await second.engine.resumeAll();
    const report = (await second.engine.snapshot(run.runId))?.view.report;
    await second.engine.dispose();
    assert.ok(report?.unreadable, 'says it cannot be read');
    assert.match(report.unreadable, /^line \d+: /);
    assert.deepEqual(report.files, []);
    assert.equal(report.checks.length, 1, 'the verification facts come from run.json, not from the report');
  });

  it('pairs each blocker with the Architect’s answer to it, by its text or, when all are answered, in order', () => {
    const markdown = (blockers: string[]): string => `# Code Report: S-1\n\n**Coder:** C\n**Completed:** now\n**Spec:** [code_spec.md](code_spec.md)\n\n## Summary\n\nDone.\n\n## Files Changed\n\n| File | Action | Lines |\n| --- | --- | --- |\n| \`a.js\` | Modified | +1 -0 |\n\n## Test Results\n\n\`\`\`\nok\n\`\`\`\n\n**Result:** PASS — 1 passed\n\n## Build Status\n\n\`\`\`\nexit code: 0\n\`\`\`\n\n**Result:** CLEAN — ok\n\n## Blockers\n\n${blockers.map((b) => `- ${b}`).join('\n') || 'None.'}\n\n## Deviations from Spec\n\nNone.\n`;
    const record = (answers: { question: string; answer: string }[]): RunRecord =>
      runRecordIn(
        { phase: 'architect-review', reportVersion: 1, confirmedModel: 'A', verdict: { outcome: 'approved', reasons: 'fine', blockerAnswers: answers } },
        { specs: [{ version: 1, createdAt: '2026-01-01T00:00:00.000Z', specId: 'S-1' }], reports: [{ version: 1, createdAt: '2026-01-01T00:00:01.000Z', specVersion: 1 }] },
      );

    const byText = buildReportView(record([{ question: 'Which  separator?', answer: 'A hyphen.' }]), markdown(['Which separator?', 'Keep the old API?']), 'versions/v1/code_report.md', false);
    assert.equal(byText?.unreadable, undefined, byText?.unreadable);
    assert.deepEqual(byText?.blockers, [{ question: 'Which separator?', answer: 'A hyphen.' }, { question: 'Keep the old API?' }]);
    const inOrder = buildReportView(record([{ question: 'Q1 reworded', answer: 'one' }, { question: 'Q2 reworded', answer: 'two' }]), markdown(['First?', 'Second?']), 'p', false);
    assert.deepEqual(inOrder?.blockers.map((b) => b.answer), ['one', 'two']);
    assert.equal(inOrder?.revertable, true);
    assert.equal(buildReportView(record([]), markdown([]), 'p', true)?.revertable, false, 'a run shown passively offers no revert');
  });
});
