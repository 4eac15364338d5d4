// The Code Report's facts, computed from what really happened: which files changed and by how
// many lines, what the verification printed and how it exited. A model never supplies these.
import { diffLines } from 'diff';
import type { VerificationResult, VerificationSandbox } from '../ports.js';

export interface FileChange {
  path: string;
  action: 'Modified' | 'Created' | 'Deleted';
  added: number;
  removed: number;
}

/** Line counts between each file's content before the pass and now (undefined = absent). */
export function computeFileChanges(
  before: ReadonlyMap<string, string | undefined>,
  after: ReadonlyMap<string, string | undefined>,
): FileChange[] {
  const changes: FileChange[] = [];
  for (const [file, old] of [...before.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const now = after.get(file);
    if (old === now) continue;
    if (old === undefined && now !== undefined) {
      changes.push({ path: file, action: 'Created', added: countLines(now), removed: 0 });
    } else if (old !== undefined && now === undefined) {
      changes.push({ path: file, action: 'Deleted', added: 0, removed: countLines(old) });
    } else if (old !== undefined && now !== undefined) {
      let added = 0;
      let removed = 0;
      for (const part of diffLines(old, now)) {
        if (part.added) added += part.count;
        else if (part.removed) removed += part.count;
      }
      changes.push({ path: file, action: 'Modified', added, removed });
    }
  }
  return changes;
}

export function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export type TestStatus = { status: 'PASS' | 'FAIL'; details: string };
export type BuildStatus = { status: 'CLEAN' | 'WARNINGS' | 'ERRORS'; details: string };

/** PASS only when the command really ran and exited 0; says how it ran when it did. */
export function testStatus(result: VerificationResult | undefined, command: string): TestStatus {
  if (!result) return { status: 'FAIL', details: `the verification command \`${command}\` was never run` };
  const how = result.sandbox === undefined ? '' : `; ${sandboxWords(result.sandbox)}`;
  if (result.notRun) return { status: 'FAIL', details: `${result.notRun}${how}` };
  if (result.timedOut) return { status: 'FAIL', details: `${timeoutWords(result)} and was killed${how}` };
  if (result.exitCode === 0) return { status: 'PASS', details: `\`${command}\` exited with code 0${how}` };
  return { status: 'FAIL', details: `\`${command}\` exited with code ${String(result.exitCode)}${how}` };
}

/** How the verification ran, in the report's words. */
export function sandboxWords(sandbox: VerificationSandbox): string {
  if (sandbox === 'sandboxed') return 'sandboxed: no network, writes only to the workspace and a temporary folder';
  if (sandbox === 'unsandboxed') return 'not sandboxed (dualModel.verification.sandbox is "unsandboxed")';
  return `not sandboxed: ${sandbox.replace(/^unavailable: /, '')}`;
}

/** The limit it hit: the run's duration also counts stopping the process tree. */
export function timeoutWords(result: VerificationResult): string {
  const ms = result.timeLimitMs ?? result.durationMs;
  const seconds = ms / 1000;
  return `timed out at the ${Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1)} s limit`;
}

const warningLine = /\b(warn(ing)?s?)\b/i;
const errorLine = /\b(error|errors|failed|failing)\b/i;

/** CLEAN / WARNINGS / ERRORS from the verification's exit code and the lines it printed. */
export function buildStatus(result: VerificationResult | undefined): BuildStatus {
  if (!result || result.notRun || result.timedOut || result.exitCode !== 0) {
    const errors = result ? result.output.split('\n').filter((line) => errorLine.test(line)).length : 0;
    return { status: 'ERRORS', details: result?.notRun ?? (errors > 0 ? `${errors} line(s) report errors` : 'the verification did not succeed') };
  }
  const warnings = result.output.split('\n').filter((line) => warningLine.test(line) && !/\b0 warnings?\b/i.test(line)).length;
  return warnings > 0
    ? { status: 'WARNINGS', details: `${warnings} warning line(s) in the output` }
    : { status: 'CLEAN', details: 'no errors or warnings reported' };
}

/** Files the Coder changed that the spec did not list: always deviations, whatever the model says. */
export function unlistedChanges(changes: readonly FileChange[], listedPaths: readonly string[]): string[] {
  const listed = new Set(listedPaths.map((p) => p.replace(/\\/g, '/').replace(/^\.\//, '')));
  return changes
    .filter((change) => !listed.has(change.path))
    .map((change) => `\`${change.path}\` was ${change.action.toLowerCase()} although the spec did not list it.`);
}
