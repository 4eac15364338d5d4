import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createEngine, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
after(cleanup);

/** A run whose first Coder pass is done: versions/v1/originals.json exists and feeds diff and revert. */
async function runAfterCoderPass() {
  const root = await workspace();
  const harness = createEngine({ workspaceRoot: root });
  const run = await harness.engine.start({ request: 'Add a slugify helper', roles: demoRoles });
  await waitForPhase(harness.engine, run.runId, 'hard-stop-to-coder');
  await harness.engine.confirmModel(run.runId);
  await waitForPhase(harness.engine, run.runId, 'hard-stop-to-architect');
  return { ...harness, runId: run.runId, originalsPath: harness.store.artifactPath(run.runId, 'versions/v1/originals.json') };
}

describe('originals.json, read back before a diff or a revert', () => {
  it('reads a pass it wrote: each touched file and its content before (undefined: it did not exist)', async () => {
    const { engine, runId } = await runAfterCoderPass();
    const pass = await engine.coderPass(runId);
    assert.equal(pass?.specVersion, 1);
    assert.deepEqual([...(pass?.originals.keys() ?? [])].sort(), ['src/index.js', 'src/slugify.js', 'test/slugify.test.js']);
    assert.equal(pass?.originals.get('src/slugify.js'), undefined);
    assert.match(pass?.originals.get('src/index.js') ?? '', /module\.exports/);
    await engine.dispose();
  });

  const damaged: [string, string][] = [
    ['text that is not JSON', '{"src/index.js": "half a file'],
    ['a list instead of an object', '["src/index.js"]'],
    ['a content that is not text', '{"src/index.js": 42}'],
    ['a path that climbs out of the workspace', '{"../outside.txt": "x"}'],
    ['an absolute path', '{"/etc/hosts": "x"}'],
  ];
  for (const [what, text] of damaged) {
    it(`refuses ${what}, naming the file, and leaves it as it is`, async () => {
      const { engine, runId, originalsPath } = await runAfterCoderPass();
      await fs.writeFile(originalsPath, text);
      await assert.rejects(engine.coderPass(runId), (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /versions\/v1\/originals\.json/);
        assert.match(error.message, /damaged|not valid JSON/);
        return true;
      });
      assert.equal(await fs.readFile(originalsPath, 'utf8'), text, 'the damaged file is kept for inspection');
      await engine.dispose();
    });
  }
});
