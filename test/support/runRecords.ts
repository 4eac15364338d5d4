// A run.json record in a given state, for tests that build views and transcripts from a record
// rather than from a whole run: nothing in it but what every record has, and what the test sets.
import type { RunRecord } from '../../src/core/workflow/runRecord.js';
import type { RoleSnapshot } from '../../src/core/workflow/roleSnapshot.js';
import type { RunState } from '../../src/core/workflow/runState.js';

/** The seed's table: Claude Opus 4.6 (Thinking) designs and reviews, Gemini 3.1 Pro (High) implements. */
export const seedRoles: { architect: RoleSnapshot; coder: RoleSnapshot } = {
  architect: { provider: 'anthropic', modelId: 'claude-opus-4-6', displayName: 'Claude Opus 4.6 (Thinking)', thinking: 'high', isDemo: false },
  coder: { provider: 'google', modelId: 'gemini-3.1-pro-preview', displayName: 'Gemini 3.1 Pro (High)', thinking: 'high', isDemo: false },
};

export function runRecordIn(state: RunState, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: 1,
    runId: 'r1',
    request: 'add slugify',
    createdAt: '2026-11-25T01:00:00.000Z',
    updatedAt: '2026-11-25T01:00:00.000Z',
    revision: 3,
    // Copies: a test that changes a role must not change the next test's.
    roles: { architect: { ...seedRoles.architect }, coder: { ...seedRoles.coder } },
    state,
    specs: [],
    reports: [],
    decisions: [],
    history: [],
    usage: {},
    timings: [],
    calls: [],
    ...fields,
  };
}
