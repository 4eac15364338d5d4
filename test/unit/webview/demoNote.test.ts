import * as assert from 'node:assert/strict';
import { demoNote, type RoleLine } from '../../../webview-ui/src/viewModel';

const line = (role: RoleLine['role'], text: string, isDemo: boolean): RoleLine => ({ role, text, detail: '', isDemo });

describe("the panel's demo note", () => {
  it('says both models are replays only when both roles are the demo', () => {
    assert.match(demoNote([line('Architect', 'Architect — Demo Architect', true), line('Coder', 'Coder — Demo Coder', true)]), /both models are offline replays/);
  });

  it('names the one demo role when the other calls a real model, and does not say nothing is billed', () => {
    const note = demoNote([line('Architect', 'Architect — Claude Opus 4.6', false), line('Coder', 'Coder — Demo Coder', true)]);
    assert.doesNotMatch(note, /both models|nothing is billed/, note);
    assert.match(note, /Coder/);
    assert.match(note, /Architect calls a real model/);
  });

  it("with no demo line (some of a mode's Coders are demo, not all), says so rather than name no role", () => {
    const note = demoNote([line('Architect', 'Architect — Claude Opus 4.6', false), line('Coder', 'Competitive (best-of-N) — Demo Coder, Claude Sonnet 4.6', false)]);
    assert.equal(note, 'Part demo — some of the Coders are offline replays of recorded answers; the other models are real and billed.');
  });
});
