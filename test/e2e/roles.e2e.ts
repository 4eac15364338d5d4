// Changing a role's model the way a user does: the Configure Roles quick picks, then the
// workspace settings they wrote.
import * as assert from 'node:assert/strict';
import { openWorkbench, pick, runCommand, screenshot, settingsOnceWritten } from './workbench';

describe('configuring the roles', () => {
  it("sets the Coder's model, thinking level and fallback with quick picks", async () => {
    const { page, workspaceFolder } = await openWorkbench({ label: 'e2e-roles' });
    await runCommand(page, 'Dual-Model: Configure Roles (Architect and Coder models)');
    await pick(page, 'Coder');
    await pick(page, 'Gemini 3 Flash', 'roles-01-model-pick');
    await pick(page, 'low');
    await pick(page, 'Gemini 2.5 Flash-Lite');
    await pick(page, 'none');
    const settings = await settingsOnceWritten(workspaceFolder, 'dualModel.coder.fallbackThinking');
    assert.equal(settings['dualModel.coder.provider'], 'google');
    assert.equal(settings['dualModel.coder.model'], 'gemini-3-flash-preview');
    assert.equal(settings['dualModel.coder.thinking'], 'low');
    assert.equal(settings['dualModel.coder.fallbackModel'], 'gemini-2.5-flash-lite');
    assert.equal(settings['dualModel.coder.fallbackThinking'], 'none');
    await screenshot(page, 'roles-02-saved');
  });
});
