import assert from 'node:assert/strict';
import { parseCodeSpec, renderCodeSpec, type CodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import { formatArtifactErrors } from '../../../src/core/artifacts/parseResult.js';
import { baseSpec, expectError, expectValue, lineOf, lines } from './artifactFixtures.js';

// The seed's own example (its placeholders kept, except the priority, which must be a real one).
const SEED_EXAMPLE = lines(
  '# Code Spec — [Brief Title]',
  '',
  '**Spec ID:** [unique id, e.g. CS-001]',
  '**Architect:** [model name]',
  '**Created:** [timestamp]',
  '**Priority:** P0',
  '',
  '## Objective',
  '',
  '[1-3 sentences: what this code change accomplishes and why]',
  '',
  '## Files to Modify',
  '',
  '### [MODIFY] `path/to/file.rs`',
  '',
  '**Function:** `function_name`',
  '**Change:** [precise description of what to add/change/remove]',
  '**Signature:** (if new or changed)',
  '',
  '```rust',
  'fn new_function(arg: Type) -> ReturnType',
  '```',
  '',
  '**Constraints:**',
  '',
  '- [specific behavioral requirements]',
  '- [error handling expectations]',
  '- [performance requirements]',
  '',
  '### [NEW] `path/to/new_file.rs`',
  '',
  '**Purpose:** [what this file does]',
  '**Contents:**',
  '',
  '- [struct/function list with signatures]',
  '- [key logic to implement]',
  '',
  '### [DELETE] `path/to/old_file.rs`',
  '',
  '**Reason:** [why this file is being removed]',
  '',
  '## Test Expectations',
  '',
  '- [ ] `test_name_1` — [what it verifies]',
  '- [ ] `test_name_2` — [what it verifies]',
  '',
  '## Guardrails — Do NOT',
  '',
  '- [things the Coder must not change]',
  '- [files/modules that are off-limits]',
  '- [patterns to avoid]',
  '',
  '## Verification Command',
  '',
  '```bash',
  'cargo test -p [package] && cargo clippy -p [package]',
  '```',
  '',
  '## Context (Read-Only Reference)',
  '',
  '[Any additional context the Coder needs but should not modify — e.g., type',
  'definitions from other crates, API contracts, etc.]',
);

/** A well-formed spec as text, to break one piece at a time. */
const VALID = renderCodeSpec({
  ...baseSpec(),
  files: [
    { action: 'MODIFY', path: 'src/http/client.ts', function: 'send', change: 'Wrap the fetch call in `withRetry`.', constraints: ['Retry at most 3 times.'] },
    { action: 'NEW', path: 'src/http/retry.ts', purpose: 'The retry helper.', contents: ['`export function withRetry`'] },
  ],
});

describe('Code Spec parsing', () => {
  it('parses the seed example', () => {
    const spec = expectValue(parseCodeSpec(SEED_EXAMPLE));
    assert.deepEqual(spec, {
      title: '[Brief Title]',
      specId: '[unique id, e.g. CS-001]',
      architect: '[model name]',
      created: '[timestamp]',
      priority: 'P0',
      objective: '[1-3 sentences: what this code change accomplishes and why]',
      files: [
        {
          action: 'MODIFY',
          path: 'path/to/file.rs',
          function: 'function_name',
          change: '[precise description of what to add/change/remove]',
          signature: { language: 'rust', code: 'fn new_function(arg: Type) -> ReturnType' },
          constraints: ['[specific behavioral requirements]', '[error handling expectations]', '[performance requirements]'],
        },
        { action: 'NEW', path: 'path/to/new_file.rs', purpose: '[what this file does]', contents: ['[struct/function list with signatures]', '[key logic to implement]'] },
        { action: 'DELETE', path: 'path/to/old_file.rs', reason: '[why this file is being removed]' },
      ],
      tests: [
        { name: 'test_name_1', description: '[what it verifies]', checked: false },
        { name: 'test_name_2', description: '[what it verifies]', checked: false },
      ],
      guardrails: ['[things the Coder must not change]', '[files/modules that are off-limits]', '[patterns to avoid]'],
      verification: { language: 'bash', command: 'cargo test -p [package] && cargo clippy -p [package]' },
      context: '[Any additional context the Coder needs but should not modify — e.g., type\ndefinitions from other crates, API contracts, etc.]',
    } satisfies CodeSpec);
    // Rendering drops only the seed's "(if new or changed)" note after **Signature:**.
    assert.equal(renderCodeSpec(spec), SEED_EXAMPLE.replace('**Signature:** (if new or changed)', '**Signature:**'));
  });

  describe('tolerates hand-written sloppiness', () => {
    const expected: CodeSpec = {
      title: 'Fix the parser',
      specId: 'CS-042',
      architect: 'Opus',
      created: 'yesterday',
      priority: 'P2',
      batch: { total: 3 },
      objective: 'Make the parser accept trailing commas.',
      files: [
        {
          action: 'MODIFY',
          path: 'src/parser.ts',
          function: 'parseList',
          change: 'Allow one trailing comma.',
          signature: { language: '', code: 'function parseList(tokens: Token[]): Node[]' },
          constraints: ['Keep it linear.', 'Report the position of a second comma.'],
        },
        { action: 'NEW', path: 'src/commas.ts', purpose: 'Comma helpers.', contents: ['isTrailingComma', 'skipComma'] },
        { action: 'DELETE', path: 'src/oldParser.ts', reason: 'Dead code.' },
      ],
      tests: [
        { name: 'accepts_trailing_comma', description: 'a trailing comma parses', checked: true },
        { name: 'rejects_double_comma', description: 'two commas fail', checked: false },
        { name: 'keeps_positions', description: 'positions survive', checked: true },
      ],
      guardrails: ['Do not touch the lexer.', 'No regex over the whole input.'],
      verification: { language: 'bash', command: 'npm test' },
      context: '',
    };

    const sloppy = [
      '',
      '',
      '#   code spec - Fix the parser   ',
      '**Spec ID**: CS-042',
      '**Architect:**Opus   ',
      '**created:** yesterday',
      '**PRIORITY** : p2',
      '',
      '> [!NOTE]',
      '> **Batch Mode Active.** Implement specs 01 through 03 sequentially.',
      '> File a single consolidated Code Report when all are complete.',
      '',
      '',
      '## objective',
      'Make the parser accept trailing commas.   ',
      '',
      '',
      '## FILES TO MODIFY',
      '### [modify] `src/parser.ts`',
      '**Function:**`parseList`',
      '',
      '**Change**: Allow one trailing comma.  ',
      '**Signature:**',
      '```',
      'function parseList(tokens: Token[]): Node[]',
      '```',
      '**Constraints:**',
      '* Keep it linear.',
      '* Report the position of a second comma.',
      '### [New] src/commas.ts',
      '**Purpose:** Comma helpers.',
      '**Contents:**',
      '+ isTrailingComma',
      '+ skipComma',
      '',
      '### [DELETE] `src/oldParser.ts`',
      '**Reason:**Dead code.',
      '## test expectations',
      '* [x] `accepts_trailing_comma` – a trailing comma parses',
      '* [ ] `rejects_double_comma` - two commas fail',
      '* [X] `keeps_positions`—positions survive',
      '',
      '## Guardrails - do not',
      '+ Do not touch the lexer.',
      '+ No regex over the whole input.',
      '## verification command',
      '~~~',
      'npm test',
      '~~~',
      '## Context (read-only reference)',
      '',
    ];

    it('parses LF text with loose spacing, bullets, dashes, label colons and heading case', () => {
      assert.deepEqual(expectValue(parseCodeSpec(sloppy.join('\n'))), expected);
    });

    it('parses the same text with CRLF line endings and trailing spaces', () => {
      assert.deepEqual(expectValue(parseCodeSpec(sloppy.map((l) => `${l}  `).join('\r\n'))), expected);
    });

    it('accepts a missing Context section and a Batch Mode note above the title', () => {
      const text = lines('> [!NOTE]', '> **Batch Mode Active.** Implement specs 01 through 03 sequentially.', '', ...sloppy.slice(2, 8), ...sloppy.slice(12, -2));
      assert.deepEqual(expectValue(parseCodeSpec(text)), expected);
    });

    it('accepts sections in another order, a BOM, HTML comments and a checkbox without its space', () => {
      const text = lines(
        '\uFEFF# Code Spec — Reordered',
        '<!-- generated -->',
        '**Spec ID:** CS-2',
        '**Architect:** A',
        '**Created:** now',
        '**Priority:** P0',
        '## Verification Command',
        '```sh',
        'make check',
        '```',
        '## Guardrails — Do NOT',
        'None.',
        '## Test Expectations',
        '- [x]`t` — d',
        '## Files to Modify',
        '### [DELETE] `x`',
        '**Reason:** gone',
        '## Objective',
        'Tidy up.',
      );
      const spec = expectValue(parseCodeSpec(text));
      assert.equal(spec.title, 'Reordered');
      assert.deepEqual(spec.verification, { language: 'sh', command: 'make check' });
      assert.deepEqual(spec.guardrails, []);
      assert.deepEqual(spec.tests, [{ name: 't', description: 'd', checked: true }]);
      assert.equal(spec.objective, 'Tidy up.');
    });
  });

  describe('reports malformed specs with the section and line', () => {
    it('missing Objective: reported at the end of the header', () => {
      const text = VALID.replace(/## Objective\n\n.*\n\n/, '');
      expectError(parseCodeSpec(text), 'Objective', lineOf(text, '**Priority:**'), /is missing: add a "## Objective" section/);
    });

    it('missing Verification Command: reported at the end of the previous section', () => {
      const text = VALID.replace(/## Verification Command\n\n```bash\nnpm test\n```\n\n/, '');
      expectError(parseCodeSpec(text), 'Verification Command', lineOf(text, 'Do not change the public'), /is missing/);
    });

    it('Verification Command without a code block: reported at its heading', () => {
      const text = VALID.replace('```bash\nnpm test\n```', 'Run npm test.');
      const result = parseCodeSpec(text);
      const error = expectError(result, 'Verification Command', lineOf(text, '## Verification Command'), /^is missing a fenced code block$/);
      assert.equal(
        formatArtifactErrors('code_spec.md', [error]),
        `code_spec.md:${lineOf(text, '## Verification Command')}: section "Verification Command" is missing a fenced code block`,
      );
      expectError(result, 'Verification Command', lineOf(text, 'Run npm test.'), /has text outside its code block/);
    });

    it('a [MODIFY] entry without **Change:**: reported at the entry heading', () => {
      const text = VALID.replace('**Change:** Wrap the fetch call in `withRetry`.\n', '');
      expectError(parseCodeSpec(text), 'Files to Modify', lineOf(text, '### [MODIFY]'), /\[MODIFY\] `src\/http\/client\.ts` without \*\*Change:\*\*/);
    });

    it('an unknown action [RENAME]: reported at its heading', () => {
      const text = VALID.replace('### [NEW] `src/http/retry.ts`', '### [RENAME] `src/http/retry.ts`');
      const result = parseCodeSpec(text);
      expectError(result, 'Files to Modify', lineOf(text, '### [RENAME]'), /unknown action "\[RENAME\]" \(expected \[MODIFY\], \[NEW\] or \[DELETE\]\)/);
      if (!result.ok) assert.equal(result.errors.length, 1, 'the bad entry is reported once, not again by the schema');
    });

    it('a bad priority P7: reported on its line by the schema', () => {
      const text = VALID.replace('**Priority:** P1', '**Priority:** P7');
      const result = parseCodeSpec(text);
      expectError(result, 'Header', lineOf(text, '**Priority:**'), /invalid \*\*Priority:\*\* "P7": must be P0, P1 or P2/);
    });

    it('reports every problem at once, in line order', () => {
      const text = VALID.replace('**Priority:** P1', '**Priority:** P7').replace('```bash\nnpm test\n```', '');
      const result = parseCodeSpec(text);
      if (result.ok) assert.fail('expected errors');
      assert.deepEqual(
        result.errors.map((e) => [e.section, e.line]),
        [
          ['Header', lineOf(text, '**Priority:**')],
          ['Verification Command', lineOf(text, '## Verification Command')],
        ],
      );
    });

    it('a missing header field, a duplicate and an unknown label', () => {
      const text = VALID.replace('**Architect:** Claude Opus 4.6 (Thinking)\n', '**Status:** draft\n').replace('**Created:**', '**Spec ID:** CS-9\n**Created:**');
      const result = parseCodeSpec(text);
      expectError(result, 'Header', lineOf(text, '**Status:**'), /unexpected content "\*\*Status:\*\* draft" \(expected \*\*Spec ID:\*\*, \*\*Architect:\*\*/);
      expectError(result, 'Header', lineOf(text, '**Spec ID:** CS-9'), /has \*\*Spec ID:\*\* twice \(first on line 3\)/);
      expectError(result, 'Header', lineOf(text, '**Priority:**'), /is missing \*\*Architect:\*\*/);
    });

    it('a Signature label without a code block, a NEW without Contents, a test list that is prose', () => {
      const text = VALID.replace('**Change:** Wrap', '**Signature:**\n**Change:** Wrap')
        .replace('**Contents:**\n\n- `export function withRetry`\n', '')
        .replace('- [ ] `retries_get_on_econnreset` — a GET that fails once succeeds on the second try', 'We should test retries.');
      const result = parseCodeSpec(text);
      expectError(result, 'Files to Modify', lineOf(text, '**Signature:**'), /\*\*Signature:\*\* in \[MODIFY\] `src\/http\/client\.ts` without a fenced code block/);
      expectError(result, 'Files to Modify', lineOf(text, '### [NEW]'), /\[NEW\] `src\/http\/retry\.ts` without \*\*Contents:\*\*/);
      expectError(result, 'Test Expectations', lineOf(text, 'We should test retries.'), /expects a checklist/);
    });

    it('a duplicate section, a wrong title and an empty Objective', () => {
      const text = `${VALID.replace('# Code Spec — ', '# Spec: ').replace(/## Objective\n\n.*\n/, '## Objective\n')}\n## Objective\n\nAgain.\n`;
      const result = parseCodeSpec(text);
      expectError(result, 'Title', 1, /must read "# Code Spec — <title>" \(found "# Spec: Add retry/);
      expectError(result, 'Objective', lineOf(text, 'Again.') - 2, /appears twice \(first on line 8\)/);
      expectError(result, 'Objective', 8, /^must not be empty$/);
    });

    it('a missing title is one error; the header under it is still read', () => {
      const text = VALID.replace('# Code Spec — Add retry to the HTTP client\n\n', '');
      const result = parseCodeSpec(text);
      expectError(result, 'Title', 1, /is missing: the first line should be "# Code Spec — <title>"/);
      if (!result.ok) assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    });

    it('formats errors one per line, in line order', () => {
      assert.equal(
        formatArtifactErrors('code_spec.md', [
          { section: 'Verification Command', line: 14, message: 'is missing a fenced code block' },
          { section: 'Header', line: 6, message: 'has an invalid **Priority:** "P7": must be P0, P1 or P2' },
        ]),
        'code_spec.md:6: section "Header" has an invalid **Priority:** "P7": must be P0, P1 or P2\n' +
          'code_spec.md:14: section "Verification Command" is missing a fenced code block',
      );
    });

    it('input that is not a spec at all gives one clear error and never throws', () => {
      const inputs = ['', '   \n\n', '{"title": "x", "files": []}', 'Just some prose about a change.\n\nAnd more.', '\u0000\u0001\u0002\uFFFD\uD800 garbage ### ``` ~~~ |', '# Code Report — CS-001\n\n## Summary\n\nDone.\n'];
      for (const input of inputs) {
        const result = parseCodeSpec(input);
        if (result.ok) assert.fail(`parsed ${JSON.stringify(input)}`);
        assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
        assert.equal(result.errors[0]?.section, 'Title');
        assert.match(result.errors[0]?.message ?? '', /does not look like a Code Spec/);
      }
      // Not even a string, as from untyped JSON.
      assert.equal(parseCodeSpec(undefined as unknown as string).ok, false);
    });
  });
});
