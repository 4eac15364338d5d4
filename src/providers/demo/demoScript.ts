// The offline demo's script: what the demo Architect and Coder say and do on the sample
// workspace (sample-textkit). Deterministic, so the whole loop can be walked, tested and
// benchmarked with no API key; every file edit and verification it causes is real.

export const demoSpecV1 = (request: string, architect: string, created: string): string => `# Code Spec — Add a slugify utility

**Spec ID:** CS-DEMO-001
**Architect:** ${architect}
**Created:** ${created}
**Priority:** P1

## Objective

${oneLine(request)} — the demo Architect plans a \`slugify\` helper for sample-textkit that turns titles into URL slugs, exported from the package entry point and covered by tests.

## Files to Modify

### [NEW] \`src/slugify.js\`

**Purpose:** Convert free text into a lowercase, hyphen-separated slug for URLs.
**Contents:**

- \`function slugify(text, separator = '-')\` returning a string
- lower-case the text, replace every run of characters other than a-z and 0-9 with the separator, trim separators from both ends
- throw \`TypeError('slugify expects a string')\` for non-string input

### [MODIFY] \`src/index.js\`

**Function:** \`module.exports\`
**Change:** Re-export \`slugify\` from \`./slugify\` next to \`capitalize\` and \`truncate\`.

**Constraints:**

- keep the existing exports unchanged
- CommonJS only (\`require\` / \`module.exports\`)

### [NEW] \`test/slugify.test.js\`

**Purpose:** Tests for \`slugify\` with \`node:test\` and \`node:assert/strict\`.
**Contents:**

- one test per expectation listed below

## Test Expectations

- [ ] \`slugify lowercases and hyphenates\` — "Hello World" becomes "hello-world"
- [ ] \`slugify trims and collapses separators\` — "  --Hello,   World!--  " becomes "hello-world"
- [ ] \`slugify supports a custom separator\` — ("Hello World", "_") becomes "hello_world"
- [ ] \`slugify rejects non-strings\` — slugify(42) throws a TypeError

## Guardrails — Do NOT

- modify \`test/index.test.js\` or \`package.json\`
- add dependencies: use only Node built-ins
- change the behaviour of \`capitalize\` or \`truncate\`

## Verification Command

\`\`\`bash
node --test
\`\`\`

## Context (Read-Only Reference)

The package is plain CommonJS JavaScript with no dependencies; tests run with Node's built-in test runner (\`node --test\` finds \`test/*.test.js\`).
`;

export const demoSpecV2 = (architect: string, created: string): string => `# Code Spec — Transliterate accented letters in slugify

**Spec ID:** CS-DEMO-002
**Architect:** ${architect}
**Created:** ${created}
**Priority:** P1

## Objective

Resolve the Coder's open question: \`slugify\` must transliterate accented Latin letters ("Crème Brûlée" → "creme-brulee") instead of dropping them.

## Files to Modify

### [MODIFY] \`src/slugify.js\`

**Function:** \`slugify\`
**Change:** Before lower-casing, decompose the text with \`normalize('NFKD')\` and remove combining marks (\`/[\\u0300-\\u036f]/g\`); remove the \`TODO(architect)\` marker.

**Constraints:**

- keep the signature \`slugify(text, separator = '-')\`
- characters that still are not a-z or 0-9 become separators as before

### [MODIFY] \`test/slugify.test.js\`

**Function:** test suite
**Change:** Add the test below.

## Test Expectations

- [ ] \`slugify transliterates accented letters\` — "Crème Brûlée" becomes "creme-brulee"

## Guardrails — Do NOT

- modify \`test/index.test.js\` or \`package.json\`
- add dependencies

## Verification Command

\`\`\`bash
node --test
\`\`\`

## Context (Read-Only Reference)

Follow-up to CS-DEMO-001.
`;

export const demoRedesignSpec = (architect: string, created: string, reasons: string): string =>
  demoSpecV1(`Redesign requested (${oneLine(reasons) || 'no reasons given'})`, architect, created)
    .replace('CS-DEMO-001', 'CS-DEMO-101')
    .replace('# Code Spec — Add a slugify utility', '# Code Spec — Add a slugify utility (redesigned)');

export const slugifySourceV1 = `'use strict';

/**
 * Turns free text into a lowercase, separator-joined slug for URLs.
 *
 * @param {string} text
 * @param {string} [separator='-']
 * @returns {string}
 * @example slugify('Hello World') // 'hello-world'
 */
function slugify(text, separator = '-') {
  if (typeof text !== 'string') {
    throw new TypeError('slugify expects a string');
  }
  // TODO(architect): should accented letters be transliterated (é → e) or dropped? Dropped for now.
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .split(separator)
    .filter(Boolean)
    .join(separator);
}

module.exports = { slugify };
`;

export const slugifyTestV1 = `'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { slugify } = require('../src/slugify');

test('slugify lowercases and hyphenates', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});

test('slugify trims and collapses separators', () => {
  assert.equal(slugify('  --Hello,   World!--  '), 'hello-world');
});

test('slugify supports a custom separator', () => {
  assert.equal(slugify('Hello World', '_'), 'hello_world');
});

test('slugify rejects non-strings', () => {
  assert.throws(() => slugify(42), TypeError);
});
`;

export const transliterateEdit = {
  oldText: `  // TODO(architect): should accented letters be transliterated (é → e) or dropped? Dropped for now.
  return text
    .toLowerCase()`,
  newText: `  return text
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()`,
};

export const transliterateTest = `
test('slugify transliterates accented letters', () => {
  assert.equal(slugify('Crème Brûlée'), 'creme-brulee');
});
`;

export const demoBlockerV1 = 'Should `slugify` transliterate accented letters (é → e) or drop them? It drops them for now (see the TODO(architect) marker in src/slugify.js).';

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** The demo Architect's answer to a TODO(architect) question asked from the CodeLens. */
export function demoQuestionAnswer(prompt: string): string {
  const question = /## Question \(([^)]*)\)\n\n([^\n]*)/.exec(prompt);
  if (/accented|translit/i.test(question?.[2] ?? '')) {
    return [
      'Transliterate: decompose the text with NFKD and drop the combining marks before lower-casing, so "Crème Brûlée" becomes "creme-brulee" rather than "cr-me-br-l-e".',
      '',
      '```js',
      "  text = text.normalize('NFKD').replace(/[\\u0300-\\u036f]/g, '');",
      '```',
    ].join('\n');
  }
  return `Keep the simplest behaviour that the current spec allows, and note the decision here (offline demo answer to: ${oneLine(question?.[2] ?? 'the question')}).`;
}
