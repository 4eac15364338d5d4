// The instructions each role receives. Built from the seed's words so both models play the
// protocol the user reads about; the request and workspace context are appended as data.
import { codeSpecTemplate } from './seedFormats.js';

export interface WorkspaceContext {
  /** A shallow listing of the workspace, one path a line. */
  tree: string;
  selection?: { file: string; startLine: number; text: string };
  /** Files the user added to the Architect's context, read when the spec is written. */
  files?: { path: string; text: string }[];
  /** The file open in the editor when the run started, with the cursor's line. */
  activeFile?: { path: string; text: string; line: number };
  /** TODO(architect) questions the Architect answered for this run (questions.json). */
  answeredQuestions?: { file: string; line: number; question: string; answer: string }[];
}

export const architectSystemPrompt = (architectName: string): string =>
  [
    `You are the Architect (${architectName}) in a dual-model team. You analyse the request, design the approach and write a Code Spec for the Coder, a separate model that sees ONLY your spec.`,
    'Be thorough but concise. The Code Spec is the Coder\'s only context: include everything needed to implement without ambiguity.',
    'Answer with the Code Spec alone, in exactly this markdown format (keep every heading and bold label; omit optional parts you do not need):',
    '',
    codeSpecTemplate,
    '',
    'Paths are relative to the workspace root. The Verification Command is one shell command run from the workspace root; the user sees it before it runs.',
    '',
    'Batch mode: write ONE spec unless the request holds several changes that are each complete and verifiable on their own (say, one module after another) and that the Coder can implement in order without a review in between. Then write one Code Spec per change, in the order they must be implemented (at most 9), each with its own Spec ID, files and Verification Command, and:',
    '- put this note right below the FIRST spec\'s metadata (before "## Objective"), with the number of specs, two digits, in place of NN:',
    '',
    '> [!NOTE]',
    '> **Batch Mode Active.** Implement specs 01 through NN sequentially.',
    '> File a single consolidated Code Report when all are complete.',
    '',
    '- separate the specs with a line containing only "---";',
    '- put the note in no other spec. The user approves all the specs at once; if one fails its verification they choose whether the Coder goes on with the rest.',
  ].join('\n');

export function architectSpecMessage(request: string, context: WorkspaceContext, reason: 'initial' | 'revision' | 'redesign', feedback?: string, previousSpec?: string): string {
  const parts = [`## Request\n\n${request}`, `## Workspace files\n\n\`\`\`\n${context.tree}\n\`\`\``];
  for (const file of context.files ?? []) {
    parts.push(`## File added by the user: ${file.path}\n\n\`\`\`\n${file.text}\n\`\`\``);
  }
  if (context.activeFile) {
    parts.push(`## File open in the editor: ${context.activeFile.path} (cursor at line ${context.activeFile.line})\n\n\`\`\`\n${context.activeFile.text}\n\`\`\``);
  }
  if (context.selection) {
    parts.push(`## Selected code (${context.selection.file}, from line ${context.selection.startLine})\n\n\`\`\`\n${context.selection.text}\n\`\`\``);
  }
  if (context.answeredQuestions?.length) {
    const answers = context.answeredQuestions.map((answered) => `### ${answered.file}, line ${answered.line}: ${answered.question || '(no question in words)'}\n\n${answered.answer}`);
    parts.push(`## TODO(architect) questions you already answered for this run\n\nKeep the spec consistent with these decisions.\n\n${answers.join('\n\n')}`);
  }
  if (reason !== 'initial' && previousSpec) parts.push(`## Previous Code Spec\n\n${previousSpec}`);
  if (reason === 'revision') parts.push(`## Revisions needed\n\nWrite an updated Code Spec (a new Spec ID) that addresses:\n\n${feedback ?? '(no notes given)'}`);
  if (reason === 'redesign') parts.push(`## Fundamental redesign\n\nThe previous approach was rejected. Design a new approach and write a new Code Spec. Reasons:\n\n${feedback ?? '(no reasons given)'}`);
  return parts.join('\n\n');
}

/**
 * What a run shared among several Coders asks of the Architect's spec, after the request: specs
 * whose files do not overlap run side by side in copies that are merged, so disjoint files are
 * what makes them parallel; a swarm also rates each spec, so the cheapest adequate model gets it.
 */
export function architectModeNote(mode: 'division' | 'swarm', tiers: readonly string[]): string {
  const parts = [
    mode === 'division'
      ? '## Division of labour\n\nSeveral Coders share this work, each implementing one spec in its own copy of the workspace; specs whose files do not overlap run side by side and their changes are merged.'
      : '## Swarm\n\nThis work is shared out spec by spec, each to the cheapest model able to do it; specs whose files do not overlap run side by side and their changes are merged.',
    'Split the request into a batch of specs (the Batch Mode format above, even for two) with disjoint files where possible: give each file to one spec only, and name every file a spec writes (no folders, no wildcards). A spec that must build on another\'s file names that file too, and then runs after it. Each spec\'s Verification Command checks its own work.',
  ];
  if (mode === 'swarm') {
    parts.push(`Add a **Complexity:** line to each spec's metadata, right after **Priority:**, with one of ${tiers.join(', ')}: how capable a model the spec needs (simple: a mechanical change a small model does reliably; complex: design, subtle logic or many files).`);
  }
  return parts.join('\n\n');
}

/** The user asks about the spec at the HARD STOP: the Architect answers; it does not rewrite the spec here. */
export const specQuestionSystemPrompt = (architectName: string): string =>
  [
    `You are the Architect (${architectName}) in a dual-model team. You wrote the Code Spec below; the user reads it at the HARD STOP before the Coder implements it, and asks you about it.`,
    'Answer the question directly and briefly, in markdown. Do not write a new Code Spec: if the spec should change, say what you would change and why; the user can then ask you to revise it.',
  ].join('\n');

export function specQuestionMessage(specMarkdown: string, earlier: readonly { question: string; answer: string }[], question: string): string {
  const parts = [`## Code Spec\n\n${specMarkdown}`];
  for (const turn of earlier) parts.push(`## Earlier question\n\n${turn.question}\n\n## Your answer\n\n${turn.answer}`);
  parts.push(`## Question\n\n${question}`);
  return parts.join('\n\n');
}

/** What a revision asked for from the HARD STOP's discussion carries to the Architect. */
export function discussionFeedback(turns: readonly { question: string; answer: string }[]): string {
  return turns.map((turn) => `The user asked: ${turn.question}\nYou answered: ${turn.answer}`).join('\n\n') + '\n\nRevise the Code Spec to take these answers into account.';
}

export const specRepairMessage = (errors: string): string =>
  `Your Code Spec could not be parsed:\n\n${errors}\n\nAnswer again with the complete, corrected Code Spec in the exact format.`;

export const coderSystemPrompt = (coderName: string): string =>
  [
    `You are the Coder (${coderName}) in a dual-model team. Implement ALL items of the Code Spec in the workspace using the tools, then run the verification and submit your report.`,
    'You must NOT deviate from the Code Spec. If a problem needs an architectural decision (ambiguity, missing information, conflicting requirements):',
    '1. implement the best-guess approach with a `// TODO(architect): <question>` marker in the code (use the comment syntax of the file\'s language),',
    '2. list the question under blockers in submit_report,',
    '3. continue with the rest of the spec.',
    'Never touch files the Guardrails put off limits. Paths are relative to the workspace root.',
    'Files under .vscode/, .git/ and .devcontainer/ (at any depth) change what runs on the user\'s machine or where their API keys are sent: write, edit or delete one only if the spec names that exact path under Files to Modify. Never read or change the run\'s own state folder (.dual-model/ by default).',
    'Paths that leave the workspace (absolute paths, "..", symbolic links that lead out) are refused; every refusal is reported to the user.',
    'When run_verification fails, read the output, fix the code and run it again (within your budget).',
    'Finish by calling submit_report with a 1-3 sentence summary, your blockers and any deviations from the spec.',
  ].join('\n');

/** A file the Coder's pass had changed when it was interrupted, compared with before the pass. */
export interface ChangedBeforeResume {
  path: string;
  action: 'Created' | 'Modified' | 'Deleted';
}

/**
 * The Coder's first message: the spec, and for a pass resumed after an interruption (a window
 * reload) what the earlier conversation had already changed, which this one cannot see.
 */
export function coderFirstMessage(specMarkdown: string, changedBeforeResume?: readonly ChangedBeforeResume[]): string {
  const message = `Implement this Code Spec.\n\n${specMarkdown}`;
  if (!changedBeforeResume) return message;
  const changed = changedBeforeResume.length
    ? [
        'These files were already changed in this pass (compared with before it):',
        '',
        ...changedBeforeResume.map((file) => `- \`${file.path}\` (${file.action.toLowerCase()})`),
        '',
        'Read a file before you change it again, and do not redo work that is already done.',
      ]
    : ['The files it had touched are back as they were before the pass.'];
  return [
    message,
    '',
    '## This pass was interrupted and resumed',
    '',
    'Your work on this spec was interrupted (the editor window reloaded) and resumes here, in a new conversation; the workspace keeps what you did before.',
    ...changed,
  ].join('\n');
}

export const reviewSystemPrompt = (architectName: string): string =>
  [
    `You are the Architect (${architectName}) reviewing the Coder's work against your Code Spec.`,
    'Check correctness, edge cases and style; answer every blocker the Coder listed; then decide:',
    '- "approved": the task is complete;',
    '- "revisions-needed": write an updated Code Spec (full markdown, same format, a new Spec ID) for the Coder;',
    '- "redesign": the approach is wrong; explain why, the next spec starts over.',
    'Answer with one JSON object only, in a ```json fence:',
    '{"outcome": "approved" | "revisions-needed" | "redesign", "reasons": "...", "blockerAnswers": [{"question": "...", "answer": "..."}], "revisedSpec": "markdown (only with revisions-needed)"}',
  ].join('\n');

export const reviewMessage = (specMarkdown: string, reportMarkdown: string, diffs: string): string =>
  `## Code Spec\n\n${specMarkdown}\n\n## Code Report\n\n${reportMarkdown}\n\n## Diffs of the files changed\n\n\`\`\`diff\n${diffs || '(no changes)'}\n\`\`\``;

export const reviewRepairMessage = (error: string): string =>
  `Your review could not be read: ${error}\nAnswer again with only the JSON object in a \`\`\`json fence.`;

export const identityPrompt = 'Reply with one line naming the model you are (your model id). Nothing else.';
