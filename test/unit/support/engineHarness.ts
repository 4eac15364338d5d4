// A real engine on plain Node for tests and the benchmark: real files in a temporary copy of the
// sample workspace, real verification processes, and the demo models (or a scripted client).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallPurpose, ModelClient, ModelEvent } from '../../../src/core/models/modelClient.js';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import type { ModelPrice, ModelRegistry } from '../../../src/core/models/registry.js';
import { priceTable } from '../../../src/core/models/registry.js';
import type { ArtifactStore, IsolatedCopies, RunOrigins, VerificationRunner } from '../../../src/core/ports.js';
import { workspaceTree } from '../../../src/core/prompts/workspaceTree.js';
import type { EngineSettings } from '../../../src/core/workflow/phaseContext.js';
import { RunEngine } from '../../../src/core/workflow/runEngine.js';
import { RunLock } from '../../../src/core/workflow/runLock.js';
import type { RoleSnapshot } from '../../../src/core/workflow/roleSnapshot.js';
import type { Phase } from '../../../src/core/workflow/runState.js';
import { RunStore } from '../../../src/core/workflow/runStore.js';
import { NodeArtifactStore } from '../../../src/node/nodeArtifactStore.js';
import { NodeWorkspaceFiles } from '../../../src/node/nodeWorkspaceFiles.js';
import { runProcess } from '../../../src/node/processRunner.js';
import { DemoModelClient } from '../../../src/providers/demo/demoModelClient.js';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export const demoRoles: { architect: RoleSnapshot; coder: RoleSnapshot } = {
  architect: { provider: 'demo', modelId: 'demo-architect', displayName: 'Demo Architect (offline replay)', thinking: 'none', isDemo: true },
  coder: { provider: 'demo', modelId: 'demo-coder', displayName: 'Demo Coder (offline replay)', thinking: 'none', isDemo: true },
};

export async function sampleWorkspace(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-ws-'));
  await fs.cp(path.join(repoRoot, 'sample-workspace'), dir, { recursive: true });
  return dir;
}

/**
 * Copies of the sample workspace for one test file, removed together: call `cleanup` from the
 * file's `after` hook (this module also serves the plain-Node bench, where mocha has no hooks).
 */
export function scratchWorkspaces(): { workspace: () => Promise<string>; cleanup: () => Promise<void> } {
  const dirs: string[] = [];
  return {
    workspace: async () => {
      const dir = await sampleWorkspace();
      dirs.push(dir);
      return dir;
    },
    cleanup: async () => {
      await Promise.all(dirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
    },
  };
}

export const processVerifier: VerificationRunner = { run: (request) => runProcess(request, () => undefined) };

export interface HarnessOptions {
  workspaceRoot: string;
  owner?: string;
  clientFor?: (role: RoleSnapshot) => ModelClient;
  verifier?: VerificationRunner;
  settings?: Partial<EngineSettings>;
  heldRetryMs?: number;
  /** The price table calls are priced from as they are made; the built-in one unless given. */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** Wraps the artifact store, for a test to see or hold the engine's writes (run.json's among them). */
  wrapArtifacts?: (store: ArtifactStore) => ArtifactStore;
  /** Whether the workspace is trusted, asked each time (trusted unless given). */
  isTrusted?: () => boolean;
  /** How long a window's lock lasts without a heartbeat. */
  lockStaleMs?: number;
  /** The runs "this machine" started; by default one registry per workspace, shared by its engines (windows). */
  origins?: RunOrigins;
  /** The user's "HARD STOP confirms itself" setting, asked at each HARD STOP. */
  autoConfirm?: () => boolean;
  /** Wraps each client a run uses (the host keeps the spending caps this way). */
  guardCalls?: (runId: string, client: ModelClient) => ModelClient;
  /** The per-run cap shown with the run's cost. */
  runCapUsd?: () => number | undefined;
  /** Isolated copies of the workspace (division and competitive modes). */
  copies?: IsolatedCopies;
  /** A swarm's registry and ready models. */
  registry?: () => ModelRegistry;
  swarmModels?: () => Promise<RoleSnapshot[]>;
}

/** Runs started on this machine, as the extension's global storage keeps them. */
export class MemoryRunOrigins implements RunOrigins {
  private readonly ids = new Set<string>();
  startedHere(runId: string): boolean {
    return this.ids.has(runId);
  }
  async remember(runId: string): Promise<void> {
    this.ids.add(runId);
  }
}

const machineOrigins = new Map<string, MemoryRunOrigins>();
function originsOf(workspaceRoot: string): MemoryRunOrigins {
  let origins = machineOrigins.get(workspaceRoot);
  if (!origins) machineOrigins.set(workspaceRoot, (origins = new MemoryRunOrigins()));
  return origins;
}

/**
 * A scripted Coder that also answers the HARD STOP's identity check by naming itself, as a real
 * model does: in a mode of several Coders each of them is checked before the fan-out.
 */
export function answeringIdentity(client: ModelClient): ModelClient {
  return {
    info: client.info,
    stream: (request, signal) => (request.purpose === 'identity' ? namesItself(client.info.modelId) : client.stream(request, signal)),
  };
}

async function* namesItself(modelId: string): AsyncIterable<ModelEvent> {
  yield { type: 'text', text: modelId };
  yield { type: 'done', stopReason: 'end' };
}

export function demoClient(role: RoleSnapshot): ModelClient {
  return new DemoModelClient({ provider: 'demo', modelId: role.modelId, displayName: role.displayName, isDemo: true }, () => 0, () => new Date());
}

/**
 * The demo model for `role`, except that its requests for `purpose` are answered by `answer`: a
 * test scripts the one phase it is about and lets the demo play the rest.
 */
export function demoExcept(role: RoleSnapshot, purpose: CallPurpose, answer: ModelClient['stream']): ModelClient {
  return {
    info: demoClient(role).info,
    stream: (request, signal) => (request.purpose === purpose ? answer(request, signal) : demoClient(role).stream(request, signal)),
  };
}

export function createEngine(options: HarnessOptions): { engine: RunEngine; store: RunStore; workspace: NodeWorkspaceFiles } {
  const node = new NodeArtifactStore();
  const artifacts = options.wrapArtifacts ? options.wrapArtifacts(node) : node;
  const store = new RunStore(artifacts, path.join(options.workspaceRoot, '.dual-model'));
  const workspace = new NodeWorkspaceFiles(options.workspaceRoot);
  const engine = new RunEngine({
    store,
    lock: new RunLock(artifacts, (id) => store.runDir(id), options.owner ?? 'test-window', { now: () => new Date() }, options.lockStaleMs),
    artifacts,
    workspace,
    verifier: options.verifier ?? processVerifier,
    clock: { now: () => new Date() },
    clientFor: options.clientFor ?? demoClient,
    settings: () => ({ verificationTimeoutMs: 60_000, maxCoderTurns: 12, maxVerificationRuns: 3, maxOutputTokens: 4000, ...options.settings }),
    workspaceTree: () => workspaceTree(workspace),
    randomHex: () => randomBytes(4).toString('hex'),
    origins: options.origins ?? originsOf(options.workspaceRoot),
    prices: () => options.prices ?? priceTable(builtInRegistry),
    isTrusted: options.isTrusted ?? (() => true),
    ...(options.autoConfirm ? { autoConfirm: options.autoConfirm } : {}),
    ...(options.guardCalls ? { guardCalls: options.guardCalls } : {}),
    ...(options.runCapUsd ? { runCapUsd: options.runCapUsd } : {}),
    ...(options.copies ? { copies: options.copies } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.swarmModels ? { swarmModels: options.swarmModels } : {}),
  }, options.heldRetryMs);
  return { engine, store, workspace };
}

/** Resolves when the run reaches `phase` (and, in review, has its verdict); rejects on `failed`. */
export function waitForPhase(engine: RunEngine, runId: string, phase: Phase, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const state = engine.get(runId)?.state;
      if (!state) return false;
      const reached = state.phase === phase && (phase !== 'architect-review' || (state.phase === 'architect-review' && state.verdict !== undefined));
      if (reached) return true;
      if (state.phase === 'failed' && phase !== 'failed') throw new Error(`run failed: ${state.error}`);
      return false;
    };
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for ${phase}; now ${engine.get(runId)?.state.phase}`));
    }, timeoutMs);
    const subscription = engine.onUpdate(() => {
      try {
        if (check()) {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        }
      } catch (error) {
        clearTimeout(timer);
        subscription.dispose();
        reject(error as Error);
      }
    });
    try {
      if (check()) {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    } catch (error) {
      clearTimeout(timer);
      subscription.dispose();
      reject(error as Error);
    }
  });
}

/**
 * Resolves once `holds` is true, looking again at each update the engine announces; rejects
 * after `timeoutMs` with `never`, the thing that did not happen.
 */
export function waitForEngine(engine: RunEngine, holds: () => boolean, never: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      subscription.dispose();
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`${never} (waited ${timeoutMs} ms)`));
    }, timeoutMs);
    const check = (): void => {
      if (holds()) {
        settle();
        resolve();
      }
    };
    const subscription = engine.onUpdate(check);
    check();
  });
}
