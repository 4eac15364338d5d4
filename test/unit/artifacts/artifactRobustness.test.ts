// Damaged artifacts: whatever the damage, parsing returns (never throws), errors point at real
// lines, and anything that does parse renders to text that parses to the same value.
import assert from 'node:assert/strict';
import { parseCodeReport, renderCodeReport } from '../../../src/core/artifacts/codeReport.js';
import { parseCodeSpec, renderCodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import type { ParseResult } from '../../../src/core/artifacts/parseResult.js';
import { baseReport, baseSpec } from './artifactFixtures.js';

const FRAGMENTS = ['\n', '**', '`', '```', '- ', '# ', '## ', '### ', '[', ']', '|', '> ', '—', '  ', '\t', '\r', '**Change:**', '**Result:**', '[x] ', '~~~', '<!--', 'None.', '1. ', '---\n', '===\n', '**Spec ID:**'];

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
}

function damage(text: string, next: (below: number) => number): string {
  let result = text;
  for (let i = 0, n = 1 + next(4); i < n; i++) {
    const at = next(result.length + 1);
    const kind = next(3);
    if (kind === 0) result = result.slice(0, at) + (FRAGMENTS[next(FRAGMENTS.length)] ?? '') + result.slice(at);
    else if (kind === 1) result = result.slice(0, at) + result.slice(at + 1 + next(20));
    else {
      const all = result.split('\n');
      all.splice(next(all.length), 1);
      result = all.join('\n');
    }
  }
  return result;
}

function check<T>(name: string, text: string, parse: (markdown: string) => ParseResult<T>, render: (value: T) => string): void {
  const next = random(name.length * 7919);
  let parsed = 0;
  for (let i = 0; i < 400; i++) {
    const damaged = damage(text, next);
    const result = parse(damaged);
    if (result.ok) {
      parsed++;
      assert.deepEqual(parse(render(result.value)), { ok: true, value: result.value }, `unstable after parsing:\n${damaged}`);
    } else {
      const lastLine = damaged.split(/\r\n|\r|\n/).length;
      for (const error of result.errors) {
        assert.ok(error.line >= 1 && error.line <= lastLine, `line ${error.line} outside 1..${lastLine}: ${JSON.stringify(error)}`);
        assert.ok(error.section !== '' && error.message !== '');
      }
    }
  }
  assert.ok(parsed > 0, 'some damage is harmless and should still parse');
}

describe('damaged artifacts', () => {
  it('Code Spec: never throws, errors point at real lines, what parses is stable', () => {
    const spec = renderCodeSpec({
      ...baseSpec(),
      batch: { total: 3 },
      files: [
        { action: 'MODIFY', path: 'src/a.ts', function: 'f', change: 'First.\n\n- one\n- two', signature: { language: 'ts', code: 'f(): void' }, constraints: ['c1'] },
        { action: 'NEW', path: 'n.ts', purpose: 'p', contents: ['c'] },
        { action: 'DELETE', path: 'd.ts', reason: 'r' },
      ],
    });
    check('spec', spec, parseCodeSpec, renderCodeSpec);
  });

  it('Code Report: never throws, errors point at real lines, what parses is stable', () => {
    const report = renderCodeReport({ ...baseReport(), blockers: ['a', 'b'], deviations: ['c'], testResult: { status: 'FAIL', details: 'x' } });
    check('report', report, parseCodeReport, renderCodeReport);
  });
});
