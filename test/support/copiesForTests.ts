// The extension's own isolated copies (git worktrees or plain copies) over a temporary base
// folder a test removes afterwards; tests subclass it to make one copy fail.
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeIsolatedCopies } from '../../src/node/isolatedCopies.js';

export class CopiesForTests extends NodeIsolatedCopies {
  constructor(
    workspaceRoot: string,
    /** Removed by the test when it ends. */
    readonly base: string = path.join(os.tmpdir(), `dm-copies-${process.pid}-${Math.random().toString(16).slice(2, 8)}`),
  ) {
    super(workspaceRoot, base);
  }
}
