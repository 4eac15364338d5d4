// Each run works on a fresh copy of sample-workspace/, so the demo Coder's edits never touch
// the checked-in sample.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { sampleWorkspace } from './paths';
import type { Scratch } from './scratch';

/** Copies sample-workspace/ into the scratch folder and returns the copy's absolute path. */
export function copySampleWorkspace(scratch: Scratch): string {
  const copy = join(scratch.dir, 'workspace', 'sample-workspace');
  cpSync(sampleWorkspace, copy, { recursive: true });
  return copy;
}
