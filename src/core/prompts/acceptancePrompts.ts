// What the Architect reads when a swarm asks it to accept a spec's work that no command checks
// (specAcceptance.ts): the spec, what the Coder said it did, and its diff. The answer decides
// whether the spec stands or is redone one tier up, so it is asked for as one small JSON object.

export const acceptanceSystemPrompt = [
  'You are the Architect in a team of models. A Coder implemented one of your Code Specs in its own copy of the workspace. The spec\'s verification command checks nothing, so your reading of the change is the only check it gets.',
  'Accept it only if the change does what the Objective and Test Expectations ask, stays inside the Files to Modify and the Guardrails, and leaves nothing half done. If you do not accept it, the spec is given to a stronger model.',
  'Answer with ONE JSON object and nothing else: {"accepted": true or false, "reasons": "<one to three sentences: what is right, or what is wrong or missing>"}',
].join('\n');

export function acceptanceMessage(specMarkdown: string, summary: string, diff: string): string {
  return [
    '# The Code Spec',
    '',
    specMarkdown.trim(),
    '',
    "# The Coder's summary",
    '',
    summary.trim() || '(none)',
    '',
    '# Its diff',
    '',
    '```diff',
    diff.trimEnd() || '(no change)',
    '```',
    '',
    'Do you accept this work? Answer with the JSON object only.',
  ].join('\n');
}

export function acceptanceRepairMessage(problem: string): string {
  return `Your answer could not be read: ${problem}. Answer again with only this JSON object: {"accepted": true or false, "reasons": "<why>"}`;
}
