// The line that ends the verification's terminal: what became of the run, in the report's terms.
import { timeoutWords } from '../core/coder/reportFacts.js';
import type { VerificationResult, VerificationSandbox } from '../core/ports.js';

export function verificationSummary(result: VerificationResult): string {
  const how = result.sandbox === undefined ? '' : ` (${shortSandboxWords(result.sandbox)})`;
  if (result.timedOut) {
    return `[dual-model] ${timeoutWords(result)}; stopped after ${(result.durationMs / 1000).toFixed(1)} s${how}`;
  }
  if (result.notRun !== undefined) {
    return `[dual-model] not run: ${result.notRun}${how}`;
  }
  return `[dual-model] exit code ${result.exitCode ?? 'none'} in ${(result.durationMs / 1000).toFixed(1)} s${how}`;
}

function shortSandboxWords(sandbox: VerificationSandbox): string {
  if (sandbox === 'sandboxed' || sandbox === 'unsandboxed') {
    return sandbox === 'sandboxed' ? 'sandboxed' : 'not sandboxed';
  }
  return `not sandboxed: ${sandbox.replace(/^unavailable: /, '')}`;
}
