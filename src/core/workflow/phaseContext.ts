// What the engine is given from outside (EngineDeps), and what it hands each phase: the rooms a
// phase works through, so a phase file needs nothing of the engine itself.
import type { ModelClient, ModelRequest } from '../models/modelClient.js';
import type { ModelPrice, ModelRegistry } from '../models/registry.js';
import type { ArtifactStore, Clock, IsolatedCopies, RunOrigins, VerificationRunner, WorkspaceFiles } from '../ports.js';
import type { CallMeter } from './callMeter.js';
import type { RunJournal } from './runJournal.js';
import type { RunLock } from './runLock.js';
import type { RunRecord } from './runRecord.js';
import type { RoleSnapshot } from './roleSnapshot.js';
import type { RunEvent } from './runState.js';
import type { RunStore } from './runStore.js';
import type { SpecVersions } from './specVersions.js';

export interface EngineSettings {
  verificationTimeoutMs: number;
  maxCoderTurns: number;
  maxVerificationRuns: number;
  maxOutputTokens: number;
}

export interface EngineDeps {
  store: RunStore;
  lock: RunLock;
  artifacts: ArtifactStore;
  workspace: WorkspaceFiles;
  verifier: VerificationRunner;
  clock: Clock;
  clientFor: (role: RoleSnapshot) => ModelClient;
  settings: () => EngineSettings;
  workspaceTree: () => Promise<string>;
  randomHex: () => string;
  /** Runs this machine started; any other run found on disk waits for the user to resume it. */
  origins: RunOrigins;
  /** The price table in force now (built-in with the user's overrides), to price each call as it is made. */
  prices: () => Readonly<Record<string, ModelPrice>>;
  /**
   * Whether the workspace is trusted, asked at every step that would change it: in Restricted
   * Mode no Coder pass starts and no verification runs, whichever path leads there.
   */
  isTrusted: () => boolean;
  /** The user's opt-in: a HARD STOP confirms itself once the next model answers the identity check. */
  autoConfirm?: () => boolean;
  /**
   * Wraps each model client a phase of the run uses (the host keeps the spending caps this way);
   * a call it refuses fails the phase with its message, and Retry asks again.
   */
  guardCalls?: (runId: string, client: ModelClient) => ModelClient;
  /** The per-run spending cap in force, shown with the run's cost; undefined: none. */
  runCapUsd?: () => number | undefined;
  /** Isolated copies of the workspace: one per competing candidate, or per spec run side by side; without them neither mode can run. */
  copies?: IsolatedCopies;
  /** The model registry in force (built-in with the user's entries): a swarm routes each spec by it. */
  registry?: () => ModelRegistry;
  /** The models a swarm may use: the registry's whose provider is ready, each resolved as the Coder role is. */
  swarmModels?: () => Promise<RoleSnapshot[]>;
}

/** Changes a record as an event moves it on (adds the spec or report the phase wrote). */
export type RecordPatch = (next: RunRecord) => Promise<RunRecord>;

export interface PhaseContext {
  deps: EngineDeps;
  journal: RunJournal;
  meter: CallMeter;
  specs: SpecVersions;
  /** Moves the run on by `event` (through the journal's queue) and starts the next phase's work. */
  dispatch(runId: string, event: RunEvent, patch?: RecordPatch): Promise<void>;
}

/** Now, as run.json writes it. */
export function nowOf(deps: Pick<EngineDeps, 'clock'>): string {
  return deps.clock.now().toISOString();
}

/** One streamed model call (a metered client's): text is forwarded to the panel as it arrives. */
export async function ask(journal: RunJournal, runId: string, client: ModelClient, request: ModelRequest, signal: AbortSignal, stream = true): Promise<string> {
  let text = '';
  for await (const event of client.stream(request, signal)) {
    if (event.type === 'restart') {
      // A cut answer asked again: what streamed so far is void, in the panel too.
      text = '';
      if (stream) journal.emit({ type: 'stream', runId, text: '', reset: true });
      continue;
    }
    if (event.type !== 'text') continue;
    text += event.text;
    if (stream) journal.emit({ type: 'stream', runId, text: event.text });
  }
  return text;
}

/** Why the Coder may not start, and what the user does about it. */
export function untrustedMessage(then: string): string {
  return `This workspace is not trusted (Restricted Mode), so the Coder may not edit files or run the verification command. Trust the workspace (Workspaces: Manage Workspace Trust), then ${then}.`;
}
