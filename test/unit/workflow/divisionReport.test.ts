// The consolidated Code Report of a division (or swarm) run: each spec with the model that did
// it, its wave, its facts and its own verification if its copy ran one, then the one
// verification of the merged whole, which alone decides PASS. It reads back with parseCodeReport.
import assert from 'node:assert/strict';
import { parseCodeReport, renderCodeReport } from '../../../src/core/artifacts/codeReport.js';
import { divisionReportSections, type DivisionReportInput } from '../../../src/core/workflow/divisionReport.js';
import { DivisionSpecOutcomeSchema, type DivisionSpecOutcome } from '../../../src/core/workflow/runState.js';

const outcome = (index: number, extra: Partial<DivisionSpecOutcome> = {}): DivisionSpecOutcome => ({
  index,
  file: `code_spec_0${index + 1}.md`,
  specId: `CS-${index + 1}`,
  title: `Spec ${index + 1}`,
  coder: index % 2 === 0 ? 'Gemini 3 Flash' : 'Claude Sonnet 4.6',
  wave: index === 2 ? 1 : 0,
  summary: `Did spec ${index + 1}.`,
  files: [{ path: `src/${index + 1}.js`, action: 'Created', added: 3, removed: 0 }],
  refusals: [],
  blockers: [],
  deviations: [],
  ...extra,
});
const own = (passed: boolean) => ({ command: 'node --test', passed, details: `\`node --test\` exited with code ${passed ? 0 : 1}`, exitCode: passed ? 0 : 1, build: passed ? ('CLEAN' as const) : ('ERRORS' as const), output: passed ? 'ok 1' : 'not ok 1' });
const whole = (passed: boolean) => ({ ...own(passed), command: 'npm test', details: `\`npm test\` exited with code ${passed ? 0 : 1}`, output: passed ? 'all 9 passed' : 'not ok 4 merged' });

function rendered(input: Partial<DivisionReportInput> & Pick<DivisionReportInput, 'outcomes'>) {
  const sections = divisionReportSections({ mode: 'division', waves: 2, skipped: [], whole: whole(true), ...input });
  const markdown = renderCodeReport({ specId: 'CS-1, CS-2, CS-3', coder: 'several', completed: 'now', spec: 'specs', filesChanged: [], ...sections });
  const parsed = parseCodeReport(markdown);
  assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.errors));
  return parsed.value;
}

describe('the consolidated Code Report of a division of labour', () => {
  it('lists each spec with its model, its wave, its files and lines, its refusals and its own verification', () => {
    const report = rendered({
      outcomes: [
        outcome(0, { verification: own(true) }),
        outcome(1, { refusals: ['change .git/config: inside .git'], blockers: ['Which separator?'] }),
        outcome(2, { verification: own(false), deviations: ['used a regex'] }),
      ],
    });
    assert.match(
      report.summary,
      /### Spec 01 — CS-1: Spec 1 \(`code_spec_01\.md`\)\n\n\*\*Coder:\*\* Gemini 3 Flash\n\*\*Wave:\*\* 1 of 2\n\*\*Files:\*\* `src\/1\.js` \(created, \+3 \/ -0\)\n\*\*Own verification:\*\* PASS — `node --test` exited with code 0\n\*\*Refusals:\*\* none\n\*\*Blockers:\*\* none\n\nDid spec 1\./,
    );
    assert.match(report.summary, /### Spec 02 — CS-2[^\n]*\n\n\*\*Coder:\*\* Claude Sonnet 4\.6\n\*\*Wave:\*\* 1 of 2\n[^\n]*\n\*\*Own verification:\*\* not run in its copy\n\*\*Refusals:\*\*\n\n- change \.git\/config: inside \.git\n\n\*\*Blockers:\*\*\n\n- Which separator\?/);
    assert.match(report.summary, /### Spec 03 — CS-3[^\n]*\n\n\*\*Coder:\*\* Gemini 3 Flash\n\*\*Wave:\*\* 2 of 2\n[^\n]*\n\*\*Own verification:\*\* FAIL — `node --test` exited with code 1/);
    assert.deepEqual(report.blockers, ['[CS-2] Which separator?']);
    assert.deepEqual(report.deviations, ['[CS-2] Refused: change .git/config: inside .git.', '[CS-3] used a regex']);
  });

  it('decides PASS by the one verification of the merged whole, and says so', () => {
    const report = rendered({ outcomes: [outcome(0, { verification: own(false) }), outcome(1)] });
    assert.match(report.summary, /### The merged whole\n\n\*\*Verification:\*\* PASS — `npm test` exited with code 0/);
    assert.deepEqual([report.testResult.status, report.buildResult.status], ['PASS', 'CLEAN']);
    assert.equal(report.testResult.details, 'the verification of the merged whole passed: `npm test` exited with code 0');
    assert.match(report.testOutput, /^\$ npm test {4}# the merged whole\nall 9 passed\n\n\$ node --test {4}# spec 01 \(CS-1\), in its copy\nnot ok 1$/);
    const failed = rendered({ outcomes: [outcome(0, { verification: own(true) })], whole: whole(false) });
    assert.deepEqual([failed.testResult.status, failed.buildResult.status], ['FAIL', 'ERRORS']);
    assert.equal(failed.testResult.details, 'the merged whole: `npm test` exited with code 1');
  });

  it('says the totals: specs, waves, models, own verifications, files, refusals, blockers', () => {
    const report = rendered({ outcomes: [outcome(0, { verification: own(true) }), outcome(1, { refusals: ['x'] }), outcome(2, { files: [{ path: 'src/1.js', action: 'Modified', added: 1, removed: 1 }] })] });
    assert.match(report.summary, /^Division of labour: 3 specs in 2 waves, by 2 models \(Gemini 3 Flash, Claude Sonnet 4\.6\)\./);
    assert.match(report.summary, /### Totals\n\n3 specs; 3 implemented \(1 passed its own verification, 0 failed it, 2 ran none\), 0 skipped\.\n2 files changed; 1 refusal\(s\); 0 blocker\(s\)\.$/);
  });

  it('when the merge stopped the run: names the conflicts as blockers, the skipped specs, and fails', () => {
    const report = rendered({
      outcomes: [outcome(0), outcome(1)],
      skipped: [{ index: 2, file: 'code_spec_03.md', specId: 'CS-3', title: 'Spec 3' }],
      whole: undefined,
      stopped: { wave: 0, why: 'a.ts (spec-1 and spec-2 both change line 2)' },
    });
    assert.match(report.summary, /### The merged whole\n\n\*\*Verification:\*\* not run: the merge of wave 1 stopped the run: a\.ts \(spec-1 and spec-2 both change line 2\)/);
    assert.match(report.summary, /### Spec 03 — CS-3: Spec 3 \(`code_spec_03\.md`\)\n\n\*\*Skipped:\*\* not implemented: the merge of wave 1 stopped the run\./);
    assert.deepEqual(report.blockers, ['[merge of wave 1] a.ts (spec-1 and spec-2 both change line 2)']);
    assert.deepEqual([report.testResult.status, report.buildResult.status], ['FAIL', 'ERRORS']);
    assert.equal(report.testResult.details, 'not run on the merged whole: the merge of wave 1 stopped the run; 1 spec(s) skipped');
  });

  it('in a swarm, says how each spec was routed and what the run cost against all on the top tier', () => {
    const report = rendered({
      mode: 'swarm',
      outcomes: [outcome(0, { routing: 'trivial → gemini-2.5-flash-lite (classified trivial: markers: rename)' })],
      cost: 'Cost: about $0.0040, against about $0.0900 with every spec on the top tier (gemini-3.1-pro-preview): 96% less.',
    });
    assert.match(report.summary, /^Swarm: 1 spec in 2 waves, by 1 model \(Gemini 3 Flash\)\./);
    assert.match(report.summary, /\*\*Coder:\*\* Gemini 3 Flash\n\*\*Routed:\*\* trivial → gemini-2\.5-flash-lite \(classified trivial: markers: rename\)\n\*\*Wave:\*\*/);
    assert.match(report.summary, /\nCost: about \$0\.0040, against about \$0\.0900 with every spec on the top tier \(gemini-3\.1-pro-preview\): 96% less\.$/);
  });

  it('keeps an outcome in run.json by a schema that refuses a bad one', () => {
    const good = outcome(0, { verification: own(true) });
    assert.deepEqual(DivisionSpecOutcomeSchema.parse(JSON.parse(JSON.stringify(good))), good);
    assert.throws(() => DivisionSpecOutcomeSchema.parse({ ...good, wave: -1 }), /wave/);
    assert.throws(() => DivisionSpecOutcomeSchema.parse({ ...good, coder: undefined }), /coder/);
  });
});
