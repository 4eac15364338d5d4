import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import type { ModelClient, ModelEvent } from '../../../src/core/models/modelClient.js';
import { ModelError } from '../../../src/core/models/modelErrors.js';
import { withRetries } from '../../../src/core/models/retry.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import type { EngineUpdate } from '../../../src/core/workflow/runJournal.js';
import { createEngine, demoClient, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

/** The demo Architect, whose first spec answer is cut after half its text (the provider's stream dropped). */
function cutFirstSpec(role: RoleSnapshot): ModelClient {
  const demo = demoClient(role);
  let specCalls = 0;
  return {
    info: demo.info,
    async *stream(request, signal): AsyncIterable<ModelEvent> {
      if (request.purpose !== 'spec' || ++specCalls > 1) {
        yield* demo.stream(request, signal);
        return;
      }
      let text = '';
      for await (const event of demo.stream(request, signal)) if (event.type === 'text') text += event.text;
      yield { type: 'text', text: text.slice(0, Math.floor(text.length / 2)) };
      throw new ModelError('stream-cut', 'the stream ended before the answer was complete', { provider: 'demo' });
    },
  };
}

describe('an answer with no side effects cut mid-stream', () => {
  it("is asked again: the spec is the second answer alone, and the panel's stream starts over", async () => {
    const root = await workspace();
    const fast = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 };
    const { engine, store } = createEngine({
      workspaceRoot: root,
      clientFor: (role) => (role.modelId === demoRoles.architect.modelId ? withRetries(cutFirstSpec(role), fast) : demoClient(role)),
    });
    const updates: EngineUpdate[] = [];
    engine.onUpdate((update) => updates.push(update));
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const spec = await fs.readFile(store.artifactPath(run.runId, 'code_spec.md'), 'utf8');
    assert.equal(spec.match(/^# Code Spec/gm)?.length, 1, 'one spec, not the cut half followed by the whole');
    const streamed = updates.filter((update) => update.type === 'stream');
    const reset = streamed.findIndex((update) => update.type === 'stream' && update.reset === true);
    assert.ok(reset > 0, 'the cut half streamed, then a reset');
    assert.ok(streamed.slice(reset + 1).some((update) => update.type === 'stream' && update.text !== ''), 'then the whole answer');
    assert.equal(engine.get(run.runId)?.history.some((entry) => entry.event === 'fail'), false, 'the phase did not fail');
    await engine.dispose();
  });
});
