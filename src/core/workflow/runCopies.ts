// Removing a run's isolated copies where a failure to remove one must not stop the rest: what is
// left is swept at the next start (IsolatedCopies.sweep).
import type { IsolatedCopies, IsolatedCopy } from '../ports.js';

export async function removeCopies(copies: readonly IsolatedCopy[]): Promise<void> {
  await Promise.allSettled(copies.map((copy) => copy.remove()));
}

/** Every copy a run still has on disk; none when this window makes no copies. */
export async function removeRunCopies(copies: IsolatedCopies | undefined, runId: string): Promise<void> {
  if (!copies) return;
  await removeCopies(await copies.existing(runId));
}
