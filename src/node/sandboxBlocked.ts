// Reads a failed sandboxed run's output for the sandbox's fingerprints, so the user learns that
// the sandbox, not their code, stopped it, and how to let the command through.

/** What a blocked network call looks like from the usual runtimes and tools. */
const NETWORK_BLOCKED = /ENETUNREACH|Network is unreachable|EAI_AGAIN|ENOTFOUND|Temporary failure in name resolution|Could not resolve host|Name or service not known|ECONNREFUSED|Connection refused/i;
/** What a write to the read-only rest of the file system looks like. */
const WRITE_BLOCKED = /EROFS|Read-only file system/i;

const HOW_TO_ALLOW = 'To allow it, set dualModel.verification.sandbox to "unsandboxed" in your user settings.';

/**
 * The `[dual-model]` notes (without the prefix) for what the sandbox blocked, judged from the
 * output of a run that failed; none when nothing in it points at the sandbox.
 */
export function sandboxBlockedNotes(output: string): string[] {
  const notes: string[] = [];
  const network = firstLineMatching(output, NETWORK_BLOCKED);
  if (network !== undefined) {
    notes.push(`the sandbox blocked a network connection ("${network}"): the verification runs with no network, not even to services on this machine. ${HOW_TO_ALLOW}`);
  }
  const write = firstLineMatching(output, WRITE_BLOCKED);
  if (write !== undefined) {
    notes.push(`the sandbox blocked a write outside the workspace and $TMPDIR ("${write}"): everything else is read-only to the verification. ${HOW_TO_ALLOW}`);
  }
  return notes;
}

const MAX_QUOTED = 160;

function firstLineMatching(output: string, pattern: RegExp): string | undefined {
  const line = output.split('\n').find((candidate) => pattern.test(candidate) && !candidate.startsWith('[dual-model]'));
  if (line === undefined) {
    return undefined;
  }
  const trimmed = line.trim();
  return trimmed.length > MAX_QUOTED ? `${trimmed.slice(0, MAX_QUOTED)}…` : trimmed;
}
