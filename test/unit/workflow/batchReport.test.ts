import assert from 'node:assert/strict';
import { parseCodeReport, renderCodeReport } from '../../../src/core/artifacts/codeReport.js';
import { batchReportSections, keptOutputChars, outputTail } from '../../../src/core/workflow/batchReport.js';
import type { BatchSpecOutcome } from '../../../src/core/workflow/runState.js';

const outcome = (index: number, passed: boolean, extra: Partial<BatchSpecOutcome> = {}): BatchSpecOutcome => ({
  index,
  file: `code_spec_0${index + 1}.md`,
  specId: `CS-${index + 1}`,
  title: `Spec ${index + 1}`,
  command: `node --test test/${index + 1}.test.js`,
  verification: { passed, details: `exited with code ${passed ? 0 : 1}`, exitCode: passed ? 0 : 1, output: passed ? 'ok 1' : 'not ok 1\n```\nfenced in the output\n```', build: passed ? 'CLEAN' : 'ERRORS' },
  check: { command: `node --test test/${index + 1}.test.js`, exitCode: passed ? 0 : 1, timedOut: false, durationMs: 5 },
  summary: `Did spec ${index + 1}.`,
  files: [{ path: `src/${index + 1}.js`, action: 'Created', added: 3, removed: 0 }],
  blockers: [],
  deviations: [],
  ...extra,
});

function rendered(outcomes: BatchSpecOutcome[], skipped: Parameters<typeof batchReportSections>[1] = []) {
  const sections = batchReportSections(outcomes, skipped);
  const markdown = renderCodeReport({ specId: 'CS-1, CS-2, CS-3', coder: 'c', completed: 'now', spec: 'specs', filesChanged: [], ...sections });
  const parsed = parseCodeReport(markdown);
  assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.errors));
  return parsed.value;
}

describe('the consolidated Code Report of a batch', () => {
  it('says per spec its verification, files and blockers, then the totals, in a report parseCodeReport reads back', () => {
    const report = rendered([outcome(0, true, { blockers: ['Which separator?'] }), outcome(1, false, { deviations: ['used a regex'] }), outcome(2, true)]);
    assert.match(report.summary, /### Spec 01 — CS-1: Spec 1 \(`code_spec_01\.md`\)\n\n\*\*Verification:\*\* PASS — exited with code 0\n\*\*Files:\*\* `src\/1\.js` \(created, \+3 \/ -0\)\n\*\*Blockers:\*\*\n\n- Which separator\?\n\nDid spec 1\./);
    assert.match(report.summary, /### Spec 02 — CS-2[^\n]*\n\n\*\*Verification:\*\* FAIL — exited with code 1\n[^\n]*\n\*\*Blockers:\*\* none\n\nDid spec 2\./);
    assert.match(report.summary, /### Totals\n\n3 specs; 3 implemented, 2 passed their verification, 1 failed it, 0 skipped\.\n3 files changed .*; 1 blocker\(s\)\.$/);
    assert.deepEqual(report.blockers, ['[CS-1] Which separator?']);
    assert.deepEqual(report.deviations, ['[CS-2] used a regex']);
    assert.deepEqual([report.testResult.status, report.testResult.details], ['FAIL', 'spec 02 (CS-2): exited with code 1']);
    assert.equal(report.buildResult.status, 'ERRORS');
    assert.match(report.testOutput, /# spec 02 \(CS-2\)\nnot ok 1\n```\nfenced in the output\n```/, 'an output holding fences stays inside its block');
  });

  it('passes only when every spec passed and none was skipped', () => {
    const report = rendered([outcome(0, true), outcome(1, true)]);
    assert.deepEqual([report.testResult.status, report.buildResult.status], ['PASS', 'CLEAN']);
    const stopped = rendered([outcome(0, true), outcome(1, false)], [{ index: 2, file: 'code_spec_03.md', specId: 'CS-3', title: 'Spec 3' }]);
    assert.equal(stopped.testResult.status, 'FAIL');
    assert.match(stopped.summary, /### Spec 03 — CS-3: Spec 3 \(`code_spec_03\.md`\)\n\n\*\*Skipped:\*\* not implemented: the batch was stopped after spec 02 \(CS-2\) failed its verification\./);
  });

  it('keeps the end of a long output, saying how much was left out', () => {
    const long = `${'x'.repeat(100)}${'y'.repeat(keptOutputChars)}`;
    assert.equal(outputTail(long), `[… 100 earlier characters left out …]\n${'y'.repeat(keptOutputChars)}`);
    assert.equal(outputTail('short'), 'short');
  });
});
