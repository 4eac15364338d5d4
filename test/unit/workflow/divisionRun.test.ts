// Division of labour through a real engine: the Architect's three specs (two on separate files,
// one on a file of the first), two scripted Coders each in a real isolated copy (the extension's
// NodeIsolatedCopies over a temporary folder), real `node --test` verifications, the merge back
// into the workspace, a conflict, a reload mid-wave and a cancel.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCodeReport } from '../../../src/core/artifacts/codeReport.js';
import { renderCodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import type { VerificationRequest, VerificationRunner } from '../../../src/core/ports.js';
import type { RunEngine } from '../../../src/core/workflow/runEngine.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import { parseRunRecord } from '../../../src/core/workflow/runRecord.js';
import { NodeIsolatedCopies } from '../../../src/node/isolatedCopies.js';
import { gitIn } from '../../support/sampleRepository.js';
import { waitUntil, within } from '../../support/waitUntil.js';
import { answeringIdentity, createEngine, demoClient, demoRoles, processVerifier, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
const copyBases: string[] = [];
after(async () => {
  await cleanup();
  await Promise.all(copyBases.map((base) => fs.rm(base, { recursive: true, force: true })));
});

type Call = { name: string; input: Record<string, unknown> };
const write = (file: string, content: string): Call => ({ name: 'write_file', input: { path: file, content } });
const verify: Call = { name: 'run_verification', input: {} };

const coder = (modelId: string, displayName: string): RoleSnapshot => ({ provider: 'scripted-labs', modelId, displayName, thinking: 'none', isDemo: false });
const alpha = coder('alpha-coder', 'Alpha Coder');
const beta = coder('beta-coder', 'Beta Coder');

const firstText = (request: ModelRequest): string => (request.messages[0]?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
const specIdOf = (request: ModelRequest): string => /Spec ID:\*\* (\S+)/.exec(firstText(request))?.[1] ?? '?';

const alphaSource = "'use strict';\nmodule.exports = { alpha: () => 'a' };\n";
const alphaTwice = "'use strict';\nmodule.exports = { alpha: () => 'a', alphaTwice: () => 'aa' };\n";
const betaSource = "'use strict';\nmodule.exports = { beta: () => 'b' };\n";
const alphaTest = "'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert');\nconst m = require('../src/alpha.js');\ntest('alpha', () => assert.equal(m.alpha(), 'a'));\n";
const betaTest = "'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert');\nconst { beta } = require('../src/beta.js');\ntest('beta', () => assert.equal(beta(), 'b'));\n";

function spec(id: string, title: string, files: { action: 'NEW' | 'MODIFY'; path: string }[], command: string, total?: number): string {
  return renderCodeSpec({
    title,
    specId: id,
    architect: 'scripted',
    created: '2026-11-28T00:00:00Z',
    priority: 'P2',
    ...(total ? { batch: { total } } : {}),
    objective: title,
    files: files.map((file) => (file.action === 'NEW' ? { action: 'NEW', path: file.path, purpose: 'as the spec says', contents: ['as the spec says'] } : { action: 'MODIFY', path: file.path, change: 'as the spec says', constraints: [] })),
    tests: [{ name: 'it works', description: 'its test passes', checked: false }],
    guardrails: ['touch nothing else'],
    verification: { language: 'bash', command },
    context: '',
  });
}

/** Three specs: 01 and 02 on separate files (one wave), 03 on 01's file (the next wave). */
const threeSpecs = [
  spec('CS-A', 'Add alpha', [{ action: 'NEW', path: 'src/alpha.js' }, { action: 'NEW', path: 'test/alpha.test.js' }], 'node --test test/alpha.test.js', 3),
  spec('CS-B', 'Add beta', [{ action: 'NEW', path: 'src/beta.js' }, { action: 'NEW', path: 'test/beta.test.js' }], 'node --test test/beta.test.js'),
  spec('CS-C', 'Alpha twice', [{ action: 'MODIFY', path: 'src/alpha.js' }], 'node --test test/alpha.test.js'),
].join('\n---\n\n');

/** A Coder playing, per spec it is given, `turns` in order, then submitting its report. */
type Script = (request: ModelRequest, signal: AbortSignal | undefined) => Promise<Call[] | undefined>;
function scripted(role: RoleSnapshot, scripts: Record<string, Script>, asked: string[]): ModelClient {
  return {
    info: { provider: role.provider, modelId: role.modelId, displayName: role.displayName, isDemo: false },
    async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelEvent> {
      const id = specIdOf(request);
      if (request.messages.length === 1) asked.push(`${id} by ${role.displayName}`);
      const calls = (await scripts[id]?.(request, signal)) ?? [{ name: 'submit_report', input: { summary: `${id} done by ${role.displayName}.`, blockers: [], deviations: [] } }];
      let n = 0;
      for (const call of calls) yield { type: 'tool-call', id: `${role.modelId}-${request.messages.length}-${(n += 1)}`, name: call.name, input: call.input };
      yield { type: 'usage', usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 } };
      yield { type: 'done', stopReason: 'tool-use' };
    },
  };
}

const turn = (request: ModelRequest): number => request.messages.filter((message) => message.role === 'assistant').length;
/** Plays `turns[n]` on the Coder's n-th answer. */
const plays = (...turns: Call[][]): Script => async (request) => turns[turn(request)];
/** Never answers until the call is aborted (a Coder still at work when the window reloads or the user cancels). */
const hangs: Script = (_request, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true }));

interface Setup {
  engine: RunEngine;
  root: string;
  copies: NodeIsolatedCopies;
  runId: string;
  verifications: VerificationRequest[];
  asked: string[];
  storeFile: (file: string) => string;
  /** What the Architect was asked for the spec. */
  specRequests: string[];
}

async function division(scripts: Record<string, Script>, answer = threeSpecs, root?: string, inGit = false): Promise<Setup> {
  const workspaceRoot = root ?? (await workspace());
  if (inGit) {
    gitIn(workspaceRoot, 'init', '-q');
    gitIn(workspaceRoot, 'add', '-A');
    gitIn(workspaceRoot, 'commit', '-q', '-m', 'the sample');
  }
  const specRequests: string[] = [];
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-division-copies-'));
  copyBases.push(base);
  const copies = new NodeIsolatedCopies(workspaceRoot, base);
  const verifications: VerificationRequest[] = [];
  const verifier: VerificationRunner = { run: (request) => (verifications.push(request), processVerifier.run(request)) };
  const asked: string[] = [];
  const architect: ModelClient = {
    info: demoClient(demoRoles.architect).info,
    async *stream(request, signal) {
      if (request.purpose !== 'spec') return yield* demoClient(demoRoles.architect).stream(request, signal);
      specRequests.push(firstText(request));
      yield { type: 'text', text: answer };
      yield { type: 'done', stopReason: 'end' };
    },
  };
  const clients: Record<string, ModelClient> = { 'alpha-coder': scripted(alpha, scripts, asked), 'beta-coder': scripted(beta, scripts, asked) };
  const { engine, store } = createEngine({ workspaceRoot, copies, verifier, clientFor: (role) => (role.modelId === 'demo-architect' ? architect : answeringIdentity(clients[role.modelId] ?? demoClient(role))) });
  const run = await engine.start({ request: 'alpha, beta, and alpha twice', roles: demoRoles, mode: { mode: 'division', coders: [alpha, beta] } });
  await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
  return { engine, root: workspaceRoot, copies, runId: run.runId, verifications, asked, storeFile: (file) => store.artifactPath(run.runId, file), specRequests };
}

/** Resolves `name` once called; `wait(name)` waits for it, failing with who never came. */
function meetings(): { arrive: (name: string) => void; wait: (name: string, who: string) => Promise<void> } {
  const arrived = new Map<string, () => void>();
  const promises = new Map<string, Promise<void>>();
  const promiseOf = (name: string): Promise<void> => {
    let promise = promises.get(name);
    if (!promise) {
      promise = new Promise((resolve) => arrived.set(name, resolve));
      promises.set(name, promise);
    }
    return promise;
  };
  return {
    arrive: (name) => {
      void promiseOf(name);
      arrived.get(name)?.();
    },
    wait: (name, who) => within(promiseOf(name), `${who} waited for ${name}'s Coder, which never started while it was at work: the wave did not run side by side`, 20_000),
  };
}

const exists = (file: string): Promise<boolean> => fs.access(file).then(() => true, () => false);

describe('division of labour: specs on separate files side by side in copies, merged into the workspace', () => {
  for (const inGit of [false, true]) {
    it(`in ${inGit ? 'a git repository (worktrees)' : 'a plain folder (copies)'}: runs the disjoint specs at once, the overlapping one after, merges, verifies the whole once per command, and reports who did what in which wave`, async () => {
      const meet = meetings();
      const setup = await division({
        // Each of the first wave's Coders waits at its first answer until the other has begun: sequential work would never get past it.
        'CS-A': async (request) => {
          if (turn(request) === 0) {
            meet.arrive('CS-A');
            await meet.wait('CS-B', 'CS-A');
          }
          return [[write('src/alpha.js', alphaSource), write('test/alpha.test.js', alphaTest)], [verify]][turn(request)];
        },
        'CS-B': async (request) => {
          if (turn(request) === 0) {
            meet.arrive('CS-B');
            await meet.wait('CS-A', 'CS-B');
          }
          return [[write('src/beta.js', betaSource), write('test/beta.test.js', betaTest)], [verify]][turn(request)];
        },
        'CS-C': plays([write('src/alpha.js', alphaTwice)]),
      }, threeSpecs, undefined, inGit);
      const { engine, runId, root, copies } = setup;
      assert.match(setup.specRequests[0] ?? '', /## Division of labour[\s\S]*disjoint files where possible/, 'the Architect is asked for specs it can share out');
      assert.doesNotMatch(setup.specRequests[0] ?? '', /\*\*Complexity:\*\*/, 'only a swarm asks for Complexity');
      const indexBefore = await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8');
      await engine.confirmModel(runId);
      await waitForPhase(engine, runId, 'hard-stop-to-architect', 60_000);

      assert.equal(await fs.readFile(path.join(root, 'src', 'alpha.js'), 'utf8'), alphaTwice, 'wave 2 built on wave 1\'s merged file');
      assert.equal(await fs.readFile(path.join(root, 'src', 'beta.js'), 'utf8'), betaSource);
      assert.equal(await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8'), indexBefore);
      assert.deepEqual(await copies.existing(runId), [], 'every copy is removed');
      assert.deepEqual(setup.asked.slice(0, 2).sort(), ['CS-A by Alpha Coder', 'CS-B by Beta Coder']);
      assert.equal(setup.asked[2], 'CS-C by Alpha Coder');

      // The whole is verified once per distinct command, in the workspace (each spec's own runs were in its copy).
      const inWorkspace = setup.verifications.filter((request) => request.cwd === root).map((request) => request.command);
      assert.deepEqual(inWorkspace, ['node --test test/alpha.test.js', 'node --test test/beta.test.js']);
      assert.ok(setup.verifications.filter((request) => request.cwd !== root).length >= 3, 'each spec verified in its own copy');

      const report = parseCodeReport(await fs.readFile(setup.storeFile('code_report.md'), 'utf8'));
      assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
      assert.equal(report.value.testResult.status, 'PASS');
      assert.match(report.value.summary, /Division of labour: 3 specs in 2 waves, by 2 models \(Alpha Coder, Beta Coder\)\./);
      assert.match(report.value.summary, /### Spec 01 — CS-A[\s\S]*\*\*Coder:\*\* Alpha Coder\n\*\*Wave:\*\* 1 of 2/);
      assert.match(report.value.summary, /### Spec 02 — CS-B[\s\S]*\*\*Coder:\*\* Beta Coder\n\*\*Wave:\*\* 1 of 2/);
      assert.match(report.value.summary, /### Spec 03 — CS-C[\s\S]*\*\*Coder:\*\* Alpha Coder\n\*\*Wave:\*\* 2 of 2/);
      assert.deepEqual(report.value.filesChanged.map((file) => file.path), ['src/alpha.js', 'src/beta.js', 'test/alpha.test.js', 'test/beta.test.js']);

      // Revert knows every merged file: the pass's originals were kept before each wave was written.
      const pass = await engine.coderPass(runId);
      assert.deepEqual([...(pass?.originals.keys() ?? [])].sort(), ['src/alpha.js', 'src/beta.js', 'test/alpha.test.js', 'test/beta.test.js']);
      // Each Coder call is recorded with its spec's copy.
      const seats = engine.get(runId)?.calls.filter((call) => call.phase === 'coder-implement').map((call) => call.seat);
      assert.deepEqual([...new Set(seats)].sort(), ['spec-01', 'spec-02', 'spec-03']);
      if (inGit) {
        assert.equal(gitIn(root, 'branch', '--list', 'dual-model/*'), '', 'no temporary branch is left');
        assert.equal(gitIn(root, 'worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).length, 1, 'no worktree is left');
      }
      await engine.dispose();
    });
  }

  it('a conflict between two copies of a wave writes nothing, removes the copies, and fails the run naming the file and both sides', async () => {
    const answer = [
      spec('CS-A', 'Touch index', [{ action: 'MODIFY', path: 'src/index.js' }], 'node --test', 2),
      spec('CS-B', 'Add beta', [{ action: 'NEW', path: 'src/beta.js' }], 'node --test'),
    ].join('\n---\n\n');
    const root = await workspace();
    const index = await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8');
    const setup = await division({
      'CS-A': plays([write('src/index.js', `// by A\n${index.split('\n').slice(1).join('\n')}`)]),
      // B writes a file its spec does not name, on the same line as A: the merge catches it.
      'CS-B': plays([write('src/beta.js', betaSource), write('src/index.js', `// by B\n${index.split('\n').slice(1).join('\n')}`)]),
    }, answer, root);
    const { engine, runId, copies } = setup;
    await engine.confirmModel(runId);
    await waitForPhase(engine, runId, 'failed', 60_000);
    const state = engine.get(runId)?.state;
    assert.ok(state?.phase === 'failed');
    assert.match(state.error, /cannot be merged, so nothing was written: 1 conflicting file\(s\): src\/index\.js \(spec-01 and spec-02 both change line 1\)/);
    assert.match(state.error, /division_conflict_wave_1\.md/);
    assert.equal(await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8'), index, 'the workspace is as it was');
    assert.equal(await exists(path.join(root, 'src', 'beta.js')), false, 'not even the disjoint file is written');
    const shown = await fs.readFile(setup.storeFile('division_conflict_wave_1.md'), 'utf8');
    assert.match(shown, /### spec-01 \(CS-A\)\n\n~~~~\n\/\/ by A\n/);
    assert.match(shown, /### spec-02 \(CS-B\)\n\n~~~~\n\/\/ by B\n/);
    assert.match(shown, /### Base \(when the wave began\)\n\n~~~~\n'use strict';\n/);
    assert.deepEqual(await copies.existing(runId), []);
    await engine.dispose();
  });

  it('a file the user changed in the workspace while the wave ran is never overwritten: the merge is refused, naming it', async () => {
    const answer = [
      spec('CS-A', 'Touch index', [{ action: 'MODIFY', path: 'src/index.js' }], 'node --test', 2),
      spec('CS-B', 'Add beta', [{ action: 'NEW', path: 'src/beta.js' }], 'node --test'),
    ].join('\n---\n\n');
    const root = await workspace();
    const userEdit = "'use strict';\n// the user's own edit, made while the Coders worked\n";
    const setup = await division({
      'CS-A': async (request) => {
        // The user saves the file in the editor while the Coder of the wave works on it in its copy.
        if (turn(request) === 0) await fs.writeFile(path.join(root, 'src', 'index.js'), userEdit);
        return [[write('src/index.js', '// by A\n')]][turn(request)];
      },
      'CS-B': plays([write('src/beta.js', betaSource)]),
    }, answer, root);
    const { engine, runId, copies } = setup;
    await engine.confirmModel(runId);
    await waitForPhase(engine, runId, 'failed', 60_000);
    const state = engine.get(runId)?.state;
    assert.ok(state?.phase === 'failed');
    assert.match(state.error, /nothing was written: changed in the workspace since the wave began: src\/index\.js/);
    assert.equal(await fs.readFile(path.join(root, 'src', 'index.js'), 'utf8'), userEdit, 'the user\'s edit stands');
    assert.equal(await exists(path.join(root, 'src', 'beta.js')), false);
    assert.deepEqual(await copies.existing(runId), []);
    await engine.dispose();
  });

  it('a reload mid-wave keeps the merged wave, removes the unfinished wave\'s copies and redoes only that wave', async () => {
    const first = await division({
      'CS-A': plays([write('src/alpha.js', alphaSource), write('test/alpha.test.js', alphaTest)]),
      'CS-B': plays([write('src/beta.js', betaSource), write('test/beta.test.js', betaTest)]),
      'CS-C': hangs,
    });
    const { runId, root } = first;
    await first.engine.confirmModel(runId);
    await waitUntil(() => first.asked.includes('CS-C by Alpha Coder'), () => `spec 03 never began; asked: ${first.asked.join(', ')}`, 60_000);
    const saved = parseRunRecord(runId, await fs.readFile(first.storeFile('run.json'), 'utf8'));
    assert.ok(saved.ok, saved.ok ? '' : saved.error);
    assert.ok(saved.record.state.phase === 'coder-implement');
    assert.equal(saved.record.state.division?.wave, 1, 'run.json says wave 1 is merged');
    assert.deepEqual(saved.record.state.division.done.map((outcome) => [outcome.specId, outcome.coder, outcome.wave]), [['CS-A', 'Alpha Coder', 0], ['CS-B', 'Beta Coder', 0]]);
    assert.equal((await first.copies.existing(runId)).map((copy) => copy.label).join(), 'spec-03');
    // A window that closes removes its wave's copies; one that crashed leaves them: made here as a crash would leave it.
    const working = (await first.copies.existing(runId))[0]?.root ?? '';
    await first.engine.dispose();
    await waitUntil(async () => !(await exists(path.dirname(working))), 'the closing window never removed its copy', 20_000);
    await waitUntil(async () => (await first.copies.existing(runId)).length === 0, 'the closing window never removed its copy', 20_000);
    const stray = await first.copies.create(runId, 'spec-03');
    await fs.writeFile(path.join(stray.root, 'src', 'alpha.js'), 'half-done work of the crashed window\n');

    const second = await resumed(root, runId, first.copies, { 'CS-C': plays([write('src/alpha.js', alphaTwice)]) });
    await waitForPhase(second.engine, runId, 'hard-stop-to-architect', 60_000);
    assert.deepEqual(second.asked, ['CS-C by Alpha Coder'], 'only the unfinished wave is redone');
    assert.equal(await fs.readFile(path.join(root, 'src', 'alpha.js'), 'utf8'), alphaTwice);
    assert.deepEqual(await first.copies.existing(runId), []);
    const report = parseCodeReport(await fs.readFile(first.storeFile('code_report.md'), 'utf8'));
    assert.ok(report.ok);
    assert.match(report.value.summary, /3 specs in 2 waves/);
    await second.engine.dispose();
  });

  it('cancel stops every Coder at work and removes their copies; the workspace is untouched', async () => {
    const setup = await division({ 'CS-A': hangs, 'CS-B': hangs });
    const { engine, runId, root, copies } = setup;
    await engine.confirmModel(runId);
    await waitUntil(() => setup.asked.length === 2, () => `both Coders never began; asked: ${setup.asked.join(', ')}`, 60_000);
    assert.equal((await copies.existing(runId)).length, 2, 'both copies exist while their Coders work');
    // The panel shows both at work at once, each with its own Coder, and the third waiting for its wave.
    let seen: unknown;
    const rows = await waitUntil(
      async () => {
        const specs = (await engine.snapshot(runId))?.view.batch?.specs;
        seen = specs;
        return specs?.[0]?.status === 'running' && specs[1]?.status === 'running' && specs[2]?.status === 'pending' ? specs : undefined;
      },
      () => `the panel never showed both specs at work: ${JSON.stringify(seen)}`,
      20_000,
    );
    assert.match(rows[0]?.doing ?? '', /^Alpha Coder\b/, JSON.stringify(rows));
    assert.match(rows[1]?.doing ?? '', /^Beta Coder\b/, JSON.stringify(rows));
    await engine.cancel(runId);
    await waitUntil(async () => (await copies.existing(runId)).length === 0, 'the copies were never removed after the cancel', 20_000);
    assert.equal(engine.get(runId)?.state.phase, 'cancelled');
    assert.equal(await exists(path.join(root, 'src', 'alpha.js')), false);
    await engine.dispose();
  });
});

/** A second window on the same workspace and copies' folder, resuming the run. */
async function resumed(root: string, runId: string, copies: NodeIsolatedCopies, scripts: Record<string, Script>): Promise<{ engine: RunEngine; asked: string[] }> {
  const asked: string[] = [];
  const clients: Record<string, ModelClient> = { 'alpha-coder': scripted(alpha, scripts, asked), 'beta-coder': scripted(beta, scripts, asked) };
  const { engine } = createEngine({ workspaceRoot: root, copies, clientFor: (role) => clients[role.modelId] ?? demoClient(role) });
  await engine.resumeAll();
  assert.ok(engine.get(runId), 'the second window knows the run');
  return { engine, asked };
}
