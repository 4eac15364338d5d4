// Sample RunView snapshots in the seed's words, shared by the webview unit tests and the visual
// preview harness. Each is checked against RunViewSchema by the tests.
import type { CompetitionView } from '../../../src/core/workflow/competitionView';
import type { RunView } from '../../../src/core/workflow/runViewSchema';

const roles: RunView['roles'] = {
  architect: { displayName: 'Claude Opus 4.6 (Thinking)', modelId: 'claude-opus-4-6-thinking', provider: 'anthropic', isDemo: false },
  coder: { displayName: 'Gemini 3 Pro (High)', modelId: 'gemini-3-pro-high', provider: 'google', isDemo: false },
};

const demoRoles: RunView['roles'] = {
  architect: { displayName: 'Demo Architect (replay)', modelId: 'replay-architect', provider: 'replay', isDemo: true },
  coder: { displayName: 'Demo Coder (replay)', modelId: 'replay-coder', provider: 'replay', isDemo: true },
};

export const specMarkdown = `# Code Spec — Add a retry budget to the HTTP client

**Spec ID:** CS-001
**Architect:** Claude Opus 4.6 (Thinking)
**Created:** 2026-03-02T10:15:00Z
**Priority:** P1

## Objective

Give \`HttpClient\` a per-request retry budget so that transient 503s are retried with backoff.

## Files to Modify

### [MODIFY] \`src/http/client.ts\`

**Function:** \`send\`
**Change:** retry on 503 and 429, honouring \`retry-after\`.

\`\`\`ts
send(request: Request, budget?: RetryBudget): Promise<Response>
\`\`\`

## Test Expectations

- [ ] \`retries_on_503\` — a 503 then a 200 returns the 200
- [x] \`gives_up_after_budget\` — three 503s reject with the last error

## Guardrails — Do NOT

- change the public \`Response\` type
- <script>alert('raw html from a model')</script> must show as text

## Verification Command

\`\`\`bash
npm test -- --grep retry
\`\`\`

See [the RFC](https://www.rfc-editor.org/rfc/rfc9110#name-retry-after) and [a bad link](javascript:alert(1)).
![tracking pixel](https://example.com/pixel.png)
`;

export const reportMarkdown = `# Code Report — CS-001

**Coder:** Gemini 3 Pro (High)
**Completed:** 2026-03-02T10:42:00Z
**Spec:** [code_spec.md](code_spec.md)

## Summary

Added \`RetryBudget\` and wired it into \`HttpClient.send\`.

## Files Changed

| File | Action | Lines Changed |
|------|--------|---------------|
| \`src/http/client.ts\` | Modified | +25 / -10 |
| \`src/http/retryBudget.ts\` | Created | +80 |

## Test Results

\`\`\`
  retry
    ✔ retries_on_503
    ✔ gives_up_after_budget
  2 passing (41ms)
\`\`\`

**Result:** PASS

## Build Status

\`\`\`
tsc --noEmit: 0 errors
\`\`\`

**Result:** CLEAN

## Blockers

1. Should \`retry-after\` in HTTP-date form be honoured, or only seconds? Implemented both with a \`// TODO(architect)\` marker.

## Deviations from Spec

None — implemented exactly as specified.
`;

const base: RunView = {
  runId: 'run-2026-03-02-0001',
  request: 'Add a retry budget to the HTTP client so transient 503s are retried with backoff',
  phase: 'architect-spec',
  phaseNumber: 1,
  phaseLabel: 'Phase 1 — Architect: Analyze & Spec',
  isDemo: false,
  roles,
  documents: [],
  activeDocument: -1,
  activity: { busy: true, message: 'Architect is writing the Code Spec…' },
  awaitingDecision: false,
  workspaceTrusted: true,
  history: [{ at: '2026-03-02T10:15:00.000Z', label: 'Run started' }],
};

export const specDocument: RunView['documents'][number] = {
  kind: 'spec',
  label: 'Code Spec',
  path: '/home/user/project/.dual-model/brain/run-2026-03-02-0001/code_spec.md',
  markdown: specMarkdown,
};

export const reportDocument: RunView['documents'][number] = {
  kind: 'report',
  label: 'Code Report',
  path: '/home/user/project/.dual-model/brain/run-2026-03-02-0001/code_report.md',
  markdown: reportMarkdown,
};

export const coderHardStop: NonNullable<RunView['hardStop']> = {
  heading: '🛑 HARD STOP: Switch to Coder Model',
  next: 'Next: Coder — Demo Coder (replay)',
  task: 'Task: Implement Code Spec',
  action: 'Action Required: Switch the model selector to Demo Coder (replay), then reply with "Model Confirmed".',
  verificationCommand: 'npm test -- --grep retry',
  confirming: false,
};

export const architectSpecRun: RunView = base;

export const hardStopToCoderRun: RunView = {
  ...base,
  phase: 'hard-stop-to-coder',
  phaseNumber: 2,
  phaseLabel: 'Phase 2 — HARD STOP: Switch to Coder',
  isDemo: true,
  roles: demoRoles,
  hardStop: coderHardStop,
  documents: [specDocument],
  activeDocument: 0,
  activity: { busy: false, message: 'Waiting for you to confirm the Coder model.' },
  history: [
    { at: '2026-03-02T10:15:00.000Z', label: 'Run started' },
    { at: '2026-03-02T10:18:30.000Z', label: 'Code Spec written (CS-001)' },
  ],
};

export const architectReviewRun: RunView = {
  ...base,
  phase: 'architect-review',
  phaseNumber: 5,
  phaseLabel: 'Phase 5 — Architect: Review',
  documents: [specDocument, reportDocument],
  activeDocument: 1,
  activity: { busy: false, message: 'The Architect has reviewed the Code Report. Your decision.' },
  review: {
    recommended: 'approved',
    reasons: 'The implementation matches the spec. Both tests pass and the `retry-after` handling is **correct**.',
    blockerAnswers: [
      { question: 'Should `retry-after` in HTTP-date form be honoured, or only seconds?', answer: 'Both. Keep your implementation and remove the TODO marker.' },
    ],
  },
  awaitingDecision: true,
  usage: {
    text: '161.2k tokens in · 14.9k out · $0.84',
    byPhase: ['architect-spec: 12.0k in (0 cached) · 3.1k out · $0.14', 'coder-implement: 149.2k in (120.0k cached) · 11.8k out · $0.70'],
    calls: [
      {
        at: '2026-03-02T10:15:01.000Z', phase: 'architect-spec', model: 'Claude Opus 4.6 (Thinking)', modelDetail: 'anthropic · claude-opus-4-6',
        tokensIn: '12.0k', tokensOut: '3.1k', tokensDetail: '1.4k thinking', cost: '$0.14', costNote: 'priced when the call was made', duration: '41.3 s',
      },
      {
        at: '2026-03-02T10:19:02.000Z', phase: 'hard-stop-to-coder (identity check)', model: 'Gemini 3 Pro (High)', modelDetail: 'google · gemini-3-pro-high',
        tokensIn: '40', tokensOut: '12', tokensDetail: '', cost: '<$0.01', costNote: 'priced when the call was made', duration: '0.8 s',
      },
      {
        at: '2026-03-02T10:19:05.000Z', phase: 'coder-implement', model: 'Gemini 3 Pro (High)', modelDetail: 'google · gemini-3-pro-high',
        tokensIn: '0', tokensOut: '0', tokensDetail: '', cost: '$0.00', costNote: 'priced when the call was made', duration: '30.0 s',
        error: 'overloaded: <b>still overloaded</b> after 3 retries',
      },
      {
        at: '2026-03-02T10:20:01.000Z', phase: 'coder-implement', model: 'Gemini 3 Pro (Low)', modelDetail: 'google · gemini-3-pro-low',
        tokensIn: '149.2k', tokensOut: '11.8k', tokensDetail: '120.0k cache read · 6.2k thinking', cost: '$0.70', costNote: "priced from today's table", duration: '12.5 s',
      },
    ],
  },
  history: [
    { at: '2026-03-02T10:15:00.000Z', label: 'Run started' },
    { at: '2026-03-02T10:18:30.000Z', label: 'Code Spec written (CS-001)' },
    { at: '2026-03-02T10:19:02.000Z', label: 'Model Confirmed: Gemini 3 Pro (High)' },
    { at: '2026-03-02T10:42:00.000Z', label: 'Code Report written; verification passed' },
    { at: '2026-03-02T10:43:10.000Z', label: 'Model Confirmed: Claude Opus 4.6 (Thinking)' },
  ],
};

export const failedCoderRun: RunView = {
  ...base,
  phase: 'coder-implement',
  phaseNumber: 3,
  phaseLabel: 'Phase 3 — Coder: Implement',
  documents: [specDocument],
  activeDocument: 0,
  activity: { busy: false, message: 'The Coder stopped.' },
  error: 'Gemini 3 Pro (High) is rate-limited (429). Retried 3 times over 40 s; the fallback Gemini 3 Pro (Low) is rate-limited too.',
};

export const approvedRun: RunView = {
  ...architectReviewRun,
  phase: 'approved',
  phaseNumber: 0,
  phaseLabel: 'Approved',
  awaitingDecision: false,
  activity: { busy: false, message: '' },
};

/** A competitive run's three candidates: C excluded, B the judge's pick, the user yet to pick. */
export const threeCandidates: CompetitionView = {
  candidates: [
    {
      label: 'A',
      status: 'done',
      facts: { verificationPassed: true, verificationDetails: '`npm test` exited with code 0', refusals: 0, filesChanged: 2, linesAdded: 30, linesRemoved: 4, openQuestions: 1, tokens: 41_200, cost: '$0.21' },
      rank: 2,
      files: [
        { path: 'src/slugify.ts', action: 'Created', added: 24, removed: 0 },
        { path: 'src/index.ts', action: 'Modified', added: 6, removed: 4 },
      ],
    },
    {
      label: 'B',
      status: 'done',
      facts: { verificationPassed: true, verificationDetails: '`npm test` exited with code 0', refusals: 0, filesChanged: 1, linesAdded: 18, linesRemoved: 0, openQuestions: 0, tokens: 28_950 },
      rank: 1,
      files: [{ path: 'src/slugify.ts', action: 'Created', added: 18, removed: 0 }],
    },
    {
      label: 'C',
      status: 'done',
      facts: { verificationPassed: false, verificationDetails: '`npm test` exited with code 1', refusals: 2, filesChanged: 1, linesAdded: 9, linesRemoved: 1, openQuestions: 0, tokens: 19_004, cost: '$0.05' },
      excluded: 'its verification failed',
      files: [{ path: 'src/slugify.ts', action: 'Created', added: 9, removed: 1 }],
    },
  ],
  judge: { pick: 'B', reasons: 'B passes every test with the smallest change and no open question.' },
  awaitingPick: true,
};

export const competitiveRun: RunView = { ...hardStopToCoderRun, competition: threeCandidates };
