// What the Architect reads when it judges a competition (best-of-N): the spec, and each surviving
// candidate's facts and diff under a letter only. Nothing here names a Coder's model; the
// competitive pass also scrubs every name from the text, the Coders' own words included.

export interface JudgedCandidate {
  label: string;
  /** One line a fact: verification, refusals, lines changed, open questions. */
  facts: string[];
  /** Unified diffs of its changed files, already capped. */
  diff: string;
  /** What its Coder said it did (its report's summary). */
  summary: string;
}

export const judgeSystemPrompt = [
  'You are the Architect in a team of models. Several Coders implemented the same Code Spec, each in its own copy of the workspace. Every candidate below passed its verification command.',
  'Judge them against the spec: correctness, completeness, staying inside the Files to Modify and the Guardrails, clarity, and no needless change. The candidates are known only by a letter; judge the code, not who wrote it.',
  'Answer with ONE JSON object and nothing else: {"pick": "<letter>", "reasons": "<two to five sentences: why this one, and what the others lack>"}',
].join('\n');

export function judgeMessage(specMarkdown: string, candidates: readonly JudgedCandidate[]): string {
  const parts = candidates.map((candidate) =>
    [`## Candidate ${candidate.label}`, '', ...candidate.facts.map((fact) => `- ${fact}`), '', '### Its summary', '', candidate.summary.trim() || '(none)', '', '### Its diff', '', '```diff', candidate.diff.trimEnd(), '```'].join('\n'),
  );
  return [
    '# The Code Spec',
    '',
    specMarkdown.trim(),
    '',
    `# The candidates (${candidates.map((candidate) => candidate.label).join(', ')})`,
    '',
    parts.join('\n\n'),
    '',
    `Pick one of ${candidates.map((candidate) => candidate.label).join(', ')}. Answer with the JSON object only.`,
  ].join('\n');
}

export function judgeRepairMessage(problem: string, labels: readonly string[]): string {
  return `Your answer could not be read: ${problem}. Answer again with only this JSON object, where pick is one of ${labels.join(', ')}: {"pick": "<letter>", "reasons": "<why>"}`;
}
