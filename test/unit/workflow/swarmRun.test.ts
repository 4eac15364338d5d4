// A swarm through a real engine: the Architect's specs, each routed by its Complexity to the
// cheapest ready model of a small registry, scripted Coders told apart by model id, real
// isolated copies (NodeIsolatedCopies), real `node --test` verifications; a spec that fails on
// its tier redone one tier up in a fresh copy, the top tier failing, the report's routing and
// cost lines, a provider that is not ready, a reload mid-wave and a cancel.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCodeReport } from '../../../src/core/artifacts/codeReport.js';
import { renderCodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../src/core/models/modelClient.js';
import type { ModelEntry, ModelRegistry, ModelTier } from '../../../src/core/models/registry.js';
import { priceTable } from '../../../src/core/models/registry.js';
import { CapError } from '../../../src/core/models/spendCaps.js';
import type { RunEngine } from '../../../src/core/workflow/runEngine.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import { parseRunRecord } from '../../../src/core/workflow/runRecord.js';
import { NodeIsolatedCopies } from '../../../src/node/isolatedCopies.js';
import { waitUntil } from '../../support/waitUntil.js';
import { answeringIdentity, createEngine, demoClient, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

const { workspace, cleanup } = scratchWorkspaces();
const copyBases: string[] = [];
after(async () => {
  await cleanup();
  await Promise.all(copyBases.map((base) => fs.rm(base, { recursive: true, force: true })));
});

type Call = { name: string; input: Record<string, unknown> };
const write = (file: string, content: string): Call => ({ name: 'write_file', input: { path: file, content } });

const model = (provider: ModelEntry['provider'], id: string, tier: ModelTier, input: number, output: number): ModelEntry => ({
  provider,
  id,
  displayName: id,
  tier,
  price: { input, output, cacheRead: 0, cacheWrite: 0 },
  capabilities: { tools: true, thinking: false, json: true },
});
/** Cheapest first: a Google model cheaper than all, whose provider is never ready. */
const registry: ModelRegistry = {
  date: '2026-11-28',
  models: [
    model('google', 'unready-flash', 'expert', 0.01, 0.01),
    model('anthropic', 'cheap-coder', 'simple', 1, 5),
    model('anthropic', 'mid-coder', 'complex', 3, 15),
    model('anthropic', 'top-coder', 'expert', 15, 75),
  ],
  pricesById: {},
};
const roleOf = (id: string): RoleSnapshot => ({ provider: 'anthropic', modelId: id, displayName: id, thinking: 'none', isDemo: false });
const readyRoles = ['cheap-coder', 'mid-coder', 'top-coder'].map(roleOf);

const firstText = (request: ModelRequest): string => (request.messages[0]?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
const specIdOf = (request: ModelRequest): string => /Spec ID:\*\* (\S+)/.exec(firstText(request))?.[1] ?? '?';
const turn = (request: ModelRequest): number => request.messages.filter((message) => message.role === 'assistant').length;

const alphaSource = "'use strict';\nmodule.exports = { alpha: () => 'a' };\n";
const alphaWrong = "'use strict';\nmodule.exports = { alpha: () => 'wrong' };\n";
const betaSource = "'use strict';\nmodule.exports = { beta: () => 'b' };\n";
const testOf = (name: string, value: string): string => `'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert');\nconst m = require('../src/${name}.js');\ntest('${name}', () => assert.equal(m.${name}(), '${value}'));\n`;

function spec(id: string, name: string, complexity: ModelTier, total?: number, command = `node --test test/${name}.test.js`): string {
  return renderCodeSpec({
    title: `Add ${name}`,
    specId: id,
    architect: 'scripted',
    created: '2026-11-28T00:00:00Z',
    priority: 'P2',
    ...(total ? { batch: { total } } : {}),
    complexity,
    objective: `Add ${name}`,
    files: [{ action: 'NEW', path: `src/${name}.js`, purpose: 'as the spec says', contents: ['as the spec says'] }, { action: 'NEW', path: `test/${name}.test.js`, purpose: 'its test', contents: ['its test'] }],
    tests: [{ name: 'it works', description: 'its test passes', checked: false }],
    guardrails: ['touch nothing else'],
    verification: { language: 'bash', command },
    context: '',
  });
}

/** What a model does with a spec: the files it writes (undefined: hangs until aborted). */
type Play = Record<string, Call[] | 'hang'>;
function scripted(role: RoleSnapshot, plays: Play, asked: string[]): ModelClient {
  return {
    info: { provider: role.provider, modelId: role.modelId, displayName: role.displayName, isDemo: false },
    async *stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelEvent> {
      const id = specIdOf(request);
      if (request.messages.length === 1) asked.push(`${id} by ${role.modelId}`);
      const play = plays[`${id} ${role.modelId}`] ?? plays[id];
      if (play === 'hang') {
        await new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true }));
        return;
      }
      const calls = turn(request) === 0 && play ? play : [{ name: 'submit_report', input: { summary: `${id} done by ${role.modelId}.`, blockers: [], deviations: [] } }];
      let n = 0;
      for (const call of calls) yield { type: 'tool-call', id: `${role.modelId}-${request.messages.length}-${(n += 1)}`, name: call.name, input: call.input };
      yield { type: 'usage', usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 } };
      yield { type: 'done', stopReason: 'tool-use' };
    },
  };
}

interface Setup {
  engine: RunEngine;
  root: string;
  copies: NodeIsolatedCopies;
  runId: string;
  asked: string[];
  storeFile: (file: string) => string;
}

async function swarm(answer: string, plays: Play, ready: readonly RoleSnapshot[] = readyRoles, root?: string, copiesBase?: string, guardCalls?: (runId: string, client: ModelClient) => ModelClient, accept?: (request: ModelRequest) => string): Promise<Setup> {
  const workspaceRoot = root ?? (await workspace());
  const base = copiesBase ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'dm-swarm-copies-')));
  copyBases.push(base);
  const copies = new NodeIsolatedCopies(workspaceRoot, base);
  const asked: string[] = [];
  const architect: ModelClient = {
    info: demoClient(demoRoles.architect).info,
    async *stream(request, signal) {
      if (request.purpose !== 'spec' && !(request.purpose === 'accept' && accept)) return yield* demoClient(demoRoles.architect).stream(request, signal);
      yield { type: 'text', text: request.purpose === 'accept' && accept ? accept(request) : answer };
      yield { type: 'done', stopReason: 'end' };
    },
  };
  const { engine, store } = createEngine({
    workspaceRoot,
    copies,
    prices: priceTable(registry),
    registry: () => registry,
    swarmModels: async () => [...ready],
    ...(guardCalls ? { guardCalls } : {}),
    clientFor: (role) => (role.modelId === 'demo-architect' ? architect : role.provider === 'anthropic' ? answeringIdentity(scripted(role, plays, asked)) : demoClient(role)),
  });
  // Given a root and copies' folder: a second window, resuming the run found there.
  if (root && copiesBase) await engine.resumeAll();
  const run = root && copiesBase ? undefined : await engine.start({ request: 'alpha and beta', roles: demoRoles, mode: { mode: 'swarm' } });
  if (run) await waitForPhase(engine, run.runId, 'hard-stop-to-coder');
  return { engine, root: workspaceRoot, copies, runId: run?.runId ?? '', asked, storeFile: (file) => store.artifactPath(run?.runId ?? '', file) };
}

const alphaDone: Call[] = [write('src/alpha.js', alphaSource), write('test/alpha.test.js', testOf('alpha', 'a'))];
const alphaFails: Call[] = [write('src/alpha.js', alphaWrong), write('test/alpha.test.js', testOf('alpha', 'a'))];
const betaDone: Call[] = [write('src/beta.js', betaSource), write('test/beta.test.js', testOf('beta', 'b'))];
const twoSpecs = [spec('CS-A', 'alpha', 'simple', 2), spec('CS-B', 'beta', 'complex')].join('\n---\n\n');

describe('swarm: each spec on the cheapest ready model for its tier, a failed one a tier up', () => {
  it('routes by complexity, escalates a spec that fails its verification on the cheap tier and passes on the next, and reports routes and cost against all-top-tier', async () => {
    const setup = await swarm(twoSpecs, { 'CS-A cheap-coder': alphaFails, 'CS-A mid-coder': alphaDone, 'CS-B': betaDone });
    const { engine, runId, root, copies } = setup;
    // The plan and its price are in view at the HARD STOP the user confirms.
    const shown = await waitUntil(async () => (await engine.snapshot(runId))?.view.hardStop?.swarmPlan, 'the HARD STOP never showed the swarm\'s plan', 20_000);
    assert.deepEqual(shown.slice(0, 2), ['CS-A: simple → cheap-coder', 'CS-B: complex → mid-coder']);
    assert.match(shown[2] ?? '', /^Cost: about \$0\.\d{4} estimated for 2 routed specs, against about \$0\.\d{4} with every spec on the top tier \(top-coder\): \d+% less\.$/);
    await engine.confirmModel(runId);
    await waitForPhase(engine, runId, 'hard-stop-to-architect', 60_000);

    assert.deepEqual([...setup.asked].sort(), ['CS-A by cheap-coder', 'CS-A by mid-coder', 'CS-B by mid-coder']);
    assert.ok(setup.asked.indexOf('CS-A by cheap-coder') < setup.asked.indexOf('CS-A by mid-coder'), 'the cheap tier first');
    assert.equal(await fs.readFile(path.join(root, 'src', 'alpha.js'), 'utf8'), alphaSource, 'the escalated attempt\'s work is merged, not the failed one\'s');
    assert.equal(await fs.readFile(path.join(root, 'src', 'beta.js'), 'utf8'), betaSource);
    assert.deepEqual(await copies.existing(runId), [], 'every copy is removed, the failed attempt\'s too');

    const report = parseCodeReport(await fs.readFile(setup.storeFile('code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.equal(report.value.testResult.status, 'PASS');
    assert.match(report.value.summary, /Swarm: 2 specs in 1 wave, by 1 model \(mid-coder\)\./);
    assert.match(report.value.summary, /### Spec 01 — CS-A[\s\S]*\*\*Coder:\*\* mid-coder\n\*\*Routed:\*\* simple → cheap-coder \(complexity simple as given; cheapest adequate: cheap-coder\); failed, escalated to medium → mid-coder\n/);
    assert.match(report.value.summary, /### Spec 02 — CS-B[\s\S]*\*\*Routed:\*\* complex → mid-coder \(complexity complex as given; cheapest adequate: mid-coder\)\n/);
    assert.match(report.value.summary, /Cost: about \$0\.\d{4} estimated for 2 routed specs, against about \$0\.\d{4} with every spec on the top tier \(top-coder\): \d+% less\.\n/);
    // Measured: 2 calls of the cheap tier ($0.002 each) and 4 of the next ($0.006 each); the same 6 on top-coder cost $0.03 each.
    assert.match(report.value.summary, /\nSpent: \$0\.0280 on 6 calls; the Coders' same tokens at top-coder's price: \$0\.1800, so 84% less\.$/m);

    // Model Confirmed checked the models the plan routes to first, not the Coder role (the demo).
    assert.deepEqual(engine.get(runId)?.calls.filter((call) => call.purpose === 'identity' && call.phase === 'hard-stop-to-coder').map((call) => call.modelId).sort(), ['cheap-coder', 'mid-coder']);
    // run.json keeps every attempt's calls under its spec's seat.
    const calls = engine.get(runId)?.calls.filter((call) => call.phase === 'coder-implement') ?? [];
    assert.deepEqual([...new Set(calls.filter((call) => call.seat === 'spec-01').map((call) => call.modelId))].sort(), ['cheap-coder', 'mid-coder']);
    assert.deepEqual([...new Set(calls.filter((call) => call.seat === 'spec-02').map((call) => call.modelId))], ['mid-coder']);
    await engine.dispose();
  });

  it('a Coder that fails outright or changes nothing is escalated too', async () => {
    const setup = await swarm(spec('CS-A', 'alpha', 'trivial'), { 'CS-A cheap-coder': [], 'CS-A mid-coder': alphaDone });
    await setup.engine.confirmModel(setup.runId);
    await waitForPhase(setup.engine, setup.runId, 'hard-stop-to-architect', 60_000);
    assert.deepEqual(setup.asked, ['CS-A by cheap-coder', 'CS-A by mid-coder']);
    assert.equal(await fs.readFile(path.join(setup.root, 'src', 'alpha.js'), 'utf8'), alphaSource);
    await setup.engine.dispose();
  });

  it('when the top tier fails too, its attempt is kept and the report says the failure stands', async () => {
    const setup = await swarm(spec('CS-A', 'alpha', 'complex'), { 'CS-A': alphaFails });
    const { engine, runId } = setup;
    await engine.confirmModel(runId);
    await waitForPhase(engine, runId, 'hard-stop-to-architect', 60_000);
    assert.deepEqual(setup.asked, ['CS-A by mid-coder', 'CS-A by top-coder'], 'one tier up, then no further');
    const report = parseCodeReport(await fs.readFile(setup.storeFile('code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.equal(report.value.testResult.status, 'FAIL');
    assert.match(report.value.summary, /\*\*Routed:\*\* complex → mid-coder [^\n]*; failed, escalated to expert → top-coder/);
    assert.ok(report.value.blockers.some((blocker) => /\[CS-A\] top-coder failed it on the last tier/.test(blocker)), report.value.blockers.join('\n'));
    await engine.dispose();
  });

  it('never routes to a model whose provider is not ready, and refuses the confirm when no ready model fits a spec', async () => {
    // The cheapest model of all is Google's, whose provider is not ready: the cheap Anthropic model takes the spec.
    const routed = await swarm(spec('CS-A', 'alpha', 'simple'), { 'CS-A': alphaDone });
    await routed.engine.confirmModel(routed.runId);
    await waitForPhase(routed.engine, routed.runId, 'hard-stop-to-architect', 60_000);
    assert.deepEqual(routed.asked, ['CS-A by cheap-coder']);
    await routed.engine.dispose();

    // Refused at the confirm: the run waits at its HARD STOP, where a key added meanwhile lets it go on.
    const unfit = await swarm(spec('CS-A', 'alpha', 'expert'), { 'CS-A': alphaDone }, [roleOf('cheap-coder')]);
    await assert.rejects(unfit.engine.confirmModel(unfit.runId), /The swarm cannot route every spec, so nothing ran: CS-A: no model for a expert task among the providers with keys \(anthropic\)/);
    assert.equal(unfit.engine.get(unfit.runId)?.state.phase, 'hard-stop-to-coder');
    assert.deepEqual(unfit.asked, []);
    assert.deepEqual(await unfit.copies.existing(unfit.runId), []);
    await unfit.engine.dispose();
  });

  it('a reload mid-swarm keeps the merged wave and redoes only the wave it was in, on its route', async () => {
    const alphaAgain = "'use strict';\n// again\nmodule.exports = { alpha: () => 'a' };\n";
    const twoWaves = [spec('CS-A', 'alpha', 'simple', 2), spec('CS-C', 'alpha', 'simple')].join('\n---\n\n');
    const first = await swarm(twoWaves, { 'CS-A': alphaDone, 'CS-C': 'hang' });
    const { runId, root, copies } = first;
    await first.engine.confirmModel(runId);
    await waitUntil(() => first.asked.includes('CS-C by cheap-coder'), () => `wave 2 never began; asked: ${first.asked.join(', ')}`, 60_000);
    const saved = parseRunRecord(runId, await fs.readFile(first.storeFile('run.json'), 'utf8'));
    assert.ok(saved.ok, saved.ok ? '' : saved.error);
    assert.ok(saved.record.state.phase === 'coder-implement');
    assert.deepEqual(saved.record.state.division?.done.map((outcome) => [outcome.specId, outcome.coder, outcome.wave]), [['CS-A', 'cheap-coder', 0]]);
    await first.engine.dispose();
    await waitUntil(async () => (await copies.existing(runId)).length === 0, 'the closing window never removed its copy', 20_000);

    const second = await swarm(twoWaves, { 'CS-C': [write('src/alpha.js', alphaAgain)] }, readyRoles, root, copyBases.at(-1));
    await waitForPhase(second.engine, runId, 'hard-stop-to-architect', 60_000);
    assert.deepEqual(second.asked, ['CS-C by cheap-coder'], 'only the unfinished wave is redone');
    assert.equal(await fs.readFile(path.join(root, 'src', 'alpha.js'), 'utf8'), alphaAgain);
    assert.deepEqual(await copies.existing(runId), []);
    await second.engine.dispose();
  });

  it('a call the spending cap refuses is never escalated to a dearer model: the run stops with the cap\'s words', async () => {
    // The caps hold each call; the mid tier is over the cap, so the top tier (dearer still) must not be asked.
    const refused: string[] = [];
    const capped = (_runId: string, client: ModelClient): ModelClient => (!['mid-coder', 'top-coder'].includes(client.info.modelId) ? client : {
      info: client.info,
      // eslint-disable-next-line require-yield
      async *stream() {
        refused.push(client.info.modelId);
        throw new CapError({ kind: 'crossed', cap: 'per run', capUsd: 0.01, spentUsd: 0.009, heldUsd: 0, wouldCostUsd: 0.05 });
      },
    });
    const setup = await swarm(spec('CS-A', 'alpha', 'simple'), { 'CS-A': alphaFails }, readyRoles, undefined, undefined, capped);
    await setup.engine.confirmModel(setup.runId);
    await waitForPhase(setup.engine, setup.runId, 'failed', 60_000);
    const state = setup.engine.get(setup.runId)?.state;
    assert.ok(state?.phase === 'failed');
    assert.match(state.error, /Not sent: it would cross the cap per run/);
    assert.deepEqual(setup.asked, ['CS-A by cheap-coder']);
    assert.deepEqual(refused, ['mid-coder'], 'the cap refused the next tier once, and the dearer one above it was never tried');
    assert.deepEqual(await setup.copies.existing(setup.runId), []);
    await setup.engine.dispose();
  });

  it('cancel mid-escalation stops the Coder at work and removes its copy', async () => {
    const setup = await swarm(spec('CS-A', 'alpha', 'simple'), { 'CS-A cheap-coder': alphaFails, 'CS-A mid-coder': 'hang' });
    const { engine, runId, copies } = setup;
    await engine.confirmModel(runId);
    await waitUntil(() => setup.asked.includes('CS-A by mid-coder'), () => `the escalation never began; asked: ${setup.asked.join(', ')}`, 60_000);
    assert.deepEqual((await copies.existing(runId)).map((copy) => copy.label), ['spec-01-up1'], 'only the escalated attempt\'s copy is left while it works');
    await engine.cancel(runId);
    await waitUntil(async () => (await copies.existing(runId)).length === 0, 'the copy was never removed after the cancel', 20_000);
    assert.equal(engine.get(runId)?.state.phase, 'cancelled');
    assert.equal(await fs.access(path.join(setup.root, 'src', 'alpha.js')).then(() => true, () => false), false);
    await engine.dispose();
  });
});

describe("swarm: work no command checks stands only on the Architect's acceptance", () => {
  const checksNothing = 'echo "no automated check for this one"';
  const lastText = (request: ModelRequest): string => (request.messages.at(-1)?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');

  it('refused on the cheap tier, escalated one tier up, accepted there; a spec with a real check is never sent to the Architect', async () => {
    const asked: string[] = [];
    const verdicts = (request: ModelRequest): string => {
      const text = lastText(request);
      asked.push(/Spec ID:\*\* (\S+)/.exec(text)?.[1] ?? '?');
      if (text.includes("'wrong'")) return '{"accepted": false, "reasons": "alpha returns the wrong value."}';
      // Words around a fenced object, and "yes" for true: as models answer.
      return 'Looks right.\n```json\n{"accepted": "yes", "reasons": "alpha returns a."}\n```';
    };
    const specs = [spec('CS-A', 'alpha', 'simple', 2, checksNothing), spec('CS-B', 'beta', 'complex')].join('\n---\n\n');
    const setup = await swarm(specs, { 'CS-A cheap-coder': alphaFails, 'CS-A mid-coder': alphaDone, 'CS-B': betaDone }, readyRoles, undefined, undefined, undefined, verdicts);
    const { engine, runId, root, copies } = setup;
    await engine.confirmModel(runId);
    await waitForPhase(engine, runId, 'hard-stop-to-architect', 60_000);

    assert.deepEqual(asked, ['CS-A', 'CS-A'], 'the Architect read CS-A twice (each attempt) and CS-B, which has a real check, never');
    assert.deepEqual([...setup.asked].sort(), ['CS-A by cheap-coder', 'CS-A by mid-coder', 'CS-B by mid-coder']);
    assert.equal(await fs.readFile(path.join(root, 'src', 'alpha.js'), 'utf8'), alphaSource, 'the accepted attempt is merged, not the refused one');
    assert.deepEqual(await copies.existing(runId), []);
    const report = parseCodeReport(await fs.readFile(setup.storeFile('code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.match(report.value.summary, /### Spec 01 — CS-A[\s\S]*\*\*Routed:\*\* simple → cheap-coder [^\n]*; failed, escalated to medium → mid-coder\n[\s\S]*\*\*Accepted by the Architect:\*\* alpha returns a\.\n/);
    assert.doesNotMatch(report.value.summary.split('### Spec 02')[1] ?? '', /by the Architect/, 'CS-B was checked by its own verification');
    const accepts = engine.get(runId)?.calls.filter((call) => call.purpose === 'accept') ?? [];
    assert.deepEqual(accepts.map((call) => [call.phase, call.modelId]), [['coder-implement', 'demo-architect'], ['coder-implement', 'demo-architect']], 'each verdict is a recorded call of the Architect');
    await engine.dispose();
  });

  it('an answer that never reads, after one repair request, is no acceptance: escalated, and on the top tier the failure stands, saying why', async () => {
    let requests = 0;
    const garbage = (): string => {
      requests += 1;
      return 'I think it is probably fine?';
    };
    const setup = await swarm(spec('CS-A', 'alpha', 'complex', undefined, checksNothing), { 'CS-A': alphaDone }, readyRoles, undefined, undefined, undefined, garbage);
    const { engine, runId } = setup;
    await engine.confirmModel(runId);
    await waitForPhase(engine, runId, 'hard-stop-to-architect', 60_000);
    assert.deepEqual(setup.asked, ['CS-A by mid-coder', 'CS-A by top-coder']);
    assert.equal(requests, 4, 'one repair request per attempt');
    const report = parseCodeReport(await fs.readFile(setup.storeFile('code_report.md'), 'utf8'));
    assert.ok(report.ok, report.ok ? '' : JSON.stringify(report.errors));
    assert.match(report.value.summary, /\*\*Not accepted by the Architect:\*\* the Architect's answer could not be read after one repair request/);
    assert.ok(report.value.blockers.some((blocker) => /\[CS-A\] top-coder failed it on the last tier it could climb to \(the Architect did not accept it: /.test(blocker)), report.value.blockers.join('\n'));
    await engine.dispose();
  });

  it('the offline demo Architect accepts a change it can see', async () => {
    const setup = await swarm(spec('CS-A', 'alpha', 'simple', undefined, checksNothing), { 'CS-A': alphaDone });
    await setup.engine.confirmModel(setup.runId);
    await waitForPhase(setup.engine, setup.runId, 'hard-stop-to-architect', 60_000);
    assert.deepEqual(setup.asked, ['CS-A by cheap-coder']);
    const report = await fs.readFile(setup.storeFile('code_report.md'), 'utf8');
    assert.match(report, /\*\*Accepted by the Architect:\*\* The change does what the spec asks and stays in its files\. \(offline replay\)/);
    await setup.engine.dispose();
  });
});
