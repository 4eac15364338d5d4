// The interfaces src/core needs from the outside world. Adapters in src/vscode, src/node and
// src/providers implement them; tests implement them with real files and processes.

/** Reads and writes the artifacts folder (brain/<run-id>/...). Paths are absolute. */
export interface ArtifactStore {
  readText(path: string): Promise<string | undefined>;
  /** Writes via a temporary file and a rename, so a reader never sees half a file. */
  writeTextAtomic(path: string, text: string): Promise<void>;
  listDirectories(path: string): Promise<string[]>;
  /** Creates the file only if it does not exist; returns false when it already did. */
  createExclusive(path: string, text: string): Promise<boolean>;
  remove(path: string): Promise<void>;
}

/** One file's new content for WorkspaceFiles.writeAll; `text: undefined` deletes it. */
export interface FileChange {
  path: string;
  text: string | undefined;
}

/** What became of one FileChange: it landed, or it was refused (and why). */
export type FileChangeResult = { path: string; ok: true } | { path: string; ok: false; reason: string };

/** The workspace as the Coder sees it. Paths are workspace-relative with forward slashes. */
export interface WorkspaceFiles {
  readonly root: string;
  read(relativePath: string): Promise<string | undefined>;
  /**
   * The one way files change: writes (text, creating folders) and deletes (undefined), in the
   * order given, one entry per file. In VS Code they become one WorkspaceEdit where they can:
   * undoable, one round trip to the workbench and one undo step. One result per change, in
   * order: a change that is refused is reported on its own and the others still land. Throws only
   * when the group fails as a whole; some may then have been applied.
   */
  writeAll(changes: readonly FileChange[]): Promise<FileChangeResult[]>;
  /** Lists one folder: names, with a trailing '/' for folders. */
  list(relativePath: string): Promise<string[]>;
  /**
   * Where a read or write of the path lands: the absolute path with every symbolic link along it
   * followed, dangling ones included (a part that does not exist is taken as written). Throws,
   * saying why, on a chain of links too long to follow (a loop).
   */
  resolvedPath(relativePath: string): Promise<string>;
}

export interface VerificationRequest {
  command: string;
  /** Absolute working directory (the workspace root). */
  cwd: string;
  timeoutMs: number;
  /** Shown to the user as the task's name. */
  label: string;
  signal?: AbortSignal;
}

/** How the verification ran: in the sandbox, outside it by choice, or outside it because it cannot run here. */
export type VerificationSandbox = 'sandboxed' | 'unsandboxed' | `unavailable: ${string}`;

export interface VerificationResult {
  /** The process exit code; undefined when it was killed or never started. */
  exitCode: number | undefined;
  output: string;
  timedOut: boolean;
  /** Set when the command could not be run at all (not found, untrusted workspace, cancelled). */
  notRun?: string;
  /** Wall time, including stopping the process tree after a timeout. */
  durationMs: number;
  /** With `timedOut`: the limit it ran into (durationMs also counts the time it took to stop). */
  timeLimitMs?: number;
  /** Set once a command was started. */
  sandbox?: VerificationSandbox;
}

/** Runs the spec's Verification Command where the user can see it (a VS Code task). */
export interface VerificationRunner {
  run(request: VerificationRequest): Promise<VerificationResult>;
  /** How a command would run now (sandboxed or not, and why), for the HARD STOP to say before the user approves it. */
  describeSandbox?(): Promise<{ sandboxed: boolean; text: string }>;
}

/**
 * The runs this machine started, kept in the extension's own storage (not the workspace): a
 * repository can ship a run.json, and only a run the user started here may resume by itself.
 */
export interface RunOrigins {
  startedHere(runId: string): boolean;
  remember(runId: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** Something the engine wants a person to know; the host decides how to show it. */
export interface RunNotifier {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * A candidate Coder's own copy of the workspace (issue 11): a git worktree on a temporary branch
 * where the workspace is a git repository, a temporary copy otherwise. It starts as the
 * workspace is now (uncommitted and untracked files included), is written only through
 * `workspace`, and is removed, branch included, by `remove()` or by `IsolatedCopies.sweep`.
 */
export interface IsolatedCopy {
  /** The label it was created with. */
  readonly label: string;
  /** Its absolute folder (outside the workspace). */
  readonly root: string;
  /** "git worktree" or "copy": how it was made, for the report and the bench. */
  readonly kind: 'worktree' | 'copy';
  /** The temporary branch of a worktree. */
  readonly branch?: string;
  /** The copy as the Coder sees it: same confinement rules as the workspace, rooted at the copy. */
  readonly workspace: WorkspaceFiles;
  /**
   * What the copy changed against the workspace as it was when the copy was made, one entry per
   * file (text undefined: deleted), sorted by path. Files the workspace ignores (node_modules,
   * build output) are not compared.
   */
  changes(): Promise<FileChange[]>;
  /** Deletes the copy (and its branch). Safe to call twice. */
  remove(): Promise<void>;
}

export interface IsolatedCopies {
  /** A new copy for one candidate of one run; `label` is short and path-safe ("a", "b", "spec-2"). */
  create(runId: string, label: string, signal?: AbortSignal): Promise<IsolatedCopy>;
  /** The copies a run still has on disk (after a reload: to reuse or remove them). */
  existing(runId: string): Promise<IsolatedCopy[]>;
  /** Removes every copy (and branch) of runs not in `keep`: what a crash or a reload left behind. */
  sweep(keep: ReadonlySet<string>): Promise<string[]>;
}
