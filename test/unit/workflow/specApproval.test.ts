// "Model Confirmed" approves the spec the user was shown, with its verification command: a spec
// that changed since (a hand edit of code_spec.md, an edit of the saved version) is refused,
// shown, and must be confirmed again. Real files, the demo models, real verification processes.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ModelClient, ModelEvent } from '../../../src/core/models/modelClient.js';
import { parseCodeReport } from '../../../src/core/artifacts/codeReport.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import { createEngine, demoClient, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

/** A command whose running leaves a file behind, so a test sees whether it ran. */
const plantedCommand = `node -e "require('fs').writeFileSync('planted.txt', 'ran')"`;

/** The demo models, with the identity checks counted. */
function countingIdentity(): { identityChecks: () => number; clientFor: (role: RoleSnapshot) => ModelClient } {
  let checks = 0;
  return {
    identityChecks: () => checks,
    clientFor: (role) => ({
      info: demoClient(role).info,
      stream: (request, signal) => {
        if (request.purpose === 'identity') checks += 1;
        return demoClient(role).stream(request, signal);
      },
    }),
  };
}

describe('the HARD STOP approves the spec that was shown', () => {
  it('refuses a confirm after code_spec.md was edited, shows the edit, and runs it once confirmed again', async () => {
    const root = await workspace();
    const { identityChecks, clientFor } = countingIdentity();
    const { engine, store } = createEngine({ workspaceRoot: root, clientFor });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const shown = engine.pendingApproval(run.runId);
    assert.ok(shown, 'the HARD STOP published what it shows');
    assert.deepEqual(shown.commands, ['node --test']);

    // Edited after the card was painted: a different command would become the approved one.
    const file = store.artifactPath(run.runId, 'code_spec.md');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('node --test', plantedCommand));
    await assert.rejects(engine.confirmModel(run.runId, shown.digest), /changed since it was shown/);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder', 'nothing moved on');
    assert.equal(identityChecks(), 0, 'not even the identity check ran');
    await assert.rejects(fs.access(path.join(root, 'planted.txt')), 'the edited command did not run');

    // The edit is now what the HARD STOP shows, under a new digest.
    const republished = engine.pendingApproval(run.runId);
    assert.ok(republished && republished.digest !== shown.digest);
    assert.deepEqual(republished.commands, [plantedCommand]);
    assert.match(await fs.readFile(store.artifactPath(run.runId, 'versions/v1/code_spec.md'), 'utf8'), /planted\.txt/);

    await engine.confirmModel(run.runId, republished.digest);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    const report = parseCodeReport(await fs.readFile(store.artifactPath(run.runId, 'code_report.md'), 'utf8'));
    assert.ok(report.ok);
    assert.match(report.value.buildOutput, /planted\.txt/, 'the command confirmed the second time ran');
    await engine.dispose();
  });

  it('a confirm without a digest (command palette, status bar) binds to what was last shown, not to the disk', async () => {
    const root = await workspace();
    const { engine, store } = createEngine({ workspaceRoot: root });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const file = store.artifactPath(run.runId, 'code_spec.md');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('node --test', plantedCommand));
    await assert.rejects(engine.confirmModel(run.runId), /changed since it was shown/);
    assert.match(engine.activityOf(run.runId).lastError ?? '', /changed since it was shown/);
    await assert.rejects(fs.access(path.join(root, 'planted.txt')));
    // Shown now: the second press confirms it.
    await engine.confirmModel(run.runId);
    await waitForPhase(engine, run.runId, 'hard-stop-to-architect');
    await fs.access(path.join(root, 'planted.txt'));
    await engine.dispose();
  });

  it('refuses an edit of the saved version, and one made while the identity check runs', async () => {
    const root = await workspace();
    let editDuringCheck: (() => Promise<void>) | undefined;
    const clientFor = (role: RoleSnapshot): ModelClient => ({
      info: demoClient(role).info,
      async *stream(request, signal): AsyncGenerator<ModelEvent> {
        if (request.purpose === 'identity' && editDuringCheck) await editDuringCheck();
        yield* demoClient(role).stream(request, signal);
      },
    });
    const { engine, store } = createEngine({ workspaceRoot: root, clientFor });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const saved = store.artifactPath(run.runId, 'versions/v1/code_spec.md');
    const original = await fs.readFile(saved, 'utf8');
    const shown = engine.pendingApproval(run.runId);
    assert.ok(shown);
    await fs.writeFile(saved, original.replace('node --test', plantedCommand));
    await fs.writeFile(store.artifactPath(run.runId, 'code_spec.md'), original.replace('node --test', plantedCommand));
    await assert.rejects(engine.confirmModel(run.runId, shown.digest), /changed since it was shown/);

    const second = engine.pendingApproval(run.runId);
    assert.ok(second);
    const top = store.artifactPath(run.runId, 'code_spec.md');
    editDuringCheck = async () => {
      editDuringCheck = undefined;
      await fs.writeFile(top, (await fs.readFile(top, 'utf8')).replace(plantedCommand, 'node --test --test-reporter=dot'));
    };
    await assert.rejects(engine.confirmModel(run.runId, second.digest), /changed since it was shown/);
    assert.equal(engine.get(run.runId)?.state.phase, 'hard-stop-to-coder');
    await assert.rejects(fs.access(path.join(root, 'planted.txt')));
    assert.deepEqual(engine.pendingApproval(run.runId)?.commands, ['node --test --test-reporter=dot']);
    await engine.dispose();
  });
});
