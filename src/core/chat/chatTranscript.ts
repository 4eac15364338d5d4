// What the @dual-model chat participant says about a run, phase by phase, from the engine's one
// snapshot of it (the view the panel renders too, so the two never disagree): where a chat
// answer stops (a HARD STOP, the review's outcomes, the end), the seed's HARD STOP words with
// their buttons, and what the user can do while a run waits. Pure data: the host streams it.
import { endStateOf, seedPhaseOf } from '../workflow/phases.js';
import type { PhaseName, ReviewOutcome } from '../workflow/runState.js';
import type { RunView } from '../workflow/runViewSchema.js';
import { MODEL_CONFIRMED, type ChatRunMetadata } from './passphrase.js';

export type ChatPart =
  | { kind: 'markdown'; text: string }
  | { kind: 'progress'; text: string }
  /** A button that runs one of the extension's commands on this run; nothing else is ever offered. */
  | { kind: 'button'; title: string; command: string; arguments: string[] };

export const chatCommands = {
  confirmModel: 'dualModel.confirmModel',
  approve: 'dualModel.approve',
  requestRevisions: 'dualModel.requestRevisions',
  redesign: 'dualModel.redesign',
  retry: 'dualModel.retryPhase',
  resume: 'dualModel.resumeRun',
  openRun: 'dualModel.openRun',
} as const;

const outcomes: readonly { outcome: ReviewOutcome; label: string; command: string }[] = [
  { outcome: 'approved', label: '✅ Approved', command: chatCommands.approve },
  { outcome: 'revisions-needed', label: '🔄 Revisions needed', command: chatCommands.requestRevisions },
  { outcome: 'redesign', label: '❌ Fundamental redesign', command: chatCommands.redesign },
];

/** The trigger phrases of the seed, offered where the chat suggests what to type. */
export const triggerPhrases = ['use both models', 'architect and code', 'dual model'] as const;

/** Where a chat answer that follows a run ends: the run waits for the user, or it is over. */
export function isStop(view: RunView): boolean {
  return (view.hardStop !== undefined && !confirmsItself(view)) || view.awaitingDecision || endStateOf(view.phase) !== undefined || view.resumable === true;
}

/**
 * A HARD STOP the user's dualModel.hardStop.autoConfirm setting confirms: the answer goes on
 * streaming through it, unless the confirm failed (its reason is the view's error), which makes
 * it a stop like any other.
 */
export function confirmsItself(view: RunView): boolean {
  return view.hardStop?.autoConfirm === true && view.error === undefined;
}

/** Said once as the answer streams past a HARD STOP that confirms itself. */
export function selfConfirmParts(view: RunView): ChatPart[] {
  if (!view.hardStop) return [];
  return [
    { kind: 'markdown', text: `\n\n**${view.hardStop.heading}** — it confirms itself once the model answers its identity check (dualModel.hardStop.autoConfirm is on). ${view.hardStop.next}.\n\n` },
    { kind: 'progress', text: 'Confirming the HARD STOP by itself…' },
  ];
}

/** What a chat answer remembers of the run (ChatResult.metadata): its id, and the spec set a typed confirm approves. */
export function metadataOf(view: RunView): ChatRunMetadata {
  return { runId: view.runId, ...(view.hardStop?.specDigest ? { specDigest: view.hardStop.specDigest } : {}) };
}

export function startedParts(view: RunView): ChatPart[] {
  const demo = view.isDemo ? ' (offline demo models)' : '';
  return [
    { kind: 'markdown', text: `Run \`${view.runId}\` started. Architect: ${view.roles.architect.displayName} · Coder: ${view.roles.coder.displayName}${demo}. It is in the Dual-Model panel too.\n\n` },
  ];
}

/** Said once when the followed run enters a phase, so the streamed text is read as that phase's; a HARD STOP or an end says itself (stopParts). */
export function phaseParts(phase: PhaseName): ChatPart[] {
  const seedPhase = seedPhaseOf(phase);
  if (!seedPhase || seedPhase.isHardStop) return [];
  return [
    { kind: 'markdown', text: `\n\n**${seedPhase.label}**\n\n` },
    { kind: 'progress', text: `${seedPhase.title}…` },
  ];
}

/** What the engine is doing now, when it says something new. */
export function activityParts(view: RunView): ChatPart[] {
  return view.activity.busy && view.activity.message ? [{ kind: 'progress', text: view.activity.message }] : [];
}

/** Where the chat answer stops: the HARD STOP in the seed's words, the review's outcomes, or the end. */
export function stopParts(view: RunView): ChatPart[] {
  const parts: ChatPart[] = [];
  if (view.error) parts.push({ kind: 'markdown', text: `\n\n> ⚠️ ${oneLine(view.error)}\n\n` });
  if (view.resumable) {
    parts.push(
      { kind: 'markdown', text: `\n\n${view.activity.message}\n\n` },
      { kind: 'button', title: 'Resume the run', command: chatCommands.resume, arguments: [view.runId] },
    );
    return parts;
  }
  if (view.hardStop) return [...parts, ...hardStopParts(view, view.hardStop)];
  if (view.awaitingDecision && view.review) return [...parts, ...reviewParts(view, view.review)];
  const end = endStateOf(view.phase);
  if (end === 'approved') parts.push({ kind: 'markdown', text: '\n\n✅ **Approved** — task complete.\n\n' });
  if (end === 'cancelled') parts.push({ kind: 'markdown', text: `\n\n**${view.phaseLabel}.**\n\n` });
  if (end === 'failed') {
    parts.push(
      { kind: 'markdown', text: `\n\n**${view.phaseLabel}.**\n\n` },
      { kind: 'button', title: 'Retry the failed phase', command: chatCommands.retry, arguments: [view.runId] },
    );
  }
  if (end) parts.push({ kind: 'button', title: 'Show the run', command: chatCommands.openRun, arguments: [view.runId] });
  return parts;
}

type HardStopView = NonNullable<RunView['hardStop']>;

function hardStopParts(view: RunView, stop: HardStopView): ChatPart[] {
  const toCoder = view.phase === 'hard-stop-to-coder';
  const lines = [`### ${stop.heading}`, '', stop.next, stop.task, ''];
  if (stop.verificationCommand !== undefined) {
    lines.push('The Coder will be allowed to run this verification command, and no other:', '', codeBlock(stop.verificationCommand), '');
    if (stop.sandbox) lines.push(stop.sandbox.text, '');
  }
  if (stop.protectedPaths?.length) lines.push(`⚠️ The spec lets the Coder change protected paths: ${stop.protectedPaths.map(inlineCode).join(', ')}.`, '');
  lines.push(`Action Required: Review the ${toCoder ? 'Code Spec' : 'Code Report'} (in the Dual-Model panel), then reply with "${MODEL_CONFIRMED}".`, '');
  return [
    { kind: 'markdown', text: `\n\n${lines.join('\n')}\n` },
    { kind: 'button', title: MODEL_CONFIRMED, command: chatCommands.confirmModel, arguments: stop.specDigest ? [view.runId, stop.specDigest] : [view.runId] },
    { kind: 'button', title: 'Show the run', command: chatCommands.openRun, arguments: [view.runId] },
  ];
}

type ReviewView = NonNullable<RunView['review']>;

function reviewParts(view: RunView, review: ReviewView): ChatPart[] {
  const recommended = outcomes.find((entry) => entry.outcome === review.recommended);
  const lines = [`### The Architect's review`, '', `Recommendation: **${recommended?.label ?? 'none'}**`, ''];
  if (review.reasons.trim()) lines.push(review.reasons.trim(), '');
  for (const blocker of review.blockerAnswers) lines.push(`- **${oneLine(blocker.question)}** — ${oneLine(blocker.answer)}`);
  if (review.blockerAnswers.length) lines.push('');
  lines.push('Choose the outcome (you may override the recommendation):', '');
  return [
    { kind: 'markdown', text: `\n\n${lines.join('\n')}\n` },
    ...outcomes.map(({ label, command }): ChatPart => ({ kind: 'button', title: label, command, arguments: [view.runId] })),
  ];
}

/** The answer to anything but the passphrase while the chat's run waits for the user: what they can do. Nothing was sent to a model. */
export function waitingParts(view: RunView): ChatPart[] {
  const what = view.hardStop
    ? `Run \`${view.runId}\` waits at **${view.hardStop.heading}**. Reply "${MODEL_CONFIRMED}" (exactly) or press the button to hand over.`
    : view.awaitingDecision
      ? `Run \`${view.runId}\` waits for your decision on the Architect's review: choose an outcome with a button.`
      : `Run \`${view.runId}\` waits for you.`;
  return [
    { kind: 'markdown', text: `${what} Your message was not sent to any model. To start another run, open a new chat.\n` },
    ...stopParts(view),
  ];
}

/** The passphrase when the chat's run has no HARD STOP waiting. */
export function nothingToConfirmParts(view: RunView | undefined): ChatPart[] {
  if (!view) return [{ kind: 'markdown', text: `There is no run in this chat to confirm. Start one with \`/dual-model <what to build>\`.\n` }];
  return [{ kind: 'markdown', text: `No HARD STOP waits in run \`${view.runId}\`: it is in ${view.phaseLabel}. Nothing was confirmed.\n` }, ...stopParts(view)];
}

export { closingFence } from '../artifacts/markdownSyntax.js';

export function helpParts(): ChatPart[] {
  return [
    {
      kind: 'markdown',
      text: [
        'Describe the change, and an **Architect** model writes a Code Spec; at the 🛑 HARD STOP you hand over to a **Coder** model, which implements it and runs the verification; the Architect then reviews its Code Report.',
        '',
        'For example: `/dual-model Add a slugify helper with tests`.',
        '',
        'With several Coders: `/compete 3 <request>` (best-of-3, you apply the best), `/divide <request>` (specs on separate files side by side), `/swarm <request>` (each spec on the cheapest model able to do it).',
        '',
        `At each HARD STOP, reply "${MODEL_CONFIRMED}" or press its button. (Also for: ${triggerPhrases.map((phrase) => `"${phrase}"`).join(', ')}.)`,
        '',
      ].join('\n'),
    },
  ];
}

function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
