// Which host and which key (masked) served each call: recorded in run.json as the call ends, and
// shown per call, never the key's text.
import assert from 'node:assert/strict';
import type { ModelClient } from '../../../src/core/models/modelClient.js';
import { createEngine, demoClient, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);


/** The demo Architect, as if its requests went to a gateway with a key. */
function routedArchitect(): ModelClient {
  const demo = demoClient(demoRoles.architect);
  return {
    info: demo.info,
    async *stream(request, signal) {
      yield { type: 'route', host: 'gateway.example.test:8443', key: '••••3f9a' };
      for await (const event of demo.stream(request, signal)) if (event.type !== 'route') yield event;
    },
  };
}

describe('the route of each model call', () => {
  it('records the host and the masked key of the call, and the view shows them', async () => {
    const { engine } = createEngine({
      workspaceRoot: await workspace(),
      clientFor: (role) => (role.modelId === demoRoles.architect.modelId ? routedArchitect() : demoClient(role)),
    });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const snapshot = await engine.snapshot(run.runId);
    await engine.dispose();

    const specCall = snapshot?.record.calls.find((call) => call.purpose === 'spec');
    assert.equal(specCall?.host, 'gateway.example.test:8443');
    assert.equal(specCall?.key, '••••3f9a');
    assert.equal(snapshot?.view.usage?.calls?.find((call) => call.phase === 'architect-spec')?.route, 'gateway.example.test:8443 · key ••••3f9a');
  });

  it('the offline demo says so', async () => {
    const { engine } = createEngine({ workspaceRoot: await workspace() });
    const run = await engine.start({ request: 'Add a slugify helper', roles: demoRoles });
    await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
    const snapshot = await engine.snapshot(run.runId);
    await engine.dispose();
    assert.deepEqual(snapshot?.view.usage?.calls?.map((call) => call.route), ['offline demo']);
  });
});
