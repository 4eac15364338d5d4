// The one picture of a run the host shows: its record, and the view built from it with what the
// engine knows beside it (activity, the documents on disk, the spec set a confirm approves, the
// paths it would let the Coder change, how its command would run). Built here, once, frozen, and
// handed out whole: the VS Code layer posts it and reads nothing itself, so every view of a run
// (the editor panel, the side panel, the status bar) shows the same thing.
import { formatUsd } from '../models/usageSummary.js';
import type { ModelPrice } from '../models/registry.js';
import type { VerificationRunner } from '../ports.js';
import type { HardStop } from './hardStopPhase.js';
import type { RunJournal } from './runJournal.js';
import type { RunRecord } from './runRecord.js';
import type { BatchSpecEntry } from './batchView.js';
import { batchView } from './batchView.js';
import { competitionViewOf } from './competitionViewOf.js';
import type { DocumentSource } from './runView.js';
import { buildRunView } from './runView.js';
import type { RunView } from './runViewSchema.js';
import type { SpecVersions } from './specVersions.js';

export interface RunSnapshot {
  readonly record: RunRecord;
  readonly view: RunView;
}

export interface SnapshotSources {
  journal: Pick<RunJournal, 'get' | 'activityOf'>;
  specs: Pick<SpecVersions, 'documentsOf' | 'currentSet'>;
  hardStop: Pick<HardStop, 'pendingApproval' | 'protectedPaths'>;
  verifier: Pick<VerificationRunner, 'describeSandbox'>;
  isTrusted: () => boolean;
  prices: () => Readonly<Record<string, ModelPrice>>;
  autoConfirm?: () => boolean;
  /** The per-run spending cap in force, for the usage line; undefined: none. */
  runCapUsd?: () => number | undefined;
  /** A swarm's plan for the HARD STOP before the Coder (swarmPass.ts); undefined for other runs. */
  swarmPlan?: (record: RunRecord) => Promise<string[] | undefined>;
}

interface ReadArtifacts {
  /** What they were read for: a new transition (history entry) or a newly adopted spec edit reads them again. */
  transitions: number;
  specDigest: string | undefined;
  documents: DocumentSource[];
  protectedPaths: string[] | undefined;
  /** The spec set at or in the Coder's pass, for the batch's listing. */
  currentSet: BatchSpecEntry[] | undefined;
  swarmPlan: string[] | undefined;
}

export class RunSnapshots {
  /**
   * Per run, the artifacts last read. They change only with a transition or when a hand-edited
   * spec is adopted (a new digest); activity updates and the run.json saves of every model call
   * reuse them, so a Coder turn reads no file for the view.
   */
  private readonly artifacts = new Map<string, ReadArtifacts>();

  constructor(private readonly sources: SnapshotSources) {}

  async of(runId: string): Promise<RunSnapshot | undefined> {
    const record = this.sources.journal.get(runId);
    if (!record) return undefined;
    const approval = this.sources.hardStop.pendingApproval(runId);
    const { documents, protectedPaths, currentSet, swarmPlan } = await this.read(record, approval?.digest);
    const activity = this.sources.journal.activityOf(runId);
    const built = buildRunView(record, activity, documents, this.sources.isTrusted(), approval?.commands.join('\n'), this.sources.prices(), protectedPaths);
    // The confirm names the spec set shown, so a later edit cannot ride on it; and the HARD STOP
    // says how the command it approves will run (the setting and the machine decide).
    const hardStop = built.hardStop && approval
      ? { ...built.hardStop, specDigest: approval.digest, ...(built.hardStop.verificationCommand !== undefined ? await this.sandboxNote() : {}) }
      : built.hardStop;
    const withPlan = hardStop && swarmPlan ? { ...hardStop, swarmPlan } : hardStop;
    const withAuto = withPlan && this.sources.autoConfirm?.() ? { ...withPlan, autoConfirm: true } : withPlan;
    const batch = batchView(record, currentSet, activity);
    const competition = competitionViewOf(record, activity);
    // Paused on a failed spec, the run is about that spec: the panel opens it, not the newest one.
    const pausedPath = batch?.paused ? currentSet?.find((spec) => spec.specId === batch.paused?.specId)?.path : undefined;
    const pausedDocument = pausedPath === undefined ? -1 : built.documents.findIndex((doc) => doc.path === pausedPath);
    const runCap = this.sources.runCapUsd?.();
    const usage = built.usage && runCap !== undefined ? { ...built.usage, text: `${built.usage.text} (run cap ${formatUsd(runCap)})` } : built.usage;
    const view: RunView = {
      ...built,
      ...(usage ? { usage } : {}),
      ...(withAuto ? { hardStop: withAuto } : {}),
      ...(batch ? { batch } : {}),
      ...(competition ? { competition } : {}),
      ...(pausedDocument >= 0 ? { activeDocument: pausedDocument } : {}),
    };
    return deepFreeze({ record: structuredClone(record), view });
  }

  /** A run this window no longer knows. */
  forget(runId: string): void {
    this.artifacts.delete(runId);
  }

  private async read(record: RunRecord, specDigest: string | undefined): Promise<ReadArtifacts> {
    const cached = this.artifacts.get(record.runId);
    if (cached?.transitions === record.history.length && cached.specDigest === specDigest) return cached;
    const documents = await this.sources.specs.documentsOf(record);
    // A hand-edited spec that no longer parses names no path; confirming then says why.
    const protectedPaths = await this.sources.hardStop.protectedPaths(record.runId).catch(() => undefined);
    // A spec set that no longer parses lists nothing; confirming says why.
    const currentSet = await this.sources.specs.currentSet(record).catch(() => undefined);
    // Read per transition, not per update: it asks each provider whether it is ready.
    const swarmPlan = record.state.phase === 'hard-stop-to-coder' ? await this.sources.swarmPlan?.(record).catch(() => undefined) : undefined;
    const read = { transitions: record.history.length, specDigest, documents, protectedPaths, currentSet, swarmPlan };
    this.artifacts.set(record.runId, read);
    return read;
  }

  private async sandboxNote(): Promise<{ sandbox?: { sandboxed: boolean; text: string } }> {
    const sandbox = await this.sources.verifier.describeSandbox?.();
    return sandbox ? { sandbox } : {};
  }
}

/** Freezes a fresh object graph all the way down: what is handed out cannot be changed by whoever holds it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
