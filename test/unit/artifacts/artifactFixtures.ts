// Shared fixtures for the artifact tests: a complete spec and report to vary, and helpers that
// find line numbers in fixture text so expectations do not hard-code them.
import assert from 'node:assert/strict';
import type { CodeReport } from '../../../src/core/artifacts/codeReport.js';
import type { CodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import type { ArtifactError, ParseResult } from '../../../src/core/artifacts/parseResult.js';

export function baseSpec(): CodeSpec {
  return {
    title: 'Add retry to the HTTP client',
    specId: 'CS-001',
    architect: 'Claude Opus 4.6 (Thinking)',
    created: '2025-06-01T10:00:00Z',
    priority: 'P1',
    objective: 'Retry idempotent requests so transient network errors do not fail a sync.',
    files: [
      {
        action: 'MODIFY',
        path: 'src/http/client.ts',
        function: 'send',
        change: 'Wrap the fetch call in `withRetry`.',
        constraints: ['Retry at most 3 times.', 'Never retry POST.'],
      },
    ],
    tests: [{ name: 'retries_get_on_econnreset', description: 'a GET that fails once succeeds on the second try', checked: false }],
    guardrails: ['Do not change the public `Client` interface.'],
    verification: { language: 'bash', command: 'npm test' },
    context: 'The client is used by `src/sync/*.ts`.',
  };
}

export function baseReport(): CodeReport {
  return {
    specId: 'CS-001',
    coder: 'Gemini 3 Pro (High)',
    completed: '2025-06-01T11:30:00Z',
    spec: '[code_spec.md](code_spec.md)',
    summary: 'Added `withRetry` and used it in `send`.',
    filesChanged: [
      { path: 'src/http/client.ts', action: 'Modified', added: 25, removed: 10 },
      { path: 'src/http/retry.ts', action: 'Created', added: 80, removed: 0 },
      { path: 'src/http/legacy.ts', action: 'Deleted', added: 0, removed: 12 },
    ],
    testOutput: '  ✔ retries_get_on_econnreset\n\n  1 passing (12ms)',
    testResult: { status: 'PASS', details: '' },
    buildOutput: 'tsc --noEmit: no errors',
    buildResult: { status: 'CLEAN', details: '' },
    blockers: [],
    deviations: [],
  };
}

/** Joins lines with LF; fixtures read better as arrays than as template literals with fences. */
export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

/** 1-based line of the first line containing `needle` (after `after`, when given). */
export function lineOf(text: string, needle: string, after?: string): number {
  const all = text.split(/\r?\n/);
  const start = after === undefined ? 0 : all.findIndex((l) => l.includes(after));
  const index = all.findIndex((l, i) => i >= start && l.includes(needle));
  assert.ok(index >= 0, `fixture has no line containing ${JSON.stringify(needle)}`);
  return index + 1;
}

export function expectValue<T>(result: ParseResult<T>): T {
  if (!result.ok) assert.fail(`expected a successful parse, got:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.value;
}

/** Asserts parsing failed with an error in `section` at `line` whose message matches `message`. */
export function expectError<T>(result: ParseResult<T>, section: string, line: number, message: RegExp): ArtifactError {
  if (result.ok) assert.fail('expected the parse to fail');
  const found = result.errors.find((e) => e.section === section && e.line === line && message.test(e.message));
  assert.ok(found, `no error in "${section}" at line ${line} matching ${message}; got:\n${JSON.stringify(result.errors, null, 2)}`);
  return found;
}
