// The seed's passphrase protocol in VS Code's chat: at a HARD STOP the user replies "Model
// Confirmed", and the run it continues is the one this chat started, named in the metadata of
// the participant's earlier answers. Pure, so what counts is tested on plain Node.

/** The seed's passphrase, as it is shown to the user. */
export const MODEL_CONFIRMED = 'Model Confirmed';

/** Exactly the passphrase, in any case, with surrounding whitespace ignored; nothing more, nothing less. */
export function isModelConfirmed(text: string): boolean {
  return text.trim().toLowerCase() === MODEL_CONFIRMED.toLowerCase();
}

/** What the participant writes into each answer's `ChatResult.metadata`, and reads back from the history. */
export interface ChatRunMetadata {
  runId: string;
  /** The spec set the answer showed at the HARD STOP before the Coder: a typed confirm approves that set and no other. */
  specDigest?: string;
}

/** The engine's run id format (RunEngine.artifactFile checks the same). */
const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;
const digestPattern = /^[0-9a-f]{64}$/;

/**
 * The run of the newest answer in the history that names one. The history is VS Code's record
 * of the chat (request turns and response turns); anything that is not well-formed is skipped.
 */
export function runOfHistory(history: readonly object[]): ChatRunMetadata | undefined {
  for (let index = history.length - 1; index >= 0; index--) {
    const found = metadataOf(history[index]);
    if (found) return found;
  }
  return undefined;
}

function metadataOf(turn: object | undefined): ChatRunMetadata | undefined {
  if (!turn || !('result' in turn)) return undefined;
  const result: unknown = turn.result;
  if (typeof result !== 'object' || result === null || !('metadata' in result)) return undefined;
  const metadata: unknown = result.metadata;
  if (typeof metadata !== 'object' || metadata === null || !('runId' in metadata)) return undefined;
  const { runId } = metadata;
  if (typeof runId !== 'string' || !runIdPattern.test(runId)) return undefined;
  const specDigest = 'specDigest' in metadata ? metadata.specDigest : undefined;
  return typeof specDigest === 'string' && digestPattern.test(specDigest) ? { runId, specDigest } : { runId };
}
