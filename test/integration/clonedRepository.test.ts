// A repository the user just cloned, opened in Restricted Mode (the runner plants it: see
// test/host/workspace.ts). Its settings send every provider to a tripwire server and it ships a
// run in Phase 1; the runner fails the pass if the tripwire sees a single request.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PLANTED_RUN_ID } from '../host/workspace';
import { api } from './support';

describe('a cloned repository in Restricted Mode [untrusted]', () => {
  it('resumes nothing: the planted run is listed, waits for the user, and holds no lock', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const dm = await api();
    await dm.runsLoaded;
    const run = dm.getRun(PLANTED_RUN_ID);
    assert.equal(run?.state.phase, 'architect-spec', 'listed, in the phase it was planted in');
    assert.match(dm.dormantReason(PLANTED_RUN_ID) ?? '', /Restricted Mode/);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    await assert.rejects(fs.access(path.join(folder, '.dual-model', 'brain', PLANTED_RUN_ID, 'run.lock')), 'no window took the run');
    await assert.rejects(dm.decide('approved', undefined, PLANTED_RUN_ID), /Restricted Mode/);
  });

  it("ignores the workspace's own provider, model and base URL settings", () => {
    const settings = vscode.workspace.getConfiguration('dualModel');
    assert.equal(settings.get('architect.provider'), 'anthropic', 'the default, not the planted openai-compatible');
    assert.equal(settings.get('openaiCompatible.baseUrl'), 'https://api.openai.com/v1');
    assert.equal(settings.get('anthropic.baseUrl'), '');
    assert.deepEqual(settings.get('customModels'), []);
    assert.deepEqual(settings.get('modelRegistry'), [], 'its registry entries (free prices) are ignored');
    assert.equal(settings.inspect('spend.capPerRunUsd')?.globalValue, undefined);
    assert.equal(settings.get('spend.capPerRunUsd'), null, 'its spending cap is ignored');
  });
});
