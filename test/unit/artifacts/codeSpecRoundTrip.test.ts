import assert from 'node:assert/strict';
import { parseCodeSpec, renderCodeSpec, type CodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import { baseSpec, expectValue, lines } from './artifactFixtures.js';

function roundTrip(spec: CodeSpec): string {
  const markdown = renderCodeSpec(spec);
  assert.deepEqual(expectValue(parseCodeSpec(markdown)), spec, `re-parsed spec differs; markdown was:\n${markdown}`);
  // Rendering is stable: what was parsed renders to the same text.
  assert.equal(renderCodeSpec(expectValue(parseCodeSpec(markdown))), markdown);
  return markdown;
}

describe('Code Spec render → parse', () => {
  it('renders the seed layout exactly', () => {
    const spec: CodeSpec = {
      ...baseSpec(),
      files: [
        {
          action: 'MODIFY',
          path: 'src/lib.rs',
          function: 'parse',
          change: 'Return a `Result` instead of panicking.',
          signature: { language: 'rust', code: 'fn parse(input: &str) -> Result<Ast, ParseError>' },
          constraints: ['No new dependencies.'],
        },
        { action: 'NEW', path: 'src/error.rs', purpose: 'Defines `ParseError`.', contents: ['`pub enum ParseError`', '`impl Display for ParseError`'] },
        { action: 'DELETE', path: 'src/panic.rs', reason: 'Replaced by `ParseError`.' },
      ],
      tests: [
        { name: 'parse_rejects_empty', description: 'empty input is an error', checked: false },
        { name: 'parse_accepts_unit', description: '`()` parses', checked: true },
      ],
      verification: { language: 'bash', command: 'cargo test -p parser && cargo clippy -p parser' },
    };
    const expected = lines(
      '# Code Spec — Add retry to the HTTP client',
      '',
      '**Spec ID:** CS-001',
      '**Architect:** Claude Opus 4.6 (Thinking)',
      '**Created:** 2025-06-01T10:00:00Z',
      '**Priority:** P1',
      '',
      '## Objective',
      '',
      'Retry idempotent requests so transient network errors do not fail a sync.',
      '',
      '## Files to Modify',
      '',
      '### [MODIFY] `src/lib.rs`',
      '',
      '**Function:** `parse`',
      '**Change:** Return a `Result` instead of panicking.',
      '**Signature:**',
      '',
      '```rust',
      'fn parse(input: &str) -> Result<Ast, ParseError>',
      '```',
      '',
      '**Constraints:**',
      '',
      '- No new dependencies.',
      '',
      '### [NEW] `src/error.rs`',
      '',
      '**Purpose:** Defines `ParseError`.',
      '**Contents:**',
      '',
      '- `pub enum ParseError`',
      '- `impl Display for ParseError`',
      '',
      '### [DELETE] `src/panic.rs`',
      '',
      '**Reason:** Replaced by `ParseError`.',
      '',
      '## Test Expectations',
      '',
      '- [ ] `parse_rejects_empty` — empty input is an error',
      '- [x] `parse_accepts_unit` — `()` parses',
      '',
      '## Guardrails — Do NOT',
      '',
      '- Do not change the public `Client` interface.',
      '',
      '## Verification Command',
      '',
      '```bash',
      'cargo test -p parser && cargo clippy -p parser',
      '```',
      '',
      '## Context (Read-Only Reference)',
      '',
      'The client is used by `src/sync/*.ts`.',
    );
    assert.equal(roundTrip(spec), expected);
  });

  it('round-trips a single MODIFY with no optional fields', () => {
    const spec = baseSpec();
    spec.files = [{ action: 'MODIFY', path: 'README.md', change: 'Fix the typo in the install section.', constraints: [] }];
    const markdown = roundTrip(spec);
    assert.doesNotMatch(markdown, /\*\*Function:\*\*|\*\*Signature:\*\*|\*\*Constraints:\*\*/);
  });

  it('round-trips mixed NEW / MODIFY / DELETE entries with rust and TypeScript signatures', () => {
    roundTrip({
      ...baseSpec(),
      files: [
        { action: 'NEW', path: 'crates/pool/src/lib.rs', purpose: 'An async connection pool.', contents: ['`pub struct Pool`', '`impl Pool { pub async fn get(&self) -> Conn }`'] },
        {
          action: 'MODIFY',
          path: 'crates/pool/src/conn.rs',
          function: 'Conn::reset',
          change: 'Clear the prepared-statement cache.',
          signature: { language: 'rust', code: 'impl Conn {\n    pub async fn reset(&mut self) -> Result<(), PoolError>;\n}' },
          constraints: ['Must be cancel-safe.'],
        },
        {
          action: 'MODIFY',
          path: 'web/src/api.ts',
          function: 'fetchJson',
          change: 'Make the function generic over the response type.',
          signature: { language: 'ts', code: 'export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T>' },
          constraints: [],
        },
        { action: 'DELETE', path: 'crates/pool/src/legacy.rs', reason: 'Superseded by `Pool`.' },
        { action: 'DELETE', path: 'web/src/old api.ts', reason: 'Unused since v2.' },
      ],
    });
  });

  it('round-trips the Batch Mode header (two and three digit batches)', () => {
    const markdown = roundTrip({ ...baseSpec(), batch: { total: 5 } });
    assert.match(markdown, /> \*\*Batch Mode Active\.\*\* Implement specs 01 through 05 sequentially\.\n> File a single consolidated Code Report when all are complete\./);
    assert.match(roundTrip({ ...baseSpec(), batch: { total: 120 } }), /specs 001 through 120 sequentially/);
  });

  it('round-trips an empty context, no tests and no guardrails', () => {
    const markdown = roundTrip({ ...baseSpec(), context: '', tests: [], guardrails: [] });
    assert.ok(markdown.endsWith('## Context (Read-Only Reference)\n'));
  });

  it('round-trips unicode everywhere', () => {
    roundTrip({
      ...baseSpec(),
      title: 'Ünïcödé — 日本語のタイトル 🚀',
      architect: 'Modèle «Architecte»',
      objective: 'Prendre en charge les chemins accentués : `café/menü.ts` — et les émojis 🎉.',
      files: [{ action: 'NEW', path: 'docs/日本語/説明.md', purpose: 'Documentation en japonais.', contents: ['見出し — heading', 'Ω ≈ ç √ ∫'] }],
      tests: [{ name: 'gère_les_accents', description: 'ß → SS – ok — fine', checked: false }],
      guardrails: ['Ne pas toucher à `src/ρ.ts`.'],
      context: 'Привет, мир.',
    });
  });

  it('round-trips a verification command with && and pipes, over several lines', () => {
    roundTrip({
      ...baseSpec(),
      verification: { language: 'sh', command: 'npm ci && npm run build 2>&1 | tee build.log\nnpm test -- --grep "retry" | grep -v skipped || exit 1' },
    });
  });

  it('round-trips block-shaped values: multi-paragraph changes, code, nested lists and headings in context', () => {
    roundTrip({
      ...baseSpec(),
      files: [
        {
          action: 'MODIFY',
          path: 'src/a`b`.ts',
          function: 'weird`name',
          change: 'First paragraph.\n\nSecond paragraph with a list:\n\n- one\n- two\n\n```ts\nconst x = 1;\n```',
          signature: { language: '', code: 'const fence = "```";\n````\nstill inside' },
          constraints: ['A constraint\nover two lines.', 'Nested:\n\n- inner a\n- inner b'],
        },
        { action: 'MODIFY', path: 'src/b.ts', change: '```ts\n// the change is only code\n```', constraints: [] },
        { action: 'DELETE', path: 'src/c.ts', reason: '- starts like a bullet' },
      ],
      tests: [
        { name: 'no_description', description: '', checked: true },
        { name: 'multi_line', description: 'first line\nsecond line', checked: false },
      ],
      context: '### Types\n\n```ts\n## Objective (inside code, not a section)\ninterface A { b: string }\n```\n\n## Appendix\n\nAn unknown `##` heading stays in the context.',
    });
  });
});
