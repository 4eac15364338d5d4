// Phases 2 and 4, the HARD STOPs: the user switches models by hand, and "Model Confirmed" first
// checks that the next model answers. Before the Coder, the confirm also approves one exact spec
// set (its digest, as shown) and its verification commands: a set edited since is refused.
import { artifactsRootIn, protectedPathsNamed } from '../coder/protectedPaths.js';
import { identityPrompt } from '../prompts/prompts.js';
import { messageOf } from './errorMessage.js';
import type { PhaseContext } from './phaseContext.js';
import { ask, untrustedMessage } from './phaseContext.js';
import type { RunRecord } from './runRecord.js';
import type { RoleSnapshot } from './roleSnapshot.js';
import type { SpecApproval } from './specVersions.js';
import { firstRoutedRoles, swarmSetup } from './swarmPass.js';

/** The abort reason of an identity check the user cancelled, told apart from a model that did not answer. */
const cancelledByUser = new Error('cancelled by the user');

export class HardStop {
  /** Per run waiting at the HARD STOP before the Coder: the spec set last published to be shown. */
  private readonly published = new Map<string, SpecApproval>();
  /** The identity checks under way, stopped with everything else when the window closes. */
  private readonly identityChecks = new Map<string, AbortController>();

  constructor(private readonly ctx: PhaseContext) {}

  /**
   * The user pressed "Model Confirmed": check the next model answers, then start its phase. Before
   * the Coder, the confirm approves the spec set whose digest the view showed (`shownDigest`, or
   * without one the set last published); a set that changed since is refused and published.
   */
  async confirm(record: RunRecord, shownDigest: string | undefined): Promise<void> {
    const { deps, journal } = this.ctx;
    const runId = record.runId;
    const state = record.state;
    if (state.phase !== 'hard-stop-to-coder' && state.phase !== 'hard-stop-to-architect') {
      throw new Error(`There is no HARD STOP waiting in run ${runId}.`);
    }
    if (journal.activityOf(runId).confirming) return;
    if (state.phase === 'hard-stop-to-coder' && !deps.isTrusted()) {
      const message = untrustedMessage('press Model Confirmed again');
      journal.setActivity(runId, { lastError: message });
      throw new Error(message);
    }
    const expected = shownDigest ?? this.pendingApproval(runId)?.digest;
    journal.setActivity(runId, { confirming: true, busy: true, message: 'Checking that the next models answer…', lastError: undefined });
    try {
      const approval = state.phase === 'hard-stop-to-coder' ? await this.approvedSpec(runId, state.specVersion, expected) : undefined;
      const roles = state.phase === 'hard-stop-to-coder' ? await this.codersOf(record, state.specVersion) : [record.roles.architect];
      journal.setActivity(runId, { message: `Checking that ${roles.map((role) => role.displayName).join(', ')} ${roles.length === 1 ? 'answers' : 'answer'}…` });
      const check = new AbortController();
      this.identityChecks.set(runId, check);
      let answers: string[];
      try {
        // Side by side: each model that will code must answer before anything fans out to it.
        answers = await Promise.all(
          roles.map((role) =>
            this.verifyIdentity(runId, role, state.phase, check.signal).catch((error: unknown) => {
              if (check.signal.reason === cancelledByUser) throw cancelledByUser;
              throw new Error(`${role.displayName} did not answer: ${messageOf(error)}`, { cause: error });
            }),
          ),
        );
      } finally {
        if (this.identityChecks.get(runId) === check) this.identityChecks.delete(runId);
      }
      const answeredBy = answers.join('; ');
      // The identity check takes seconds: an edit made meanwhile is refused like any other.
      if (approval) await this.approvedSpec(runId, approval.specVersion, approval.digest);
      journal.setActivity(runId, { confirming: false });
      await this.ctx.dispatch(runId, { type: 'model-confirmed', answeredBy, ...(approval ? { verificationCommands: approval.commands } : {}) });
    } catch (error) {
      // Cancelled while the model was being checked: the run says cancelled, nothing failed.
      const cancelled = error === cancelledByUser;
      journal.setActivity(runId, { confirming: false, busy: false, message: '', lastError: cancelled ? undefined : messageOf(error) });
      if (!cancelled) throw error;
    }
  }

  /** The user cancelled the run: an identity check under way ends without an error. */
  cancelCheck(runId: string): void {
    this.identityChecks.get(runId)?.abort(cancelledByUser);
  }

  /** Another window took the run (or this one closes: every run): the check under way stops. */
  stopChecks(runId: string | undefined, reason: Error): void {
    if (runId !== undefined) this.identityChecks.get(runId)?.abort(reason);
    else for (const controller of this.identityChecks.values()) controller.abort(reason);
  }

  /** The spec set the HARD STOP before the Coder shows now (what a confirm without a digest approves). */
  pendingApproval(runId: string): SpecApproval | undefined {
    const state = this.ctx.journal.get(runId)?.state;
    const approval = this.published.get(runId);
    return state?.phase === 'hard-stop-to-coder' && approval?.specVersion === state.specVersion ? approval : undefined;
  }

  /** At the HARD STOP before the Coder, publishes its spec set; one that no longer parses says why (confirming refuses it). */
  async publishPending(record: RunRecord): Promise<void> {
    if (record.state.phase !== 'hard-stop-to-coder') return;
    await this.publishApproval(record.runId, record.state.specVersion, record).catch((error: unknown) => this.ctx.journal.setActivity(record.runId, { lastError: messageOf(error) }));
  }

  /** The paths the pending spec lets the Coder change in .vscode/, .git/, .devcontainer/ or the artifacts root, for the HARD STOP to flag. */
  async protectedPaths(runId: string): Promise<string[] | undefined> {
    const record = this.ctx.journal.get(runId);
    const state = record?.state;
    if (!record || state?.phase !== 'hard-stop-to-coder') return undefined;
    const set = await this.ctx.specs.load(record, state.specVersion);
    const { workspace, store } = this.ctx.deps;
    return protectedPathsNamed(set.specs.flatMap((spec) => spec.files.map((file) => file.path)), artifactsRootIn(workspace.root, store.root));
  }

  /**
   * Makes what would be implemented the spec set shown: hand edits of code_spec.md are adopted
   * into the version (so the panel, which reads the version, shows them), and its digest is
   * published. Changes (and so a repaint) only when the set did.
   */
  private async publishApproval(runId: string, specVersion: number, record = this.ctx.journal.require(runId)): Promise<SpecApproval> {
    const approval = await this.ctx.specs.approval(record, specVersion);
    const before = this.published.get(runId);
    this.published.set(runId, approval);
    if (before?.digest !== approval.digest) this.ctx.journal.emit({ type: 'changed', runId });
    return approval;
  }

  /** The spec set as it is now, if it is the one shown; otherwise it is published, and refused. */
  private async approvedSpec(runId: string, specVersion: number, expectedDigest: string | undefined): Promise<SpecApproval> {
    const approval = await this.publishApproval(runId, specVersion);
    if (approval.digest !== expectedDigest) {
      throw new Error(
        'The Code Spec changed since it was shown (code_spec.md or its saved version was edited). The HARD STOP now shows it: read it and its verification command, then press Model Confirmed again.',
      );
    }
    return approval;
  }

  /**
   * The models that will code after this HARD STOP: the Coder role, or in a mode of several Coders
   * each distinct one of the mode (a swarm's: the models its plan routes to first). The Coder
   * role then codes nothing, so checking it would prove nothing.
   */
  private async codersOf(record: RunRecord, specVersion: number): Promise<RoleSnapshot[]> {
    const mode = record.mode;
    if (!mode || mode.mode === 'single') return [record.roles.coder];
    const roles = mode.mode === 'swarm' ? firstRoutedRoles(await swarmSetup(this.ctx.deps, await this.ctx.specs.load(record, specVersion))) : mode.coders;
    const distinct = new Map(roles.map((role) => [`${role.provider}/${role.modelId}/${role.endpoint ?? ''}`, role]));
    return distinct.size > 0 ? [...distinct.values()] : [record.roles.coder];
  }

  private async verifyIdentity(runId: string, role: RoleSnapshot, phase: string, signal: AbortSignal): Promise<string> {
    const client = this.ctx.meter.client(runId, phase, this.ctx.deps.clientFor(role));
    // Its own limit, and the shared signal: a cancel or a window closing stops every check.
    const controller = new AbortController();
    const stop = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(() => controller.abort(new Error('no answer within 60 s')), 60_000);
    try {
      // Counted under the HARD STOP's phase, so its tokens are priced as the next role's model.
      const answer = await ask(this.ctx.journal, runId, client, {
        purpose: 'identity',
        system: '',
        messages: [{ role: 'user', content: [{ type: 'text', text: identityPrompt }] }],
        thinking: 'none',
        maxOutputTokens: 64,
      }, controller.signal, false);
      const said = answer.trim().split('\n')[0]?.slice(0, 120) ?? '';
      if (!said) throw new Error('the model returned an empty answer');
      return `${role.displayName} (${client.info.modelId}) — answered "${said}"`;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }
}
