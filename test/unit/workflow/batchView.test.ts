import assert from 'node:assert/strict';
import type { BatchSpecEntry } from '../../../src/core/workflow/batchView.js';
import { batchView } from '../../../src/core/workflow/batchView.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import type { BatchSpecOutcome, RunState } from '../../../src/core/workflow/runState.js';
import { runRecordIn } from '../../support/runRecords.js';
import { demoRoles } from '../support/engineHarness.js';

const specs: BatchSpecEntry[] = [1, 2, 3].map((n) => ({ file: `code_spec_0${n}.md`, path: `versions/v1/code_spec_0${n}.md`, specId: `CS-${n}`, title: `Spec ${n}`, command: `node --test test/${n}.test.js` }));
const outcome = (index: number, passed: boolean): BatchSpecOutcome => ({
  index,
  file: `code_spec_0${index + 1}.md`,
  specId: `CS-${index + 1}`,
  title: `Spec ${index + 1}`,
  command: `node --test test/${index + 1}.test.js`,
  verification: { passed, details: passed ? 'exited with code 0' : 'exited with code 1', exitCode: passed ? 0 : 1, output: passed ? 'ok' : 'AssertionError: 7 !== 2', build: passed ? 'CLEAN' : 'ERRORS' },
  check: { command: 'node --test', exitCode: passed ? 0 : 1, timedOut: false, durationMs: 5 },
  summary: 's',
  files: [],
  blockers: [],
  deviations: [],
});
const recordIn = (state: RunState): RunRecord => runRecordIn(state, { runId: 'r', request: 'x', roles: demoRoles });
const implementing: Extract<RunState, { phase: 'coder-implement' }> = { phase: 'coder-implement', specVersion: 1, approvedCommands: [], confirmedModel: 'c' };
const statuses = (state: RunState): string[] | undefined => batchView(recordIn(state), specs)?.specs.map((spec) => spec.status);

describe('the batch as the panel shows it', () => {
  it('lists every spec and its command at the HARD STOP, all to do', () => {
    const view = batchView(recordIn({ phase: 'hard-stop-to-coder', specVersion: 1 }), specs);
    assert.deepEqual(view?.specs.map((spec) => [spec.file, spec.specId, spec.command, spec.status]), specs.map((spec) => [spec.file, spec.specId, spec.command, 'pending']));
    assert.equal(view?.paused, undefined);
  });

  it('follows the pass: done, running, to do; paused names the failed spec and its output; stopped skips the rest', () => {
    assert.deepEqual(statuses(implementing), ['running', 'pending', 'pending']);
    assert.deepEqual(statuses({ ...implementing, batch: { done: [outcome(0, true)] } }), ['passed', 'running', 'pending']);
    const paused = batchView(recordIn({ ...implementing, batch: { done: [outcome(0, true), outcome(1, false)], paused: true } }), specs);
    assert.deepEqual(paused?.specs.map((spec) => spec.status), ['passed', 'failed', 'pending']);
    assert.deepEqual(paused?.paused, { file: 'code_spec_02.md', specId: 'CS-2', title: 'Spec 2', details: 'exited with code 1', output: 'AssertionError: 7 !== 2' });
    assert.deepEqual(statuses({ ...implementing, batch: { done: [outcome(0, true), outcome(1, false)], stopped: true } }), ['passed', 'failed', 'skipped']);
  });

  it('keeps the progress of a failed pass (Retry resumes it), with nothing running', () => {
    assert.deepEqual(statuses({ phase: 'failed', error: 'e', resumeFrom: { ...implementing, batch: { done: [outcome(0, true)] } } }), ['passed', 'pending', 'pending']);
  });

  it('shows nothing for a single spec, or outside the HARD STOP and the pass', () => {
    assert.equal(batchView(recordIn(implementing), specs.slice(0, 1)), undefined);
    assert.equal(batchView(recordIn({ phase: 'hard-stop-to-architect', reportVersion: 1 }), specs), undefined);
  });

  it('a division or a swarm says each spec on its own: merged ones by their Coder and wave, those at work by their latest step, the rest waiting', () => {
    const { command: _command, check: _check, verification, ...rest } = outcome(0, true);
    const merged = { ...rest, coder: 'Claude Haiku 4.5', wave: 0, refusals: [], verification: { ...verification, command: 'node --test test/1.test.js' } };
    const state: RunState = { ...implementing, division: { wave: 1, done: [merged] } };
    const swarm = (record: RunRecord): RunRecord => ({ ...record, mode: { mode: 'swarm' } });
    const doing = { 1: 'Claude Sonnet 4.6: writing src/two.js', 0: 'stale: its wave is merged' };
    const view = batchView(swarm(recordIn(state)), specs, { specs: doing });
    assert.deepEqual(view?.specs.map((spec) => [spec.status, spec.doing]), [
      ['passed', 'Claude Haiku 4.5, wave 1'],
      ['running', 'Claude Sonnet 4.6: writing src/two.js'],
      ['pending', undefined],
    ]);
    // Before the first wave is merged, and two at once, which a batch's one-at-a-time reading would never show.
    assert.deepEqual(batchView(swarm(recordIn(implementing)), specs, { specs: { 0: 'a', 2: 'c' } })?.specs.map((spec) => spec.status), ['running', 'pending', 'running']);
    // A failed run shows no step in progress.
    const failed = batchView(swarm(recordIn({ phase: 'failed', error: 'x', resumeFrom: state })), specs, { specs: doing });
    assert.deepEqual(failed?.specs.map((spec) => spec.status), ['passed', 'pending', 'pending']);
  });
});
