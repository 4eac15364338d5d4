// The chat participant's handler on plain Node against a real engine: real files in a copy of the
// sample workspace, the demo models, the real verification process. Only VS Code's chat view is
// replaced, by a recorder of what the handler streams.
import assert from 'node:assert/strict';
import { DualModelChat, type ChatAnswer } from '../../../src/vscode/chat/chatHandler.js';
import type { ChatOut, ChatRuns, StreamedChunk } from '../../../src/vscode/chat/runFollower.js';
import type { RunEngine } from '../../../src/core/workflow/runEngine.js';
import { createEngine, demoRoles, scratchWorkspaces, waitForPhase } from '../support/engineHarness.js';

type Listener<T> = (value: T) => void;
interface Disposable {
  dispose(): void;
}

/** An event as VS Code's `Event<T>` is called: a listener in, a disposable out. */
function event<T>(listeners: Set<Listener<T>>) {
  return (listener: Listener<T>): Disposable => {
    listeners.add(listener);
    return { dispose: () => listeners.delete(listener) };
  };
}

/** The run controller's public surface the chat uses, over a real engine (what runController.ts does). */
function chatRunsOver(engine: RunEngine): ChatRuns & { started: string[] } {
  const streams = new Set<Listener<StreamedChunk>>();
  const changes = new Set<Listener<void>>();
  engine.onUpdate((update) => {
    if (update.type === 'stream') for (const listener of streams) listener(update);
    else if (update.type === 'changed') for (const listener of changes) listener();
  });
  const started: string[] = [];
  return {
    started,
    // A mode from /compete, /divide or /swarm runs on two demo Coders (a swarm is not wired here).
    start: async (request, mode) => {
      const record = await engine.start({ request, roles: demoRoles, ...(mode && mode.mode !== 'swarm' ? { mode: { mode: mode.mode, coders: [demoRoles.coder, demoRoles.coder] } } : {}) });
      started.push(record.runId);
      return record.runId;
    },
    confirmModel: (runId, specDigest) => engine.confirmModel(runId, specDigest),
    snapshot: (runId) => engine.snapshot(runId),
    run: (runId) => engine.get(runId),
    onStream: event(streams),
    onDidChange: event(changes),
  };
}

type Part = { kind: 'markdown' | 'progress'; text: string } | { kind: 'button'; title: string; command: string; arguments: unknown[] };

/** What VS Code's chat view would receive. */
class Recorder implements ChatOut {
  readonly parts: Part[] = [];
  markdown(value: string | { value: string }): void {
    this.parts.push({ kind: 'markdown', text: typeof value === 'string' ? value : value.value });
  }
  progress(value: string): void {
    this.parts.push({ kind: 'progress', text: value });
  }
  button(command: { title: string; command: string; arguments?: unknown[] }): void {
    this.parts.push({ kind: 'button', title: command.title, command: command.command, arguments: command.arguments ?? [] });
  }
  get text(): string {
    return this.parts.flatMap((part) => (part.kind === 'markdown' ? [part.text] : [])).join('');
  }
  get buttons(): { title: string; command: string; arguments: unknown[] }[] {
    return this.parts.flatMap((part) => (part.kind === 'button' ? [{ title: part.title, command: part.command, arguments: part.arguments }] : []));
  }
}

class Token {
  private readonly listeners = new Set<Listener<unknown>>();
  isCancellationRequested = false;
  onCancellationRequested = event(this.listeners);
  cancel(): void {
    this.isCancellationRequested = true;
    for (const listener of this.listeners) listener(undefined);
  }
}

/** A chat as VS Code keeps it: each request and the participant's answer, in order. */
class Conversation {
  readonly history: object[] = [];
  constructor(private readonly chat: DualModelChat) {}
  async say(prompt: string, command: string | undefined = undefined, token = new Token()): Promise<{ out: Recorder; answer: ChatAnswer }> {
    const out = new Recorder();
    const answer = await this.chat.handle({ prompt, command }, { history: [...this.history] }, out, token);
    this.history.push({ prompt, command, participant: 'dual-model.chat' }, { participant: 'dual-model.chat', response: [], result: answer });
    return { out, answer };
  }
}

describe('the @dual-model chat participant, against a real engine', function () {
  this.timeout(60_000);
  const scratch = scratchWorkspaces();
  after(() => scratch.cleanup());
  const engines: RunEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.dispose()));
  });

  async function setUp(options: { autoConfirm?: () => boolean; isTrusted?: () => boolean } = {}) {
    const { engine } = createEngine({ workspaceRoot: await scratch.workspace(), ...options });
    engines.push(engine);
    const runs = chatRunsOver(engine);
    const errors: string[] = [];
    const chat = new DualModelChat(() => runs, (line) => errors.push(line));
    return { engine, runs, errors, conversation: new Conversation(chat) };
  }

  it('/compete 3, /divide and /swarm ask for their mode; a count out of range or a missing request starts nothing', async () => {
    const { runs, errors } = await setUp();
    const asked: unknown[] = [];
    // The controller's start confirms the cost in a modal; here the user says no, so no run starts.
    const declining: ChatRuns = { ...runs, start: async (request, mode) => (asked.push([request, mode]), undefined) };
    const conversation = new Conversation(new DualModelChat(() => declining, (line) => errors.push(line)));
    const competed = await conversation.say('3 add a slugify helper', 'compete');
    assert.deepEqual(asked, [['add a slugify helper', { mode: 'competitive', candidates: 3 }]]);
    assert.match(competed.out.text, /did not start/);
    const refused = await conversation.say('12 add a slugify helper', 'compete');
    assert.equal(asked.length, 1, 'a count out of range reaches no run');
    assert.match(refused.out.text, /2 to 8 Coders/);
    await conversation.say('add a slugify helper', 'dual-model');
    assert.deepEqual(asked[1], ['add a slugify helper', undefined], '/dual-model leaves the mode to the setting');
    await conversation.say('add slugify and titleCase', 'divide');
    await conversation.say('add slugify and document it', 'swarm');
    assert.deepEqual(asked.slice(2), [['add slugify and titleCase', { mode: 'division' }], ['add slugify and document it', { mode: 'swarm' }]]);
    const empty = await conversation.say('', 'swarm');
    assert.equal(asked.length, 4, 'a /swarm with no request reaches no run');
    assert.match(empty.out.text, /Say what to build after \/swarm/);
    assert.deepEqual(errors, []);
  });

  it("Model Confirmed on a /divide run says it checks the run's Coders, not 'the Coder model'", async () => {
    const { engine, runs, conversation } = await setUp();
    await conversation.say('Add a slugify helper', 'divide');
    const runId = runs.started[0];
    assert.ok(runId);
    assert.equal(engine.get(runId)?.mode?.mode, 'division');
    const confirmed = await conversation.say('Model Confirmed');
    const progress = confirmed.out.parts.flatMap((part) => (part.kind === 'progress' ? [part.text] : []));
    assert.ok(progress.includes("Checking that the Division of labour run's Coders answer…"), progress.join(' | '));
  });

  it('/dual-model starts a run, streams the Architect, and stops at the HARD STOP with its button; Model Confirmed carries it through to the review', async () => {
    const { engine, runs, conversation, errors } = await setUp();
    const first = await conversation.say('Add a slugify helper', 'dual-model');
    const runId = runs.started[0];
    assert.ok(runId, 'a run started');
    assert.equal(engine.get(runId)?.request, 'Add a slugify helper', 'the chat text is the request, as typed');
    assert.equal(engine.get(runId)?.state.phase, 'hard-stop-to-coder');
    const said = first.out.text;
    assert.match(said, new RegExp(`Run \`${runId}\` started\\. Architect: Demo Architect`));
    assert.match(said, /\*\*Phase 1 — Architect: Analyze & Spec\*\*/);
    assert.match(said, /# Code Spec — Add a slugify utility/, "the Architect's answer, streamed");
    assert.ok(said.indexOf('Phase 1 — Architect') < said.indexOf('# Code Spec'), 'the phase heading comes before the text streamed in it');
    assert.match(said, /### 🛑 HARD STOP: Switch to Coder Model\n\nNext: Coder — Demo Coder \(offline replay\)\nTask: Implement Code Spec/);
    assert.match(said, /node --test/, 'the command the Coder may run is shown before the confirm');
    const digest = first.answer.metadata?.specDigest;
    assert.match(digest ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(first.out.buttons[0], { title: 'Model Confirmed', command: 'dualModel.confirmModel', arguments: [runId, digest] });
    assert.deepEqual(first.answer.metadata, { runId, specDigest: digest, hardStopWaiting: true });

    const second = await conversation.say('  model confirmed ');
    assert.equal(engine.get(runId)?.state.phase, 'hard-stop-to-architect');
    assert.match(second.out.text, /Model Confirmed\. Next: Coder — Demo Coder/);
    assert.match(second.out.text, /\*\*Phase 3 — Coder: Implement\*\*/);
    assert.match(second.out.text, /### 🛑 HARD STOP: Switch to Architect Model/);
    assert.deepEqual(second.out.buttons[0], { title: 'Model Confirmed', command: 'dualModel.confirmModel', arguments: [runId] });

    const third = await conversation.say('Model Confirmed', 'dual-model');
    assert.equal(engine.get(runId)?.state.phase, 'architect-review');
    assert.match(third.out.text, /\*\*Phase 5 — Architect: Review\*\*/);
    assert.match(third.out.text, /Recommendation: \*\*🔄 Revisions needed\*\*/);
    assert.deepEqual(third.out.buttons.map((button) => [button.title, button.command, button.arguments]), [
      ['✅ Approved', 'dualModel.approve', [runId]],
      ['🔄 Revisions needed', 'dualModel.requestRevisions', [runId]],
      ['❌ Fundamental redesign', 'dualModel.redesign', [runId]],
    ]);

    const fourth = await conversation.say('Model Confirmed');
    assert.match(fourth.out.text, /No HARD STOP waits in run `[^`]+`: it is in Phase 5 — Architect: Review\. Nothing was confirmed\./);
    assert.equal(engine.get(runId)?.state.phase, 'architect-review');
    assert.equal(runs.started.length, 1, 'no second run started along the way');
    assert.deepEqual(errors, []);
  });

  it('with dualModel.hardStop.autoConfirm on, one /dual-model streams through both HARD STOPs to the review, saying each confirmed itself', async () => {
    const { engine, runs, conversation } = await setUp({ autoConfirm: () => true });
    const { out, answer } = await conversation.say('Add a slugify helper', 'dual-model');
    const runId = runs.started[0] ?? '';
    assert.equal(engine.get(runId)?.state.phase, 'architect-review', 'the answer followed the run to the review');
    const said = out.text;
    assert.match(said, /\*\*🛑 HARD STOP: Switch to Coder Model\*\* — it confirms itself once the model answers its identity check/);
    assert.match(said, /\*\*🛑 HARD STOP: Switch to Architect Model\*\* — it confirms itself/);
    assert.ok(said.indexOf('Switch to Coder Model') < said.indexOf('Phase 3 — Coder: Implement'), 'the Coder phase streams after the HARD STOP it passed');
    assert.match(said, /Recommendation: /, 'the answer ends at the review outcomes');
    assert.ok(!out.buttons.some((button) => button.title === 'Model Confirmed'), 'no confirm button: nothing waited for one');
    assert.equal(answer.metadata?.runId, runId);
  });

  it('a HARD STOP that fails to confirm itself (Restricted Mode) stops the answer with the reason and the confirm button', async () => {
    const { engine, runs, conversation } = await setUp({ autoConfirm: () => true, isTrusted: () => false });
    const { out } = await conversation.say('Add a slugify helper', 'dual-model');
    const runId = runs.started[0] ?? '';
    assert.equal(engine.get(runId)?.state.phase, 'hard-stop-to-coder');
    assert.match(out.text, /⚠️ .*not trusted/, 'the answer says why it did not confirm');
    assert.match(out.text, /### 🛑 HARD STOP: Switch to Coder Model/);
    assert.equal(out.buttons[0]?.title, 'Model Confirmed');
  });

  it('anything but the exact passphrase at a HARD STOP is answered with what to do, and never continues the run', async () => {
    const { engine, runs, conversation } = await setUp();
    await conversation.say('Add a slugify helper', 'dual-model');
    const runId = runs.started[0] ?? '';
    for (const text of ['Model Confirmed please', 'yes', 'Model Confirmed.', 'go on and run rm -rf /', '']) {
      const { out, answer } = await conversation.say(text);
      assert.equal(engine.get(runId)?.state.phase, 'hard-stop-to-coder', `"${text}" continued the run`);
      assert.match(out.text, /Your message was not sent to any model/);
      assert.equal(answer.metadata?.runId, runId, 'the chat still names its run');
    }
    // The same words with /dual-model start nothing either while the run waits.
    await conversation.say('Add another helper', 'dual-model');
    assert.deepEqual(runs.started, [runId]);
    assert.equal(engine.get(runId)?.state.phase, 'hard-stop-to-coder');
  });

  it('"Model Confirmed" in a chat that did not start the run continues nothing, though a run waits in the workspace', async () => {
    const { engine, runs, conversation } = await setUp();
    await conversation.say('Add a slugify helper', 'dual-model');
    const runId = runs.started[0] ?? '';
    const elsewhere = new Conversation(new DualModelChat(() => runs, () => undefined));
    const { out } = await elsewhere.say('Model Confirmed');
    assert.match(out.text, /There is no run in this chat to confirm/);
    assert.equal(engine.get(runId)?.state.phase, 'hard-stop-to-coder');
  });

  it('a typed confirm approves only the spec set this chat showed: one it has not shown is shown first', async () => {
    const { engine, runs, conversation } = await setUp();
    await conversation.say('Add a slugify helper', 'dual-model');
    const runId = runs.started[0] ?? '';
    // A chat whose last answer named the run but not the spec set now waiting (as after a
    // revision decided in the panel): the passphrase shows the set, and the next one approves it.
    const stale = new Conversation(new DualModelChat(() => runs, () => undefined));
    stale.history.push({ participant: 'dual-model.chat', response: [], result: { metadata: { runId, specDigest: 'c'.repeat(64) } } });
    const shown = await stale.say('Model Confirmed');
    assert.match(shown.out.text, /This chat has not shown the Code Spec that waits now/);
    assert.match(shown.out.text, /### 🛑 HARD STOP: Switch to Coder Model/);
    assert.equal(engine.get(runId)?.state.phase, 'hard-stop-to-coder', 'nothing was confirmed');
    await stale.say('Model Confirmed');
    assert.equal(engine.get(runId)?.state.phase, 'hard-stop-to-architect');
  });

  it('a stopped answer stops streaming, and the run goes on to its HARD STOP', async () => {
    const { engine, runs, conversation } = await setUp();
    const token = new Token();
    const unsubscribe = engine.onUpdate((update) => {
      if (update.type === 'stream') token.cancel();
    });
    const { out, answer } = await conversation.say('Add a slugify helper', 'dual-model', token);
    unsubscribe.dispose();
    const runId = runs.started[0] ?? '';
    assert.equal(answer.metadata?.runId, runId, 'the stopped answer still names its run');
    assert.doesNotMatch(out.text, /HARD STOP/);
    const streamedWhenStopped = out.parts.length;
    await waitForPhase(engine, runId, 'hard-stop-to-coder');
    assert.equal(out.parts.length, streamedWhenStopped, 'nothing was written after the stop');
    const { out: next } = await conversation.say('what now?');
    assert.match(next.text, /waits at \*\*🛑 HARD STOP: Switch to Coder Model\*\*/);
  });

  it('an empty request in a new chat says how to use it and starts nothing', async () => {
    const { runs, conversation } = await setUp();
    const { out, answer } = await conversation.say('   ', 'dual-model');
    assert.match(out.text, /\/dual-model Add a slugify helper with tests/);
    assert.match(out.text, /"use both models", "architect and code", "dual model"/);
    assert.deepEqual(runs.started, []);
    assert.deepEqual(answer, {});
  });

  it('says why when there is no workspace to run in', async () => {
    const errors: string[] = [];
    const chat = new DualModelChat(() => {
      throw new Error('Dual-Model works on a workspace folder: open a folder first (File > Open Folder).');
    }, (line) => errors.push(line));
    const answer = await new Conversation(chat).say('Add a slugify helper', 'dual-model');
    assert.match(answer.answer.errorDetails?.message ?? '', /open a folder first/);
    assert.equal(errors.length, 1);
  });
});
