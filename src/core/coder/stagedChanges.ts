// The file changes of a run of consecutive write_file / edit_file / delete_file calls in one
// model turn, held until they are applied together. Each call is checked against the files as
// the calls before it in the group leave them (an overlay on the disk), so an edit after a write
// of the same file applies to the written text.
import type { FileChange, WorkspaceFiles } from '../ports.js';

export interface StagedCall {
  /** The call's position in its turn, where its outcome goes. */
  index: number;
  file: string;
}

export class StagedChanges {
  /** Each file the group has looked at, as the disk had it before the group. */
  private readonly onDisk = new Map<string, string | undefined>();
  /** Each staged file's content after the group's calls so far; undefined means deleted. */
  private readonly staged = new Map<string, string | undefined>();
  private readonly stagedCalls: StagedCall[] = [];

  constructor(private readonly workspace: WorkspaceFiles) {}

  get isEmpty(): boolean {
    return this.stagedCalls.length === 0;
  }

  get calls(): readonly StagedCall[] {
    return this.stagedCalls;
  }

  /** The file as it will be once the staged changes are applied. */
  async current(file: string): Promise<string | undefined> {
    if (this.staged.has(file)) return this.staged.get(file);
    if (!this.onDisk.has(file)) this.onDisk.set(file, await this.workspace.read(file));
    return this.onDisk.get(file);
  }

  /** The file as the disk had it before the group; `current` must have read it first. */
  beforeGroup(file: string): string | undefined {
    return this.onDisk.get(file);
  }

  stage(index: number, file: string, text: string | undefined): void {
    this.staged.set(file, text);
    this.stagedCalls.push({ index, file });
  }

  /** One change per file, its final content, in the order the files were first staged. */
  changes(): FileChange[] {
    return [...this.staged].map(([path, text]) => ({ path, text }));
  }
}
