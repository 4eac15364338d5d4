// The offline demo's batch: asked for a batch ("… in batch mode", "a batch of …"), the demo
// Architect writes three specs under the seed's Batch Mode note, and the demo Coder's second one
// fails its verification for real (a whitespace bug its own test catches), so the whole batch
// path (the pause, Go on / Stop, the consolidated report, the fix) can be walked with no key.
import { batchNote } from '../../core/artifacts/codeSpec.js';
import { demoSpecV1 } from './demoScript.js';

/** Whether the request asks for a batch. */
export const asksForBatch = (request: string): boolean => /\bbatch\b/i.test(request);

const header = (title: string, id: string, architect: string, created: string): string =>
  `# Code Spec — ${title}\n\n**Spec ID:** ${id}\n**Architect:** ${architect}\n**Created:** ${created}\n**Priority:** P1`;

const newModule = (name: string, purpose: string, contents: string, testName: string, expectation: string): string => `## Files to Modify

### [NEW] \`src/${name}.js\`

**Purpose:** ${purpose}
**Contents:**

- ${contents}

### [NEW] \`test/${name}.test.js\`

**Purpose:** Tests for \`${name}\` with \`node:test\` and \`node:assert/strict\`.
**Contents:**

- one test per expectation listed below

## Test Expectations

- [ ] \`${testName}\` — ${expectation}

## Guardrails — Do NOT

- modify \`src/index.js\`, \`test/index.test.js\` or \`package.json\`
- add dependencies: use only Node built-ins

## Verification Command

\`\`\`bash
node --test test/${name}.test.js
\`\`\`

## Context (Read-Only Reference)

Plain CommonJS JavaScript with no dependencies.
`;

/** Three specs, the first carrying the Batch Mode note; separated as the prompt asks. */
export function demoBatchSpecs(request: string, architect: string, created: string): string {
  const first = demoSpecV1(request, architect, created)
    .replace('CS-DEMO-001', 'CS-DEMO-B01')
    .replace('**Priority:** P1\n', `**Priority:** P1\n\n${batchNote(3)}\n`)
    .replace('node --test\n', 'node --test test/slugify.test.js\n');
  const second = `${header('Add a wordCount utility', 'CS-DEMO-B02', architect, created)}

## Objective

Spec 02 of the batch: a \`wordCount\` helper that counts the words of a text.

${newModule('wordCount', 'Count the words of a text.', '`function wordCount(text)` returning the number of words; whitespace around and between words does not count', 'wordCount ignores surrounding whitespace', '"  two   words " has 2 words')}`;
  const third = `${header('Add a titleCase utility', 'CS-DEMO-B03', architect, created)}

## Objective

Spec 03 of the batch: a \`titleCase\` helper that capitalises every word.

${newModule('titleCase', 'Capitalise every word of a text.', '`function titleCase(text)` upper-casing the first letter of each space-separated word', 'titleCase capitalises every word', '"hello big world" becomes "Hello Big World"')}`;
  return `Here is the batch of three Code Specs.\n\n${first}\n---\n\n${second}\n---\n\n${third}`;
}

/** The revision the demo Architect writes after the batch's failed spec: fix wordCount. */
export const demoBatchFixSpec = (architect: string, created: string): string => `${header('Fix wordCount for surrounding whitespace', 'CS-DEMO-B04', architect, created)}

## Objective

Spec 02 of the batch failed its verification: \`wordCount\` counts the empty strings that surrounding and repeated spaces leave. Count only the words.

## Files to Modify

### [MODIFY] \`src/wordCount.js\`

**Function:** \`wordCount\`
**Change:** Split on runs of whitespace and ignore empty strings (\`text.split(/\\s+/).filter(Boolean).length\`).

## Test Expectations

- [ ] \`wordCount ignores surrounding whitespace\` — "  two   words " has 2 words

## Guardrails — Do NOT

- modify \`test/wordCount.test.js\`

## Verification Command

\`\`\`bash
node --test test/wordCount.test.js
\`\`\`

## Context (Read-Only Reference)

Follow-up to the batch CS-DEMO-B01 … CS-DEMO-B03.
`;

export const wordCountBuggy = `'use strict';

/** The number of words in a text. */
function wordCount(text) {
  return text.split(' ').length;
}

module.exports = { wordCount };
`;

export const wordCountFixed = `'use strict';

/** The number of words in a text: runs of whitespace separate words, and none is counted empty. */
function wordCount(text) {
  return text.split(/\\s+/).filter(Boolean).length;
}

module.exports = { wordCount };
`;

export const wordCountTest = `'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { wordCount } = require('../src/wordCount');

test('wordCount ignores surrounding whitespace', () => {
  assert.equal(wordCount('  two   words '), 2);
});
`;

export const titleCaseSource = `'use strict';

/** Every space-separated word with its first letter upper-cased. */
function titleCase(text) {
  return text.split(' ').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

module.exports = { titleCase };
`;

export const titleCaseTest = `'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { titleCase } = require('../src/titleCase');

test('titleCase capitalises every word', () => {
  assert.equal(titleCase('hello big world'), 'Hello Big World');
});
`;

export const wordCountBlocker = 'The test "wordCount ignores surrounding whitespace" fails: `wordCount` counts the empty strings around the words. Should it split on runs of whitespace?';
