// Which modes a new run offers: the user's default first, and those the engine has not built
// listed as coming, never offered as if they worked.
import * as assert from 'node:assert/strict';
import { modeChoices, supportedModes } from '../../../src/core/workflow/supportedModes.js';

describe('the modes a run offers when it starts', () => {
  it('runs every mode: single, competitive, division of labour and swarm', () => {
    assert.deepEqual([...supportedModes], ['single', 'competitive', 'division', 'swarm']);
  });

  it('puts the default first and the rest in their usual order', () => {
    assert.deepEqual(modeChoices('competitive').map((choice) => choice.mode), ['competitive', 'single', 'division', 'swarm']);
    assert.deepEqual(modeChoices('single').map((choice) => choice.mode), ['single', 'competitive', 'division', 'swarm']);
  });

  it('lists a mode the engine does not support as coming, and not available', () => {
    const choices = modeChoices('single', ['single', 'competitive']);
    assert.deepEqual(choices.filter((choice) => !choice.available).map((choice) => choice.mode), ['division', 'swarm']);
    assert.ok(choices.filter((choice) => !choice.available).every((choice) => choice.detail.startsWith('Coming')));
    assert.ok(modeChoices('single', ['single', 'competitive', 'division', 'swarm']).every((choice) => choice.available));
  });
});
