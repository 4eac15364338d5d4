import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunLock } from '../../../src/core/workflow/runLock.js';
import type { RunRecord } from '../../../src/core/workflow/runRecord.js';
import { RUN_SCHEMA_VERSION } from '../../../src/core/workflow/runRecord.js';
import { createRunId, RunConflictError, RunStore } from '../../../src/core/workflow/runStore.js';
import { NodeArtifactStore } from '../../../src/node/nodeArtifactStore.js';
import { runRecordIn } from '../../support/runRecords.js';

const role = { provider: 'demo', modelId: 'demo-architect', displayName: 'Demo', thinking: 'none' as const, isDemo: true };
const record = (runId: string): RunRecord =>
  runRecordIn(
    { phase: 'hard-stop-to-coder', specVersion: 1 },
    { schemaVersion: RUN_SCHEMA_VERSION, runId, revision: 0, roles: { architect: role, coder: { ...role, modelId: 'demo-coder' } }, specs: [{ version: 1, createdAt: '2026-11-25T01:00:00.000Z', specId: 'CS-1' }] },
  );

describe('run store', () => {
  let root: string;
  let store: RunStore;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-store-'));
    store = new RunStore(new NodeArtifactStore(), root);
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('saves run.json atomically and loads it back with a new revision', async () => {
    const saved = await store.save(record('r1'), new Date('2026-11-25T02:00:00Z'));
    assert.equal(saved.revision, 1);
    const loaded = await store.load('r1');
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.record, saved);
    const leftovers = (await fs.readdir(store.runDir('r1'))).filter((name) => name.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
  });

  it('refuses to overwrite a revision another window saved', async () => {
    const first = await store.save(record('r1'), new Date());
    await store.save(first, new Date());
    await assert.rejects(store.save(first, new Date()), RunConflictError);
  });

  it('keeps a corrupt or future run.json for inspection and still lists the others', async () => {
    await store.save(record('good'), new Date());
    await fs.mkdir(store.runDir('corrupt'), { recursive: true });
    await fs.writeFile(store.artifactPath('corrupt', 'run.json'), '{"schemaVersion": 1, "runId": "corr');
    await fs.mkdir(store.runDir('future'), { recursive: true });
    await fs.writeFile(store.artifactPath('future', 'run.json'), JSON.stringify({ ...record('future'), schemaVersion: 9 }));
    await fs.mkdir(store.runDir('damaged'), { recursive: true });
    await fs.writeFile(store.artifactPath('damaged', 'run.json'), JSON.stringify({ ...record('damaged'), state: { phase: 'teleport' } }));
    const runs = await store.list();
    assert.equal(runs.length, 4);
    const byId = new Map(runs.map((run) => [run.ok ? run.record.runId : run.runId, run]));
    assert.ok(byId.get('good')?.ok);
    const corrupt = byId.get('corrupt');
    assert.ok(corrupt && !corrupt.ok && /not valid JSON.*left as it is/.test(corrupt.error));
    const future = byId.get('future');
    assert.ok(future && !future.ok && /schema version 9.*Update the extension/.test(future.error), future && !future.ok ? future.error : '');
    const damaged = byId.get('damaged');
    assert.ok(damaged && !damaged.ok && /damaged at "state.phase"/.test(damaged.error), damaged && !damaged.ok ? damaged.error : '');
    // Nothing was rewritten.
    assert.equal(await fs.readFile(store.artifactPath('corrupt', 'run.json'), 'utf8'), '{"schemaVersion": 1, "runId": "corr');
  });

  it('loads a run.json written before calls and timings were recorded', async () => {
    const { calls: _calls, timings: _timings, ...older } = record('old');
    const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 };
    await fs.mkdir(store.runDir('old'), { recursive: true });
    await fs.writeFile(store.artifactPath('old', 'run.json'), JSON.stringify({ ...older, usage: { 'architect-spec': usage } }));
    const loaded = await store.load('old');
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.error);
    assert.deepEqual(loaded.record.calls, []);
    assert.deepEqual(loaded.record.timings, []);
    assert.deepEqual(loaded.record.usage['architect-spec'], usage);
  });

  it('makes readable, sortable, unique run ids', () => {
    const id = createRunId('Add a slugify() helper — with tests!', new Date('2026-11-25T01:02:03Z'), 'abcdef');
    assert.equal(id, '20261125-010203-add-a-slugify-helper-with-tests-abcd');
    assert.equal(createRunId('???', new Date('2026-11-25T01:02:03Z'), '1234'), '20261125-010203-run-1234');
  });

  it('lets one window drive a run; a second waits until the first goes quiet', async () => {
    let now = new Date('2026-11-25T01:00:00Z');
    const clock = { now: () => now };
    const files = new NodeArtifactStore();
    const windowA = new RunLock(files, (id) => store.runDir(id), 'A', clock, 30_000);
    const windowB = new RunLock(files, (id) => store.runDir(id), 'B', clock, 30_000);
    assert.deepEqual(await windowA.acquire('r1'), { ok: true });
    const refused = await windowB.acquire('r1');
    assert.equal(refused.ok, false);
    assert.equal(await windowB.refresh('r1'), false);
    now = new Date(now.getTime() + 20_000);
    assert.ok(await windowA.refresh('r1'));
    now = new Date(now.getTime() + 20_000);
    assert.equal((await windowB.acquire('r1')).ok, false, 'refreshed 20 s ago: still held');
    now = new Date(now.getTime() + 31_000);
    assert.deepEqual(await windowB.acquire('r1'), { ok: true }, 'stale after 30 s: taken over');
    assert.equal(await windowA.refresh('r1'), false);
    await windowB.release('r1');
    assert.deepEqual(await windowA.acquire('r1'), { ok: true });
  });
});
