// How test output crosses from the extension host to the runner outside. The
// workbench forwards the extension host's console mixed with its own log, so the test output
// carries a prefix that tells it apart. Tests may also print their own machine-readable lines
// (`console.log('DUALMODEL-BENCH …')`): any line starting with `DUALMODEL-` reaches stdout too.
import { format } from 'node:util';

export const testOutputPrefix = '[dual-model-test] ';

export function isMachineReadable(line: string): boolean {
  return line.startsWith('DUALMODEL-');
}

export interface Totals {
  pass: string;
  passed: number;
  failed: number;
  pending: number;
}

export function formatTotals(totals: Totals): string {
  return `DUALMODEL-TESTS pass=${totals.pass} passed=${totals.passed} failed=${totals.failed} pending=${totals.pending}`;
}

export function parseTotals(line: string): Totals | undefined {
  const match = /DUALMODEL-TESTS pass=(\S+) passed=(\d+) failed=(\d+) pending=(\d+)/.exec(line);
  if (!match) {
    return undefined;
  }
  return { pass: match[1]!, passed: Number(match[2]), failed: Number(match[3]), pending: Number(match[4]) };
}

/**
 * Formats one console call of the workbench page. Its log service, which also carries the
 * extension host's console, calls `console.log('%c INFO', 'color: …', fmt, ...args)`: drop the
 * styled label and its CSS, then apply printf-style `%s`/`%d` to the rest as Node would.
 * (The label does not say whether a line came from the extension host or the workbench.)
 */
export function formatConsoleArgs(values: readonly unknown[]): { text: string; level: string | undefined } {
  const [first, second] = values;
  if (typeof first === 'string' && first.startsWith('%c') && typeof second === 'string') {
    return { text: format(...values.slice(2)), level: first.slice(2).trim() || undefined };
  }
  return { text: format(...values), level: undefined };
}
