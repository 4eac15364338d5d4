import * as assert from 'node:assert/strict';
import { RunViewSchema } from '../../../src/core/workflow/runViewSchema';
import { formatPhaseLabel, progressSteps } from '../../../webview-ui/src/phases';
import { batchWords, documentKey, formatHistoryTime, toRunPanelModel } from '../../../webview-ui/src/viewModel';
import {
  approvedRun,
  architectReviewRun,
  architectSpecRun,
  coderHardStop,
  failedCoderRun,
  hardStopToCoderRun,
} from './runViewFixtures';

describe('webview view model', () => {
  it('uses fixtures the host could really send', () => {
    for (const run of [architectSpecRun, hardStopToCoderRun, architectReviewRun, failedCoderRun, approvedRun]) {
      assert.ok(RunViewSchema.safeParse(run).success, run.phase);
    }
  });

  describe('progress strip', () => {
    it('marks earlier phases done, the current one current', () => {
      assert.deepEqual(
        progressSteps('coder-implement', 3).map((s) => s.status),
        ['done', 'done', 'current', 'upcoming', 'upcoming'],
      );
    });

    it('has the seed\'s five phases, two of them HARD STOPs', () => {
      const steps = progressSteps('architect-spec', 1);
      assert.deepEqual(steps.map((s) => s.number), [1, 2, 3, 4, 5]);
      assert.deepEqual(steps.filter((s) => s.isHardStop).map((s) => s.number), [2, 4]);
      assert.deepEqual(steps.map((s) => s.title), [
        'Architect — Analyze & Spec',
        'HARD STOP — Switch to Coder',
        'Coder — Implement',
        'HARD STOP — Switch to Architect',
        'Architect — Review',
      ]);
    });

    it('claims everything done only for an approved run', () => {
      assert.ok(progressSteps('approved', 0).every((s) => s.status === 'done'));
      assert.ok(progressSteps('failed', 0).every((s) => s.status === 'upcoming'));
      assert.ok(progressSteps('cancelled', 0).every((s) => s.status === 'upcoming'));
    });

    it('shows where a failed or cancelled run stopped, and what it had done before', () => {
      assert.deepEqual(progressSteps('failed', 0, 3).map((s) => s.status), ['done', 'done', 'stopped', 'upcoming', 'upcoming']);
      assert.deepEqual(progressSteps('cancelled', 0, 1).map((s) => s.status), ['stopped', 'upcoming', 'upcoming', 'upcoming', 'upcoming']);
    });
  });

  describe('phase label', () => {
    it('keeps a label that already says "Phase N"', () => {
      assert.equal(formatPhaseLabel('Phase 2 — HARD STOP: Switch to Coder', 2), 'Phase 2 — HARD STOP: Switch to Coder');
    });

    it('prefixes "Phase N — " when the host left it out', () => {
      assert.equal(formatPhaseLabel('Coder — Implement', 3), 'Phase 3 — Coder — Implement');
    });

    it('leaves end states alone', () => {
      assert.equal(formatPhaseLabel('Approved', 0), 'Approved');
    });
  });

  describe('usage', () => {
    it('lists the model calls under the usage line, counted', () => {
      const usage = toRunPanelModel(architectReviewRun).header.usage;
      assert.equal(usage?.callsLabel, '4 calls');
      assert.deepEqual(usage?.calls.map((call) => call.model), ['Claude Opus 4.6 (Thinking)', 'Gemini 3 Pro (High)', 'Gemini 3 Pro (High)', 'Gemini 3 Pro (Low)']);
      assert.equal(toRunPanelModel({ ...architectReviewRun, usage: { text: 'x', byPhase: [], calls: architectReviewRun.usage?.calls?.slice(0, 1) ?? [] } }).header.usage?.callsLabel, '1 call');
    });

    it('has no calls for a run recorded before calls were, and no usage before any tokens', () => {
      const older = toRunPanelModel({ ...architectReviewRun, usage: { text: '1.0k tokens in · 10 out · $0.01', byPhase: [] } }).header.usage;
      assert.deepEqual(older?.calls, []);
      assert.equal(toRunPanelModel(architectSpecRun).header.usage, undefined);
    });
  });

  describe('HARD STOP', () => {
    it('shows the seed\'s words exactly as the host sent them', () => {
      const model = toRunPanelModel(hardStopToCoderRun);
      assert.ok(model.hardStop);
      assert.equal(model.hardStop.heading, '🛑 HARD STOP: Switch to Coder Model');
      assert.equal(model.hardStop.next, 'Next: Coder — Demo Coder (replay)');
      assert.equal(model.hardStop.task, 'Task: Implement Code Spec');
      assert.equal(model.hardStop.verificationCommand, 'npm test -- --grep retry');
      assert.equal(model.hardStop.confirmLabel, 'Model Confirmed');
      assert.equal(model.hardStop.confirming, false);
    });

    it('says "Checking model…" while the host checks the next model', () => {
      const run = { ...hardStopToCoderRun, hardStop: { ...coderHardStop, confirming: true } };
      const model = toRunPanelModel(run);
      assert.equal(model.hardStop?.confirmLabel, 'Checking model…');
      assert.equal(model.hardStop?.confirming, true);
    });

    it('drops an empty verification command and warns in an untrusted workspace', () => {
      const blank = toRunPanelModel({ ...hardStopToCoderRun, hardStop: { ...coderHardStop, verificationCommand: '  ' } });
      assert.equal(blank.hardStop?.verificationCommand, undefined);
      assert.equal(toRunPanelModel(hardStopToCoderRun).hardStop?.showUntrustedNote, false);
      assert.equal(toRunPanelModel({ ...hardStopToCoderRun, workspaceTrusted: false }).hardStop?.showUntrustedNote, true);
    });

    it('warns, naming each protected path, when the spec lets the Coder change what runs or where keys go', () => {
      assert.equal(toRunPanelModel(hardStopToCoderRun).hardStop?.protectedPathsWarning, undefined);
      const one = toRunPanelModel({ ...hardStopToCoderRun, hardStop: { ...coderHardStop, protectedPaths: ['.vscode/settings.json'] } });
      assert.equal(
        one.hardStop?.protectedPathsWarning,
        "⚠ This spec lets the Coder change .vscode/settings.json. Files under .vscode/, .git/ and .devcontainer/ can change what runs on your machine and where your API keys are sent, and the artifacts folder holds the run's own state. Read them in the spec before you confirm.",
      );
      const three = toRunPanelModel({ ...hardStopToCoderRun, hardStop: { ...coderHardStop, protectedPaths: ['.vscode/tasks.json', '.git/hooks/pre-commit', '.devcontainer/devcontainer.json'] } });
      assert.match(three.hardStop?.protectedPathsWarning ?? '', /^⚠ This spec lets the Coder change \.vscode\/tasks\.json, \.git\/hooks\/pre-commit and \.devcontainer\/devcontainer\.json\. /);
    });

    it('offers Retry with the error of a failed run only, not with a refused action while the run waits', () => {
      assert.equal(toRunPanelModel({ ...failedCoderRun, phase: 'failed' }).failed, true);
      const refused = toRunPanelModel({ ...hardStopToCoderRun, error: 'The Coder model did not answer.' });
      assert.equal(refused.error, 'The Coder model did not answer.');
      assert.equal(refused.failed, false);
    });

    it('says next to the command whether it will run sandboxed, and nothing when there is no command', () => {
      const sandbox = { sandboxed: false, text: 'Runs unsandboxed (dualModel.verification.sandbox is "unsandboxed"): it can use the network and write wherever you can.' };
      assert.deepEqual(toRunPanelModel({ ...hardStopToCoderRun, hardStop: { ...coderHardStop, sandbox } }).hardStop?.sandboxNote, sandbox);
      assert.equal(toRunPanelModel({ ...hardStopToCoderRun, hardStop: { ...coderHardStop, verificationCommand: ' ', sandbox } }).hardStop?.sandboxNote, undefined);
    });

    it('puts the one Cancel button on the card during a HARD STOP, in the header otherwise, nowhere at the end', () => {
      assert.equal(toRunPanelModel(hardStopToCoderRun).cancel, 'hard-stop');
      assert.equal(toRunPanelModel(architectSpecRun).cancel, 'header');
      assert.equal(toRunPanelModel(approvedRun).cancel, 'none');
    });
  });

  describe('review', () => {
    it('offers the three outcomes with the seed\'s labels and marks the recommendation', () => {
      const review = toRunPanelModel(architectReviewRun).review;
      assert.ok(review?.decisions);
      assert.deepEqual(
        review.decisions.map((d) => [d.label, d.testId, d.recommended]),
        [
          ['✅ Approved', 'decide-approved', true],
          ['🔄 Revisions needed', 'decide-revisions', false],
          ['❌ Fundamental redesign', 'decide-redesign', false],
        ],
      );
      assert.deepEqual(review.recommended, { outcome: 'approved', label: '✅ Approved' });
      assert.equal(review.blockerAnswers.length, 1);
    });

    it('shows a finished review read-only, and no review section before phase 5', () => {
      const review = toRunPanelModel(approvedRun).review;
      assert.ok(review);
      assert.equal(review.decisions, undefined);
      assert.equal(toRunPanelModel(hardStopToCoderRun).review, undefined);
    });

    it('offers the decision even when the Architect gave no review text', () => {
      const review = toRunPanelModel({ ...architectReviewRun, review: undefined }).review;
      assert.equal(review?.decisions?.length, 3);
      assert.equal(review?.recommended, undefined);
    });
  });

  describe('header and roles', () => {
    it('names both roles and flags demo replays', () => {
      const demo = toRunPanelModel(hardStopToCoderRun);
      assert.equal(demo.header.isDemo, true);
      assert.deepEqual(demo.roles.map((r) => r.text), ['Architect — Demo Architect (replay)', 'Coder — Demo Coder (replay)']);
      assert.ok(demo.roles.every((r) => r.isDemo && r.detail.includes('offline demo replay')));
      const real = toRunPanelModel(architectReviewRun);
      assert.equal(real.header.isDemo, false);
      assert.equal(real.roles[0]?.text, 'Architect — Claude Opus 4.6 (Thinking)');
    });

    it('puts the mode and its Coders where the one Coder would be, a replay only when every one of them is', () => {
      const run = { ...architectSpecRun, mode: { name: 'competitive' as const, label: 'Competitive (best-of-N)', coders: 'Demo Coder ×2, Qwen3 Coder', isDemo: false } };
      const line = toRunPanelModel(run).roles[1];
      assert.equal(line?.text, 'Competitive (best-of-N) — Demo Coder ×2, Qwen3 Coder');
      assert.equal(line?.isDemo, false);
    });

    it('words a batch by how its specs are shared out', () => {
      assert.match(batchWords(3, undefined).heading, /^Batch Mode: 3 specs, implemented in order$/);
      assert.match(batchWords(3, 'division').heading, /^Division of labour: 3 specs, side by side/);
      assert.match(batchWords(3, 'division').intro, /merged into the workspace and verified once on the whole/);
      assert.match(batchWords(2, 'swarm').heading, /^Swarm: 2 specs, each on the cheapest model/);
      assert.doesNotMatch(batchWords(3, 'division').intro, /one after another/);
    });

    it('falls back to the model id when a display name is blank', () => {
      const run = { ...architectSpecRun, roles: { ...architectSpecRun.roles, coder: { ...architectSpecRun.roles.coder, displayName: ' ' } } };
      assert.equal(toRunPanelModel(run).roles[1]?.text, 'Coder — gemini-3-pro-high');
    });

    it('describes end states', () => {
      assert.equal(toRunPanelModel(approvedRun).header.endState, 'approved');
      assert.match(toRunPanelModel(approvedRun).header.endMessage ?? '', /Approved/);
      assert.equal(toRunPanelModel(architectSpecRun).header.endMessage, undefined);
    });

    it('ignores a blank error', () => {
      assert.equal(toRunPanelModel({ ...architectSpecRun, error: ' ' }).error, undefined);
      assert.match(toRunPanelModel(failedCoderRun).error ?? '', /rate-limited/);
    });
  });

  it('carries the spec discussion at the HARD STOP, and says when the HARD STOP will confirm itself', () => {
    const discussion = [{ question: 'Why a new file?', answer: 'To keep **utils** small.' }];
    const model = toRunPanelModel({ ...hardStopToCoderRun, hardStop: { ...coderHardStop, discussion, autoConfirm: true } });
    assert.deepEqual(model.hardStop?.discussion, discussion);
    assert.match(model.hardStop?.autoConfirmNote ?? '', /confirms itself once the next model answers \(your setting dualModel\.hardStop\.autoConfirm\)/);
    assert.equal(toRunPanelModel(hardStopToCoderRun).hardStop?.autoConfirmNote, undefined, 'off unless the user turned it on');
  });

  it('shows a swarm\'s plan at the HARD STOP before the Coder, and nothing for other runs', () => {
    const swarmPlan = ['CS-A: simple → Cheap', 'Cost: about $0.0100 estimated for 1 routed spec, against about $0.0800 with every spec on the top tier (Top): 88% less.'];
    const model = toRunPanelModel({ ...hardStopToCoderRun, hardStop: { ...coderHardStop, swarmPlan } });
    assert.deepEqual(model.hardStop?.swarmPlan, swarmPlan);
    assert.equal(toRunPanelModel(hardStopToCoderRun).hardStop?.swarmPlan, undefined);
  });

  it('gives documents keys that differ by kind, path and label', () => {
    const model = toRunPanelModel(architectReviewRun);
    assert.equal(new Set(model.documents.map((d) => d.key)).size, 2);
    assert.notEqual(documentKey({ kind: 'spec', label: 'a', path: 'p' }), documentKey({ kind: 'spec', label: 'b', path: 'p' }));
  });

  it('formats history times and passes anything unparseable through', () => {
    assert.equal(formatHistoryTime('2026-03-02T10:15:00.000Z', (d) => d.toISOString()), '2026-03-02T10:15:00.000Z');
    assert.equal(formatHistoryTime('yesterday-ish'), 'yesterday-ish');
  });
});
