// A Coder toolbox for tests about files: no verification to run (it fails the test if called),
// no guardrails, nothing remembered; a test overrides what it is about.
import type { CoderToolboxOptions } from '../../src/core/coder/coderTools.js';
import { CoderToolbox } from '../../src/core/coder/coderTools.js';
import type { WorkspaceFiles } from '../../src/core/ports.js';

export function filesOnlyToolbox(workspace: WorkspaceFiles, overrides: Partial<CoderToolboxOptions> = {}): CoderToolbox {
  return new CoderToolbox({
    workspace,
    verifier: { run: () => Promise.reject(new Error('this test runs no verification')) },
    guarded: [],
    approvedCommand: 'true',
    timeoutMs: 1000,
    maxVerificationRuns: 1,
    originals: new Map(),
    rememberOriginals: async () => undefined,
    signal: new AbortController().signal,
    ...overrides,
  });
}
